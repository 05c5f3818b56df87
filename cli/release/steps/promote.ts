import { applyRelease, readLedger, skip, type Skip } from "../applyRelease";
import type { ReleaseContext } from "../context";
import { refused } from "../errors";
import { failedRecord, type ServiceLedger } from "../ledger";
import type { ReleaseState } from "../releaseState";
import { flipped, liveWords } from "./flip";
import { checkBeforeFlip } from "./guards";
import { shiftsGradually, shiftTraffic } from "./shift";

/**
 * promote: the verified idle slot becomes live (listener rules only); the release it replaces becomes `previous`.
 * A service with a canary or linear `shift` gets there in steps (see {@link shiftTraffic}).
 */
export async function promote(ctx: ReleaseContext): Promise<ServiceLedger> {
  const flip = () =>
    applyRelease(
      ctx,
      "promote",
      (ledger, deployed) => planPromote(ctx.service, ledger, deployed),
      async (ledger, outputs) => {
        if (ledger.phase === "verified") await checkBeforeFlip(ctx, ledger, "promote", { preview: outputs });
      },
    );
  const ledger = await readLedger(ctx);
  return shiftsGradually(ledger) ? shiftTraffic(ctx, ledger, flip) : flip();
}


export function planPromote(service: string, ledger: ServiceLedger, deployed: ReleaseState): ReleaseState | Skip {
  if (ledger.phase === "promoted" || ledger.phase === "baked") return skip(`${liveWords(ledger)} is already promoted (phase ${ledger.phase})`);
  // Only a release that passed verify may take traffic (a shift under way took some of it after verify).
  if (!ledger.idle || (ledger.phase !== "verified" && ledger.phase !== "shifting")) {
    const idle = ledger.idle ? `${ledger.idle} (${ledger.idleVersion})` : "the idle slot (empty)";
    throw refused(`${service}: ${idle} has not passed verify (phase ${ledger.phase ?? "none"}); run \`release verify\` first`);
  }
  // Deploy refuses a failed release unless named, and a named retry clears its record: one still here was put back
  // by hand into the stack config.
  const failed = failedRecord(ledger, ledger.idleVersion);
  if (failed) throw refused(`${service}: ${ledger.idle} holds ${failed.version}, which was rolled back (${failed.reason}); deploy it with \`--retry-failed ${failed.version}\` to try it again`);
  return flipped(ledger, deployed, "promoted");
}
