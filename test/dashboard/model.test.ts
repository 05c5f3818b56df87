import { ReleaseError, EXIT } from "../../cli/release/errors";
import { PULUMI_MISSING, StackLockedError } from "../../cli/release/workspace";
import { ActionLog } from "../../cli/dashboard/actionLog";
import { Dashboard } from "../../cli/dashboard/dashboard";
import { historyEntries } from "../../cli/dashboard/history";
import { overviewTable } from "../../cli/dashboard/html";
import { overview, stackOrder } from "../../cli/dashboard/overview";
import { problemLine } from "../../cli/dashboard/problems";
import { readSnapshot } from "../../cli/dashboard/snapshot";
import type { DashboardWorld } from "../../cli/dashboard/world";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { apiAt, dashboardFixture, type DashboardFixture } from "./harness";

describe("dashboard data: the deployed ledgers of every stack as rows and columns", () => {
  let f: DashboardFixture;
  beforeAll(async () => {
    f = await dashboardFixture({ "pr-7": apiAt("deployed"), staging: apiAt("verified"), production: apiAt("retired"), "pr-12": apiAt("baked"), sandbox: apiAt("promoted") });
  });
  afterAll(() => f.cleanup());

  it("orders production, staging, previews by number, then other stacks", async () => {
    expect(["pr-12", "sandbox", "staging", "pr-7", "production"].sort(stackOrder)).toEqual(["production", "staging", "pr-7", "pr-12", "sandbox"]);
    const dashboard = new Dashboard(f.world, ActionLog.inProject(f.dir), { refreshMs: 15_000, now: () => 1_000 });
    await dashboard.refresh();
    expect(dashboard.overview().columns.map((c) => `${c.stack}:${c.environment}`)).toEqual(["production:production", "staging:staging", "pr-7:preview", "pr-12:preview", "sandbox:unknown"]);
  });

  it("shows each stack's live and idle slot, versions, phase and alarm state from its deployed ledger", async () => {
    f.alarmState((name) => (name === "api-blue-5xx" ? "ALARM" : "OK"));
    const staging = await readSnapshot(f.world, "staging", 5_000);
    const production = await readSnapshot(f.world, "production", 5_000);
    const view = overview([staging, production], 5_000, 30_000);
    expect(view.rows.map((r) => r.service)).toEqual(["api"]);
    const [row] = view.rows;
    // staging: green 1.0.0 live, blue 2.0.0 verified in the idle slot; its alarms watch the live (green) slot.
    expect(row.cells.staging).toMatchObject({ live: { color: "green", version: "1.0.0" }, idle: { color: "blue", version: "2.0.0" }, phase: "verified", generation: 7, alarm: { state: "OK", firing: [] } });
    // production: blue 2.0.0 live and the old slot retired; its live slot's 5xx alarm fires.
    expect(row.cells.production).toMatchObject({ live: { color: "blue", version: "2.0.0" }, idle: null, phase: "retired", alarm: { state: "ALARM", firing: ["api-blue-5xx"] } });
    expect(row.cells.production?.urls.public).toBe("https://api.staging.example.com/");
    f.alarmState(() => "OK");
  });

  it("shows the split of users while traffic shifts gradually", () => {
    const snapshot = { stack: "staging", environment: "staging", readAt: 1, alarms: {}, services: [["api", { kind: "containers", live: "green", idle: "blue", versions: {}, liveVersion: "1.0.0", idleVersion: "2.0.0", previousVersion: null, generation: 8, phase: "shifting", weight: 25, failed: [], urls: { public: "p", test: "t" }, testHost: null, smokeTest: { path: "/", expectStatus: 200 }, alarms: { slots: {}, extra: [] }, targetGroupArns: {} }]] } as unknown as Parameters<typeof overview>[0][number];
    const cell = overview([snapshot], 1, 30_000).rows[0].cells.staging!;
    expect(cell).toMatchObject({ weight: 25, live: { color: "green" }, idle: { color: "blue" }, phase: "shifting" });
    expect(overviewTable(overview([snapshot], 1, 30_000), { readOnly: true, history: false })).toContain("shifting: 75% on green, 25% on blue");
  });

  it("marks data stale once it is older than allowed, and keeps the last good data when a read fails", async () => {
    const good = await readSnapshot(f.world, "staging", 1_000);
    expect(overview([good], 20_000, 30_000).columns[0].stale).toBe(false);
    expect(overview([good], 40_000, 30_000).columns[0].stale).toBe(true);
    const failing: DashboardWorld = { ...f.world, openContext: async () => { throw new ReleaseError(PULUMI_MISSING, EXIT.noPulumi); } };
    const after = await readSnapshot(failing, "staging", 50_000, good);
    expect(after.readAt).toBe(1_000);
    expect(after.services).toEqual(good.services);
    expect(after.problem).toBe(PULUMI_MISSING);
    expect(overview([after], 50_000, 30_000).columns[0]).toMatchObject({ stale: true, problem: PULUMI_MISSING });
  });

  it("reads alarm states as unknown, with the reason, when AWS has no credentials", async () => {
    const noCredentials = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    f.cloudwatch.rejects(noCredentials);
    const snapshot = await readSnapshot(f.world, "staging", 1_000);
    f.alarmState(() => "OK");
    expect(snapshot.alarmProblem).toBe("alarm states unknown: no AWS credentials: start the dashboard with AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY set");
    expect(overview([snapshot], 1_000, 30_000).rows[0].cells.staging?.alarm.state).toBe("unknown");
  });

  it("says the stacks cannot be listed, in one line, when the Pulumi CLI is missing", async () => {
    const noCli: DashboardWorld = { ...f.world, listStacks: async () => { throw new ReleaseError(PULUMI_MISSING, EXIT.noPulumi); } };
    const dashboard = new Dashboard(noCli, ActionLog.inProject(f.dir), { refreshMs: 15_000 });
    await dashboard.refresh();
    expect(dashboard.problem).toBe(PULUMI_MISSING);
    expect(dashboard.overview().columns).toEqual([]);
  });

  it("lists the stack's updates and the dashboard's actions for a service, newest first, with the live version of each", async () => {
    const updates = await f.world.history("staging");
    const actions = [
      { at: "2026-11-23T09:00:00.000Z", who: "alice", stack: "staging", service: "api", action: "promote", result: "done" as const, exitCode: 0, summary: "live: api blue 2.0.0" },
      { at: "2026-11-23T09:05:00.000Z", who: "bob", stack: "production", service: "api", action: "retire", result: "done" as const, exitCode: 0, summary: "live: api blue 2.0.0" },
    ];
    const entries = historyEntries("flipstack", "staging", "api", updates, actions);
    expect(entries.map((e) => [e.who, e.what, e.version ?? "-", e.result])).toEqual([
      ["alice", "promote (dashboard)", "-", "done: live: api blue 2.0.0"],
      ["Dana Developer", "pulumi update", "1.0.0", "succeeded"],
    ]);
  });
});

describe("problem lines: what the page says instead of a stack trace", () => {
  it("names who holds a stack's lock", () => {
    const line = problemLine(new StackLockedError("error: the stack is currently locked by 1 lock(s).\n  s3://state/locks/staging/4a1c.json: created by ci@runner-7 (pid 4242)"));
    expect(line).toBe("the stack is locked by another update (error: the stack is currently locked by 1 lock(s). s3://state/locks/staging/4a1c.json: created by ci@runner-7 (pid 4242))");
  });

  it("keeps the first line of anything else", () => {
    expect(problemLine(new Error("first\n    at stack frame"))).toBe("first");
    expect(problemLine(Object.assign(new Error("The security token included in the request is expired"), { name: "ExpiredTokenException" }))).toMatch(/^the AWS credentials have expired/);
  });
});

describe("the action log", () => {
  it("keeps every record and skips lines that are not records", () => {
    const log = new ActionLog(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-log-")), "sub", "actions.jsonl"));
    log.append({ at: "2026-11-23T09:00:00.000Z", who: "alice", stack: "staging", service: "api", action: "promote", result: "done", exitCode: 0, summary: "live: api blue 2.0.0" });
    fs.appendFileSync(log.file, "not json\n{\"who\":1}\n");
    expect(log.read().map((r) => `${r.who} ${r.action} ${r.result}`)).toEqual(["alice promote done"]);
    expect(() => log.append({ who: "x" } as never)).toThrow();
  });
});
