/**
 * The release model, written once: the two slots, what a slot holds, which one is live, where a release stands,
 * and the ledger every reader derives from it. The component builds from it, the stack exports its ledger through
 * {@link releaseLedger}, the release command and the plan's status read it back, and the test fake of `pulumi`
 * runs the same code, so none of them can drift from the program.
 *
 * Pure data and functions: no Pulumi resources, so plain Node (the fake, the CLI) can load it cheaply.
 */
import type { Input } from "@pulumi/pulumi";

/** The two slots of a blue/green service. */
export const COLORS = ["blue", "green"] as const;
export type Color = (typeof COLORS)[number];

/** One release in one slot: a version and the artefact built for it. */
export interface Release {
  /** Release id: a version or commit SHA. Part of the compute's logical names. */
  readonly version: string;
  /** AMI of the release, for `kind: instances`. @default none (required for instances) */
  readonly ami?: string;
  /**
   * Image pinned by tag or digest, for `kind: containers`; an output when the image is built in the same update
   * (its digest). @default none (required for containers)
   */
  readonly image?: Input<string>;
  /** The database schema version the release's migration moves to (see {@link SchemaRecord}). @default not declared */
  readonly schema?: number;
  /** The oldest schema version the release's code runs on; at most `schema`. @default `schema` */
  readonly schemaMinimum?: number;
}

/** Which slot serves users, and what each present slot holds. At most two slots, by construction. */
export interface ReleaseState {
  /** The slot users reach; it must hold a release. */
  readonly live: Color;
  /** The blue slot's release. @default empty slot */
  readonly blue?: Release;
  /** The green slot's release. @default empty slot */
  readonly green?: Release;
  /**
   * Percent of users (0–99) the idle slot gets while traffic shifts to it; the live slot keeps the rest. Written by
   * `flipstack release promote` step by step; 0 (or absent) sends everyone to the live slot. @default 0
   */
  readonly weight?: number;
}

/** Where a release stands, as `release.phase` in config and `phase` in the ledger; written by `flipstack release`. */
export const RELEASE_PHASES = ["deployed", "verified", "promoted", "baked", "retired", "rolled-back", "shifting", "migrating"] as const;
export type Phase = (typeof RELEASE_PHASES)[number];

/** The slot that is not `color`. */
export const otherColor = (color: Color): Color => (color === "blue" ? "green" : "blue");

/** The slot users do not reach, when it holds a release. */
export function idleColor(release: ReleaseState): Color | undefined {
  const idle = otherColor(release.live);
  return release[idle] ? idle : undefined;
}

/** Listener rule priorities AWS accepts (`CreateRule`: 1 to 50000, unique per listener). */
export const LISTENER_RULE_PRIORITY = { min: 1, max: 50000 } as const;

/** Services sharing a listener rule priority with an earlier one; each message names both services. */
export function duplicatePriorityProblems(services: ReadonlyArray<{ name: string; priority: number }>): Array<{ service: string; message: string }> {
  const seen = new Map<number, string>();
  const problems: Array<{ service: string; message: string }> = [];
  for (const { name, priority } of services) {
    const other = seen.get(priority);
    if (other) problems.push({ service: name, message: `services "${other}" and "${name}" both use listener rule priority ${priority}; give each a unique priority` });
    else seen.set(priority, name);
  }
  return problems;
}

/** A service's release as the stack config keeps it: the slots, plus what the release command records. */
export interface RecordedRelease extends ReleaseState {
  /** The release that was live before the current one, for rollback after its slot is retired. */
  readonly previous?: Release;
  /** Moves forward with every deliberate change of the live release (the stale-release guard). */
  readonly generation?: number;
  readonly phase?: string;
  /** Releases that were rolled back, with why: `flipstack release` deploys them again only when named. */
  readonly failed?: ReadonlyArray<{ readonly version: string; readonly reason: string }>;
  /** The schema the service's database was last migrated to; written by `flipstack release deploy`. */
  readonly migrated?: SchemaRecord;
}

/**
 * What the last migration left the database at: its schema version, the oldest release schema that version still
 * serves (the migrating release's `schemaMinimum`), and which release migrated it. A rollback never undoes it.
 */
export interface SchemaRecord {
  readonly schema: number;
  readonly minimum: number;
  readonly version: string;
}

/**
 * The release part of a service's ledger (stack output `services.<name>`), derived from its release state: which
 * slot is live, which is idle, and what every slot and the previous live release hold. `flipstack release` reads
 * exactly these fields back (cli/release/ledger.ts), so they may be added to, never renamed or removed.
 */
export function releaseLedger(release: RecordedRelease) {
  const idle = otherColor(release.live);
  return {
    live: release.live,
    idle: idleColor(release) ?? null,
    versions: { blue: release.blue?.version ?? null, green: release.green?.version ?? null },
    liveVersion: release[release.live]?.version ?? null,
    idleVersion: release[idle]?.version ?? null,
    previousVersion: release.previous?.version ?? null,
    /** What each slot and the previous live release hold, artefacts included: rollback redeploys from these. */
    slots: { blue: release.blue ?? null, green: release.green ?? null },
    previous: release.previous ?? null,
    generation: release.generation ?? 0,
    phase: release.phase ?? null,
    /** Percent of users on the idle slot while traffic shifts to it; 0 otherwise. */
    weight: release.weight ?? 0,
    /** Releases that were rolled back (version and reason): `flipstack release` deploys them again only when named. */
    failed: release.failed ?? [],
    /** The schema the database was last migrated to (schema, minimum, version), or null before any was declared. */
    migrated: release.migrated ?? null,
  };
}

/**
 * Tags of everything one slot's compute creates: the caller's, then which service, slot and release it runs. Flipstack's
 * own come last so that caller tags cannot relabel which release a resource runs.
 */
export function releaseTags(slot: { readonly tags?: Readonly<Record<string, string>>; readonly serviceName: string; readonly color: Color; readonly release: { readonly version: string } }): Record<string, string> {
  return { ...slot.tags, "flipstack:service": slot.serviceName, "flipstack:color": slot.color, "flipstack:release": slot.release.version };
}
