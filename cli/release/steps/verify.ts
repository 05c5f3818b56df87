import { applyRelease, readLedger, skip } from "../applyRelease";
import type { ReleaseContext } from "../context";
import { ReleaseError, refused } from "../errors";
import type { ServiceLedger } from "../ledger";
import { runSmokeTest, type SmokeTest } from "../verifyHttp";
import { liveWords } from "./flip";

/** Overrides of the smoke test the ledger describes (`smokeTest` in the service's config). */
export interface VerifyOptions {
  /** Request this URL instead of the test listener's (with its own Host header, not the service's). */
  url?: string;
  path?: string;
  expectStatus?: number;
}

/**
 * verify: smoke-test the idle slot through the test listener, then record `verified`, which is what promote asks
 * for. Nothing in AWS changes, and users stay where they are whatever the outcome.
 */
export async function verify(ctx: ReleaseContext, options: VerifyOptions = {}): Promise<ServiceLedger> {
  const ledger = await readLedger(ctx);
  if (!ledger.idle || ledger.idleVersion === null) throw refused(`${ctx.service}: there is no idle slot to verify; deploy a release first`);
  if (ledger.phase !== "deployed" && ledger.phase !== "verified") {
    throw refused(`${ctx.service}: ${ledger.idle} holds ${ledger.idleVersion}, which is not a newly deployed release (phase ${ledger.phase ?? "none"}); deploy the release to verify first`);
  }
  try {
    await runSmokeTest(smokeTestFor(ledger, options), ctx.timing.verify, ctx.clock, ctx.log);
  } catch (err) {
    throw new ReleaseError(`verify: ${ledger.idle} ${ledger.idleVersion}: ${(err as Error).message}; users stay on ${liveWords(ledger)}, and promote is refused until verify passes`);
  }
  return applyRelease(ctx, "verify", (now, deployed) => {
    // The slot must still hold what was just tested: another release may have replaced it meanwhile.
    if (now.idle !== ledger.idle || now.idleVersion !== ledger.idleVersion) {
      throw new ReleaseError(`verify: ${ctx.service}'s idle slot changed while it was being tested (now ${now.idle ?? "none"} ${now.idleVersion ?? ""}); verify again`);
    }
    return now.phase === "verified" ? skip(`${now.idleVersion} was already verified`) : { ...deployed, phase: "verified" };
  });
}

export function smokeTestFor(ledger: ServiceLedger, options: VerifyOptions): SmokeTest {
  const base = options.url ?? ledger.urls.test;
  const path = options.path ?? (options.url ? undefined : ledger.smokeTest.path);
  return {
    url: path ? new URL(path, base).toString() : base,
    host: options.url ? undefined : (ledger.testHost ?? undefined),
    expectStatus: options.expectStatus ?? ledger.smokeTest.expectStatus,
    version: ledger.idleVersion ?? "",
    versionHeader: ledger.smokeTest.versionHeader,
  };
}
