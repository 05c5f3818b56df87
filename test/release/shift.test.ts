import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { readLedger } from "../../cli/release/applyRelease";
import { runServiceAction, runStatus } from "../../cli/release/actions";
import { EXIT } from "../../cli/release/errors";
import type { ServiceLedger } from "../../cli/release/ledger";
import { runPipeline, stepsToDo } from "../../cli/release/pipeline";
import { deploy } from "../../cli/release/steps/deploy";
import { promote } from "../../cli/release/steps/promote";
import { retire } from "../../cli/release/steps/retire";
import { rollback } from "../../cli/release/steps/rollback";
import { apiService, fixture, release, STAGES, type Fixture } from "./harness";

// Every step of a shift is a `pulumi up` through the real Automation API (several CLI processes each), and a linear
// shift makes five of them: on a loaded machine that takes longer than the default limit, with no real waiting.
jest.setTimeout(240_000);

const OLD = release("1.0.0");
/** The final flip of a shift, at the generation after its last weighted step. */
const flip = (generation: number) => [
  "set live=blue", `set generation=${generation}`, "rm weight", "set previous.version=1.0.0", `set previous.image=${OLD.image}`, "set phase=promoted", "up",
];
const weightOf = (f: Fixture) => f.state().outputs.services?.api?.weight ?? 0;
/** Names each DescribeAlarms call asked for. */
const watched = (f: Fixture) => f.cloudwatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.AlarmNames);
const slept = (f: Fixture) => f.clock.sleeps.reduce((a, b) => a + b, 0);

async function shiftFixture(shift: string, stage: keyof typeof STAGES = "verified"): Promise<Fixture> {
  const f = await fixture({ ...apiService(), shift });
  f.reach(stage);
  return f;
}

describe("release promote with a canary shift", () => {
  let f: Fixture;
  beforeEach(async () => (f = await shiftFixture("canary 10% 5m")));
  afterEach(() => f.cleanup());

  it("sends 10% to the new slot in one up, watches its alarms for 5 minutes, then flips with a second up", async () => {
    await promote(f.ctx);
    expect(f.calls()).toEqual([
      "set generation=8", "set weight=10", "set phase=shifting", "up",
      ...flip(9),
    ]);
    expect(f.live()).toBe("blue 2.0.0");
    expect(await readLedger(f.ctx)).toMatchObject({ weight: 0, phase: "promoted", previousVersion: "1.0.0", generation: 9 });
    expect(slept(f)).toBe(5 * 60_000);
    // The new slot's alarms and the service's own, never the old slot's.
    expect(new Set(watched(f).flat())).toEqual(new Set(["api-blue-5xx", "api-blue-unhealthy-hosts", "api-p99-latency"]));
  });

  it("records the weight, so the ledger and `release status` show the split while the step is watched", async () => {
    const during: string[][] = [];
    f.clock.onSleep = () => {
      if (during.length === 0) {
        const outputs = f.state().outputs.services!.api as unknown as ServiceLedger;
        during.push([String(outputs.weight), JSON.stringify(outputs.weights)]);
      }
    };
    await promote(f.ctx);
    expect(during).toEqual([["10", JSON.stringify({ blue: 10, green: 90 })]]);
    expect(f.logs).toContain("promote: 10% of users on blue 2.0.0 (step 1 of 2); watching 3 alarms for 5m 00s");
  });

  it("a concurrent run finds the stack locked: exit 5, nothing moved", async () => {
    f.update((s) => void (s.lockedUps = -1));
    await expect(promote(f.ctx)).rejects.toMatchObject({ exitCode: EXIT.locked });
    expect(f.live()).toBe("green 1.0.0");
    expect(weightOf(f)).toBe(0);
    expect(f.calls().filter((c) => c === "up")).toHaveLength(1);
  });
});

describe("release promote with a linear shift", () => {
  let f: Fixture;
  beforeEach(async () => (f = await shiftFixture("linear 25% every 2m")));
  afterEach(() => f.cleanup());

  it("walks 25, 50 and 75% (one up each, listener rules only), watching each for 2 minutes, then flips", async () => {
    await promote(f.ctx);
    expect(f.calls()).toEqual([
      "set generation=8", "set weight=25", "set phase=shifting", "up",
      "set generation=9", "set weight=50", "up",
      "set generation=10", "set weight=75", "up",
      ...flip(11),
    ]);
    expect(f.live()).toBe("blue 2.0.0");
    expect(slept(f)).toBe(3 * 2 * 60_000);
  });

  it("an alarm at the middle step sends every user back to the old slot at once and exits 1", async () => {
    f.cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({
      MetricAlarms: input.AlarmNames.map((name) => ({ AlarmName: name, StateValue: name === "api-blue-5xx" && weightOf(f) === 50 ? "ALARM" : "OK" })),
    }));
    const failure = promote(f.ctx);
    await expect(failure).rejects.toMatchObject({ exitCode: EXIT.failed });
    await expect(failure).rejects.toThrow(
      "promote: alarm api-blue-5xx went off with 50% of users on blue 2.0.0; all users are back on green 1.0.0 (phase rolled-back)",
    );
    expect(f.calls()).toEqual([
      "set generation=8", "set weight=25", "set phase=shifting", "up",
      "set generation=9", "set weight=50", "up",
      // The release shifted to is recorded as failed, so a retry does not ship it again.
      "set generation=10", "rm weight", "set phase=rolled-back", "set failed[0].version=2.0.0", "set failed[0].reason=alarm api-blue-5xx during the shift", "up",
    ]);
    expect(f.live()).toBe("green 1.0.0");
    expect(await readLedger(f.ctx)).toMatchObject({ weight: 0, phase: "rolled-back", idleVersion: "2.0.0" });
  });

  it("a crash after step 2 resumes at step 3 without repeating a step", async () => {
    f.failUp(2, "applyThenFail"); // step 2's up applies, then the connection is lost
    await expect(promote(f.ctx)).rejects.toThrow("promote 50%: pulumi up failed");
    expect(weightOf(f)).toBe(50);
    const before = f.calls().length;
    const sleptBefore = slept(f);

    await promote(f.ctx);
    expect(f.calls().slice(before)).toEqual([
      "set generation=10", "set weight=75", "up",
      ...flip(11),
    ]);
    expect(f.logs).toContain("promote: resuming the shift of api at 50% (step 2 of 4); watching that step again");
    // Step 2's watch (cut short by the crash) and step 3's.
    expect(slept(f) - sleptBefore).toBe(2 * 2 * 60_000);
    expect(f.live()).toBe("blue 2.0.0");
  });

  it("another update taking the lock mid-shift fails the step with exit 5 and leaves the recorded weight to resume from", async () => {
    let took = false;
    f.clock.onSleep = () => {
      if (!took && weightOf(f) === 25) f.update((s) => void (s.lockedUps = -1));
      took = true;
    };
    await expect(promote(f.ctx)).rejects.toMatchObject({ exitCode: EXIT.locked });
    expect(weightOf(f)).toBe(25);
    f.update((s) => void (s.lockedUps = 0));
    await promote(f.ctx);
    expect(f.live()).toBe("blue 2.0.0");
  });
});

describe("release rollback and run during a shift", () => {
  let f: Fixture;
  afterEach(() => f.cleanup());

  it("rollback mid-shift returns every user to the old slot with one up (listener rules only)", async () => {
    f = await shiftFixture("canary 10% 5m", "shifting");
    await rollback(f.ctx);
    expect(f.calls()).toEqual(["set generation=9", "rm weight", "set phase=rolled-back", "set failed[0].version=2.0.0", "set failed[0].reason=rolled back by `release rollback` during the shift", "up"]);
    expect(f.live()).toBe("green 1.0.0");
    expect(await readLedger(f.ctx)).toMatchObject({ weight: 0, phase: "rolled-back", idleVersion: "2.0.0", previousVersion: null });
  });

  it("deploy and retire --force refuse to touch the slot a shift is sending users to", async () => {
    f = await shiftFixture("canary 10% 5m", "shifting");
    await expect(deploy(f.ctx, release("3.0.0"))).rejects.toMatchObject({ exitCode: EXIT.refused, message: expect.stringContaining("10% of users are on blue 2.0.0 (a shift under way)") });
    await expect(retire(f.ctx, { force: true })).rejects.toMatchObject({ exitCode: EXIT.refused, message: expect.stringContaining("run `release rollback` first") });
    expect(f.calls()).toEqual([]);
  });

  it("`release run` uses the service's strategy and names it in the step list", async () => {
    f = await shiftFixture("canary 10% 5m", "retired");
    const printed: string[] = [];
    await runPipeline(f.ctx, { artefact: release("3.0.0"), bakeMs: 60_000, verify: {}, plain: true, print: (line) => printed.push(line) });
    expect(printed).toContain("▶ promote: canary 10% → 100%, 5m 00s a step (5m 00s)");
    expect(f.calls()).toContain("set weight=10");
    expect(f.live()).toBe("green 3.0.0");
  });

  it("`release status` and the closing line show the split", async () => {
    f = await shiftFixture("canary 10% 5m", "shifting");
    await runStatus({ stack: "staging" }, f.environment);
    expect(f.printed).toEqual([
      "SERVICE  LIVE             IDLE            PREVIOUS  PHASE     GENERATION",
      "api      green 1.0.0 90%  blue 2.0.0 10%  -         shifting  8",
      "live: api green 1.0.0 90% / blue 2.0.0 10%",
    ]);
  });

  it("`release promote` on a shift under way resumes it and ends with the live line", async () => {
    f = await shiftFixture("canary 10% 5m", "shifting");
    await runServiceAction("promote", { stack: "staging", service: "api" }, f.environment);
    expect(f.calls()).toEqual(flip(9));
    expect(f.printed.at(-1)).toBe("live: api blue 2.0.0");
  });
});

describe("where `release run` resumes a shift", () => {
  const ledger = { live: "green", liveVersion: "1.0.0", idle: "blue", idleVersion: "2.0.0", phase: "shifting", weight: 25, failed: [] } as unknown as ServiceLedger;
  it("a shift under way resumes at promote", () => {
    expect(stepsToDo(ledger, "2.0.0", "api")).toEqual(["promote", "bake", "retire"]);
  });
});

// Keeps the fixtures' stages honest: the shifting stage is what a canary's first step leaves.
it("the shifting stage is the state a canary's first step writes", async () => {
  const f = await shiftFixture("canary 10% 5m");
  try {
    f.clock.onSleep = () => {
      throw new Error("stop after the first step");
    };
    await expect(promote(f.ctx)).rejects.toThrow("stop after the first step");
    expect(f.state().config["flipstack:services"].api.release).toEqual(STAGES.shifting);
  } finally {
    await f.cleanup();
  }
});
