import { LocalWorkspace, Stack, type PulumiCommand, type UpdateSummary } from "@pulumi/pulumi/automation";
import * as path from "node:path";
import { readProject } from "../config/projectFiles";
import type { ReleaseContext } from "../release/context";
import type { ContextFlags } from "../release/environment";

/**
 * What the dashboard reads and drives: the stacks of one Pulumi project through the Automation API (the real
 * `pulumi` CLI, or the tests' recording fake) and a release context per stack, the very one `flipstack release`
 * uses, so a click runs the same steps as the command line.
 */
export interface DashboardWorld {
  /** Folder of the Pulumi project; the action log lives under `.flipstack/` in it. */
  workDir: string;
  /** The project's name: the namespace of its config keys. */
  project: string;
  listStacks(): Promise<string[]>;
  /** The stack's recent updates, newest first, secrets left masked. */
  history(stack: string): Promise<UpdateSummary[]>;
  openContext(flags: ContextFlags): Promise<ReleaseContext>;
}

export interface AutomationWorldOptions {
  workDir: string;
  /** The CLI, resolved on first use so that a missing CLI is a message on the page, not a failed start. */
  pulumi: () => Promise<PulumiCommand>;
  envVars?: Record<string, string>;
  openContext: (flags: ContextFlags) => Promise<ReleaseContext>;
}

/** How many updates of each stack the history shows. */
const HISTORY_PAGE = 20;

export function automationWorld(options: AutomationWorldOptions): DashboardWorld {
  const workDir = path.resolve(options.workDir);
  let workspace: Promise<LocalWorkspace> | undefined;
  const open = () =>
    (workspace ??= options.pulumi().then((pulumiCommand) => LocalWorkspace.create({ workDir, pulumiCommand, envVars: options.envVars }))).catch((err) => {
      workspace = undefined; // the CLI may be installed while the dashboard runs
      throw err;
    });
  return {
    workDir,
    project: readProject(workDir).name,
    listStacks: async () => (await (await open()).listStacks()).map((s) => s.name),
    history: async (stack) => (await Stack.select(stack, await open())).history(HISTORY_PAGE, 1, false),
    openContext: (flags) => options.openContext({ ...flags, cwd: workDir }),
  };
}
