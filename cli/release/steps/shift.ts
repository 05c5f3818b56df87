import { stepsAfter } from "../../../components/trafficShift";
import { watchAlarms } from "../alarmWatch";
import { applyRelease, skip, type Skip } from "../applyRelease";
import type { ReleaseContext } from "../context";
import { formatDuration } from "../duration";
import { ReleaseError, refused } from "../errors";
import { failedRecord, type Color, type ServiceLedger } from "../ledger";
import type { ReleaseState } from "../releaseState";
import { FAILED_KEPT, liveWords } from "./flip";

/** Whether promote walks steps for this ledger: a verified release of a canary or linear service, or a shift under way. */
export const shiftsGradually = (ledger: ServiceLedger) =>
  ledger.phase === "shifting" || (ledger.phase === "verified" && ledger.shift.steps.length > 1);

/** The slot and release a shift moves users to: fixed when it starts, checked before every step. */
interface ShiftTarget {
  idle: Color;
  version: string;
}

/**
 * promote, step by step: each step below 100% is one `pulumi up` that changes the production rule's weights
 * (listener rules only), then a watch of the new slot's alarms and the service's extra ones for the step's
 * duration. On ALARM the new slot's weight goes back to 0 at once and the command fails. The last step is the
 * ordinary flip (`promoted`), after which `bake` and `retire` go on as usual.
 *
 * Each step records its weight (phase `shifting`) in the same `up`, so the same command after a crash watches the
 * recorded step again (its watch may not have finished) and goes on from there without repeating an `up`.
 *
 * @param start the ledger, phase `verified` or `shifting` ({@link shiftsGradually})
 * @param finish the flip that ends the shift (promote's own plan)
 */
export async function shiftTraffic(ctx: ReleaseContext, start: ServiceLedger, finish: () => Promise<ServiceLedger>): Promise<ServiceLedger> {
  if (!start.idle || start.idleVersion === null) throw refused(`${ctx.service}: there is no idle slot to shift traffic to; deploy and verify a release first`);
  const target: ShiftTarget = { idle: start.idle, version: start.idleVersion };
  if (start.phase === "shifting" && start.weight > 0) {
    ctx.log(`promote: resuming the shift of ${ctx.service} at ${start.weight}% (${stepLabel(start, start.weight)}); watching that step again`);
    await watchStep(ctx, start);
  }
  let ledger = start;
  for (const percent of stepsAfter(start.shift, start.weight)) {
    if (percent === 100) return finish();
    ledger = await applyRelease(ctx, `promote ${percent}%`, (now, deployed) => planShiftStep(ctx.service, now, deployed, percent, target));
    await watchStep(ctx, ledger);
  }
  return ledger;
}

/** One step of a shift: `percent` of users to the idle slot, a new generation (the stale-release guard asks for one). */
export function planShiftStep(service: string, ledger: ServiceLedger, deployed: ReleaseState, percent: number, target: ShiftTarget): ReleaseState | Skip {
  if (ledger.idle !== target.idle || ledger.idleVersion !== target.version) {
    throw new ReleaseError(`promote: ${service}'s idle slot changed during the shift (now ${ledger.idle ?? "none"} ${ledger.idleVersion ?? ""}); nothing changed, run promote again`);
  }
  if (ledger.phase === "shifting" && ledger.weight >= percent) return skip(`${ledger.weight}% of users are already on ${target.idle} ${target.version}`);
  if (ledger.phase !== "verified" && ledger.phase !== "shifting") {
    throw new ReleaseError(`promote: ${service} left the shift (phase ${ledger.phase ?? "none"}, another command ran); nothing changed`);
  }
  return { ...deployed, weight: percent, generation: ledger.generation + 1, phase: "shifting" };
}

/** Watches the new slot for one step; on ALARM sends everyone back to the live slot and fails. */
async function watchStep(ctx: ReleaseContext, ledger: ServiceLedger): Promise<void> {
  const idle = ledger.idle!;
  const alarms = [...(ledger.alarms.slots[idle] ?? []), ...ledger.alarms.extra];
  const durationMs = ledger.shift.stepSeconds * 1000;
  ctx.log(`promote: ${ledger.weight}% of users on ${idle} ${ledger.idleVersion} (${stepLabel(ledger, ledger.weight)}); watching ${alarms.length} alarms for ${formatDuration(durationMs)}`);
  const firing = await watchAlarms(await ctx.aws.cloudwatch(), alarms, { durationMs, pollMs: ctx.timing.bakePollMs, clock: ctx.clock, log: ctx.log, label: "promote" });
  if (firing.length === 0) return;
  const what = `promote: alarm ${firing.join(", ")} went off with ${ledger.weight}% of users on ${idle} ${ledger.idleVersion}`;
  ctx.log(`${what}; sending them back to ${liveWords(ledger)}`);
  let after: ServiceLedger;
  try {
    after = await endShift(ctx, "rollback", `alarm ${firing.join(", ")} during the shift`);
  } catch (err) {
    throw new ReleaseError(`${what}; returning them to ${liveWords(ledger)} failed: ${(err as Error).message}`);
  }
  throw new ReleaseError(`${what}; all users are back on ${liveWords(after)} (phase rolled-back); investigate, then deploy a fix or \`release retire --force\` the failed slot`);
}

/**
 * Every user back on the live slot (weight 0, phase `rolled-back`): the rollback of a shift, listener rules only.
 * What an alarm during a step does, and what `release rollback` does while a shift is under way.
 */
export async function endShift(ctx: ReleaseContext, step: string, reason: string): Promise<ServiceLedger> {
  return applyRelease(ctx, step, (now, deployed) => {
    if (now.phase !== "shifting") return skip(`${ctx.service} is not shifting (phase ${now.phase ?? "none"}); ${liveWords(now)} serves everyone`);
    // The release shifted to is recorded as failed, like one rolled back after its promote: no retry ships it again.
    const version = now.idleVersion;
    const failed = version === null || failedRecord(now, version) ? now.failed : [...now.failed, { version, reason }];
    return { ...deployed, weight: undefined, generation: now.generation + 1, phase: "rolled-back", failed: failed.slice(-FAILED_KEPT) };
  });
}

/** `step 2 of 4`: where a weight stands among the service's steps. */
function stepLabel(ledger: ServiceLedger, weight: number): string {
  const steps = ledger.shift.steps;
  const at = steps.indexOf(weight);
  return at < 0 ? `between steps of ${steps.join("/")}%` : `step ${at + 1} of ${steps.length}`;
}
