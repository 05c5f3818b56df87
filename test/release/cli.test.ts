import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { releaseCommand } from "../../cli/commands/release";
import { EXIT } from "../../cli/release/errors";
import { FAKE_PULUMI_ROOT, fixture, STAGES, type Fixture } from "./harness";

const ROOT = path.join(__dirname, "..", "..");
const FLIPSTACK = path.join(ROOT, "bin", "flipstack.js");
const SUBCOMMANDS = ["deploy", "verify", "promote", "bake", "retire", "rollback", "run", "sync", "status"];

function help(sub: string): string {
  const command = releaseCommand().commands.find((c) => c.name() === sub)!;
  let text = "";
  command.configureOutput({ writeOut: (s) => void (text += s) }).outputHelp();
  return text;
}

describe("flipstack release on the command line", () => {
  it.each(SUBCOMMANDS)("release %s --help lists its options and gives an example", (sub) => {
    expect(help(sub)).toContain("--stack <name>");
    expect(help(sub)).toMatch(/Examples?:\n {2}\$ flipstack release /);
  });

  it("release --help explains the pipeline and the exit codes", () => {
    let text = "";
    releaseCommand().configureOutput({ writeOut: (s) => void (text += s) }).outputHelp();
    expect(text).toContain("4 no Pulumi CLI; 5 the stack is locked by another");
    expect(SUBCOMMANDS.every((sub) => text.includes(`  ${sub} `))).toBe(true);
  });

  it.each([
    ["deploy", "--service", "api", "--version", "2.0.0", "--image", "r/api:2.0.0"],
    ["run", "--service", "api", "--version", "2.0.0", "--image", "r/api:2.0.0", "--ci"],
    ["status"],
  ])("without the Pulumi CLI, release %s says so in one line and exits 4, before looking for a project", (...args) => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-no-project-"));
    const result = spawnSync(process.execPath, [FLIPSTACK, "release", ...args, "--stack", "staging"], {
      cwd: empty,
      env: { ...process.env, PATH: path.dirname(process.execPath) },
      encoding: "utf8",
    });
    fs.rmSync(empty, { recursive: true });
    expect(result.status).toBe(EXIT.noPulumi);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "flipstack: the release commands need the Pulumi CLI, which is not on PATH: install it with `curl -fsSL https://get.pulumi.com | sh` " +
        "(or see https://www.pulumi.com/docs/install/) and run the command again; nothing was changed\n",
    );
  });
});

describe("every exit path says which color serves traffic", () => {
  let f: Fixture;
  beforeEach(async () => (f = await fixture()));
  afterEach(() => f.cleanup());

  const release = (...args: string[]) => {
    const cli = releaseCommand(f.environment);
    // A usage error must fail the test, not exit the test worker.
    [cli, ...cli.commands].forEach((c) => c.exitOverride());
    return cli.parseAsync([...args, "--stack", "staging", "--service", "api"], { from: "user" });
  };
  const NEW = ["--version", "2.0.0", "--image", STAGES.promoted.blue.image];
  const FAST = ["--attempts", "2", "--timeout", "1s"];

  it.each<[string, keyof typeof STAGES | null, () => void, string[], string | null, string]>([
    ["deploy that succeeds", null, () => undefined, ["deploy", ...NEW], null, "live: api green 1.0.0"],
    ["deploy whose pulumi up fails", null, () => f.failUp(1), ["deploy", ...NEW], "deploy: pulumi up failed", "live: api green 1.0.0"],
    ["verify that gets 500", "deployed", () => (f.listener.mode = "error"), ["verify", ...FAST], "status 500, expected 200", "live: api green 1.0.0"],
    ["promote refused before verify", "deployed", () => undefined, ["promote"], "has not passed verify", "live: api green 1.0.0"],
    ["promote", "verified", () => undefined, ["promote"], null, "live: api blue 2.0.0"],
    ["bake with an alarm", "promoted", () => alarm(f), ["bake", "--for", "5m"], "rolled back to green 1.0.0", "live: api green 1.0.0"],
    ["retire refused before the bake", "promoted", () => undefined, ["retire"], "is the way back", "live: api blue 2.0.0"],
    ["rollback", "promoted", () => undefined, ["rollback"], null, "live: api green 1.0.0"],
    ["run on a locked stack", null, () => f.update((s) => void (s.lockedUps = -1)), ["run", ...NEW], "is locked by another update", "live: api green 1.0.0"],
    ["run with a mistyped duration", null, () => undefined, ["run", ...NEW, "--bake", "10"], "`--bake` \"10\" is not a duration", "live: api green 1.0.0"],
  ])("%s", async (_, stage, arrange, args, failure, live) => {
    if (stage) f.reach(stage);
    arrange();
    const outcome = release(...args);
    if (failure) await expect(outcome).rejects.toThrow(failure);
    else await outcome;
    expect(f.printed[f.printed.length - 1]).toBe(live);
  });

  it("release status shows every service's release state, then where each one's traffic goes", async () => {
    f.reach("promoted");
    await releaseCommand(f.environment).parseAsync(["status", "--stack", "staging"], { from: "user" });
    expect(f.printed).toEqual([
      "SERVICE  LIVE        IDLE         PREVIOUS  PHASE     GENERATION",
      "api      blue 2.0.0  green 1.0.0  1.0.0     promoted  8",
      "live: api blue 2.0.0",
    ]);
  });
});

describe("flipstack release as a process, with the fake pulumi on PATH", () => {
  let f: Fixture;
  beforeEach(async () => (f = await fixture()));
  afterEach(() => f.cleanup());

  const flipstack = (...args: string[]) =>
    promisify(execFile)(process.execPath, [FLIPSTACK, "release", ...args, "--stack", "staging", "--cwd", f.dir], {
      env: { ...process.env, ...f.env, PATH: `${path.join(FAKE_PULUMI_ROOT, "bin")}${path.delimiter}${process.env.PATH}` },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
    );

  it("a failed verify exits 1 with one line on stderr, and ends with the live line", async () => {
    f.reach("deployed");
    f.listener.mode = "error";
    const result = await flipstack("verify", "--service", "api", "--attempts", "2", "--backoff", "10ms", "--timeout", "1s");
    expect(result.code).toBe(EXIT.failed);
    expect(result.stderr).toMatch(/^flipstack: verify: blue 2\.0\.0: .*failed the smoke test 2 times; last: status 500, expected 200; users stay on green 1\.0\.0, and promote is refused until verify passes\n$/);
    expect(result.stdout.trim().split("\n").pop()).toBe("live: api green 1.0.0");
  });

  it("status reads the deployed stack through the Automation API", async () => {
    const result = await flipstack("status");
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain("live: api green 1.0.0");
    expect(f.argv()[0]).toEqual(["stack", "select", "--stack", "staging", "--non-interactive"]);
  });
});

function alarm(f: Fixture) {
  f.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: "api-blue-5xx", StateValue: "ALARM" }] });
}
