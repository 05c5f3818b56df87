import type { FailedRelease, MigratedSchema } from "./ledger";
import { checkoutSlot, SLOT_FIELDS, type CheckoutRelease, type ReleaseState, type SlotName } from "./releaseState";
import type { ReleaseStack } from "./workspace";

/** One `pulumi config set --path` or `pulumi config rm --path`, relative to the service's `release` key. */
export type ConfigWrite = { op: "set"; path: string; value: string } | { op: "rm"; path: string };

/**
 * The fewest config writes that turn the checkout's `release` config into `desired`, in a stable order (slots,
 * then `live`, `generation` and `weight`, then `previous`, then `phase`, then `failed`), so that every step's calls are
 * predictable.
 */
export function configWrites(checkout: CheckoutRelease, desired: ReleaseState): ConfigWrite[] {
  const scalar = (path: "live" | "generation" | "weight" | "phase", value: string | number | undefined): ConfigWrite[] => {
    const current = checkout[path];
    if (value === undefined) return current === undefined ? [] : [{ op: "rm", path }];
    return current !== undefined && String(current) === String(value) ? [] : [{ op: "set", path, value: String(value) }];
  };
  const slot = (name: SlotName): ConfigWrite[] => {
    const current = checkoutSlot(checkout, name);
    const wanted = desired[name];
    if (!wanted) return checkout[name] === undefined ? [] : [{ op: "rm", path: name }];
    return SLOT_FIELDS.flatMap((field): ConfigWrite[] => {
      const value = wanted[field];
      const path = `${name}.${field}`;
      if (value === undefined) return current?.[field] === undefined ? [] : [{ op: "rm", path }];
      return current?.[field] === value ? [] : [{ op: "set", path, value }];
    });
  };
  return [
    ...slot("blue"),
    ...slot("green"),
    ...scalar("live", desired.live),
    ...scalar("generation", desired.generation),
    ...scalar("weight", desired.weight),
    ...slot("previous"),
    ...scalar("phase", desired.phase),
    ...failedWrites(checkoutFailed(checkout), desired.failed ?? []),
    ...migratedWrites(checkout.migrated, desired.migrated),
  ];
}

/** The database's schema record: only ever written whole by a deploy, so any difference rewrites its fields. */
function migratedWrites(current: unknown, wanted: MigratedSchema | undefined): ConfigWrite[] {
  const fields = (typeof current === "object" && current !== null ? current : {}) as Record<string, unknown>;
  if (!wanted) return current === undefined ? [] : [{ op: "rm", path: "migrated" }];
  return (["schema", "minimum", "version"] as const)
    .filter((field) => fields[field] === undefined || String(fields[field]) !== String(wanted[field]))
    .map((field) => ({ op: "set", path: `migrated.${field}`, value: String(wanted[field]) }));
}

/**
 * The record of rolled-back releases only grows, one `failed[<n>]` at a time; a record that shrank (a release
 * retried with `--retry-failed`) is written again whole, since `config rm --path` of one list element is not
 * something every Pulumi CLI does the same way.
 */
function failedWrites(current: FailedRelease[], wanted: FailedRelease[]): ConfigWrite[] {
  const same = (a: FailedRelease | undefined, b: FailedRelease) => a !== undefined && a.version === b.version && a.reason === b.reason;
  const entry = (release: FailedRelease, at: number): ConfigWrite[] => [
    { op: "set", path: `failed[${at}].version`, value: release.version },
    { op: "set", path: `failed[${at}].reason`, value: release.reason },
  ];
  if (current.length === wanted.length && wanted.every((release, at) => same(current[at], release))) return [];
  if (current.length < wanted.length && current.every((release, at) => same(release, wanted[at]))) {
    return wanted.slice(current.length).flatMap((release, i) => entry(release, current.length + i));
  }
  return [...(current.length > 0 ? [{ op: "rm" as const, path: "failed" }] : []), ...wanted.flatMap(entry)];
}

function checkoutFailed(checkout: CheckoutRelease): FailedRelease[] {
  const raw = checkout.failed;
  if (!Array.isArray(raw)) return [];
  return raw.map((entry: { version?: unknown; reason?: unknown } | null) => ({ version: String(entry?.version ?? ""), reason: String(entry?.reason ?? "") }));
}

/** The checkout's `release` config of a service (`{}` when the stack file has none). */
export async function readCheckoutRelease(stack: ReleaseStack, releaseKey: string): Promise<CheckoutRelease> {
  const value = await stack.getConfigObject(releaseKey);
  return typeof value === "object" && value !== null ? (value as CheckoutRelease) : {};
}

/** Applies the writes with the Automation API, one `config set --path` / `config rm --path` each. */
export async function writeConfig(stack: ReleaseStack, releaseKey: string, writes: readonly ConfigWrite[]): Promise<void> {
  for (const write of writes) {
    const key = `${releaseKey}.${write.path}`;
    if (write.op === "set") await stack.setConfig(key, write.value);
    else await stack.removeConfig(key);
  }
}

/** `set blue.version=2.0.0`, `rm green`: how writes appear in logs and tests. */
export const describeWrite = (write: ConfigWrite) => (write.op === "set" ? `set ${write.path}=${write.value}` : `rm ${write.path}`);
