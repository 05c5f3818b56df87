import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { openStack } from "../../cli/release/releaseStack";
import type { ReleaseContext } from "../../cli/release/steps";

export const FAKE_PULUMI = path.join(__dirname, "..", "fakes", "pulumi");

export interface FakeState {
  stack: string;
  config: Record<string, unknown>;
  outputs: { services?: Record<string, Record<string, unknown>> };
  testUrl: string;
  locked?: boolean;
  failUps?: number[];
  ups?: number;
}

/** `api` on containers, live on green 1.0.0 and deployed (outputs match config), with a test server URL. */
export function deployedApi(testUrl: string): FakeState {
  return {
    stack: "staging",
    testUrl,
    config: {
      "flipstack:services": {
        api: { kind: "containers", release: { live: "green", generation: "7", green: { version: "1.0.0", image: "registry.example.com/api:1.0.0" } } },
      },
    },
    outputs: {},
  };
}

export interface Fixture {
  ctx: ReleaseContext;
  logs: string[];
  state(): FakeState;
  write(state: FakeState): void;
  calls(): string[][];
  health: ReturnType<typeof mockClient>;
  alarms: ReturnType<typeof mockClient>;
  cleanup(): void;
}

/** A project folder, the fake CLI's state and mocked AWS clients, wired into a real release context. */
export async function fixture(initial: FakeState, { deployFirst = true } = {}): Promise<Fixture> {
  fs.chmodSync(path.join(FAKE_PULUMI, "bin", "pulumi"), 0o755); // a checkout may drop the executable bit
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-release-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: flipstack\nruntime: nodejs\n");
  const stateFile = path.join(dir, "fake-state.json");
  const logFile = path.join(dir, "fake-log.jsonl");
  process.env.FAKE_PULUMI_STATE = stateFile;
  process.env.FAKE_PULUMI_LOG = logFile;
  const write = (state: FakeState) => fs.writeFileSync(stateFile, JSON.stringify(state));
  const state = () => JSON.parse(fs.readFileSync(stateFile, "utf8")) as FakeState;
  write(initial);

  const elb = new ElasticLoadBalancingV2Client({ region: "eu-west-1" });
  const cloudwatch = new CloudWatchClient({ region: "eu-west-1" });
  const health = mockClient(elb);
  health.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [{ TargetHealth: { State: "healthy" } }, { TargetHealth: { State: "healthy" } }] });
  const alarms = mockClient(cloudwatch);
  alarms.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: "api-blue-5xx", StateValue: "OK" }] });

  const logs: string[] = [];
  let clock = 0;
  const stack = await openStack({ cwd: dir, stack: initial.stack, pulumiRoot: FAKE_PULUMI });
  const ctx: ReleaseContext = {
    stack,
    namespace: "flipstack",
    service: "api",
    elb,
    cloudwatch,
    log: (line) => logs.push(line),
    // A fake clock: waiting is instant and moves time forward.
    sleep: async (ms) => void (clock += ms),
    now: () => clock,
    timing: { healthTimeoutMs: 60_000, healthPollMs: 5_000, verifyAttempts: 3, verifyTimeoutMs: 300, verifyBackoffMs: 10, bakePollMs: 30_000 },
  };
  if (deployFirst) {
    await stack.up(() => undefined);
    fs.writeFileSync(logFile, "");
  }
  const calls = () => fs.readFileSync(logFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as string[])
    .filter((a) => (a[0] === "config" && ["set", "rm"].includes(a[1])) || a[0] === "up" || a[0] === "cancel");
  return { ctx, logs, state, write, calls, health, alarms, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Compact form of the recorded calls: `set release.live=blue`, `rm release.green`, `up`. */
export function describeCalls(calls: string[][]): string[] {
  return calls.map((args) => {
    if (args[0] === "up") return "up";
    const operands = args.filter((a, i) => !a.startsWith("-") && args[i - 1] !== "--stack");
    const key = operands[2].replace("flipstack:services.api.", "");
    return args[1] === "set" ? `set ${key}=${args[args.indexOf("--") + 1]}` : `rm ${key}`;
  });
}

/** A real HTTP server on 127.0.0.1 answering like a release would. */
export async function server(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const s = http.createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => { s.closeAllConnections(); s.close(() => resolve()); }),
  };
}

export const answersVersion = (version: string): http.RequestListener => (_req, res) => {
  res.setHeader("x-app-version", version);
  res.end(`ok ${version}`);
};
