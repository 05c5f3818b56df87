import * as os from "node:os";
import type { ReleaseContext } from "./context";
import { formatDuration } from "./duration";
import { refused } from "./errors";
import { pulumiErrorLine } from "./workspace";

/** How long a run's claim on a service holds when its run never cleared it (a crash): longer than any run takes. */
export const LEASE_TTL_MS = 3 * 60 * 60 * 1000;

/** A `release run` in progress on one service, kept as a stack tag so every checkout and runner sees it. */
export interface Lease {
  version: string;
  by: string;
  /** When the run started, ms since the epoch. */
  since: number;
}

/** The stack tag of a service's lease: `flipstack:release:api` (Pulumi allows 40 characters; service names 20). */
export const leaseTag = (service: string) => `flipstack:release:${service}`;

// Tag values stay plain (no JSON): `<version> <user@host> <ISO time>`; none of the three holds a space.
const formatLease = (lease: Lease) => `${lease.version} ${lease.by} ${new Date(lease.since).toISOString()}`;
export function parseLease(value: string | undefined): Lease | undefined {
  const [version, by, since] = value?.trim().split(" ") ?? [];
  const at = Date.parse(since ?? "");
  return version && by && Number.isFinite(at) ? { version, by, since: at } : undefined;
}

/**
 * Claims the service for a `release run` of `version` before anything changes. Another run's live claim (another
 * version, younger than {@link LEASE_TTL_MS}) refuses this one at its start, instead of letting it replace the
 * other's idle slot half-way through. The same version resumes (a CI retry); `takeOver` claims it anyway. A backend
 * without stack tags is said once and not guarded.
 */
export async function claimService(ctx: ReleaseContext, version: string, options: { takeOver?: boolean } = {}): Promise<() => Promise<void>> {
  const tag = leaseTag(ctx.service);
  let current: Lease | undefined;
  try {
    current = parseLease(await ctx.stack.getTag(tag));
  } catch (err) {
    ctx.log(`run: stack tags are not available on this backend (${pulumiErrorLine(err)}); a second release of ${ctx.service} started meanwhile is not refused at its start`);
    return async () => undefined;
  }
  const now = ctx.clock.now();
  if (current && current.version !== version) {
    const age = now - current.since;
    if (age < LEASE_TTL_MS && !options.takeOver) {
      throw refused(
        `${ctx.service}: another release is in progress: ${current.version}, started by ${current.by} ${formatDuration(Math.max(0, age))} ago (stack tag ${tag}); ` +
          "nothing was changed. Wait for it to finish, or, if that run is gone, run again with `--take-over`",
      );
    }
    ctx.log(`run: taking over ${ctx.service} from ${current.version} (${current.by}, ${age >= LEASE_TTL_MS ? "older than" : "--take-over, within"} ${formatDuration(LEASE_TTL_MS)})`);
  }
  const mine: Lease = { version, by: `${os.userInfo().username}@${os.hostname()}`, since: current?.version === version ? current.since : now };
  await ctx.stack.setTag(tag, formatLease(mine));
  // Cleared when the run ends, however it ends: a run that failed is no longer in progress.
  return async () => {
    if (parseLease(await ctx.stack.getTag(tag).catch(() => undefined))?.version === version) await ctx.stack.removeTag(tag);
  };
}
