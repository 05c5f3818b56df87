import { applyRelease, skip, type Skip } from "../applyRelease";
import type { ReleaseContext } from "../context";
import { refused } from "../errors";
import type { ServiceLedger } from "../ledger";
import type { ReleaseState } from "../releaseState";
import { flipped, liveWords } from "./flip";

/** promote: the verified idle slot becomes live (listener rules only); the release it replaces becomes `previous`. */
export async function promote(ctx: ReleaseContext): Promise<ServiceLedger> {
  return applyRelease(ctx, "promote", (ledger, deployed) => planPromote(ctx.service, ledger, deployed));
}

export function planPromote(service: string, ledger: ServiceLedger, deployed: ReleaseState): ReleaseState | Skip {
  if (ledger.phase === "promoted" || ledger.phase === "baked") return skip(`${liveWords(ledger)} is already promoted (phase ${ledger.phase})`);
  // Only a release that passed verify may take traffic.
  if (!ledger.idle || ledger.phase !== "verified") {
    const idle = ledger.idle ? `${ledger.idle} (${ledger.idleVersion})` : "the idle slot (empty)";
    throw refused(`${service}: ${idle} has not passed verify (phase ${ledger.phase ?? "none"}); run \`release verify\` first`);
  }
  return flipped(ledger, deployed, "promoted");
}
