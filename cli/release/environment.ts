import * as path from "node:path";
import { readProject } from "../config/projectFiles";
import { stackAwsClients } from "./awsClients";
import { DEFAULT_TIMING, realClock, type ReleaseContext } from "./context";
import { openStack, requirePulumi } from "./workspace";

export interface ContextFlags {
  stack: string;
  /** Absent for commands about the whole stack (`status`). */
  service?: string;
  cwd?: string;
}

/** How release commands reach the world: the real one below, or the tests' fake CLI, mocked AWS and clock. */
export interface ReleaseEnvironment {
  /** Opens the stack; the context's timing is the defaults until the command's flags are parsed. */
  openContext(flags: ContextFlags): Promise<ReleaseContext>;
  print(line: string): void;
  /** Whether a person watches a terminal (a live step list) or a log collects lines. */
  interactive: boolean;
}

export function realEnvironment(): ReleaseEnvironment {
  const print = (line: string) => void process.stdout.write(`${line}\n`);
  return {
    print,
    interactive: Boolean(process.stdout.isTTY),
    async openContext(flags) {
      // The CLI first: without it nothing below can work, and the user gets one line saying how to install it.
      const pulumi = await requirePulumi();
      const workDir = path.resolve(flags.cwd ?? process.cwd());
      const project = readProject(workDir);
      const stack = await openStack({ workDir, stack: flags.stack, pulumi });
      const service = flags.service ?? "";
      return { stack, service, releaseKey: `${project.name}:services.${service}.release`, aws: stackAwsClients(stack), clock: realClock, timing: DEFAULT_TIMING, log: print };
    },
  };
}
