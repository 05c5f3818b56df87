import { readLedger, syncReleaseConfig } from "./applyRelease";
import { DEFAULT_TIMING, type ReleaseContext, type Timing } from "./context";
import { parseCount, parseDuration } from "./duration";
import { refused } from "./errors";
import { realEnvironment, type ReleaseEnvironment } from "./environment";
import { allLedgers, liveLine } from "./ledger";
import { runPipeline } from "./pipeline";
import { renderStatus } from "./status";
import { bake } from "./steps/bake";
import { deploy, type Artefact } from "./steps/deploy";
import { promote } from "./steps/promote";
import { retire } from "./steps/retire";
import { rollback } from "./steps/rollback";
import { verify, type VerifyOptions } from "./steps/verify";

/** Every flag of every `release` subcommand, as commander hands them over (strings until parsed here). */
export interface ReleaseFlags {
  stack: string;
  service: string;
  cwd?: string;
  wait?: string;
  version?: string;
  ami?: string;
  image?: string;
  build?: boolean;
  healthTimeout?: string;
  url?: string;
  path?: string;
  expectStatus?: string;
  attempts?: string;
  backoff?: string;
  timeout?: string;
  for?: string;
  bake?: string;
  force?: boolean;
  ci?: boolean;
  retryFailed?: string;
  reason?: string;
  clearStaleLock?: boolean;
  allowCheckoutChanges?: boolean;
  takeOver?: boolean;
  schema?: string;
  schemaMinimum?: string;
}

/** The flags parsed and checked before the step starts, so that a typo changes nothing. */
export interface ReleaseOptions {
  artefact: Artefact;
  verify: VerifyOptions;
  /** `bake --for` */
  forMs: number;
  /** `run --bake` */
  bakeMs: number;
  force: boolean;
  ci: boolean;
  /** `--retry-failed`: the rolled-back release the operator names to try again. */
  retryFailed?: string;
  /** `rollback --reason` */
  reason?: string;
  /** `run --take-over`: claim the service from a run that is gone. */
  takeOver: boolean;
  timing: Timing;
}

type Action = (ctx: ReleaseContext, options: ReleaseOptions, env: ReleaseEnvironment) => Promise<unknown>;

export const ACTIONS = {
  deploy: (ctx, o) => deploy(ctx, o.artefact, { retryFailed: o.retryFailed }),
  verify: (ctx, o) => verify(ctx, o.verify),
  promote: (ctx) => promote(ctx),
  bake: (ctx, o) => bake(ctx, o.forMs),
  retire: (ctx, o) => retire(ctx, { force: o.force }),
  rollback: (ctx, o) => rollback(ctx, { ...o.verify, reason: o.reason }),
  run: (ctx, o, env) =>
    runPipeline(ctx, { artefact: o.artefact, retryFailed: o.retryFailed, takeOver: o.takeOver, bakeMs: o.bakeMs, verify: o.verify, plain: o.ci || !env.interactive, print: env.print }),
} satisfies Record<string, Action>;

export type ActionName = keyof typeof ACTIONS;

/**
 * Runs one step for one service. Every exit path once the stack is open (done, failed, refused, a mistyped flag)
 * ends with the line that says which color serves traffic now, read from the deployed stack after the step.
 */
export async function runServiceAction(name: ActionName, flags: ReleaseFlags, env: ReleaseEnvironment = realEnvironment()): Promise<void> {
  const ctx = await env.openContext(flags);
  try {
    const options = parseFlags(flags);
    ctx.timing = options.timing;
    ctx.clearStaleLock = flags.clearStaleLock ?? false;
    ctx.allowCheckoutChanges = flags.allowCheckoutChanges ?? false;
    await ACTIONS[name](ctx, options, env);
  } finally {
    env.print(await liveNow(ctx));
  }
}

async function liveNow(ctx: ReleaseContext): Promise<string> {
  try {
    return liveLine(ctx.service, await readLedger(ctx));
  } catch (err) {
    return `live: ${ctx.service} unknown (the stack's ledger could not be read: ${(err as Error).message})`;
  }
}

/** `release status`: every service of the stack. */
export async function runStatus(flags: { stack: string; cwd?: string }, env: ReleaseEnvironment = realEnvironment()): Promise<void> {
  const ctx = await env.openContext(flags);
  renderStatus(allLedgers(await ctx.stack.outputs(), ctx.stack.name)).forEach((line) => env.print(line));
}

/**
 * `release sync`: every service's release config in the stack file from the deployed stack's ledger, without an
 * `up`. What CI runs before committing the stack file on every exit path, and what a person runs in a checkout
 * that lags behind the stack.
 */
export async function runSync(flags: { stack: string; cwd?: string }, env: ReleaseEnvironment = realEnvironment()): Promise<void> {
  const ctx = await env.openContext(flags);
  ctx.log = env.print;
  const changed = await syncReleaseConfig(ctx, await ctx.stack.outputs(), { step: "sync" });
  env.print(changed.length ? `sync: stack ${ctx.stack.name}: release config of ${changed.join(", ")} taken from the deployed stack` : `sync: stack ${ctx.stack.name}: the release config already matches the deployed stack`);
}

/** `--schema` and `--schema-minimum`, whole numbers, the minimum at most the schema (it runs on its own schema). */
export function parseSchemaFlags(flags: Pick<ReleaseFlags, "schema" | "schemaMinimum">): { schema?: number; schemaMinimum?: number } {
  const whole = (text: string, flag: string) => {
    if (!/^\d{1,9}$/.test(text.trim())) throw refused(`\`${flag}\` must be a whole schema version of 0 or more, not ${JSON.stringify(text)}`);
    return Number(text);
  };
  const schema = flags.schema === undefined ? undefined : whole(flags.schema, "--schema");
  const schemaMinimum = flags.schemaMinimum === undefined ? undefined : whole(flags.schemaMinimum, "--schema-minimum");
  if (schemaMinimum !== undefined && schema === undefined) {
    throw refused(`\`--schema-minimum ${schemaMinimum}\` needs \`--schema\`: give the schema version the release migrates to as well`);
  }
  if (schemaMinimum !== undefined && schema !== undefined && schemaMinimum > schema) {
    throw refused(`\`--schema-minimum ${schemaMinimum}\` is above \`--schema ${schema}\`: a release's code runs on its own schema, so the minimum is at most ${schema}`);
  }
  return { ...(schema !== undefined && { schema }), ...(schemaMinimum !== undefined && { schemaMinimum }) };
}

/** The flags checked and turned into options, over the defaults. */
export function parseFlags(flags: ReleaseFlags): ReleaseOptions {
  const duration = (value: string | undefined, flag: string, fallback: number) => (value === undefined ? fallback : parseDuration(value, flag));
  const base = DEFAULT_TIMING;
  return {
    artefact: { version: flags.version ?? "", ami: flags.ami, image: flags.image, ...parseSchemaFlags(flags), ...(flags.build && { build: true }) },
    verify: {
      url: flags.url,
      path: flags.path,
      expectStatus: flags.expectStatus === undefined ? undefined : parseCount(flags.expectStatus, "--expect-status"),
    },
    forMs: duration(flags.for, "--for", 10 * 60_000),
    bakeMs: duration(flags.bake, "--bake", 10 * 60_000),
    force: flags.force ?? false,
    ci: flags.ci ?? false,
    retryFailed: flags.retryFailed,
    reason: flags.reason,
    takeOver: flags.takeOver ?? false,
    timing: {
      ...base,
      healthTimeoutMs: duration(flags.healthTimeout, "--health-timeout", base.healthTimeoutMs),
      lockWaitMs: duration(flags.wait, "--wait", base.lockWaitMs),
      verify: {
        ...base.verify,
        attempts: flags.attempts === undefined ? base.verify.attempts : parseCount(flags.attempts, "--attempts"),
        backoffMs: duration(flags.backoff, "--backoff", base.verify.backoffMs),
        timeoutMs: duration(flags.timeout, "--timeout", base.verify.timeoutMs),
      },
    },
  };
}
