import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeRulesCommand, DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { releaseCommand } from "../../cli/commands/release";
import { readLedger } from "../../cli/release/applyRelease";
import { EXIT } from "../../cli/release/errors";
import { runPipeline } from "../../cli/release/pipeline";
import { bake } from "../../cli/release/steps/bake";
import { deploy } from "../../cli/release/steps/deploy";
import { promote } from "../../cli/release/steps/promote";
import { retire } from "../../cli/release/steps/retire";
import { rollback } from "../../cli/release/steps/rollback";
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import { fixture, healthy, release, type FakeService, type Fixture } from "./harness";

// Whole releases through the fake CLI: on a loaded machine one test can take minutes of real process time.
jest.setTimeout(240_000);

const NEW = release("2.0.0");
const run = (retryFailed?: string) => runPipeline(f.ctx, { artefact: NEW, retryFailed, bakeMs: 600_000, verify: {}, plain: true, print: () => undefined });
const greenGroup = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api-green/0123456789abcdef";
const alarmOn = (alarm: string) =>
  f.cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({
    MetricAlarms: input.AlarmNames.map((name) => ({ AlarmName: name, StateValue: name === alarm ? "ALARM" : "OK" })),
  }));
const throttled = () => Object.assign(new Error("Rate exceeded"), { name: "Throttling", $metadata: { httpStatusCode: 400 } });

let f: Fixture;
beforeEach(async () => (f = await fixture()));
afterEach(() => f.cleanup());

/** A release of 2.0.0 that went live and whose bake alarm flipped users back to 1.0.0. */
async function rolledBackByTheBake(): Promise<void> {
  f.reach("promoted");
  alarmOn("api-blue-5xx");
  await expect(bake(f.ctx, 600_000)).rejects.toThrow("rolled back to green 1.0.0; 2.0.0 is recorded as failed");
  f.cloudwatch.reset();
  f.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
}

describe("a release that was rolled back is never shipped again unless named", () => {
  it("the bake records it as failed, with the alarm, in the stack config and the ledger", async () => {
    await rolledBackByTheBake();
    expect((await readLedger(f.ctx)).failed).toEqual([{ version: "2.0.0", reason: "alarm api-blue-5xx during the bake" }]);
    expect(f.state().config["flipstack:services"].api.release).toMatchObject({ failed: [{ version: "2.0.0", reason: "alarm api-blue-5xx during the bake" }] });
  });

  it("a CI retry of the same run is refused and changes nothing, even after the failed slot was retired", async () => {
    await rolledBackByTheBake();
    await retire(f.ctx, { force: true });
    const before = f.calls().length;
    await expect(run()).rejects.toMatchObject({
      exitCode: EXIT.refused,
      message: "api: 2.0.0 was rolled back (alarm api-blue-5xx during the bake) and is recorded as failed; it is not released again unless named: release a fix, or pass `--retry-failed 2.0.0` to try 2.0.0 again",
    });
    await expect(deploy(f.ctx, NEW)).rejects.toMatchObject({ exitCode: EXIT.refused });
    expect(f.calls().slice(before)).toEqual([]);
    expect(f.live()).toBe("green 1.0.0");
  });

  it("rollback after the automatic rollback is refused, saying what to do instead", async () => {
    await rolledBackByTheBake();
    await expect(rollback(f.ctx)).rejects.toMatchObject({
      exitCode: EXIT.refused,
      message: expect.stringMatching(/^api was already rolled back: green 1\.0\.0 is live, rolled back from 2\.0\.0 \(alarm api-blue-5xx during the bake\);.*Release a fix with `release run --version <fix>`, or try 2\.0\.0 again with `release run --version 2\.0\.0 \.\.\. --retry-failed 2\.0\.0`$/),
    });
    expect(f.live()).toBe("green 1.0.0");
  });

  it("--retry-failed naming the release ships it again and clears its record; naming another one is refused", async () => {
    await rolledBackByTheBake();
    await expect(deploy(f.ctx, NEW, { retryFailed: "2.0.1" })).rejects.toThrow("`--retry-failed 2.0.1` names another release than `--version 2.0.0`");
    await run("2.0.0");
    expect(f.live()).toBe("blue 2.0.0");
    expect((await readLedger(f.ctx)).failed).toEqual([]);
  });

  it("a manual rollback records the release it left, with the given reason", async () => {
    f.reach("promoted");
    await rollback(f.ctx, { reason: "support tickets about checkout" });
    expect((await readLedger(f.ctx)).failed).toEqual([{ version: "2.0.0", reason: "support tickets about checkout" }]);
    await expect(run()).rejects.toThrow("2.0.0 was rolled back (support tickets about checkout)");
  });

  it("the command line takes --retry-failed on run and deploy, and --reason on rollback", () => {
    const options = (sub: string) => releaseCommand().commands.find((c) => c.name() === sub)!.options.map((o) => o.long);
    expect(options("run")).toContain("--retry-failed");
    expect(options("deploy")).toContain("--retry-failed");
    expect(options("rollback")).toContain("--reason");
  });
});

describe("every flip checks that its destination can serve", () => {
  const greenHasNoHealthyTarget = () =>
    f.elb.on(DescribeTargetHealthCommand, { TargetGroupArn: greenGroup }).resolves({
      TargetHealthDescriptions: [{ Target: { Id: "10.0.1.20" }, TargetHealth: { State: "unhealthy", Reason: "Target.FailedHealthChecks" } }],
    });

  it("a manual rollback to an old slot without healthy targets stops before the flip", async () => {
    f.reach("promoted");
    greenHasNoHealthyTarget();
    await expect(rollback(f.ctx)).rejects.toThrow(
      "rollback: green 1.0.0 cannot serve: 0/1 targets healthy; 10.0.1.20 unhealthy (Target.FailedHealthChecks); traffic was not moved, users stay on blue 2.0.0",
    );
    expect(f.calls()).toEqual([]);
    expect(f.live()).toBe("blue 2.0.0");
  });

  it("the bake's automatic rollback does not flip to an old slot without healthy targets, and says so", async () => {
    f.reach("promoted");
    greenHasNoHealthyTarget();
    alarmOn("api-blue-5xx");
    await expect(bake(f.ctx, 600_000)).rejects.toThrow("the automatic rollback failed: rollback: green 1.0.0 cannot serve: 0/1 targets healthy");
    expect(f.live()).toBe("blue 2.0.0");
  });

  it("promote does not flip to a verified slot that has lost its targets", async () => {
    f.reach("verified");
    f.elb.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [] });
    await expect(promote(f.ctx)).rejects.toThrow("promote: blue 2.0.0 cannot serve: 0/0 targets healthy (the target group has no targets)");
    expect(f.live()).toBe("green 1.0.0");
  });
});

describe("throttled AWS calls are retried with backoff", () => {
  it("a bake survives DescribeAlarms throttling", async () => {
    f.reach("promoted");
    f.cloudwatch.on(DescribeAlarmsCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ MetricAlarms: [] });
    await bake(f.ctx, 60_000);
    expect((await readLedger(f.ctx)).phase).toBe("baked");
    expect(f.clock.sleeps.slice(0, 2)).toEqual([1_000, 2_000]);
    expect(f.logs).toContain("aws: DescribeAlarms: Throttling: Rate exceeded; trying again in 1.0 s");
  });

  it("a deploy survives DescribeTargetHealth throttling, and fails with the call named when it never ends", async () => {
    f.elb.on(DescribeTargetHealthCommand).rejectsOnce(throttled()).resolves({ TargetHealthDescriptions: [healthy("10.0.1.10")] });
    await deploy(f.ctx, NEW);
    expect((await readLedger(f.ctx)).phase).toBe("deployed");
    f.elb.on(DescribeTargetHealthCommand).rejects(throttled());
    await expect(deploy(f.ctx, release("2.0.1"))).rejects.toThrow("DescribeTargetHealth still failing after 6 attempts: Throttling: Rate exceeded");
  });

  it("an error that is not transient is not retried", async () => {
    f.reach("promoted");
    f.cloudwatch.on(DescribeAlarmsCommand).rejects(Object.assign(new Error("User is not authorized"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
    await expect(bake(f.ctx, 60_000)).rejects.toThrow("DescribeAlarms: AccessDenied: User is not authorized");
    expect(f.cloudwatch.commandCalls(DescribeAlarmsCommand)).toHaveLength(1);
  });
});

describe("a fresh checkout continues from the state the release command left in the stack", () => {
  const web: FakeService = {
    kind: "instances",
    port: 80,
    routing: { priority: 100, hostHeaders: ["www.staging.example.com"] },
    release: { live: "blue", generation: 9, blue: { version: "3.0.0", ami: "ami-0123456789abcdef0" }, green: { version: "2.9.0", ami: "ami-0fedcba9876543210" }, previous: { version: "2.9.0", ami: "ami-0fedcba9876543210" }, phase: "baked" },
  };
  beforeEach(() => {
    // web was released by a CI job that failed before it committed the stack file: deployed at generation 9 ...
    f.update((s) => void (s.config["flipstack:services"].web = structuredClone(web)));
    f.reach("retired");
    // ... while the checkout still holds what it had before that job.
    f.update((s) => void (s.config["flipstack:services"].web.release = { live: "green", generation: 7, green: { version: "2.9.0", ami: "ami-0fedcba9876543210" } }));
  });

  it("a release of another service takes that service's release state from the deployed stack instead of failing the stale-release guard", async () => {
    await deploy(f.ctx, release("3.0.0"));
    expect(f.live()).toBe("blue 2.0.0");
    expect(f.state().config["flipstack:services"].web.release).toMatchObject({ live: "blue", generation: 9, phase: "baked" });
  });

  it("release sync writes every service's deployed release state into the stack file, without an up", async () => {
    await releaseCommand(f.environment).parseAsync(["sync", "--stack", "staging"], { from: "user" });
    expect(f.calls()).not.toContain("up");
    expect(f.printed).toContain("sync: stack staging: release config of web taken from the deployed stack");
    expect(f.state().config["flipstack:services"].web.release).toEqual(web.release);
  });
});

describe("the listener, not only the ledger, says which slot is live", () => {
  // Drift: the live rule was pointed back at green outside flipstack, while the ledger says blue is live.
  const liveRuleOnGreen = () => f.elb.on(DescribeRulesCommand).resolves({ Rules: [{ Actions: [{ Type: "forward", TargetGroupArn: greenGroup }] }] });

  it("the bake stops before watching alarms when the live rule forwards to another slot, naming both", async () => {
    f.reach("promoted");
    liveRuleOnGreen();
    await expect(bake(f.ctx, 600_000)).rejects.toThrow(
      "bake: api's live listener rule forwards to green, but the stack's ledger says blue (2.0.0) is live; nothing was changed",
    );
    expect(f.cloudwatch.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
    expect(f.elb.commandCalls(DescribeRulesCommand)[0].args[0].input).toEqual({ RuleArns: [expect.stringMatching(/listener-rule\/.*\/api-live$/)] });
  });

  it("a rollback stops on the same mismatch instead of flipping from a false start", async () => {
    f.reach("promoted");
    liveRuleOnGreen();
    await expect(rollback(f.ctx)).rejects.toThrow("rollback: api's live listener rule forwards to green, but the stack's ledger says blue (2.0.0) is live");
    expect(f.calls()).toEqual([]);
  });
});

describe("Pulumi Cloud's concurrent-update answer counts as a lock", () => {
  it("`[409] Conflict` in other words is waited for with --wait like the lock file", async () => {
    f.update((s) => Object.assign(s, { lockedUps: 1, lockedMessage: "error: [409] Conflict: The stack 'acme/flipstack/staging' is currently being updated by another client" }));
    await deploy({ ...f.ctx, timing: { ...f.ctx.timing, lockWaitMs: 60_000 } }, NEW);
    expect(f.logs).toContain("deploy: stack staging is locked by another update; waiting for it (1m 00s left)");
    expect(f.live()).toBe("green 1.0.0");
    expect((await readLedger(f.ctx)).idleVersion).toBe("2.0.0");
  });
});

describe("a lock left by a crashed `pulumi up`", () => {
  const lockedBy = (pid: number) =>
    f.update((s) => Object.assign(s, {
      lockedUps: -1,
      staleLock: true,
      lockedMessage: `error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with \`pulumi cancel\`.\n  s3://state/.pulumi/locks/organization/flipstack/staging/4a1c.json: created by ci@${os.hostname()} (pid ${pid}) at 2026-11-22T10:00:00Z`,
    }));
  // A process that has exited: its pid names nobody any more.
  const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;

  it("is named precisely, and never cleared without --clear-stale-lock", async () => {
    const pid = deadPid();
    lockedBy(pid);
    await expect(deploy(f.ctx, NEW)).rejects.toMatchObject({
      exitCode: EXIT.locked,
      message: `deploy: stack staging is locked by pid ${pid} on this machine, which is no longer running: a \`pulumi up\` that crashed left its lock. Run this command again with \`--clear-stale-lock\` to clear that lock and continue (it is cleared only while its owner is still gone)`,
    });
    expect(f.calls()).not.toContain("cancel");
  });

  it("with --clear-stale-lock, is cleared once and the step continues", async () => {
    lockedBy(deadPid());
    await deploy({ ...f.ctx, clearStaleLock: true }, NEW);
    expect(f.calls().filter((c) => c === "cancel")).toHaveLength(1);
    expect((await readLedger(f.ctx)).idleVersion).toBe("2.0.0");
  });

  it("held by a live process is never cancelled, even with --clear-stale-lock", async () => {
    lockedBy(process.pid);
    await expect(deploy({ ...f.ctx, clearStaleLock: true }, NEW)).rejects.toThrow("deploy: stack staging is locked by another update");
    expect(f.calls()).not.toContain("cancel");
  });
});
