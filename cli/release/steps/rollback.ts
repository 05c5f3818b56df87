import { applyRelease, readLedger } from "../applyRelease";
import type { ReleaseContext } from "../context";
import { ReleaseError, refused } from "../errors";
import { failedRecord, type ServiceLedger } from "../ledger";
import { planDeploy, waitForIdleHealthy } from "./deploy";
import { idleHoldsPrevious, liveWords, rolledBack } from "./flip";
import { checkBeforeFlip } from "./guards";
import { requireRunsOnSchema } from "./schemaGuard";
import { endShift } from "./shift";
import { verify, type VerifyOptions } from "./verify";

export interface RollbackOptions extends VerifyOptions {
  /** Why (`--reason`), recorded with the release rolled back from. */
  reason?: string;
}

/**
 * rollback: back to the previous release. While its slot is still there (before retire), flip the listener
 * rules back: seconds. After retire, redeploy it into the empty slot, verify it and flip to it, exactly as a
 * release would: traffic only ever moves to a slot that exists, has passed verify and has healthy targets. The
 * release rolled back from is recorded as failed, so no retry ships it again unless named.
 *
 * During a shift (some users on the new slot, the old one still live), it sets the new slot's weight back to 0.
 *
 * Running it again after a crash picks up where it stopped. After it completed it is refused: a second rollback
 * would put users back on the release that was just rolled back.
 */
export async function rollback(ctx: ReleaseContext, options: RollbackOptions = {}): Promise<ServiceLedger> {
  const ledger = await readLedger(ctx);
  if (ledger.phase === "shifting") {
    const after = await endShift(ctx, "rollback", options.reason ?? "rolled back by `release rollback` during the shift");
    ctx.log(`rollback: the shift to ${ledger.idle} ${ledger.idleVersion} is undone; everyone is on ${liveWords(after)}`);
    return after;
  }
  if (ledger.phase === "rolled-back") throw refused(rollbackAgain(ctx.service, ledger));
  if (ledger.previousVersion === null) throw refused(`${ctx.service}: no previous release is recorded (promote records one); nothing to roll back to`);
  const previous = ledger.previousVersion;
  const previousFailed = failedRecord(ledger, previous);
  if (previousFailed) throw refused(`${ctx.service}: the previous release ${previous} was itself rolled back (${previousFailed.reason}); release a fix instead`);
  const reason = options.reason ?? "rolled back by `release rollback`";
  const idleIsPrevious = ledger.idleVersion === previous;
  // A rollback moves code, never the schema: the release it returns to must run on what the migrations left.
  requireRunsOnSchema(ctx.service, ledger, ledger.previous ?? (idleIsPrevious && ledger.idle ? ledger.slots?.[ledger.idle] : undefined));
  if (idleIsPrevious && (idleHoldsPrevious(ledger) || ledger.phase === "verified")) return flipBack(ctx, previous, reason);
  if (!idleIsPrevious) await redeployPrevious(ctx, ledger);
  // The previous release is in the idle slot but not verified yet (just redeployed, or a resumed rollback).
  await waitForIdleHealthy(ctx, await readLedger(ctx));
  await verify(ctx, options);
  return flipBack(ctx, previous, reason);
}

function rollbackAgain(service: string, ledger: ServiceLedger): string {
  const last = ledger.failed.at(-1);
  const from = last ? `${last.version} (${last.reason})` : "the release before it";
  const retry = last ? `, or try ${last.version} again with \`release run --version ${last.version} ... --retry-failed ${last.version}\`` : "";
  return (
    `${service} was already rolled back: ${liveWords(ledger)} is live, rolled back from ${from}; rolling back again would put users ` +
    `back on the release that failed. Release a fix with \`release run --version <fix>\`${retry}`
  );
}

async function redeployPrevious(ctx: ReleaseContext, ledger: ServiceLedger): Promise<void> {
  ctx.log(`rollback: ${ledger.previousVersion}'s slot is gone; redeploying it into ${ledger.idle ?? "the empty slot"}`);
  await applyRelease(ctx, "rollback", (now, deployed) => {
    if (!deployed.previous) throw refused(`${ctx.service}: the previous release is no longer recorded; nothing to roll back to`);
    return planDeploy(ctx.service, now, deployed, deployed.previous, { keepRollbackTarget: false });
  });
}

async function flipBack(ctx: ReleaseContext, previous: string, reason: string): Promise<ServiceLedger> {
  const after = await applyRelease(
    ctx,
    "rollback",
    (now, deployed) => {
      const ready = now.idleVersion === previous && (idleHoldsPrevious(now) || now.phase === "verified");
      if (!ready) throw new ReleaseError(`rollback: ${ctx.service} changed while rolling back (idle: ${now.idle ?? "none"} ${now.idleVersion ?? ""}, phase ${now.phase ?? "none"}); run rollback again`);
      return rolledBack(now, deployed, reason);
    },
    (now, outputs) => checkBeforeFlip(ctx, now, "rollback", { preview: outputs }),
  );
  ctx.log(`rollback: ${ctx.service} is back on ${liveWords(after)}; ${after.failed.at(-1)?.version ?? "the release"} is recorded as failed`);
  return after;
}
