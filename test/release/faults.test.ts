import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { readLedger } from "../../cli/release/applyRelease";
import { EXIT } from "../../cli/release/errors";
import { runPipeline } from "../../cli/release/pipeline";
import { bake } from "../../cli/release/steps/bake";
import { deploy } from "../../cli/release/steps/deploy";
import { promote } from "../../cli/release/steps/promote";
import { fixture, release, type Fixture } from "./harness";

const NEW = release("2.0.0");
const run = (f: Fixture) => runPipeline(f.ctx, { artefact: NEW, bakeMs: 600_000, verify: {}, plain: true, print: () => undefined });
// A release's ups, counted from the start of a run: deploy 1, verify 2, promote 3, bake 4, retire 5.
const alarmOn = (f: Fixture, alarm: string) =>
  f.cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({
    MetricAlarms: input.AlarmNames.map((name) => ({ AlarmName: name, StateValue: name === alarm ? "ALARM" : "OK" })),
  }));

describe("a failure in any step leaves live traffic on a slot that passed verify", () => {
  let f: Fixture;
  beforeEach(async () => (f = await fixture()));
  afterEach(() => f.cleanup());

  it("deploy fails (pulumi up fails): users stay on the old slot, and the new one cannot be promoted", async () => {
    f.failUp(1);
    await expect(run(f)).rejects.toThrow("deploy: pulumi up failed: update failed (injected fault on up #2)");
    expect(f.live()).toBe("green 1.0.0");
    await expect(promote(f.ctx)).rejects.toMatchObject({ exitCode: EXIT.refused });
    expect(f.live()).toBe("green 1.0.0");
  });

  it("the health wait times out: users stay on the old slot, and the message names the unhealthy targets", async () => {
    f.elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [{ Target: { Id: "10.0.1.10" }, TargetHealth: { State: "unhealthy", Reason: "Target.FailedHealthChecks" } }],
    });
    await expect(run(f)).rejects.toThrow(
      "deploy: blue 2.0.0: targets not healthy within 1m 00s: 0/1 targets healthy; 10.0.1.10 unhealthy (Target.FailedHealthChecks); users stay on green 1.0.0",
    );
    expect(f.live()).toBe("green 1.0.0");
    expect(f.clock.sleeps).toEqual(Array(12).fill(5_000));
  });

  it.each([
    ["answers 500", () => (f.listener.mode = "error"), "status 500, expected 200"],
    ["does not answer in time", () => (f.listener.mode = "slow"), "no answer within 1000 ms"],
    ["answers the old version", () => Object.assign(f.listener, { mode: "fixed", fixedVersion: "1.0.0" }), 'header x-app-version is "1.0.0", expected 2.0.0'],
  ])("verify fails when the new slot %s: users stay on the old slot and promote is refused", async (_, breakIt, problem) => {
    breakIt();
    await expect(run(f)).rejects.toThrow(`failed the smoke test 3 times; last: ${problem}; users stay on green 1.0.0`);
    expect(f.live()).toBe("green 1.0.0");
    expect((await readLedger(f.ctx)).phase).toBe("deployed");
    expect(f.clock.sleeps).toEqual([1_000, 2_000]);
    await expect(promote(f.ctx)).rejects.toThrow("blue (2.0.0) has not passed verify (phase deployed)");
    expect(f.live()).toBe("green 1.0.0");
  });

  it("promote fails: live stays on the old slot; running promote again completes it", async () => {
    f.failUp(3);
    await expect(run(f)).rejects.toThrow("promote: pulumi up failed");
    expect(f.live()).toBe("green 1.0.0");
    await promote(f.ctx);
    expect(f.live()).toBe("blue 2.0.0");
  });

  it("an alarm during the bake flips back to the previous slot at once and fails", async () => {
    f.reach("promoted");
    alarmOn(f, "api-blue-5xx");
    await expect(bake(f.ctx, 600_000)).rejects.toThrow("bake: alarm api-blue-5xx went off on blue 2.0.0; rolled back to green 1.0.0");
    expect(f.live()).toBe("green 1.0.0");
    expect(await readLedger(f.ctx)).toMatchObject({ phase: "rolled-back", generation: 9, idleVersion: "2.0.0", previousVersion: null });
    expect(f.calls()).toEqual([
      "set live=green", "set generation=9", "rm previous", "set phase=rolled-back",
      "set failed[0].version=2.0.0", "set failed[0].reason=alarm api-blue-5xx during the bake", "up",
    ]);
    // The live slot's alarms and the service's own were watched, not the idle slot's.
    expect(f.cloudwatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input.AlarmNames).toEqual(["api-blue-5xx", "api-blue-unhealthy-hosts", "api-p99-latency"]);
  });

  it("an alarm whose automatic rollback fails leaves users on the verified new slot and says so", async () => {
    f.reach("promoted");
    alarmOn(f, "api-blue-unhealthy-hosts");
    f.failUp(1);
    await expect(bake(f.ctx, 600_000)).rejects.toThrow(/alarm api-blue-unhealthy-hosts went off on blue 2.0.0; the automatic rollback failed: rollback: pulumi up failed/);
    expect(f.live()).toBe("blue 2.0.0");
  });

  it("a run that crashed right after promote resumes at the bake when run again, without deploying again", async () => {
    f.failUp(3, "applyThenFail");
    await expect(run(f)).rejects.toThrow("promote: pulumi up failed");
    expect(f.live()).toBe("blue 2.0.0");
    const before = f.calls().length;
    await run(f);
    expect(f.calls().slice(before)).toEqual(["set phase=baked", "up", "rm green", "set phase=retired", "up"]);
    expect(f.live()).toBe("blue 2.0.0");
  });

  it("a run whose deploy failed after writing the config deploys the same change when run again", async () => {
    f.failUp(1);
    await expect(run(f)).rejects.toThrow("deploy: pulumi up failed");
    const before = f.calls().length;
    await run(f);
    expect(f.calls().slice(before, before + 2)).toEqual(["up", "set phase=verified"]);
    expect(f.live()).toBe("blue 2.0.0");
  });

  it("a crash during verify resumes with a health check and verify, not a new deploy", async () => {
    f.reach("deployed");
    await run(f);
    expect(f.calls().slice(0, 2)).toEqual(["set phase=verified", "up"]);
    // One health check by the resumed deploy, one by promote right before its flip.
    expect(f.elb.commandCalls(DescribeTargetHealthCommand)).toHaveLength(2);
  });

  it("a verified release replaced in the idle slot must pass verify again before promote", async () => {
    f.reach("verified");
    await deploy(f.ctx, release("2.0.1"));
    await expect(promote(f.ctx)).rejects.toThrow("blue (2.0.1) has not passed verify (phase deployed)");
    expect(f.live()).toBe("green 1.0.0");
  });

  it("bake refuses to run before promote, so an alarm can never flip to an unverified slot", async () => {
    f.reach("deployed");
    alarmOn(f, "api-green-5xx");
    await expect(bake(f.ctx, 60_000)).rejects.toMatchObject({ exitCode: EXIT.refused, message: expect.stringContaining("nothing to bake") });
    expect(f.live()).toBe("green 1.0.0");
  });
});
