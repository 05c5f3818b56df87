import { applyRelease, skip, type Skip } from "../applyRelease";
import type { ReleaseContext } from "../context";
import { ReleaseError, refused } from "../errors";
import { otherColor, type ServiceLedger } from "../ledger";
import type { ReleaseState } from "../releaseState";
import { liveWords } from "./flip";

/** retire: remove the idle (old) slot after a clean bake; `pulumi up` deletes its compute and target group. */
export async function retire(ctx: ReleaseContext, options: { force?: boolean } = {}): Promise<ServiceLedger> {
  return applyRelease(ctx, "retire", (ledger, deployed) => planRetire(ctx.service, ledger, deployed, options.force ?? false));
}

export function planRetire(service: string, ledger: ServiceLedger, deployed: ReleaseState, force: boolean): ReleaseState | Skip {
  if (!ledger.idle) return skip(`${service} has no idle slot; only ${liveWords(ledger)} runs`);
  // Never with users on it, not even forced: the shift must be undone first.
  if (ledger.phase === "shifting") {
    throw refused(`${service}: ${ledger.weight}% of users are on ${ledger.idle} ${ledger.idleVersion} (a shift under way); run \`release rollback\` first`);
  }
  if (ledger.phase !== "baked" && !force) {
    throw refused(
      `${service}: ${ledger.idle} (${ledger.idleVersion}) is the way back until ${liveWords(ledger)} has baked (phase ${ledger.phase ?? "none"}); ` +
        "run `release bake` first, or pass `--force`",
    );
  }
  // The slot to remove is derived from the deployed live color, never from the checkout or a flag.
  const idle = otherColor(ledger.live);
  const next: ReleaseState = { ...deployed, [idle]: undefined, phase: "retired" };
  if (!next[next.live]) throw new ReleaseError(`retire: refusing a change that would remove the live slot ${ledger.live}`);
  return next;
}
