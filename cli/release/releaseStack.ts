import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { UsageError } from "../usageError";

/** What the release steps need from a deployed stack; the Automation API implements it, tests may too. */
export interface ReleaseStack {
  readonly name: string;
  outputs(): Promise<Record<string, unknown>>;
  /** Sets a config value by path (`flipstack:services.api.release.live`), as `pulumi config set --path`. */
  setConfig(path: string, value: string): Promise<void>;
  removeConfig(path: string): Promise<void>;
  /** `pulumi up`, streaming its output. */
  up(onOutput: (text: string) => void): Promise<void>;
}

/** A release step that failed; the message says what happened and what serves traffic. */
export class ReleaseError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = "ReleaseError";
  }
}

export const PULUMI_MISSING =
  "flipstack release needs the Pulumi CLI, which was not found: install it (https://www.pulumi.com/docs/install/, " +
  "e.g. `curl -fsSL https://get.pulumi.com | sh`) or put it on PATH";

export interface OpenStackOptions {
  cwd: string;
  stack: string;
  /** Folder whose `bin/pulumi` to use instead of the one on PATH. */
  pulumiRoot?: string;
  /** How long to wait for another update's lock to go away; 0 fails at once. */
  waitForLockMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Opens the stack through the Automation API, after checking that the Pulumi CLI is there at all. */
export async function openStack(options: OpenStackOptions): Promise<ReleaseStack> {
  let pulumiCommand: PulumiCommand;
  try {
    pulumiCommand = await PulumiCommand.get({ root: options.pulumiRoot, skipVersionCheck: true });
  } catch {
    throw new ReleaseError(PULUMI_MISSING, 4);
  }
  const workspace = await LocalWorkspace.create({ workDir: options.cwd, pulumiCommand });
  let stack: Stack;
  try {
    stack = await LocalWorkspace.selectStack({ stackName: options.stack, workDir: options.cwd }, { pulumiCommand, workDir: workspace.workDir });
  } catch (err) {
    throw new UsageError(`cannot select stack ${options.stack}: ${firstLine(err)}`);
  }
  return automationStack(stack, options);
}

function automationStack(stack: Stack, options: OpenStackOptions): ReleaseStack {
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  return {
    name: stack.name,
    async outputs() {
      const outputs = await stack.outputs();
      return Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.value]));
    },
    setConfig: (path, value) => stack.setConfig(path, { value }, true),
    removeConfig: (path) => stack.removeConfig(path, true),
    async up(onOutput) {
      const deadline = Date.now() + (options.waitForLockMs ?? 0);
      for (;;) {
        try {
          await stack.up({ onOutput });
          return;
        } catch (err) {
          if (!isLocked(err)) throw new ReleaseError(`pulumi up failed: ${firstLine(err)}`);
          // Another run holds the stack. Wait or fail; never `pulumi cancel` someone else's update.
          if (Date.now() >= deadline) {
            throw new ReleaseError(`stack ${stack.name} is locked by another update; wait for it to finish or rerun with --wait <duration> (flipstack never cancels another run)`);
          }
          await sleep(5000);
        }
      }
    },
  };
}

function isLocked(err: unknown): boolean {
  return /currently locked|locked by \d+ lock/.test(String((err as { message?: string }).message ?? err));
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /error/i.test(l)) ?? lines[0] ?? "unknown error";
}
