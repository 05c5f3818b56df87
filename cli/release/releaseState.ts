import { ReleaseError } from "./errors";
import type { Color, FailedRelease, MigratedSchema, Phase, ServiceLedger, SlotRelease } from "./ledger";

/** A service's `release` config (`<project>:services.<name>.release`), as the release steps write it. */
export interface ReleaseState {
  live: Color;
  generation: number;
  blue?: SlotRelease;
  green?: SlotRelease;
  /** The release that was live before the current one: what `rollback` returns to. */
  previous?: SlotRelease;
  phase?: Phase;
  /** Releases that were rolled back (version and reason), oldest first. */
  failed?: FailedRelease[];
  /** Percent of users on the idle slot during a shift; absent means 0. */
  weight?: number;
  /** The schema the database was last migrated to (written by the deploy that runs the migration). */
  migrated?: MigratedSchema;
}

export type SlotName = "blue" | "green" | "previous";
export const SLOT_FIELDS = ["version", "ami", "image", "build", "schema", "schemaMinimum"] as const;

/** The `release` config as the checkout's stack file holds it: written by people, possibly stale, loosely typed. */
export type CheckoutRelease = Record<string, unknown>;

/**
 * The release state the deployed stack runs, rebuilt from its ledger. Steps change this, never the checkout's
 * config: a checkout that lags behind the stack (a fresh clone in CI, a run that failed before committing) would
 * otherwise put an older, unverified release into a slot that is about to take traffic.
 *
 * Artefacts (AMI or image) come from the ledger; a ledger without them (an older program) is completed from the
 * checkout only where the checkout holds the same version.
 */
export function deployedState(ledger: ServiceLedger, checkout: CheckoutRelease, where: string): ReleaseState {
  const artefact = (name: SlotName, version: string | null, exported: SlotRelease | null | undefined) => {
    if (version === null) return undefined;
    if (exported && exported.version === version) return pickSlot(exported);
    const local = checkoutSlot(checkout, name);
    if (local && local.version === version) return local;
    throw new ReleaseError(
      `${where}: cannot tell which ${ledger.kind === "instances" ? "AMI" : "image"} the deployed ${name} release ${version} runs: ` +
        `the stack's ledger does not say and the stack config holds ${local ? local.version : "nothing"} there; ` +
        `set \`release.${name}\` to the deployed release in the stack config, or redeploy the stack with this flipstack's program`,
    );
  };
  return {
    live: ledger.live,
    generation: ledger.generation,
    blue: artefact("blue", ledger.versions.blue ?? null, ledger.slots?.blue),
    green: artefact("green", ledger.versions.green ?? null, ledger.slots?.green),
    previous: artefact("previous", ledger.previousVersion, ledger.previous),
    ...(ledger.phase && { phase: ledger.phase }),
    ...(ledger.failed.length > 0 && { failed: ledger.failed }),
    ...(ledger.weight > 0 && { weight: ledger.weight }),
    ...(ledger.migrated && { migrated: ledger.migrated }),
  };
}

export function checkoutSlot(checkout: CheckoutRelease, name: SlotName): SlotRelease | undefined {
  const raw = checkout[name];
  if (typeof raw !== "object" || raw === null) return undefined;
  const fields = raw as Record<string, unknown>;
  if (fields.version === undefined) return undefined;
  return pickSlot({
    version: String(fields.version),
    ami: optionalString(fields.ami),
    image: optionalString(fields.image),
    build: optionalString(fields.build),
    schema: optionalString(fields.schema),
    schemaMinimum: optionalString(fields.schemaMinimum),
  });
}

/** Only the fields a slot has, in a stable order: `{ version, ami }`, `{ version, image }` or `{ version, build }`, then the schema fields. */
function pickSlot(slot: SlotRelease): SlotRelease {
  return Object.fromEntries(SLOT_FIELDS.filter((field) => slot[field] !== undefined && slot[field] !== null).map((field) => [field, slot[field]])) as SlotRelease;
}

const optionalString = (value: unknown) => (value === undefined || value === null ? undefined : String(value));

export const sameRelease = (a: SlotRelease | undefined, b: SlotRelease | undefined) =>
  a !== undefined && b !== undefined && SLOT_FIELDS.every((field) => a[field] === b[field]);
