import { watchAlarms } from "../alarmWatch";
import { applyRelease, readLedger, skip } from "../applyRelease";
import type { ReleaseContext } from "../context";
import { formatDuration } from "../duration";
import { ReleaseError, refused } from "../errors";
import type { ServiceLedger } from "../ledger";
import { idleHoldsPrevious, liveWords, rolledBack } from "./flip";
import { checkBeforeFlip, requireLiveRuleMatches } from "./guards";

/**
 * bake: watch the live slot's alarms (and the service's extra ones) for a while after promote. Quiet: record
 * `baked`. An alarm: flip back to the previous slot at once and fail.
 */
export async function bake(ctx: ReleaseContext, durationMs: number): Promise<ServiceLedger> {
  const ledger = await readLedger(ctx);
  if (ledger.phase !== "promoted" && ledger.phase !== "baked") {
    throw refused(`${ctx.service}: nothing to bake: bake watches a release after promote (phase ${ledger.phase ?? "none"})`);
  }
  // The alarms watched are the live slot's: make sure the listener agrees which slot that is.
  await requireLiveRuleMatches(ctx, ledger, "bake");
  const alarms = [...(ledger.alarms.slots[ledger.live] ?? []), ...ledger.alarms.extra];
  ctx.log(`bake: watching ${alarms.length} alarms of ${liveWords(ledger)} for ${formatDuration(durationMs)}`);
  const firing = await watchAlarms(await ctx.aws.cloudwatch(), alarms, { durationMs, pollMs: ctx.timing.bakePollMs, clock: ctx.clock, log: ctx.log });
  if (firing.length > 0) return rollBackAfterAlarm(ctx, ledger, firing);
  return applyRelease(ctx, "bake", (now, deployed) => {
    if (now.live !== ledger.live || now.liveVersion !== ledger.liveVersion) {
      throw new ReleaseError(`bake: the live release changed during the bake (now ${liveWords(now)}); nothing recorded`);
    }
    return now.phase === "baked" ? skip(`${liveWords(now)} was already baked`) : { ...deployed, phase: "baked" };
  });
}

async function rollBackAfterAlarm(ctx: ReleaseContext, baked: ServiceLedger, firing: string[]): Promise<never> {
  const what = `bake: alarm ${firing.join(", ")} went off on ${liveWords(baked)}`;
  ctx.log(`${what}; rolling back`);
  let after: ServiceLedger;
  try {
    after = await applyRelease(
      ctx,
      "rollback",
      (now, deployed) => {
        if (!idleHoldsPrevious(now)) {
          throw new ReleaseError(`there is no previous slot to flip back to (idle: ${now.idle ?? "none"}); run \`release rollback\` to redeploy the previous release, or deploy a fix`);
        }
        return rolledBack(now, deployed, `alarm ${firing.join(", ")} during the bake`);
      },
      (now) => checkBeforeFlip(ctx, now, "rollback"),
    );
  } catch (err) {
    throw new ReleaseError(`${what}; the automatic rollback failed: ${(err as Error).message}`);
  }
  throw new ReleaseError(
    `${what}; rolled back to ${liveWords(after)}; ${baked.liveVersion} is recorded as failed and is not released again unless named (\`--retry-failed\`); ` +
      "investigate, then release a fix, or `release retire --force` the failed slot",
  );
}
