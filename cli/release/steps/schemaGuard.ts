import { deployProblem, rollbackProblem, schemaMinimumOf, type DeclaredSchema } from "../../../components/schemaRule";
import { refused } from "../errors";
import type { MigratedSchema, ServiceLedger, SlotRelease } from "../ledger";
import type { ReleaseState } from "../releaseState";
import { liveWords } from "./flip";

/** A slot's release with its schema fields as numbers (the ledger and config writes carry them as text). */
export function declaredSchema(release: SlotRelease): DeclaredSchema {
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  return { version: release.version, schema: number(release.schema), schemaMinimum: number(release.schemaMinimum) };
}

/**
 * The deploy's side of the schema rule (components/schemaRule.ts): refuses a release the live one cannot survive,
 * or one that moves the schema without a migration to move it, before anything is written. Returns the database's
 * record after this deploy: the new release's schema when it moves forward (written before the migration runs, so
 * that a rollback after a migration that failed half-way is still checked against the newer schema).
 */
export function plannedSchema(service: string, ledger: ServiceLedger, deployed: ReleaseState, release: SlotRelease): MigratedSchema | undefined {
  const next = declaredSchema(release);
  const live = deployed[ledger.live] && declaredSchema(deployed[ledger.live]!);
  const database = deployed.migrated;
  const problem = deployProblem(next, live, database);
  const users = `nothing was changed; users stay on ${liveWords(ledger)}`;
  if (problem) throw refused(`deploy: ${service}: \`--${problem[0] === "schema" ? "schema" : "schema-minimum"}\` ${problem[1]}; ${users}`);
  if (next.schema === undefined) return database;
  const current = database?.schema ?? live?.schema;
  if (current !== undefined && next.schema > current && !ledger.migration) {
    throw refused(
      `deploy: ${service}: \`--schema\` ${next.schema} moves the database on from schema ${current}, but ${service} declares no migration ` +
        `(\`services.${service}.migration\`), so nothing would migrate it; declare the migration, or deploy with \`--schema ${current}\`; ${users}`,
    );
  }
  if (database && next.schema <= database.schema) return database;
  return { schema: next.schema, minimum: schemaMinimumOf(next)!, version: release.version };
}

/** The rollback's side: refuses to put users back on a release that cannot run on the database's schema. */
export function requireRunsOnSchema(service: string, ledger: ServiceLedger, target: SlotRelease | null | undefined): void {
  const database = ledger.migrated;
  if (!target || !database) return;
  const problem = rollbackProblem(declaredSchema(target), database);
  if (!problem) return;
  throw refused(
    `rollback: ${service}: ${problem}; nothing was changed, users stay on ${liveWords(ledger)}. Roll forward instead: ` +
      `release a fix that runs on schema ${database.schema} (\`release run --service ${service} --version <fix> --image <ref> --schema ${database.schema}\`), ` +
      `or put back what the migration removed with a new migration (a higher schema number) and a release that declares it`,
  );
}
