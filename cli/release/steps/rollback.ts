import { applyRelease, readLedger } from "../applyRelease";
import type { ReleaseContext } from "../context";
import { ReleaseError, refused } from "../errors";
import type { ServiceLedger } from "../ledger";
import { planDeploy, waitForIdleHealthy } from "./deploy";
import { flipped, idleHoldsPrevious, liveWords } from "./flip";
import { endShift } from "./shift";
import { verify, type VerifyOptions } from "./verify";

/**
 * rollback: back to the previous release. While its slot is still there (before retire), flip the listener
 * rules back: seconds. After retire, redeploy it into the empty slot, verify it and flip to it, exactly as a
 * release would: traffic only ever moves to a slot that exists and has passed verify.
 *
 * During a shift (some users on the new slot, the old one still live), it sets the new slot's weight back to 0.
 *
 * Running it again after a crash picks up where it stopped; after it completed, it does nothing.
 */
export async function rollback(ctx: ReleaseContext, options: VerifyOptions = {}): Promise<ServiceLedger> {
  const ledger = await readLedger(ctx);
  if (ledger.phase === "shifting") {
    const after = await endShift(ctx, "rollback");
    ctx.log(`rollback: the shift to ${ledger.idle} ${ledger.idleVersion} is undone; everyone is on ${liveWords(after)}`);
    return after;
  }
  if (ledger.phase === "rolled-back") {
    ctx.log(`rollback: ${ctx.service} was already rolled back; ${liveWords(ledger)} is live`);
    return ledger;
  }
  if (ledger.previousVersion === null) throw refused(`${ctx.service}: no previous release is recorded (promote records one); nothing to roll back to`);
  const previous = ledger.previousVersion;
  const idleIsPrevious = ledger.idleVersion === previous;
  if (idleIsPrevious && (idleHoldsPrevious(ledger) || ledger.phase === "verified")) return flipBack(ctx, previous);
  if (!idleIsPrevious) await redeployPrevious(ctx, ledger);
  // The previous release is in the idle slot but not verified yet (just redeployed, or a resumed rollback).
  await waitForIdleHealthy(ctx, await readLedger(ctx));
  await verify(ctx, options);
  return flipBack(ctx, previous);
}

async function redeployPrevious(ctx: ReleaseContext, ledger: ServiceLedger): Promise<void> {
  ctx.log(`rollback: ${ledger.previousVersion}'s slot is gone; redeploying it into ${ledger.idle ?? "the empty slot"}`);
  await applyRelease(ctx, "rollback", (now, deployed) => {
    if (!deployed.previous) throw refused(`${ctx.service}: the previous release is no longer recorded; nothing to roll back to`);
    return planDeploy(ctx.service, now, deployed, deployed.previous, { keepRollbackTarget: false });
  });
}

async function flipBack(ctx: ReleaseContext, previous: string): Promise<ServiceLedger> {
  const after = await applyRelease(ctx, "rollback", (now, deployed) => {
    const ready = now.idleVersion === previous && (idleHoldsPrevious(now) || now.phase === "verified");
    if (!ready) throw new ReleaseError(`rollback: ${ctx.service} changed while rolling back (idle: ${now.idle ?? "none"} ${now.idleVersion ?? ""}, phase ${now.phase ?? "none"}); run rollback again`);
    return flipped(now, deployed, "rolled-back");
  });
  ctx.log(`rollback: ${ctx.service} is back on ${liveWords(after)}`);
  return after;
}

