import * as path from "node:path";
import { applySetOverrides } from "../config/setOverrides";
import { readProject, readStackConfig, toRuntimeConfig } from "../config/projectFiles";
import { loadTypeScript } from "../loadTypeScript";
import type { Plan } from "./model";
import { planProgram } from "./runProgram";

export interface PlanStackOptions {
  /** Folder holding `Pulumi.yaml`. @default process.cwd() */
  cwd?: string;
  stack: string;
  /** Config file to use instead of `Pulumi.<stack>.yaml`. */
  configFile?: string;
  /** `key.path=value` overrides, applied like `pulumi config set --path`. */
  sets?: readonly string[];
  organization?: string;
  /** Outputs of other stacks the program references. */
  stackOutputs?: (stackName: string) => Record<string, unknown> | undefined;
}

/** Plans one stack of the Pulumi project in `cwd`: its own config file, its own program, offline. */
export async function planStack(options: PlanStackOptions): Promise<Plan> {
  const project = readProject(path.resolve(options.cwd ?? process.cwd()));
  const stackConfig = readStackConfig(project, options.configFile, options.stack);
  const values = applySetOverrides(stackConfig.values, options.sets ?? [], project.name);
  loadTypeScript();
  return planProgram({
    project: project.name,
    stack: options.stack,
    organization: options.organization,
    config: toRuntimeConfig(values),
    secretKeys: stackConfig.secretKeys,
    stackOutputs: options.stackOutputs,
    program: () => require(project.main),
  });
}
