import { ConcurrentUpdateError, LocalWorkspace, PulumiCommand, Stack, StackNotFoundError, type OutputMap } from "@pulumi/pulumi/automation";
import { EXIT, refused, ReleaseError } from "./errors";

/** What the release steps need from a deployed stack: the Automation API behind a small, fakeable surface. */
export interface ReleaseStack {
  readonly name: string;
  /** The deployed stack's outputs (`pulumi stack output --json --show-secrets`), plain values. */
  outputs(): Promise<Record<string, unknown>>;
  /** A config value by path (`pulumi config get --path`), objects parsed; `undefined` when the key is absent. */
  getConfigObject(key: string): Promise<unknown>;
  /** `pulumi config set --path <key> <value>` (plaintext). */
  setConfig(key: string, value: string): Promise<void>;
  /** `pulumi config rm --path <key>`. */
  removeConfig(key: string): Promise<void>;
  /** `pulumi up`, streaming its output; resolves to the new outputs. Rejects with StackLockedError or UpFailedError. */
  up(onOutput: (chunk: string) => void): Promise<Record<string, unknown>>;
  /** `pulumi cancel`: only ever for a lock whose owner is known to be dead (`--clear-stale-lock`). */
  cancel(): Promise<void>;
  /** `pulumi preview`: what an `up` of the checkout would change. Rejects like `up` (StackLockedError, UpFailedError). */
  preview(): Promise<PlannedChange[]>;
  /** `pulumi stack tag get`; `undefined` when the stack has no such tag. */
  getTag(key: string): Promise<string | undefined>;
  /** `pulumi stack tag set`. */
  setTag(key: string, value: string): Promise<void>;
  /** `pulumi stack tag rm`. */
  removeTag(key: string): Promise<void>;
}

/** One resource a preview would create, update, replace or delete (engine event `resourcePreEvent`). */
export interface PlannedChange {
  op: string;
  urn: string;
  type: string;
  /** A provider's resource (not a component, whose inputs move with the release state it is given). */
  custom: boolean;
}

/** Another update holds the stack's lock; `detail` is the CLI's whole error, which names a lock file's owner. */
export class StackLockedError extends Error {
  constructor(readonly detail: string) {
    super(pulumiErrorLine(detail));
    this.name = "StackLockedError";
  }
}

/** `pulumi up` failed; `message` is the error line that explains why. */
export class UpFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UpFailedError";
  }
}

export const PULUMI_MISSING =
  "the release commands need the Pulumi CLI, which is not on PATH: install it with `curl -fsSL https://get.pulumi.com | sh` " +
  "(or see https://www.pulumi.com/docs/install/) and run the command again; nothing was changed";

/**
 * The Pulumi CLI, checked before anything else happens: without it no release command can read the stack, so each
 * stops at once with one line instead of a stack trace from deep inside the SDK.
 */
export async function requirePulumi(root?: string): Promise<PulumiCommand> {
  try {
    return await PulumiCommand.get({ root });
  } catch (err) {
    const reason = pulumiErrorLine(err);
    if (/ENOENT|not found/i.test(reason)) throw new ReleaseError(PULUMI_MISSING, EXIT.noPulumi);
    throw new ReleaseError(`the release commands cannot use the Pulumi CLI: ${reason}; nothing was changed`, EXIT.noPulumi);
  }
}

export interface OpenStackOptions {
  /** Folder of the Pulumi project (with Pulumi.yaml). */
  workDir: string;
  stack: string;
  pulumi: PulumiCommand;
  /** Extra environment for every CLI invocation. */
  envVars?: Record<string, string>;
}

/** Selects the stack through the Automation API (`LocalWorkspace` on the project folder). */
export async function openStack(options: OpenStackOptions): Promise<ReleaseStack> {
  const workspace = await LocalWorkspace.create({ workDir: options.workDir, pulumiCommand: options.pulumi, envVars: options.envVars });
  try {
    return automationStack(await Stack.select(options.stack, workspace));
  } catch (err) {
    if (err instanceof StackNotFoundError) {
      throw refused(`there is no stack ${options.stack} in the current Pulumi backend; check \`pulumi whoami\` and \`pulumi stack ls\``);
    }
    throw new ReleaseError(`cannot select stack ${options.stack}: ${pulumiErrorLine(err)}`);
  }
}

function automationStack(stack: Stack): ReleaseStack {
  return {
    name: stack.name,
    outputs: async () => plainOutputs(await stack.outputs()),
    async getConfigObject(key) {
      try {
        const value = (await stack.getConfig(key, true)) as { value?: string; objectValue?: unknown };
        return value.objectValue ?? value.value;
      } catch (err) {
        if (/configuration key .* not found/.test(pulumiErrorLine(err))) return undefined;
        throw err;
      }
    },
    setConfig: (key, value) => stack.setConfig(key, { value }, true),
    async getTag(key) {
      try {
        return await stack.workspace.getTag(stack.name, key);
      } catch (err) {
        if (/not found/i.test(pulumiErrorLine(err))) return undefined;
        throw err;
      }
    },
    setTag: (key, value) => stack.workspace.setTag(stack.name, key, value),
    removeTag: (key) => stack.workspace.removeTag(stack.name, key),
    cancel: () => stack.cancel(),
    removeConfig: (key) => stack.removeConfig(key, true),
    async up(onOutput) {
      try {
        return plainOutputs((await stack.up({ onOutput })).outputs);
      } catch (err) {
        throw updateError(err);
      }
    },
    async preview() {
      const changes: PlannedChange[] = [];
      try {
        await stack.preview({
          onEvent: (event) => {
            const step = event.resourcePreEvent?.metadata;
            if (!step || step.op === "same" || step.op === "read") return;
            changes.push({ op: step.op, urn: step.urn, type: step.type, custom: (step.new ?? step.old)?.custom ?? true });
          },
        });
      } catch (err) {
        throw updateError(err);
      }
      return changes;
    },
  };
}

function updateError(err: unknown): Error {
  // The whole CLI error, not only its first line: the lock's owner is named on the line after it.
  if (err instanceof ConcurrentUpdateError || isConcurrentUpdate(err)) return new StackLockedError(err instanceof Error ? err.message : String(err));
  return new UpFailedError(pulumiErrorLine(err));
}

/**
 * Every backend's way of saying another update holds the stack: the DIY backends' lock file, and Pulumi Cloud's
 * `[409] Conflict` in whatever words follow it (the SDK's own check knows one exact sentence).
 */
const CONCURRENT_UPDATE = /\[409\] Conflict|another update is currently in progress|the stack is currently locked by|is currently being updated/i;
export const isConcurrentUpdate = (err: unknown) => CONCURRENT_UPDATE.test(err instanceof Error ? err.message : String(err));

/** Who holds a DIY backend's lock, from its error: `created by ci@runner-7 (pid 4242)`. Pulumi Cloud says nothing of it. */
export function lockOwner(detail: string): { user: string; host: string; pid: number } | undefined {
  const match = /created by ([^@\s]+)@(\S+) \(pid (\d+)\)/.exec(detail);
  return match ? { user: match[1], host: match[2], pid: Number(match[3]) } : undefined;
}

const plainOutputs = (outputs: OutputMap) => Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.value as unknown]));

/**
 * The line of a CLI failure that says what went wrong. The SDK's error message is the whole command result
 * (`code: 255\n stdout: ...\n stderr: ...`); the first `error:` line is the cause, and a list right below it
 * (such as the program's config problems) is folded into the same line.
 */
export function pulumiErrorLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text.split("\n").map((l) => l.replace(/^\s*(stdout|stderr|err\?):\s*/, "").trim());
  const at = lines.findIndex((l) => /\berror:/i.test(l) && !/error:\s*update failed$/i.test(l));
  if (at < 0) return lines.find((l) => l && !/^code:/.test(l)) ?? "unknown error";
  const list = [];
  for (let i = at + 1; i < lines.length && lines[i].startsWith("- "); i++) list.push(lines[i].slice(2));
  const line = lines[at].replace(/^.*?\berror:\s*/i, "");
  return list.length ? `${line} ${list.join("; ")}` : line;
}
