import * as path from "node:path";
import { applySetOverrides } from "../config/setOverrides";
import { readProject, readStackConfig, resolveProgram, toRuntimeConfig } from "../config/projectFiles";
import { loadTypeScript } from "../loadTypeScript";
import { UsageError } from "../usageError";
import type { Plan } from "./model";
import { LOOKUPS_FILE, readLookups, type Lookups } from "./lookups";
import { programSdk } from "./programSdk";
import { PlanCache, type PlanInputs } from "./planCache";
import { DEFAULT_ORGANIZATION, planProgram } from "./runProgram";
import { typeCheckProgram } from "./typeCheck";

export interface PlanStackOptions {
  /** Folder holding `Pulumi.yaml`. @default process.cwd() */
  cwd?: string;
  stack: string;
  /** Config file to use instead of `Pulumi.<stack>.yaml`. */
  configFile?: string;
  /** `key.path=value` overrides, applied like `pulumi config set --path`. */
  sets?: readonly string[];
  organization?: string;
  /** Type-check a TypeScript program first, as `pulumi up` does. @default true, unless FLIPSTACK_NO_TYPECHECK is set */
  typeCheck?: boolean;
  /** Outputs of other stacks the program references. */
  stackOutputs?: (stackName: string) => Record<string, unknown> | undefined;
}

/**
 * Plans one stack of the Pulumi project in `cwd`: its own config file, its own program, offline.
 *
 * Stack references are answered from plans too: the stack's reference to itself finds no deployed state (offline
 * nothing is deployed), and a reference to another stack of the same project is answered by planning that stack
 * first — so `pr-42` plans staging and reads staging's real planned outputs. What each plan leaves for the others
 * is kept in a {@link PlanCache}, so a stack planned before with the same files and config is not planned again.
 */
export async function planStack(options: PlanStackOptions, referencedBy: readonly string[] = [], cache?: PlanCache): Promise<Plan> {
  const project = readProject(path.resolve(options.cwd ?? process.cwd()));
  const stackConfig = readStackConfig(project, options.configFile, options.stack);
  const values = applySetOverrides(stackConfig.values, options.sets ?? [], project.name);
  loadTypeScript();
  const programFile = resolveProgram(project);
  if (stackConfig.missingFile && !("aws:region" in values) && !process.env.AWS_REGION && !process.env.AWS_DEFAULT_REGION) {
    // Most often a mistyped --stack: say which file is missing rather than which key.
    const shown = path.relative(process.cwd(), stackConfig.missingFile);
    throw new UsageError(`${shown.startsWith("..") ? stackConfig.missingFile : shown} does not exist and the project sets no aws:region: check --stack ${options.stack}, or create the stack (pulumi stack init ${options.stack}; pulumi config set aws:region eu-west-1)`);
  }
  const lookups = programLookups(project.dir);
  if ((options.typeCheck ?? !process.env.FLIPSTACK_NO_TYPECHECK) && referencedBy.length === 0) typeCheckProgram(project.dir, project.main);

  const organization = options.organization ?? DEFAULT_ORGANIZATION;
  const inputs: PlanInputs = { projectDir: project.dir, project: project.name, stack: options.stack, organization, config: toRuntimeConfig(values), secretKeys: stackConfig.secretKeys };
  // Outputs the caller gives are not part of the cache key: a plan that reads them is never cached.
  const plans = options.stackOutputs ? undefined : (cache ?? new PlanCache(project.dir));

  const planned = new Map<string, Record<string, unknown>>();
  const missing = new Set<string>(plans?.read(inputs)?.references);
  const stackOutputs = (fullName: string) => {
    const given = options.stackOutputs?.(fullName);
    if (given) return given;
    const [, projectName, stackName] = fullName.split("/");
    if (projectName === project.name && stackName === options.stack) return {};
    // Not planned yet: answer "no outputs" (a failed read would surface as an unhandled rejection) and plan it
    // before the next pass.
    if (!planned.has(fullName)) missing.add(fullName);
    return planned.get(fullName) ?? {};
  };
  const planReferenced = async (fullName: string) => {
    const [, projectName, stackName] = fullName.split("/");
    if (projectName !== project.name) throw new UsageError(`stack ${options.stack} references ${fullName}, a stack of another project; the offline plan can only plan stacks of ${project.name}`);
    if (referencedBy.includes(stackName)) throw new UsageError(`stacks reference each other in a cycle: ${[...referencedBy, options.stack, stackName].join(" → ")}`);
    const referenced = { cwd: options.cwd, stack: stackName, organization: options.organization };
    const config = readStackConfig(project, undefined, stackName);
    const remembered = plans?.read({ ...inputs, stack: stackName, config: toRuntimeConfig(config.values), secretKeys: config.secretKeys });
    planned.set(fullName, remembered?.outputs ?? (await planStack(referenced, [...referencedBy, options.stack], plans)).outputs);
  };

  // Each pass either succeeds or names the stacks it still needs; those are planned (never in the middle of a
  // run: the mock runtime is one per process) and the program runs again.
  for (;;) {
    for (const fullName of [...missing]) {
      missing.delete(fullName);
      await planReferenced(fullName);
    }
    forgetProgramModules(project.dir);
    try {
      const plan = await planProgram({
        project: project.name,
        stack: options.stack,
        organization,
        config: inputs.config,
        secretKeys: stackConfig.secretKeys,
        stackOutputs,
        sdk: programSdk(project.main),
        lookups,
        // The program is whatever Pulumi.yaml names, so it can only be loaded by path at run time.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        program: () => require(programFile),
      });
      plans?.write(inputs, { outputs: plan.outputs, references: [...planned.keys()] });
      return plan;
    } catch (err) {
      if (missing.size === 0) throw err;
    }
  }
}

function programLookups(projectDir: string): Lookups {
  try {
    return readLookups(projectDir);
  } catch (err) {
    throw new UsageError(`${LOOKUPS_FILE}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

// A second plan in the same process (diff, tests) must run the program afresh, not reuse cached module state.
export function forgetProgramModules(projectDir: string): void {
  const inside = projectDir + path.sep;
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(inside) && !file.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[file];
  }
}
