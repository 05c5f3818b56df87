import { otherColor } from "../components/release";
import { declarationProblem, deployProblem, describeDatabase, describeSchema, runsOn } from "../components/schemaRule";
import type { StackConfig } from "./config";
import type { CheckFindings } from "./configChecks";
import type { KeyPath } from "./configErrors";

/**
 * The schema compatibility rule (components/schemaRule.ts) applied to the stack config offline, as `flipstack
 * plan` and every `pulumi up` read it. Problems: a declaration at odds with itself; a slot whose release cannot run
 * on the database's recorded schema, or declares a schema no migration reached; without a record, two slots that
 * cannot share one database. A warning: a rollback target `release rollback` would refuse. Every state the release
 * steps write passes: deploy and rollback check the same rule before they write.
 */
export function checkSchemas({ services }: StackConfig, { problems, warnings }: CheckFindings): void {
  for (const [name, service] of Object.entries(services)) {
    const at = (...path: KeyPath): KeyPath => ["services", name, "release", ...path];
    const release = service.release;
    const slots = (["blue", "green", "previous"] as const).filter((slot) => release[slot]);
    let declared = false;
    for (const slot of slots) {
      const problem = declarationProblem(release[slot]!);
      if (problem) problems.push([at(slot, problem[0]), problem[1]]);
      declared ||= problem !== undefined;
    }
    const database = release.migrated;
    if (database && database.minimum > database.schema) {
      problems.push([at("migrated", "minimum"), `${database.minimum} is above the migrated schema ${database.schema}; a schema serves the code written for it`]);
      continue;
    }
    if (declared) continue;

    const present = [release.live, otherColor(release.live)].filter((slot) => release[slot]);
    for (const slot of present) {
      const held = release[slot]!;
      if (database && held.schema !== undefined && held.schema > database.schema) {
        problems.push([at(slot, "schema"), `${held.schema} is ahead of the database, which was migrated to ${database.schema} (\`release.migrated\`): nothing migrated it; deploy the release with \`flipstack release deploy --schema ${held.schema}\`, which runs the service's migration`]);
      } else if (database && runsOn(held, database) === false) {
        problems.push([at(slot), `${held.version} (${describeSchema(held)}) cannot run on the database's ${describeDatabase(database)}, yet the ${slot} slot would run it; deploy a release that runs on schema ${database.schema} instead`]);
      }
    }
    // Without a record the slots still share one database: the newer schema must serve the older release.
    if (!database && present.length === 2) {
      const [older, newer] = [...present].sort((a, b) => (release[a]!.schema ?? -1) - (release[b]!.schema ?? -1));
      const problem = deployProblem(release[newer]!, release[older], undefined);
      if (problem) problems.push([at(newer, problem[0]), problem[1]]);
    }
    const previous = release.previous;
    if (database && previous && runsOn(previous, database) === false) {
      warnings.push([at("previous"), `${previous.version} (${describeSchema(previous)}) cannot run on the database's ${describeDatabase(database)}: \`release rollback\` to it will be refused; roll forward instead`]);
    }
  }
}
