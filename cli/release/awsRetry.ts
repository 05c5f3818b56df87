import { isServerError, isThrottlingError, isTransientError } from "@smithy/core/retry";
import type { Clock } from "./context";
import { formatDuration } from "./duration";

/** How often and how long to retry one AWS call that failed for a reason that passes (throttling, a 5xx, a reset). */
export interface RetryBounds {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

/**
 * The SDK's own retries (three attempts, within a second or two) are not enough for a step that polls for
 * minutes: a burst of `Throttling` from DescribeAlarms must not abort a bake that has users on a new release.
 */
export const AWS_RETRY: RetryBounds = { attempts: 6, baseMs: 1_000, maxMs: 20_000 };

/** Whether an AWS SDK error is worth trying again: throttling, a server error or a transient network failure. */
export function isRetryableAwsError(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const sdkError = err as Parameters<typeof isThrottlingError>[0];
  if (!("$metadata" in sdkError) && !("code" in sdkError)) return false;
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError) || (sdkError.$metadata?.httpStatusCode ?? 0) >= 500;
}

/**
 * Runs `call`, retrying retryable errors with doubling waits (from `baseMs`, capped at `maxMs`) on the release
 * clock. Any other error, or the last retryable one, is thrown, prefixed with what was being asked.
 */
export async function withAwsRetry<T>(what: string, call: () => Promise<T>, clock: Clock, log: (line: string) => void, bounds: RetryBounds = AWS_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const reason = `${(err as Error).name ?? "Error"}: ${(err as Error).message}`;
      if (!isRetryableAwsError(err)) throw new Error(`${what}: ${reason}`);
      if (attempt >= bounds.attempts) throw new Error(`${what} still failing after ${bounds.attempts} attempts: ${reason}`);
      const wait = Math.min(bounds.baseMs * 2 ** (attempt - 1), bounds.maxMs);
      log(`aws: ${what}: ${reason}; trying again in ${formatDuration(wait)}`);
      await clock.sleep(wait);
    }
  }
}
