import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { SmokeTestBounds } from "./verifyHttp";
import type { ReleaseStack } from "./workspace";

/** Time, injectable: tests pass a clock whose `sleep` returns at once and moves `now` forward. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Every bound and interval of a release, in milliseconds. */
export interface Timing {
  /** How long `deploy` waits for the new slot's targets to be healthy after `pulumi up`. */
  healthTimeoutMs: number;
  healthPollMs: number;
  verify: SmokeTestBounds;
  bakePollMs: number;
  /** How long to wait for another update's lock (`--wait`); 0 fails at once. */
  lockWaitMs: number;
  lockPollMs: number;
  /** How often a migration task's status and log lines are read. */
  migrationPollMs: number;
}

export const DEFAULT_TIMING: Timing = {
  // `pulumi up` itself waits for healthy capacity (ASG) or a steady service (ECS): this only confirms it.
  healthTimeoutMs: 10 * 60_000,
  healthPollMs: 10_000,
  verify: { attempts: 6, timeoutMs: 5_000, backoffMs: 2_000, maxBackoffMs: 30_000 },
  bakePollMs: 30_000,
  lockWaitMs: 0,
  lockPollMs: 15_000,
  migrationPollMs: 5_000,
};

/** AWS clients, created on first use in the stack's region (only deploy and bake need them). */
export interface AwsClients {
  elb(): Promise<ElasticLoadBalancingV2Client>;
  cloudwatch(): Promise<CloudWatchClient>;
  /** ECS, for a migration's one-off task. */
  ecs(): Promise<ECSClient>;
  /** CloudWatch Logs, for a migration's log lines. */
  logs(): Promise<CloudWatchLogsClient>;
}

/** Everything a release step touches, so tests can hand in the fake CLI, mocked AWS clients and a fast clock. */
export interface ReleaseContext {
  stack: ReleaseStack;
  service: string;
  /** `<project>:services.<service>.release`: the config the steps write. */
  releaseKey: string;
  aws: AwsClients;
  clock: Clock;
  timing: Timing;
  /** `--clear-stale-lock`: clear a lock left by a dead process on this machine, once. */
  clearStaleLock?: boolean;
  /** `--allow-checkout-changes`: a flip goes ahead although the checkout changes more than the listener rules. */
  allowCheckoutChanges?: boolean;
  /** Progress lines; `run` points it at its step list while a step runs. */
  log: (line: string) => void;
}
