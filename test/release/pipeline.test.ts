import * as net from "node:net";
import { readLedger } from "../../cli/release/applyRelease";
import { runPipeline, stepsToDo } from "../../cli/release/pipeline";
import type { ServiceLedger } from "../../cli/release/ledger";
import { bake } from "../../cli/release/steps/bake";
import { deploy } from "../../cli/release/steps/deploy";
import { promote } from "../../cli/release/steps/promote";
import { retire } from "../../cli/release/steps/retire";
import { verify } from "../../cli/release/steps/verify";
import { fixture, release, STAGES, type Fixture } from "./harness";

const NEW = release("2.0.0");
const run = (f: Fixture, print: (line: string) => void = () => undefined) =>
  runPipeline(f.ctx, { artefact: NEW, bakeMs: 600_000, verify: {}, plain: true, print });

describe("release run against the recording fake of the pulumi CLI", () => {
  // One release, run once; the tests below read what it did.
  let f: Fixture;
  const printed: string[] = [];
  beforeAll(async () => {
    f = await fixture();
    await run(f, (line) => printed.push(line));
  });
  afterAll(() => f.cleanup());

  it("deploys to the idle slot, verifies, promotes, bakes and retires with exactly these config writes and ups", async () => {
    expect(f.calls()).toEqual([
      "set blue.version=2.0.0", `set blue.image=${NEW.image}`, "set phase=deployed", "up",
      "set phase=verified", "up",
      "set live=blue", "set generation=8", "set previous.version=1.0.0", `set previous.image=${release("1.0.0").image}`, "set phase=promoted", "up",
      "set phase=baked", "up",
      "rm green", "set phase=retired", "up",
    ]);
    expect(f.live()).toBe("blue 2.0.0");
    expect(await readLedger(f.ctx)).toMatchObject({ idle: null, previousVersion: "1.0.0", phase: "retired", generation: 8 });
  });

  it("reads the deployed ledger, then the stack config, before every change, and never cancels anything", () => {
    const commands = f.argv().map((a) => (a[0] === "up" ? "up" : a.slice(0, 2).join(" ")));
    const readsBeforeEachUp: string[][] = [];
    let reads: string[] = [];
    for (let i = 0; i < commands.length; i++) {
      if (commands[i] === "up") {
        readsBeforeEachUp.push(reads.slice(-3));
        reads = [];
        i += 3; // what the SDK runs after each up: the outputs (twice) and the update summary
      } else if (commands[i] !== "config set" && commands[i] !== "config rm") reads.push(commands[i]);
    }
    // Promote (the third up) also previews the checkout, with the release config taken from the deployed stack first,
    // to make sure its update changes nothing but the listener rules.
    const plain = ["stack output", "stack output", "config get"];
    expect(readsBeforeEachUp).toEqual([plain, plain, ["config get", "preview --exec-kind", "config get"], plain, plain]);
    expect(commands.filter((c) => c.startsWith("preview"))).toHaveLength(1);
    expect(commands).not.toContain("cancel");
  });

  it("writes the config through the Automation API as `pulumi config set --path`, plaintext, on the named stack", () => {
    const set = f.argv().find((a) => a[0] === "config" && a[1] === "set")!;
    expect(set).toEqual(["config", "set", "--path", "flipstack:services.api.release.blue.version", "--stack", "staging", "--plaintext", "--non-interactive", "--", "2.0.0"]);
    expect(f.argv().filter((a) => a[0] === "up")[0].slice(0, 3)).toEqual(["up", "--yes", "--skip-preview"]);
  });

  it("prints each step with its elapsed time, and pulumi's output and the steps' lines indented", () => {
    expect(printed.filter((l) => /^[▶✔]/.test(l))).toEqual([
      "▶ deploy 2.0.0 to the idle slot", "✔ deploy 2.0.0 to the idle slot (0.0 s)",
      "▶ verify through the test listener", "✔ verify through the test listener (0.0 s)",
      "▶ promote: move live traffic", "✔ promote: move live traffic (0.0 s)",
      "▶ bake 10m 00s", "✔ bake 10m 00s (10m 00s)",
      "▶ retire the old slot", "✔ retire the old slot (0.0 s)",
    ]);
    expect(printed).toContain("  Updating (staging)");
    expect(printed).toContain(`  verify: ${f.listener.url}version answered 200 with version 2.0.0 (attempt 1/3)`);
  });

  it("sends the service's host to the test listener", () => {
    expect(new Set(f.listener.hosts)).toEqual(new Set(["api.staging.example.com"]));
  });
});

describe("release run, step by step", () => {
  let f: Fixture;
  beforeEach(async () => (f = await fixture()));
  afterEach(() => f.cleanup());

  it("each step leaves the release config at the stage the other tests start from", async () => {
    const steps: Array<[keyof typeof STAGES, () => Promise<unknown>]> = [
      ["deployed", () => deploy(f.ctx, NEW)],
      ["verified", () => verify(f.ctx)],
      ["promoted", () => promote(f.ctx)],
      ["baked", () => bake(f.ctx, 60_000)],
      ["retired", () => retire(f.ctx)],
    ];
    for (const [stage, step] of steps) {
      await step();
      expect([stage, f.state().config["flipstack:services"].api.release]).toEqual([stage, STAGES[stage]]);
    }
  });

  it("run again for a version already released does nothing", async () => {
    f.reach("retired");
    const lines: string[] = [];
    await run(f, (line) => lines.push(line));
    expect(f.calls()).toEqual([]);
    expect(lines).toEqual(["run: api 2.0.0 is already live; nothing to do"]);
  });

  it("run again after a crash says where it resumes", async () => {
    f.reach("baked");
    const lines: string[] = [];
    await run(f, (line) => lines.push(line));
    expect(lines[0]).toBe("run: resuming api 2.0.0 at retire (deploy, verify, promote, bake done before)");
    expect(f.calls()).toEqual(["rm green", "set phase=retired", "up"]);
  });
});

describe("where a rerun of `release run` resumes, from the deployed ledger", () => {
  const ledger = (over: Partial<ServiceLedger>) => ({ live: "green", liveVersion: "1.0.0", idle: "blue", idleVersion: "2.0.0", phase: null, failed: [], ...over }) as ServiceLedger;

  it.each([
    ["nothing of it deployed", { idle: null, idleVersion: null, phase: "retired" }, ["deploy", "verify", "promote", "bake", "retire"]],
    ["another release in the idle slot that failed verify", { idleVersion: "1.5.0", phase: "deployed" }, ["deploy", "verify", "promote", "bake", "retire"]],
    ["deployed (deploy re-checks health)", { phase: "deployed" }, ["deploy", "verify", "promote", "bake", "retire"]],
    ["verified", { phase: "verified" }, ["promote", "bake", "retire"]],
    ["promoted", { live: "blue", liveVersion: "2.0.0", idle: "green", idleVersion: "1.0.0", phase: "promoted" }, ["bake", "retire"]],
    ["baked", { live: "blue", liveVersion: "2.0.0", idle: "green", idleVersion: "1.0.0", phase: "baked" }, ["retire"]],
    ["retired", { live: "blue", liveVersion: "2.0.0", idle: null, idleVersion: null, phase: "retired" }, []],
  ] as const)("%s", (_, over, steps) => {
    expect(stepsToDo(ledger(over as Partial<ServiceLedger>), "2.0.0", "api")).toEqual(steps);
  });

  it("refuses at its start while another release is verified and waiting for promote", () => {
    expect(() => stepsToDo(ledger({ idleVersion: "1.5.0", phase: "verified" }), "2.0.0", "api")).toThrow(
      "api: another release is in progress: blue holds 1.5.0, verified and waiting for promote; finish it (`release run --version 1.5.0`), or replace it deliberately with `release deploy --version 2.0.0`",
    );
  });

  it("refuses to retry a release that was rolled back", () => {
    expect(() => stepsToDo(ledger({ phase: "rolled-back" }), "2.0.0", "api")).toThrow("2.0.0 was rolled back (phase rolled-back) and is recorded as failed; it is not released again unless named: release a fix, or pass `--retry-failed 2.0.0`");
  });
});

describe("release run from a machine that cannot reach the test listener (a GitHub-hosted runner)", () => {
  it("stops before deploying, naming the listener, why, and where to run instead", async () => {
    const f = await fixture();
    try {
      // A port nothing listens on: the connection is refused, as the test listener refuses a runner outside its networks.
      const closed = await new Promise<number>((resolve) => {
        const server = net.createServer().listen(0, "127.0.0.1", () => {
          const { port } = server.address() as net.AddressInfo;
          server.close(() => resolve(port));
        });
      });
      f.update((s) => void (s.testUrl = `http://127.0.0.1:${closed}/`));
      f.reach("deployed");
      const before = f.live();
      await expect(run(f)).rejects.toThrow(
        `api: this machine cannot reach the test listener http://127.0.0.1:${closed}/ (ECONNREFUSED), which verify needs; nothing was deployed. Run the release from a network in loadBalancer.officeCidrs or behind the VPN; from CI, on a self-hosted runner there (repository variable RELEASE_RUNNER, see the README's CI/CD)`,
      );
      expect(f.calls()).toEqual([]);
      expect(f.live()).toBe(before);
    } finally {
      await f.cleanup();
    }
  });
});
