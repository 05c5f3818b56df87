/**
 * `flipstack/testing`: what Flipstack's own tests use to plan a program offline, for other repositories' tests.
 * A consumer's jest (or `node --test`) test plans its own program against the same realistic AWS mocks as
 * `flipstack plan`, runs the same policy pack and AWS constraint checks, and asserts on the plan JSON.
 *
 *   import { planProgram, resourcesOf } from "flipstack/testing";
 *   const plan = await planProgram(path.join(__dirname, "..", "index.ts"), { config: { "aws:region": "eu-west-1" } });
 *   expect(resourcesOf(plan, "aws:ecs/service:Service")).toHaveLength(1);
 */
import * as path from "node:path";
import type { Plan, PlannedResource } from "../model/plan";
import type { Lookups } from "./plan/lookups";
import { planProgram as planWithMocks } from "./plan/runProgram";
import { forgetProgramModules, planStack, type PlanStackOptions } from "./plan/planStack";
import { loadTypeScript } from "./loadTypeScript";
import { readSuppressions, withViolations, type Suppression } from "./plan/suppressions";
import { namespaced, toRuntimeConfig } from "./config/projectFiles";

export { awsMocks, OFFLINE_ACCOUNT_ID, type AwsMockOptions } from "./plan/awsMocks";
export type { Plan, PlannedResource, Violation, Severity } from "../model/plan";
export type { Lookups } from "./plan/lookups";
export type { Suppression } from "./plan/suppressions";

export interface TestPlanOptions {
  /**
   * Stack config as `pulumi config` holds it: `aws:region`, and `<project>:<key>` (or a bare key, taken as the
   * project's) to a string or a value written as JSON. `aws:region` is required, as it is for `pulumi up`.
   */
  config?: Record<string, unknown>;
  /** @default "test" */
  project?: string;
  /** @default "dev" */
  stack?: string;
  /** Answers to data-source calls, as `flipstack.lookups.yaml` holds them. @default {} */
  lookups?: Lookups;
  /** Outputs of the stacks the program reads through a `StackReference`, by full name (`org/project/stack`). */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** Run the policy pack and AWS constraint checks, filling `plan.violations`. @default true */
  policy?: boolean;
  /** Exceptions to policy rules, as `flipstack.policy.yaml` holds them. @default [] */
  suppressions?: readonly Suppression[];
}

/**
 * Plans a program the way `flipstack plan` does and returns the plan with its policy violations. `program` is the
 * program's file (TypeScript or JavaScript; loaded afresh each time, with the modules beside it) or a function that
 * builds the resources itself. Plans run one at a time: Pulumi's runtime is one per process.
 */
export async function planProgram(program: string | (() => unknown), options: TestPlanOptions = {}): Promise<Plan> {
  const project = options.project ?? "test";
  const plan = await planWithMocks({
    project,
    stack: options.stack ?? "dev",
    config: runtimeConfig(project, options.config ?? {}),
    lookups: options.lookups,
    stackOutputs: (name) => options.stackOutputs?.[name],
    program: typeof program === "string" ? loadFresh(program) : program,
  });
  return options.policy === false ? plan : withViolations(plan, options.suppressions ?? []);
}

/**
 * Plans one stack of the Pulumi project in `cwd` exactly as `flipstack plan --stack <stack>` does (its stack file,
 * `--set` overrides, lookups and policy exceptions), without the type check unless asked.
 */
export async function planProject(options: PlanStackOptions & { policy?: boolean }): Promise<Plan> {
  const plan = await planStack({ typeCheck: false, ...options });
  if (options.policy === false) return plan;
  return withViolations(plan, readSuppressions(options.cwd ?? process.cwd()));
}

/** The planned resources of one Pulumi type (`aws:ecs/service:Service`), in registration order. */
export function resourcesOf(plan: Plan, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/** The one planned resource with this logical name (the name given to its constructor); throws naming what exists. */
export function resourceNamed(plan: Plan, name: string): PlannedResource {
  const found = plan.resources.filter((r) => r.name === name);
  if (found.length === 1) return found[0];
  const names = plan.resources.map((r) => r.name).join(", ");
  throw new Error(found.length === 0 ? `no planned resource is named "${name}"; planned: ${names}` : `${found.length} planned resources are named "${name}"; use resourcesOf and filter by type`);
}

// A program's module runs its resources when first required: a second plan in the same test file must load it again.
function loadFresh(file: string): () => unknown {
  const resolved = path.resolve(file);
  loadTypeScript();
  return () => {
    forgetProgramModules(path.dirname(resolved));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(resolved);
  };
}

const runtimeConfig = (project: string, config: Record<string, unknown>) =>
  toRuntimeConfig(Object.fromEntries(Object.entries(config).map(([key, value]) => [namespaced(key, project), value])));
