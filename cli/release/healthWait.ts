import { DescribeTargetHealthCommand, type ElasticLoadBalancingV2Client, type TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import { withAwsRetry } from "./awsRetry";
import type { Clock } from "./context";
import { formatDuration } from "./duration";

export interface HealthWait {
  timeoutMs: number;
  pollMs: number;
  clock: Clock;
  log: (line: string) => void;
}

/**
 * Waits until the target group has targets and every one of them is healthy, polling DescribeTargetHealth.
 * An empty group does not count as healthy: the load balancer would fail open and send traffic nowhere useful.
 */
export async function waitHealthy(elb: ElasticLoadBalancingV2Client, targetGroupArn: string, wait: HealthWait): Promise<void> {
  const started = wait.clock.now();
  for (;;) {
    const { targets, unhealthy, summary } = await targetHealth(elb, targetGroupArn, wait);
    if (targets.length > 0 && unhealthy.length === 0) {
      wait.log(`health: ${summary}`);
      return;
    }
    const waited = wait.clock.now() - started;
    if (waited >= wait.timeoutMs) {
      throw new Error(`targets not healthy within ${formatDuration(wait.timeoutMs)}: ${summary}${unhealthy.length ? `; ${unhealthy.slice(0, 3).map(describe).join(", ")}` : ""}`);
    }
    wait.log(`health: ${summary}, waiting (${formatDuration(wait.timeoutMs - waited)} left)`);
    await wait.clock.sleep(Math.min(wait.pollMs, wait.timeoutMs - waited));
  }
}

export interface TargetHealth {
  targets: TargetHealthDescription[];
  unhealthy: TargetHealthDescription[];
  /** `1/2 targets healthy` */
  summary: string;
}

/** One DescribeTargetHealth of a target group (throttling retried). */
export async function targetHealth(elb: ElasticLoadBalancingV2Client, targetGroupArn: string, retry: Pick<HealthWait, "clock" | "log">): Promise<TargetHealth> {
  const command = new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn });
  const { TargetHealthDescriptions: targets = [] } = await withAwsRetry("DescribeTargetHealth", () => elb.send(command), retry.clock, retry.log);
  const unhealthy = targets.filter((t) => t.TargetHealth?.State !== "healthy");
  return { targets, unhealthy, summary: `${targets.length - unhealthy.length}/${targets.length} targets healthy` };
}

/**
 * Refuses to send traffic to a target group with no healthy target: checked right before every flip (promote,
 * rollback, the bake's automatic rollback), since a slot that was healthy once may have lost its targets since.
 */
export async function requireServing(elb: ElasticLoadBalancingV2Client, targetGroupArn: string, retry: Pick<HealthWait, "clock" | "log">): Promise<string> {
  const health = await targetHealth(elb, targetGroupArn, retry);
  if (health.targets.length === health.unhealthy.length) {
    const detail = health.unhealthy.length ? `; ${health.unhealthy.slice(0, 3).map(describe).join(", ")}` : " (the target group has no targets)";
    throw new Error(`${health.summary}${detail}`);
  }
  return health.summary;
}

const describe = (t: TargetHealthDescription) =>
  `${t.Target?.Id ?? "?"} ${t.TargetHealth?.State ?? "unknown"}${t.TargetHealth?.Reason ? ` (${t.TargetHealth.Reason})` : ""}`;
