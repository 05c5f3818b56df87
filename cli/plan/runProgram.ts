import * as pulumi from "@pulumi/pulumi";
import { awsMocks } from "./awsMocks";
import type { Plan } from "./model";
import type { Lookups } from "./lookups";
import type { PulumiSdk } from "./programSdk";
import { PlanRecorder } from "./recorder";

export interface ProgramRun {
  project: string;
  stack: string;
  organization?: string;
  /** Stack config as Pulumi passes it to a program: `namespace:key` to a string (objects as JSON). */
  config: Record<string, string>;
  secretKeys?: string[];
  /** Outputs of other stacks that the program reads through a `StackReference`, by full stack name. */
  stackOutputs?: (stackName: string) => Record<string, unknown> | undefined;
  /** Loads the program and returns what its module exports, as the Pulumi language host would. */
  program: () => unknown;
  /** The Pulumi SDK the program loads (see {@link programSdk}). @default this package's own `@pulumi/pulumi` */
  sdk?: PulumiSdk;
  /** The program's own answers to data-source calls (`flipstack.lookups.yaml`). @default {} */
  lookups?: Lookups;
}

/**
 * Runs a Pulumi program the way `pulumi up` would, but against Pulumi's mock runtime, and returns every resource
 * the engine would have received. Never a preview: mocks in preview mode leave outputs unknown.
 */
export function planProgram(run: ProgramRun): Promise<Plan> {
  // Pulumi's runtime state is global to the process: plans asked for at the same time run one after another.
  const result = queue.then(() => planAlone(run));
  queue = result.catch(() => undefined);
  return result;
}

let queue: Promise<unknown> = Promise.resolve();

async function planAlone(run: ProgramRun): Promise<Plan> {
  // The SDK formats a stack trace for every promise it makes (debugging aids for leaked promises) and for every
  // resource (source positions the plan does not record): most of a plan's time. Without FLIPSTACK_DEBUG the plan
  // runs with no stack frames; errors still carry their messages.
  const stackTraceLimit = Error.stackTraceLimit;
  if (!process.env.FLIPSTACK_DEBUG) Error.stackTraceLimit = 0;
  try {
    return await planWithMocks(run);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

async function planWithMocks(run: ProgramRun): Promise<Plan> {
  const runtime = (run.sdk ?? pulumi).runtime;
  const region = run.config["aws:region"] ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new ProgramError("aws:region is not set; add it to the stack config (pulumi config set aws:region eu-west-1)");

  runtime.setAllConfig(run.config, run.secretKeys ?? []);
  const problems: Error[] = [];
  await runtime.setMocks(
    awsMocks({ region, stackOutputs: run.stackOutputs, lookups: run.lookups, onProblem: (problem) => problems.push(problem) }),
    run.project,
    run.stack,
    false,
    run.organization ?? DEFAULT_ORGANIZATION,
  );
  const recorder = new PlanRecorder();
  recorder.attach(runtime);

  // A program that throws must not fail the root stack resource itself: the SDK would report that as an
  // unhandled rejection. Keep the error and raise it once every registration has settled.
  let programError: unknown;
  await runtime.runInPulumiStack(async () => {
    try {
      const exported = run.program();
      // The language host calls an exported function and awaits it: that is how programs with top-level work
      // (data-source lookups before any resource) are written.
      return typeof exported === "function" ? await exported() : exported;
    } catch (err) {
      programError = err;
      return {};
    }
  });
  // Waits for every registration to reach the mock monitor, then lets the next plan in this process start afresh.
  await runtime.disconnect();
  // A component refused first: what the program did with its missing outputs only follows from it.
  if (problems.length > 0) throw new ProgramError(problems.map((p) => p.message).join("\n"));
  if (programError !== undefined) throw programError;
  if (recorder.errors.length > 0) {
    throw new ProgramError(recorder.errors.map((e) => (e instanceof Error ? e.message : String(e))).join("\n"));
  }

  return {
    stack: run.stack,
    project: run.project,
    resources: recorder.resources,
    outputs: recorder.stackOutputs,
    violations: [],
    region,
  };
}

/** The organization a plan runs in unless told otherwise (as a stack of Pulumi Cloud's individual account would). */
export const DEFAULT_ORGANIZATION = "organization";

/** A problem with the program's setup that a user fixes (no stack trace needed). */
export class ProgramError extends Error {}
