import { loadStackConfig } from "../../stacks/config";
import { LOAD_BALANCER as loadBalancer, NETWORK as network, refusal } from "./configProblems";
const image = (version: string) => `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:${version}`;
const slot = (version: string, schema?: number, schemaMinimum?: number) => ({ version, image: image(version), schema, schemaMinimum });
const api = (release: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  kind: "containers", port: 8080, routing: { priority: 200, hostHeaders: ["api.example.com"] }, release: { live: "green", ...release }, ...extra,
});
const web = (extra: Record<string, unknown>) => ({
  kind: "instances", port: 8080, routing: { priority: 100, hostHeaders: ["www.example.com"] },
  release: { live: "blue", blue: { version: "2026.11.3", ami: "ami-0a1b2c3d4e5f67890" } }, ...extra,
});

const load = (services: Record<string, unknown>) =>
  loadStackConfig("flipstack", "staging", { "aws:region": "eu-west-1", "flipstack:network": JSON.stringify(network), "flipstack:loadBalancer": JSON.stringify(loadBalancer), "flipstack:services": JSON.stringify(services) });
const problems = (services: Record<string, unknown>) => refusal(() => load(services));

describe("services.<name>.migration", () => {
  it("resolves a container service's migration, 15 minutes unless it says otherwise", () => {
    const config = load({ api: api({ green: slot("1.0.0") }, { migration: { command: ["npm", "run", "migrate"] } }), jobs: { ...api({ green: slot("1.0.0") }, { migration: { command: ["migrate"], timeout: "1h30m" } }), routing: { priority: 300, hostHeaders: ["jobs.example.com"] } } });
    expect(config.services.api.migration).toEqual({ command: ["npm", "run", "migrate"], timeoutSeconds: 900 });
    expect(config.services.jobs.migration).toEqual({ command: ["migrate"], timeoutSeconds: 5400 });
  });

  it("refuses a migration for an instance service, which has no image to run it from, and says where to run it", () => {
    expect(problems({ web: web({ migration: { command: ["bin/migrate"] } }) })).toEqual([
      "flipstack:services.web.migration: is for container services only: a migration runs as a one-off ECS task of the new release's image, and an instance service has no image (its releases are AMIs); run the migration from a container service that uses the same database, and declare the schema on that service's releases",
    ]);
  });

  it.each([
    [{ command: [] }, "flipstack:services.api.migration.command: needs at least 1 entries, got []"],
    [{ command: ["migrate"], timeout: "soon" }, 'flipstack:services.api.migration.timeout: "soon" is not a duration; use a number with a unit, such as 90s, 15m or 1h'],
  ])("refuses the migration %j naming the key", (migration, message) => {
    expect(problems({ api: api({ green: slot("1.0.0") }, { migration }) })).toEqual([message]);
  });
});

describe("the schema compatibility rule, offline", () => {
  const migrated = (schema: number, minimum: number, version: string) => ({ migrated: { schema, minimum, version } });

  it("accepts every state a release of an expand migration passes through", () => {
    const old = slot("1.0.0", 6, 5);
    const next = slot("2.0.0", 7, 6);
    const states = [
      { green: old, ...migrated(6, 5, "1.0.0") },
      { green: old, blue: next, phase: "migrating", ...migrated(7, 6, "2.0.0") },
      { green: old, blue: next, phase: "verified", ...migrated(7, 6, "2.0.0") },
      { live: "blue", generation: 1, green: old, blue: next, previous: old, phase: "promoted", ...migrated(7, 6, "2.0.0") },
      { live: "blue", generation: 1, blue: next, previous: old, phase: "retired", ...migrated(7, 6, "2.0.0") },
      // A rollback after retire redeploys the previous release beside the live one.
      { live: "blue", generation: 1, green: old, blue: next, previous: old, phase: "deployed", ...migrated(7, 6, "2.0.0") },
    ];
    for (const release of states) expect(() => load({ api: api(release) })).not.toThrow();
  });

  it.each([
    ["a minimum above the release's own schema", { green: slot("1.0.0", 6, 7) }, "flipstack:services.api.release.green.schemaMinimum: 7 is above the release's own schema 6; a release's code runs on its own schema, so the minimum is at most 6"],
    ["a minimum without a schema", { green: slot("1.0.0", undefined, 5) }, "flipstack:services.api.release.green.schemaMinimum: is 5 but no `schema` is declared; declare the schema the release migrates to as well"],
    ["a record whose minimum is above its schema", { green: slot("1.0.0", 6), ...migrated(6, 7, "1.0.0") }, "flipstack:services.api.release.migrated.minimum: 7 is above the migrated schema 6; a schema serves the code written for it"],
    ["a schema no migration reached", { green: slot("1.0.0", 8, 6), ...migrated(7, 6, "0.9.0") }, "flipstack:services.api.release.green.schema: 8 is ahead of the database, which was migrated to 7 (`release.migrated`): nothing migrated it; deploy the release with `flipstack release deploy --schema 8`, which runs the service's migration"],
    ["a slot whose release the database no longer serves", { green: slot("1.0.0", 5, 4), ...migrated(7, 6, "2.0.0") }, "flipstack:services.api.release.green: 1.0.0 (schema 5, code runs from schema 4) cannot run on the database's schema 7 (migrated by 2.0.0, serves code of schema 6 and later), yet the green slot would run it; deploy a release that runs on schema 7 instead"],
    ["a schema that goes backwards: the schema is below the database's", { green: slot("1.0.0", 6, 6), ...migrated(7, 7, "2.0.0") }, "flipstack:services.api.release.green: 1.0.0 (schema 6, code runs from schema 6) cannot run on the database's schema 7 (migrated by 2.0.0, serves code of schema 7 and later), yet the green slot would run it; deploy a release that runs on schema 7 instead"],
  ])("refuses %s, naming the key", (_, release, message) => {
    expect(problems({ api: api(release) })).toEqual([message]);
  });

  it("refuses two slots that cannot share the database when no migration was recorded", () => {
    expect(problems({ api: api({ green: slot("1.0.0", 5), blue: slot("2.0.0", 7, 7), phase: "deployed" }) })).toEqual([
      expect.stringMatching(/^flipstack:services\.api\.release\.blue\.schemaMinimum: 7 is above schema 5, the live release 1\.0\.0's: 2\.0\.0's tasks start on the live schema/),
    ]);
  });

  it("warns, without refusing, when the rollback target no longer runs on the database", () => {
    const config = load({ api: api({ live: "blue", generation: 2, blue: slot("3.0.0", 8, 7), previous: slot("2.0.0", 6, 5), phase: "retired", ...migrated(8, 7, "3.0.0") }) });
    expect(config.warnings).toEqual([
      "flipstack:services.api.release.previous: 2.0.0 (schema 6, code runs from schema 5) cannot run on the database's schema 8 (migrated by 3.0.0, serves code of schema 7 and later): `release rollback` to it will be refused; roll forward instead",
    ]);
  });
});
