import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { runPipeline } from "../../cli/release/pipeline";
import { bake, deploy, promote, readLedger, retire, rollback, verify } from "../../cli/release/steps";
import { answersVersion, deployedApi, describeCalls, fixture, server, type Fixture } from "./harness";

const NEW = { version: "2.0.0", image: "registry.example.com/api:2.0.0" };
const live = async (f: Fixture) => {
  const ledger = await readLedger(f.ctx);
  return `${ledger.live} ${ledger.liveVersion}`;
};

describe("release steps against the recording fake of the pulumi CLI", () => {
  let f: Fixture;
  let app: Awaited<ReturnType<typeof server>>;
  const start = async (handler = answersVersion("2.0.0")) => {
    app = await server(handler);
    f = await fixture(deployedApi(app.url));
  };
  afterEach(async () => {
    f?.cleanup();
    await app?.close();
  });

  it("run: deploys to the idle slot, verifies, promotes, bakes and retires, with exactly these config writes and ups", async () => {
    await start();
    await runPipeline(f.ctx, { artefact: NEW, bakeMs: 60_000, plain: true });
    expect(describeCalls(f.calls())).toEqual([
      "set release.blue.version=2.0.0", "set release.blue.image=registry.example.com/api:2.0.0", "set release.phase=deployed", "up",
      "set release.phase=verified", "up",
      "set release.live=blue", "set release.generation=8", "set release.previous.version=1.0.0", "set release.previous.image=registry.example.com/api:1.0.0", "set release.phase=promoted", "up",
      "set release.phase=baked", "up",
      "rm release.green", "set release.phase=retired", "up",
    ]);
    const ledger = await readLedger(f.ctx);
    expect(ledger).toMatchObject({ live: "blue", liveVersion: "2.0.0", idle: null, previousVersion: "1.0.0", phase: "retired", generation: 8 });
  });

  it("deploy fails: users stay on the old slot", async () => {
    await start();
    // Up #1 deployed the stack; #2 is the deploy's.
    f.write({ ...f.state(), failUps: [2] });
    await expect(deploy(f.ctx, NEW)).rejects.toThrow("injected fault on up #2");
    expect(await live(f)).toBe("green 1.0.0");
  });

  it("health wait times out: the error says users stay on the old slot", async () => {
    await start();
    f.health.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [{ TargetHealth: { State: "unhealthy" } }] });
    await expect(deploy(f.ctx, NEW)).rejects.toThrow(/targets not healthy within 60 s.*users stay on green/);
    expect(await live(f)).toBe("green 1.0.0");
  });

  it.each([
    ["answers 500", ((_req, res) => { res.statusCode = 500; res.end("boom"); }) as Parameters<typeof server>[0], /status 500, expected 200/],
    ["answers the old version", answersVersion("1.0.0"), /version 2.0.0 not in the header x-app-version/],
    ["is too slow", ((_req, res) => { setTimeout(() => res.end("late"), 2000).unref(); }) as Parameters<typeof server>[0], /no answer within 300 ms/],
  ])("verify fails when the idle slot %s, and promote then refuses", async (_what, handler, message) => {
    await start(handler);
    await deploy(f.ctx, NEW);
    await expect(verify(f.ctx)).rejects.toThrow(message);
    await expect(promote(f.ctx)).rejects.toThrow("has not passed verify");
    expect(await live(f)).toBe("green 1.0.0");
    expect((await readLedger(f.ctx)).phase).toBe("deployed");
  });

  it("promote fails: live stays on the old slot", async () => {
    await start();
    await deploy(f.ctx, NEW);
    await verify(f.ctx);
    f.write({ ...f.state(), failUps: [4] });
    await expect(promote(f.ctx)).rejects.toThrow("injected fault on up #4");
    expect(await live(f)).toBe("green 1.0.0");
  });

  it("an alarm during the bake flips back to the old slot and fails", async () => {
    await start();
    await deploy(f.ctx, NEW);
    await verify(f.ctx);
    await promote(f.ctx);
    f.alarms.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: "api-blue-5xx", StateValue: "ALARM" }] });
    await expect(bake(f.ctx, 600_000)).rejects.toThrow("rolled back to 1.0.0 on green");
    expect(await live(f)).toBe("green 1.0.0");
    expect(f.alarms.commandCalls(DescribeAlarmsCommand)[0].args[0].input.AlarmNames).toEqual(["api-blue-5xx", "api-blue-unhealthy"]);
  });

  it("a run that crashed after promote resumes at the bake, without deploying again", async () => {
    await start();
    await deploy(f.ctx, NEW);
    await verify(f.ctx);
    await promote(f.ctx);
    const before = f.calls().length;
    await runPipeline(f.ctx, { artefact: NEW, bakeMs: 60_000, plain: true });
    expect(describeCalls(f.calls().slice(before))).toEqual(["set release.phase=baked", "up", "rm release.green", "set release.phase=retired", "up"]);
    expect(await live(f)).toBe("blue 2.0.0");
  });

  it("a concurrent release finds the stack locked, fails clearly and never cancels the other run", async () => {
    await start();
    f.write({ ...f.state(), locked: true });
    await expect(deploy(f.ctx, NEW)).rejects.toThrow("is locked by another update");
    expect(f.calls().some((c) => c[0] === "cancel")).toBe(false);
    expect(await live(f)).toBe("green 1.0.0");
  });

  it("rollback with the old slot still there flips the listener back", async () => {
    await start();
    await deploy(f.ctx, NEW);
    await verify(f.ctx);
    await promote(f.ctx);
    const before = f.calls().length;
    await rollback(f.ctx);
    expect(await live(f)).toBe("green 1.0.0");
    expect(describeCalls(f.calls().slice(before))).toContain("set release.live=green");
    expect(describeCalls(f.calls().slice(before)).filter((c) => c === "up")).toHaveLength(1);
  });

  it("rollback after retire redeploys the previous release into the empty slot, verifies it and promotes it", async () => {
    await start((_req, res) => { res.setHeader("x-app-version", "2.0.0 1.0.0"); res.end(); });
    await runPipeline(f.ctx, { artefact: NEW, bakeMs: 60_000, plain: true });
    expect((await readLedger(f.ctx)).idle).toBeNull();
    await rollback(f.ctx);
    const ledger = await readLedger(f.ctx);
    expect(`${ledger.live} ${ledger.liveVersion}`).toBe("green 1.0.0");
    expect(ledger.slots.green).toEqual({ version: "1.0.0", image: "registry.example.com/api:1.0.0" });
  });

  it("retire never removes the live slot", async () => {
    await start();
    await runPipeline(f.ctx, { artefact: NEW, bakeMs: 60_000, plain: true });
    await retire(f.ctx, { force: true });
    const ledger = await readLedger(f.ctx);
    expect(ledger.slots[ledger.live]).toEqual({ version: "2.0.0", image: "registry.example.com/api:2.0.0" });
  });

  it("deploy refuses an AMI for a container service", async () => {
    await start();
    await expect(deploy(f.ctx, { version: "2.0.0", ami: "ami-0123456789abcdef0" })).rejects.toThrow("runs containers: give --image");
    expect(f.calls()).toEqual([]);
  });
});
