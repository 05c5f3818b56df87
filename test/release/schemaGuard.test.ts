import { DescribeTasksCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { releaseCommand } from "../../cli/commands/release";
import { parseSchemaFlags } from "../../cli/release/actions";
import { readLedger } from "../../cli/release/applyRelease";
import { deploy } from "../../cli/release/steps/deploy";
import { promote } from "../../cli/release/steps/promote";
import { rollback } from "../../cli/release/steps/rollback";
import { verify } from "../../cli/release/steps/verify";
import { apiService, fixture, image, type FakeSlot, type Fixture } from "./harness";

const slot = (version: string, schema: number, schemaMinimum?: number): FakeSlot => ({ version, image: image(version), schema, ...(schemaMinimum !== undefined && { schemaMinimum }) });
const artefact = (version: string, schema?: number, schemaMinimum?: number) => ({ version, image: image(version), schema, schemaMinimum });
const withMigration = () => ({ ...apiService(), migration: { command: ["bin/migrate"] } });

/** Live green 1.0.0 on schema 6 (runs from 5), the database migrated to 6 by it. */
const ON_SCHEMA_6 = { live: "green" as const, generation: 7, green: slot("1.0.0", 6, 5), migrated: { schema: 6, minimum: 5, version: "1.0.0" } };

function migrationPasses(f: Fixture) {
  const taskArn = "arn:aws:ecs:eu-west-1:123456789012:task/containers-0123456/1a2b3c";
  f.ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn }] });
  f.ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn, lastStatus: "STOPPED", containers: [{ name: "api", exitCode: 0 }] }] });
  f.cloudwatchLogs.on(GetLogEventsCommand).resolves({ events: [] });
}

describe("the schema guard on deploy", () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture(withMigration());
    f.reach(ON_SCHEMA_6);
    migrationPasses(f);
  });
  afterEach(() => f.cleanup());

  it("deploys an expand release, records its schema in the slot and the database's in the ledger, and it can be promoted", async () => {
    await deploy(f.ctx, artefact("2.0.0", 7, 6));
    expect(f.calls()).toEqual([
      "set blue.version=2.0.0", `set blue.image=${image("2.0.0")}`, "set blue.schema=7", "set blue.schemaMinimum=6", "set phase=migrating",
      "set migrated.schema=7", "set migrated.minimum=6", "set migrated.version=2.0.0", "up",
      "set phase=deployed", "up",
    ]);
    const ledger = await readLedger(f.ctx);
    expect(ledger.migrated).toEqual({ schema: 7, minimum: 6, version: "2.0.0" });
    expect(ledger.slots?.blue).toEqual({ version: "2.0.0", image: image("2.0.0"), schema: "7", schemaMinimum: "6" });
    await verify(f.ctx);
    await promote(f.ctx);
    expect(f.live()).toBe("blue 2.0.0");
  });

  it("checks and migrates a release built with --build like any other new release", async () => {
    await deploy(f.ctx, { version: "2.0.0", build: true, schema: 7, schemaMinimum: 6 });
    expect(f.ecs.commandCalls(RunTaskCommand)).toHaveLength(1);
    const ledger = await readLedger(f.ctx);
    expect(ledger).toMatchObject({ idle: "blue", idleVersion: "2.0.0", phase: "deployed", migrated: { schema: 7, minimum: 6, version: "2.0.0" } });
    expect(ledger.slots?.blue).toMatchObject({ version: "2.0.0", schema: "7", schemaMinimum: "6" });
    expect(ledger.slots?.blue?.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    await expect(deploy(f.ctx, { version: "3.0.0", build: true, schema: 8, schemaMinimum: 8 })).rejects.toThrow("`--schema-minimum` 8 is above schema 6, the live release 1.0.0's");
  });

  it.each([
    [
      "a release whose code no longer runs on the live release's schema (expand and contract in one)",
      artefact("2.0.0", 7, 7),
      "deploy: api: `--schema-minimum` 7 is above schema 6, the live release 1.0.0's: 2.0.0's tasks start on the live schema before its migration runs, " +
        "and once it has run, the live release (and a rollback to it) would be on a schema that no longer serves its code. Ship the change in two releases: " +
        "first one that migrates to 7 with a minimum of at most 6 (expand: add, keep what 1.0.0 uses), then, once that one is live, the release that stops using " +
        "what it removes (contract); nothing was changed; users stay on green 1.0.0",
    ],
    [
      "a schema that goes backwards",
      artefact("2.0.0", 5, 5),
      "deploy: api: `--schema` 5 goes backwards: the database is on schema 6 (migrated by 1.0.0, serves code of schema 5 and later); migrations only move forward: " +
        "undo a change with a new migration and a higher schema number, e.g. 7; nothing was changed; users stay on green 1.0.0",
    ],
  ])("refuses %s before anything runs, with the message the user sees", async (_, next, message) => {
    await expect(deploy(f.ctx, next)).rejects.toThrow(message);
    expect(f.calls()).toEqual([]);
    expect(f.ecs.commandCalls(RunTaskCommand)).toHaveLength(0);
  });

  it("refuses a schema that moves on when the service declares no migration", async () => {
    f.update((s) => void delete s.config["flipstack:services"].api.migration);
    f.reach(ON_SCHEMA_6);
    await expect(deploy(f.ctx, artefact("2.0.0", 7, 6))).rejects.toThrow(
      "deploy: api: `--schema` 7 moves the database on from schema 6, but api declares no migration (`services.api.migration`), so nothing would migrate it; " +
        "declare the migration, or deploy with `--schema 6`; nothing was changed; users stay on green 1.0.0",
    );
    expect(f.calls()).toEqual([]);
  });
});

describe("the schema guard on rollback", () => {
  let f: Fixture;
  beforeEach(async () => (f = await fixture(withMigration())));
  afterEach(() => f.cleanup());

  it("flips back to the previous release when it still runs on the database's schema", async () => {
    f.reach({ live: "blue", generation: 8, green: slot("1.0.0", 6, 5), blue: slot("2.0.0", 7, 6), previous: slot("1.0.0", 6, 5), phase: "promoted", migrated: { schema: 7, minimum: 6, version: "2.0.0" } });
    await rollback(f.ctx);
    expect(f.live()).toBe("green 1.0.0");
  });

  it("refuses to redeploy a previous release that cannot run on the schema a later migration left, and says what to do instead", async () => {
    // 3.0.0's migration moved the database to 8 (serving code of schema 7 and later) before its deploy failed.
    f.reach({
      live: "blue", generation: 8, blue: slot("2.0.0", 7, 6), green: slot("3.0.0", 8, 7), previous: slot("1.0.0", 6, 5), phase: "migrating",
      migrated: { schema: 8, minimum: 7, version: "3.0.0" },
    });
    const cli = releaseCommand(f.environment);
    [cli, ...cli.commands].forEach((c) => c.exitOverride());
    await expect(cli.parseAsync(["rollback", "--stack", "staging", "--service", "api"], { from: "user" })).rejects.toThrow(
      "rollback: api: 1.0.0 (schema 6, code runs from schema 5) cannot run on the database's schema 8 (migrated by 3.0.0, serves code of schema 7 and later), " +
        "and a rollback does not undo a migration; nothing was changed, users stay on blue 2.0.0. Roll forward instead: release a fix that runs on schema 8 " +
        "(`release run --service api --version <fix> --image <ref> --schema 8`), or put back what the migration removed with a new migration (a higher schema number) and a release that declares it",
    );
    expect(f.calls()).toEqual([]);
    expect(f.printed[f.printed.length - 1]).toBe("live: api blue 2.0.0");
  });
});

describe("--schema and --schema-minimum", () => {
  it.each([
    [{ schemaMinimum: "7", schema: "6" }, "`--schema-minimum 7` is above `--schema 6`: a release's code runs on its own schema, so the minimum is at most 6"],
    [{ schemaMinimum: "5" }, "`--schema-minimum 5` needs `--schema`: give the schema version the release migrates to as well"],
    [{ schema: "seven" }, '`--schema` must be a whole schema version of 0 or more, not "seven"'],
    [{ schema: "7", schemaMinimum: "-1" }, '`--schema-minimum` must be a whole schema version of 0 or more, not "-1"'],
  ])("refuses %j before anything runs", (flags, message) => {
    expect(() => parseSchemaFlags(flags)).toThrow(message);
  });

  it("reads both as whole numbers, the minimum defaulting to the schema in the rule", () => {
    expect(parseSchemaFlags({ schema: "7", schemaMinimum: "6" })).toEqual({ schema: 7, schemaMinimum: 6 });
    expect(parseSchemaFlags({})).toEqual({});
  });
});
