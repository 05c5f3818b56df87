import { DescribeTargetHealthCommand, type ElasticLoadBalancingV2Client, type TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
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
    const { TargetHealthDescriptions: targets = [] } = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    const unhealthy = targets.filter((t) => t.TargetHealth?.State !== "healthy");
    const summary = `${targets.length - unhealthy.length}/${targets.length} targets healthy`;
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

const describe = (t: TargetHealthDescription) =>
  `${t.Target?.Id ?? "?"} ${t.TargetHealth?.State ?? "unknown"}${t.TargetHealth?.Reason ? ` (${t.TargetHealth.Reason})` : ""}`;
