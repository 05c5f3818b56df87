import { configWrites, describeWrite, readCheckoutRelease, writeConfig } from "./configWrites";
import type { ReleaseContext } from "./context";
import { formatDuration } from "./duration";
import { EXIT, ReleaseError } from "./errors";
import { serviceLedger, type ServiceLedger } from "./ledger";
import { lineSplitter } from "./progress";
import { deployedState, type ReleaseState } from "./releaseState";
import * as os from "node:os";
import { lockOwner, StackLockedError, UpFailedError } from "./workspace";

/** A plan that finds its work already done (a resumed run, or another run got there first). */
export interface Skip {
  skip: string;
}
export const skip = (reason: string): Skip => ({ skip: reason });

/**
 * What a step wants the service's release state to become, decided from the deployed ledger and the state the
 * stack runs now. Throwing refuses the step before anything is written.
 */
export type Plan = (ledger: ServiceLedger, deployed: ReleaseState) => ReleaseState | Skip;

/**
 * A check before the plan (a flip's destination has healthy targets), given the ledger and the deployed outputs it
 * was read from; throwing stops the step.
 */
export type Preflight = (ledger: ServiceLedger, outputs: Record<string, unknown>) => Promise<void>;

export async function readLedger(ctx: ReleaseContext): Promise<ServiceLedger> {
  return serviceLedger(await ctx.stack.outputs(), ctx.stack.name, ctx.service);
}

/**
 * Applies one step: reads the deployed ledger, plans the new release state from it, writes the config differences
 * (`pulumi config set --path`) and runs `pulumi up`, whose outputs are the new ledger. `preflight` checks AWS against
 * the same ledger the plan starts from. The phase the step completes
 * is part of the planned state, so it is recorded by the same `up` that makes the change.
 *
 * When another update holds the stack, this fails at once or, within `timing.lockWaitMs`, waits and plans again
 * from the ledger as it is then: the other update may have changed what is live, and the old plan could now
 * overwrite the live slot. It never cancels the other update.
 */
export async function applyRelease(ctx: ReleaseContext, step: string, plan: Plan, preflight?: Preflight): Promise<ServiceLedger> {
  const started = ctx.clock.now();
  for (;;) {
    const outputs = await ctx.stack.outputs();
    const ledger = serviceLedger(outputs, ctx.stack.name, ctx.service);
    await preflight?.(ledger, outputs);
    const checkout = await readCheckoutRelease(ctx.stack, ctx.releaseKey);
    const desired = plan(ledger, deployedState(ledger, checkout, `stack ${ctx.stack.name}, service ${ctx.service}`));
    if ("skip" in desired) {
      ctx.log(`${step}: ${desired.skip}`);
      return ledger;
    }
    const writes = configWrites(checkout, desired);
    ctx.log(`${step}: ${writes.length ? writes.map(describeWrite).join(", ") : "stack config already set"}; pulumi up`);
    await writeConfig(ctx.stack, ctx.releaseKey, writes);
    await syncReleaseConfig(ctx, outputs, { step, except: ctx.service });
    const output = lineSplitter(ctx.log);
    try {
      return serviceLedger(await ctx.stack.up((chunk) => output.write(chunk)), ctx.stack.name, ctx.service);
    } catch (err) {
      if (err instanceof UpFailedError) throw new ReleaseError(`${step}: pulumi up failed: ${err.message}`);
      if (!(err instanceof StackLockedError)) throw err;
      const dead = deadLockOwner(err.detail);
      if (dead && ctx.clearStaleLock) {
        ctx.log(`${step}: the lock of stack ${ctx.stack.name} belongs to pid ${dead.pid} on this machine, which is no longer running; clearing it (\`pulumi cancel\`)`);
        await ctx.stack.cancel();
        ctx.clearStaleLock = false;
        continue;
      }
      if (dead) throw staleLockError(ctx, step, dead.pid);
      const waited = ctx.clock.now() - started;
      if (waited >= ctx.timing.lockWaitMs) throw lockedError(ctx, step);
      ctx.log(`${step}: stack ${ctx.stack.name} is locked by another update; waiting for it (${formatDuration(ctx.timing.lockWaitMs - waited)} left)`);
      await ctx.clock.sleep(Math.min(ctx.timing.lockPollMs, ctx.timing.lockWaitMs - waited));
    } finally {
      output.flush();
    }
  }
}

/**
 * Brings the release config of every service (but `except`) to what the deployed stack runs, and says which
 * changed. An `up` applies the whole stack config, and the program refuses any service whose generation is older
 * than the deployed one: a checkout that missed another service's release (a fresh clone after a CI job that
 * failed before committing its stack file) would otherwise block this release. A service whose ledger this
 * flipstack cannot read, or that cannot say what its slots run (an older program), is left as the checkout has it.
 */
export async function syncReleaseConfig(ctx: ReleaseContext, outputs: Record<string, unknown>, options: { step: string; except?: string }): Promise<string[]> {
  const changed: string[] = [];
  const services = typeof outputs.services === "object" && outputs.services !== null ? Object.keys(outputs.services).sort() : [];
  for (const name of services.filter((s) => s !== options.except)) {
    const key = releaseKeyOf(ctx, name);
    const checkout = await readCheckoutRelease(ctx.stack, key);
    let deployed: ReleaseState;
    try {
      deployed = deployedState(serviceLedger(outputs, ctx.stack.name, name), checkout, `stack ${ctx.stack.name}, service ${name}`);
    } catch {
      continue;
    }
    const writes = configWrites(checkout, deployed);
    if (writes.length === 0) continue;
    ctx.log(`${options.step}: ${name}'s release config differs from the deployed stack; taking the deployed one: ${writes.map(describeWrite).join(", ")}`);
    await writeConfig(ctx.stack, key, writes);
    changed.push(name);
  }
  return changed;
}

/** `<project>:services.<name>.release`, beside the context's own (which names no service for stack-wide commands). */
const releaseKeyOf = (ctx: ReleaseContext, name: string) => `${ctx.releaseKey.replace(/\.[^.]*\.release$/, "")}.${name}.release`;

/**
 * The owner of a lock when it is provably dead: on this machine, and its process gone. Only then may the lock be
 * cleared: a live update elsewhere (another runner, Pulumi Cloud, which names no owner) is never cancelled.
 */
function deadLockOwner(detail: string): { pid: number } | undefined {
  const owner = lockOwner(detail);
  if (!owner || owner.host !== os.hostname()) return undefined;
  try {
    process.kill(owner.pid, 0);
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH" ? { pid: owner.pid } : undefined;
  }
}

function staleLockError(ctx: ReleaseContext, step: string, pid: number): ReleaseError {
  return new ReleaseError(
    `${step}: stack ${ctx.stack.name} is locked by pid ${pid} on this machine, which is no longer running: a \`pulumi up\` that crashed left its lock. ` +
      "Run this command again with `--clear-stale-lock` to clear that lock and continue (it is cleared only while its owner is still gone)",
    EXIT.locked,
  );
}

function lockedError(ctx: ReleaseContext, step: string): ReleaseError {
  const state = ctx.timing.lockWaitMs > 0 ? `is still locked by another update after ${formatDuration(ctx.timing.lockWaitMs)}` : "is locked by another update";
  return new ReleaseError(
    `${step}: stack ${ctx.stack.name} ${state}; let it finish, then run this command again, or add \`--wait 15m\` to wait for it ` +
      `(flipstack never cancels another update)`,
    EXIT.locked,
  );
}
