/**
 * The schema compatibility rule, written once for `flipstack release` (deploy, rollback) and `flipstack plan`.
 *
 * Each release may declare `schema` (the version its migration moves the database to) and `schemaMinimum` (the
 * oldest version its code still runs on, at most `schema`, by default `schema`). Expand/contract promises that a
 * migration only removes what its own release's code no longer needs since `schemaMinimum`: so the schema a
 * release migrated to still serves the code of every release whose own `schema` is at least that `schemaMinimum`.
 *
 * A release runs on the database's schema D (migrated by a release whose minimum was M) when
 * `schemaMinimum <= D` (its code knows D) and `schema >= M` (D still has what its code needs).
 *
 * Pure functions, no Pulumi: the CLI and the fake `pulumi` load it cheaply. Messages name no key: callers prefix
 * the flag (`--schema`) or the config key they check.
 */
import type { SchemaRecord } from "./release";

export type { SchemaRecord } from "./release";

/** What a release declares about the schema. */
export interface DeclaredSchema {
  readonly version: string;
  readonly schema?: number;
  readonly schemaMinimum?: number;
}

/** The oldest schema a release's code runs on. */
export const schemaMinimumOf = (release: DeclaredSchema): number | undefined => release.schemaMinimum ?? release.schema;

/** What is wrong with one release's declaration by itself, as [field, message], or undefined. */
export function declarationProblem(release: Pick<DeclaredSchema, "schema" | "schemaMinimum">): readonly ["schema" | "schemaMinimum", string] | undefined {
  if (release.schema === undefined) {
    return release.schemaMinimum === undefined ? undefined : ["schemaMinimum", `is ${release.schemaMinimum} but no \`schema\` is declared; declare the schema the release migrates to as well`];
  }
  if (release.schemaMinimum !== undefined && release.schemaMinimum > release.schema) {
    return ["schemaMinimum", `${release.schemaMinimum} is above the release's own schema ${release.schema}; a release's code runs on its own schema, so the minimum is at most ${release.schema}`];
  }
  return undefined;
}

/** Whether a release's code runs on the database's schema; undefined when the release declares no schema. */
export function runsOn(release: DeclaredSchema, database: SchemaRecord): boolean | undefined {
  if (release.schema === undefined) return undefined;
  return schemaMinimumOf(release)! <= database.schema && release.schema >= database.minimum;
}

/** `schema 6, runs on 5 and later`: how messages describe a release's declaration. */
export const describeSchema = (release: DeclaredSchema) =>
  release.schema === undefined ? "no schema declared" : `schema ${release.schema}, code runs from schema ${schemaMinimumOf(release)}`;

/** `schema 7 (migrated by 3.0.0, serves code of schema 6 and later)`. */
export const describeDatabase = (database: SchemaRecord) =>
  `schema ${database.schema} (migrated by ${database.version}, serves code of schema ${database.minimum} and later)`;

/**
 * Why deploying `next` beside the live release is refused, or undefined. `database` is the recorded schema (absent
 * before any release declared one). The new slot's tasks start on the current schema, and its migration then moves
 * the live release to the new one: both directions must work, or a rollback would break users.
 */
export function deployProblem(next: DeclaredSchema, live: DeclaredSchema | undefined, database: SchemaRecord | undefined): readonly ["schema" | "schemaMinimum", string] | undefined {
  if (next.schema === undefined) return undefined;
  const current = database?.schema ?? live?.schema;
  if (current !== undefined && next.schema < current) {
    return ["schema", `${next.schema} goes backwards: the database is on ${database ? describeDatabase(database) : `schema ${current} (the live release's)`}; ` +
      `migrations only move forward: undo a change with a new migration and a higher schema number, e.g. ${current + 1}`];
  }
  const liveSchema = live?.schema ?? database?.schema;
  const minimum = schemaMinimumOf(next)!;
  if (live && liveSchema !== undefined && minimum > liveSchema) {
    return ["schemaMinimum", `${minimum} is above schema ${liveSchema}, the live release ${live.version}'s: ${next.version}'s tasks start on the live schema ` +
      `before its migration runs, and once it has run, the live release (and a rollback to it) would be on a schema that no longer serves its code. ` +
      `Ship the change in two releases: first one that migrates to ${next.schema} ` +
      `with a minimum of at most ${liveSchema} (expand: add, keep what ${live.version} uses), then, once that one is live, the release that stops using what it removes (contract)`];
  }
  return undefined;
}

/** Why `release` cannot take traffic again on the database's current schema (a rollback), or undefined. */
export function rollbackProblem(release: DeclaredSchema, database: SchemaRecord | undefined): string | undefined {
  if (!database || runsOn(release, database) !== false) return undefined;
  return `${release.version} (${describeSchema(release)}) cannot run on the database's ${describeDatabase(database)}, and a rollback does not undo a migration`;
}
