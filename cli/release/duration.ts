import { refused } from "./errors";

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * `90s`, `10m`, `1h30m`, `250ms` (or `0`) in milliseconds. A unit is required: a bare `600` could mean seconds or
 * milliseconds, and guessing wrong bakes a release for ten minutes or for half a second.
 */
export function parseDuration(text: string, flag: string): number {
  const trimmed = text.trim();
  if (trimmed === "0") return 0;
  const parts = [...trimmed.matchAll(/(\d+)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== trimmed) {
    throw refused(`\`${flag}\` ${JSON.stringify(text)} is not a duration; use a number with a unit, such as 90s, 10m or 1h30m`);
  }
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * UNITS[unit as keyof typeof UNITS], 0);
}

/** `0.4 s`, `12.0 s`, `3m 05s`: elapsed times in progress lines. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, "0")}s`;
}

export function parseCount(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw refused(`\`${flag}\` must be a whole number of at least 1, not ${JSON.stringify(text)}`);
  return n;
}
