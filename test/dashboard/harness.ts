/**
 * The dashboard tests' world: one Pulumi project with several stacks kept by the recording fake of the `pulumi`
 * CLI (one state file per stack), read through the real Automation API; CloudWatch mocked with aws-sdk-client-mock;
 * the release steps run with the release tests' fast timings.
 */
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeRulesCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { mockClient } from "aws-sdk-client-mock";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ReleaseContext } from "../../cli/release/context";
import { openStack } from "../../cli/release/workspace";
import { automationWorld, type DashboardWorld } from "../../cli/dashboard/world";
import { apiService, FAKE_PULUMI_ROOT, FAST_TIMING, healthy, STAGES, type FakeService } from "../release/harness";

const FAKE_PULUMI = path.join(FAKE_PULUMI_ROOT, "bin", "pulumi");

/** `api` at a stage of a release of 2.0.0 over 1.0.0 (see the release harness). */
export function apiAt(stage: keyof typeof STAGES): FakeService {
  return { ...apiService(), release: structuredClone(STAGES[stage]) };
}

export interface DashboardFixture {
  dir: string;
  world: DashboardWorld;
  cloudwatch: ReturnType<typeof mockClient>;
  /** Environment for a spawned `flipstack` that uses the fake CLI. */
  env: Record<string, string>;
  /** The deployed `api` of a stack: `blue 2.0.0`. */
  live(stack: string): string;
  /** Sets the state of every alarm (OK by default). */
  alarmState(state: (name: string) => string): void;
  cleanup(): void;
}

let pulumiCommand: Promise<PulumiCommand> | undefined;

/** A project whose stacks each run `api` as given, deployed once; `extraOutputs` are added to every stack's outputs. */
export async function dashboardFixture(stacks: Record<string, FakeService>, extraOutputs: Record<string, unknown> = {}): Promise<DashboardFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-dashboard-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: flipstack\nruntime: nodejs\nmain: stacks/\n");
  const stateDir = path.join(dir, "fake-pulumi-stacks");
  fs.mkdirSync(stateDir);
  const env = { FAKE_PULUMI_STATE_DIR: stateDir, FAKE_PULUMI_LOG: path.join(dir, "fake-pulumi-log.jsonl") };
  const file = (stack: string) => path.join(stateDir, `${stack}.json`);
  for (const [stack, service] of Object.entries(stacks)) {
    const state = { stack, config: { "aws:region": "eu-west-1", "flipstack:services": { api: service } }, outputs: {}, testUrl: `https://lb.example.com:8443/`, history: [] };
    fs.writeFileSync(file(stack), JSON.stringify(state, null, 2));
    execFileSync(process.execPath, [FAKE_PULUMI, "up", "--yes", "--stack", stack], { env: { ...process.env, ...env } });
    if (Object.keys(extraOutputs).length > 0) {
      const deployed = JSON.parse(fs.readFileSync(file(stack), "utf8"));
      Object.assign(deployed.outputs, extraOutputs);
      fs.writeFileSync(file(stack), JSON.stringify(deployed, null, 2));
    }
  }

  fs.chmodSync(FAKE_PULUMI, 0o755);
  pulumiCommand ??= PulumiCommand.get({ root: FAKE_PULUMI_ROOT, skipVersionCheck: true });
  // One load balancer client per stack: its live rule forwards where that stack's deployed ledger says, as the real
  // listener does after a successful `up` (the release steps check it before a flip).
  const elbClients = new Map<string, ElasticLoadBalancingV2Client>();
  const elbFor = (stack: string) => {
    if (!elbClients.has(stack)) {
      const client = new ElasticLoadBalancingV2Client({ region: "eu-west-1" });
      const elb = mockClient(client);
      elb.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [healthy("10.0.1.10")] });
      elb.on(DescribeRulesCommand).callsFake(() => {
        const api = JSON.parse(fs.readFileSync(file(stack), "utf8")).outputs.services.api as { live: string; targetGroupArns: Record<string, string> };
        return { Rules: [{ Actions: [{ Type: "forward", TargetGroupArn: api.targetGroupArns[api.live] }] }] };
      });
      elbClients.set(stack, client);
    }
    return elbClients.get(stack)!;
  };
  const cloudwatchClient = new CloudWatchClient({ region: "eu-west-1" });
  const cloudwatch = mockClient(cloudwatchClient);
  const alarmState = (state: (name: string) => string) =>
    void cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({ MetricAlarms: input.AlarmNames.map((name) => ({ AlarmName: name, StateValue: state(name) })) }));
  alarmState(() => "OK");

  // The dashboard's services declare no migration: a step that asks for ECS or CloudWatch Logs is a bug.
  const noMigrations = async (): Promise<never> => {
    throw new Error("the dashboard tests' services declare no migration");
  };
  let now = 0;
  const world = automationWorld({
    workDir: dir,
    pulumi: () => pulumiCommand!,
    envVars: env,
    openContext: async (flags): Promise<ReleaseContext> => ({
      stack: await openStack({ workDir: dir, stack: flags.stack, pulumi: await pulumiCommand!, envVars: env }),
      service: flags.service ?? "",
      releaseKey: `flipstack:services.${flags.service}.release`,
      aws: { elb: async () => elbFor(flags.stack), cloudwatch: async () => cloudwatchClient, ecs: noMigrations, logs: noMigrations },
      clock: { now: () => now, sleep: async (ms) => void (now += ms) },
      timing: FAST_TIMING,
      log: () => undefined,
    }),
  });
  return {
    dir,
    world,
    cloudwatch,
    env,
    alarmState,
    live(stack) {
      const api = JSON.parse(fs.readFileSync(file(stack), "utf8")).outputs.services.api;
      return `${api.live} ${api.liveVersion}`;
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
