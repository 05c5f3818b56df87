import { ReleaseError } from "../errors";
import { failedRecord, type ServiceLedger } from "../ledger";
import type { ReleaseState } from "../releaseState";

/**
 * The idle slot made live: listener rules only. The generation moves past the deployed one, which is what the
 * program's stale-release guard asks of a deliberate change of the live release. A promote remembers the release
 * it replaces as `previous` (the rollback target); a rollback clears it, so that rolling back twice never returns
 * to the release that was just rolled back.
 */
export function flipped(ledger: ServiceLedger, deployed: ReleaseState, phase: "promoted" | "rolled-back"): ReleaseState {
  const target = ledger.idle;
  // Never point traffic at a slot that does not exist: there would be nothing behind the listener rule.
  if (!target || !deployed[target]) throw new ReleaseError(`there is no idle slot to flip to (live: ${ledger.live} ${ledger.liveVersion})`);
  return {
    ...deployed,
    live: target,
    generation: ledger.generation + 1,
    previous: phase === "promoted" ? deployed[ledger.live] : undefined,
    phase,
    // After a flip everyone is on one slot: a shift that led here is over.
    weight: undefined,
  };
}

/** How many rolled-back releases the stack config remembers (the newest). */
export const FAILED_KEPT = 20;

/**
 * The flip back to the previous release, recording the release that was live as failed (with why), so that no
 * retry (`release run` again, a CI rerun) and no later rollback puts it in front of users again unless named.
 */
export function rolledBack(ledger: ServiceLedger, deployed: ReleaseState, reason: string): ReleaseState {
  const next = flipped(ledger, deployed, "rolled-back");
  const failed = ledger.liveVersion === null || failedRecord(ledger, ledger.liveVersion) ? ledger.failed : [...ledger.failed, { version: ledger.liveVersion, reason }];
  return { ...next, failed: failed.slice(-FAILED_KEPT) };
}

/**
 * Whether the idle slot still holds the release that was live before, warm and once verified: the only slot an
 * automatic or listener-only rollback may send traffic to.
 */
export function idleHoldsPrevious(ledger: ServiceLedger): boolean {
  return (
    ledger.idle !== null &&
    ledger.previousVersion !== null &&
    ledger.idleVersion === ledger.previousVersion &&
    (ledger.phase === "promoted" || ledger.phase === "baked")
  );
}

/** `api: blue 2.0.0 is live`: the words messages use for a slot. */
export const liveWords = (ledger: ServiceLedger) => `${ledger.live} ${ledger.liveVersion ?? "(no release)"}`;
