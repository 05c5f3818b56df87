/**
 * The release tests' world: a Pulumi project folder, the recording fake of the `pulumi` CLI (test/fakes/pulumi)
 * driven through the real Automation API, ELBv2 and CloudWatch mocked with aws-sdk-client-mock, a real HTTP
 * server as the test listener, and a clock whose waits return at once.
 */
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import { DescribeRulesCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { mockClient } from "aws-sdk-client-mock";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Clock, ReleaseContext, Timing } from "../../cli/release/context";
import type { ReleaseEnvironment } from "../../cli/release/environment";
import { openStack } from "../../cli/release/workspace";
import { testListener, type TestListener } from "./testListener";

export const FAKE_PULUMI_ROOT = path.join(__dirname, "..", "fakes", "pulumi");
const FAKE_PULUMI = path.join(FAKE_PULUMI_ROOT, "bin", "pulumi");

export interface FakeSlot {
  version: string;
  image?: string;
  ami?: string;
  schema?: number;
  schemaMinimum?: number;
}

export interface FakeService {
  kind: "instances" | "containers";
  port: number;
  routing: { priority: number; hostHeaders?: string[] };
  smokeTest?: { path?: string; expectStatus?: number; versionHeader?: string };
  alarms?: string[];
  /** `services.<name>.shift` as the stack config holds it, e.g. `canary 10% 5m`. */
  shift?: string | Record<string, unknown>;
  migration?: { command: string[]; timeout?: string };
  release: {
    live: "blue" | "green";
    generation?: number | string;
    blue?: FakeSlot;
    green?: FakeSlot;
    previous?: FakeSlot;
    phase?: string;
    weight?: number;
    migrated?: { schema: number; minimum: number; version: string };
  };
}

/** The fake CLI's state file (see test/fakes/pulumi/fake.js). */
export interface FakeState {
  stack: string;
  config: { "aws:region"?: string; "flipstack:services": Record<string, FakeService> };
  outputs: { services?: Record<string, { live: string; liveVersion: string | null; idle: string | null; idleVersion: string | null; phase: string | null; generation: number; previousVersion: string | null; weight?: number; ecsServices?: Record<string, { serviceName: string; taskDefinitionArn: string }> }> };
  testUrl: string;
  lockedUps?: number;
  lockedMessage?: string;
  staleLock?: boolean;
  faults?: Array<{ up: number; mode: "fail" | "applyThenFail"; message?: string }>;
  withoutArtefacts?: boolean;
  /** The image build of a slot marked `build: true` fails with this message. */
  buildFailure?: string;
  /** Image tags already pushed (`api:2.0.0`); a build adds its own. */
  pushed?: string[];
  /** false: the stack builds no images (as production). */
  buildsImages?: boolean;
  ups?: number;
  /** Stack tags (`pulumi stack tag`); `tagsUnsupported` makes every tag command fail as on a backend without them. */
  tags?: Record<string, string>;
  tagsUnsupported?: boolean;
  /** What a `pulumi preview` of the checkout would change beyond the deployed stack (see fake.js). */
  checkoutChanges?: Array<{ op: string; type: string; name: string }>;
}

export const image = (version: string) => `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:${version}`;
export const release = (version: string) => ({ version, image: image(version) });

/** `api` on containers, live on green 1.0.0 at generation 7, deployed (the outputs match the config). */
export function apiService(): FakeService {
  return {
    kind: "containers",
    port: 8080,
    routing: { priority: 200, hostHeaders: ["api.staging.example.com"] },
    smokeTest: { path: "/version", versionHeader: "x-app-version" },
    alarms: ["api-p99-latency"],
    release: { live: "green", generation: 7, green: release("1.0.0") },
  };
}

const OLD = release("1.0.0");
const NEW = release("2.0.0");

/**
 * Where a release of 2.0.0 over 1.0.0 stands after each step, as the steps leave it (the pipeline test checks
 * that they do): tests start from one of these with a single `up` instead of replaying the steps before.
 */
export const STAGES = {
  deployed: { live: "green", generation: 7, green: OLD, blue: NEW, phase: "deployed" },
  verified: { live: "green", generation: 7, green: OLD, blue: NEW, phase: "verified" },
  promoted: { live: "blue", generation: 8, green: OLD, blue: NEW, previous: OLD, phase: "promoted" },
  baked: { live: "blue", generation: 8, green: OLD, blue: NEW, previous: OLD, phase: "baked" },
  retired: { live: "blue", generation: 8, blue: NEW, previous: OLD, phase: "retired" },
  /** A canary's first step: 10% of users on blue 2.0.0, green 1.0.0 still live. */
  shifting: { live: "green", generation: 8, green: OLD, blue: NEW, weight: 10, phase: "shifting" },
} satisfies Record<string, FakeService["release"]>;

/** Bounds small enough that no test waits: only the smoke test's request timeout is real time. */
export const FAST_TIMING: Timing = {
  healthTimeoutMs: 60_000,
  healthPollMs: 5_000,
  // Generous per-request limit: a loaded CI machine must not fail a healthy local server; the slow listener is slower.
  verify: { attempts: 3, timeoutMs: 1_000, backoffMs: 1_000, maxBackoffMs: 30_000 },
  bakePollMs: 30_000,
  lockWaitMs: 0,
  lockPollMs: 10_000,
  migrationPollMs: 5_000,
};

export interface Fixture {
  dir: string;
  ctx: ReleaseContext;
  /** Progress lines the steps logged. */
  logs: string[];
  /** Lines the commands printed (command-level tests, through `environment`). */
  printed: string[];
  environment: ReleaseEnvironment;
  listener: TestListener;
  elb: ReturnType<typeof mockClient>;
  cloudwatch: ReturnType<typeof mockClient>;
  /** ECS and CloudWatch Logs, unmocked answers until a test gives some (a migration's task and log lines). */
  ecs: ReturnType<typeof mockClient>;
  /** (Again, after `ecs.reset()`) ECS answers that every slot runs its deployed task definition, rolled out. */
  ecsRunsDeployed(): void;
  cloudwatchLogs: ReturnType<typeof mockClient>;
  clock: Clock & { sleeps: number[]; onSleep?: () => void };
  /** Environment for a spawned `flipstack` using the fake CLI. */
  env: Record<string, string>;
  state(): FakeState;
  update(change: (state: FakeState) => void): void;
  /** The config writes and `up`s the release made since the fixture was ready: `set blue.version=2.0.0`, `rm green`, `up`. */
  calls(): string[];
  /** Every argv the fake CLI received. */
  argv(): string[][];
  /** What serves traffic according to the fake stack's deployed outputs: `green 1.0.0`. */
  live(): string;
  /** Deploys `api` at a stage of a release, or in any release state (config and outputs), as if the steps had run; the log starts empty. */
  reach(stage: keyof typeof STAGES | FakeService["release"]): void;
  /** Makes the n-th `up` from now fail before it changes anything, or (`applyThenFail`) after. */
  failUp(n: number, mode?: "fail" | "applyThenFail"): void;
  cleanup(): Promise<void>;
}

let pulumiCommand: Promise<PulumiCommand> | undefined;

export async function fixture(service: FakeService = apiService()): Promise<Fixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-release-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: flipstack\nruntime: nodejs\nmain: stacks/\n");
  const stateFile = path.join(dir, "fake-pulumi-state.json");
  const logFile = path.join(dir, "fake-pulumi-log.jsonl");
  const env = { FAKE_PULUMI_STATE: stateFile, FAKE_PULUMI_LOG: logFile };
  const state = () => JSON.parse(fs.readFileSync(stateFile, "utf8")) as FakeState;
  const write = (s: FakeState) => fs.writeFileSync(stateFile, JSON.stringify(s, null, 2));
  const update = (change: (s: FakeState) => void) => {
    const s = state();
    change(s);
    write(s);
  };

  const listener = await testListener(() => state().outputs.services?.api?.idleVersion ?? null);
  write({ stack: "staging", config: { "aws:region": "eu-west-1", "flipstack:services": { api: service } }, outputs: {}, testUrl: listener.url });
  // The stack as deployed before the test: one `up`, then a clean log.
  const deployNow = () => {
    execFileSync(process.execPath, [FAKE_PULUMI, "up", "--yes", "--stack", "staging"], { env: { ...process.env, ...env } });
    fs.writeFileSync(logFile, "");
  };
  deployNow();

  // Git keeps the fake's executable bit (mode 100755); an archive or copy that drops it would fail every test here.
  fs.chmodSync(FAKE_PULUMI, 0o755);
  pulumiCommand ??= PulumiCommand.get({ root: FAKE_PULUMI_ROOT, skipVersionCheck: true });
  const stack = await openStack({ workDir: dir, stack: "staging", pulumi: await pulumiCommand, envVars: env });

  const elbClient = new ElasticLoadBalancingV2Client({ region: "eu-west-1" });
  const cloudwatchClient = new CloudWatchClient({ region: "eu-west-1" });
  const elb = mockClient(elbClient);
  elb.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [healthy("10.0.1.10"), healthy("10.0.2.10")] });
  // The live rule forwards where the deployed stack says, as the real listener does after a successful `up`.
  elb.on(DescribeRulesCommand).callsFake(() => {
    const api = (state().outputs.services?.api ?? {}) as { live?: string; targetGroupArns?: Record<string, string> };
    return { Rules: [{ Actions: [{ Type: "forward", TargetGroupArn: api.targetGroupArns?.[api.live ?? ""] }] }] };
  });
  const cloudwatch = mockClient(cloudwatchClient);
  const ecsClient = new ECSClient({ region: "eu-west-1" });
  const logsClient = new CloudWatchLogsClient({ region: "eu-west-1" });
  const ecs = mockClient(ecsClient);
  const cloudwatchLogs = mockClient(logsClient);
  // ECS runs what the deployed stack says each slot runs, rolled out, as after a deployment that succeeded.
  const answerDescribeServices = () =>
    ecs.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => {
      const slots = Object.values(state().outputs.services?.api?.ecsServices ?? {});
      const running = slots.filter((s) => input.services.includes(s.serviceName));
      return { services: running.map((s) => ({ serviceName: s.serviceName, status: "ACTIVE", deployments: [{ status: "PRIMARY", taskDefinition: s.taskDefinitionArn, rolloutState: "COMPLETED", runningCount: 2, desiredCount: 2 }] })), failures: [] };
    });
  answerDescribeServices();
  cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({ MetricAlarms: input.AlarmNames.map((name) => ({ AlarmName: name, StateValue: "OK" })) }));

  let now = 0;
  const clock: Fixture["clock"] = {
    sleeps: [],
    now: () => now,
    async sleep(ms) {
      clock.sleeps.push(ms);
      now += ms;
      clock.onSleep?.();
    },
  };
  const logs: string[] = [];
  const printed: string[] = [];
  const contextWith = (timing: Timing, log: (line: string) => void): ReleaseContext => ({
    stack,
    service: "api",
    releaseKey: "flipstack:services.api.release",
    aws: { elb: async () => elbClient, cloudwatch: async () => cloudwatchClient, ecs: async () => ecsClient, logs: async () => logsClient },
    clock,
    timing,
    log,
  });
  const print = (line: string) => void printed.push(line);
  const environment: ReleaseEnvironment = {
    print,
    interactive: false,
    openContext: async (flags) => ({ ...contextWith(FAST_TIMING, print), service: flags.service ?? "" }),
  };

  const argv = () => fs.readFileSync(logFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as string[]);
  return {
    dir,
    ctx: contextWith(FAST_TIMING, (line) => void logs.push(line)),
    logs,
    printed,
    environment,
    listener,
    elb,
    cloudwatch,
    ecs,
    ecsRunsDeployed: answerDescribeServices,
    cloudwatchLogs,
    clock,
    env,
    state,
    update,
    argv,
    calls: () => argv().map(describeCall).filter((c): c is string => c !== undefined),
    live() {
      const api = state().outputs.services?.api;
      return `${api?.live} ${api?.liveVersion}`;
    },
    failUp(n, mode = "fail") {
      update((s) => void (s.faults = [{ up: (s.ups ?? 0) + n, mode }]));
    },
    reach(stage) {
      update((s) => void (s.config["flipstack:services"].api.release = structuredClone(typeof stage === "string" ? STAGES[stage] : stage)));
      deployNow();
    },
    async cleanup() {
      await listener.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const healthy = (id: string) => ({ Target: { Id: id, Port: 8080 }, TargetHealth: { State: "healthy" as const } });

const RELEASE_KEY = "flipstack:services.api.release.";

/** `config set` → `set <path>=<value>`, `config rm` → `rm <path>`, `up` → `up`; reads are left out. */
function describeCall(args: string[]): string | undefined {
  const [command, sub] = args;
  const key = () => args.find((a) => a.startsWith(RELEASE_KEY))?.slice(RELEASE_KEY.length);
  if (command === "up") return "up";
  if (command === "cancel") return "cancel";
  if (command === "config" && sub === "set") return `set ${key()}=${args[args.indexOf("--") + 1]}`;
  if (command === "config" && sub === "rm") return `rm ${key()}`;
  return undefined;
}
