import type { CloudWatchClient} from "@aws-sdk/client-cloudwatch";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Sleep } from "./smokeTest";

/** Waits until the target group has targets and all of them are healthy. */
export async function waitHealthy(
  elb: ElasticLoadBalancingV2Client,
  targetGroupArn: string,
  options: { timeoutMs: number; pollMs: number; sleep: Sleep; now: () => number; log: (line: string) => void },
): Promise<void> {
  const deadline = options.now() + options.timeoutMs;
  for (;;) {
    const { TargetHealthDescriptions: targets = [] } = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    const healthy = targets.filter((t) => t.TargetHealth?.State === "healthy").length;
    options.log(`health: ${healthy}/${targets.length} targets healthy`);
    if (targets.length > 0 && healthy === targets.length) return;
    if (options.now() >= deadline) throw new Error(`targets not healthy within ${Math.round(options.timeoutMs / 1000)} s (${healthy}/${targets.length} healthy)`);
    await options.sleep(options.pollMs);
  }
}

/** Watches alarms for `durationMs`; resolves with the names of alarms that went into ALARM (empty: clean bake). */
export async function watchAlarms(
  cloudwatch: CloudWatchClient,
  alarmNames: string[],
  options: { durationMs: number; pollMs: number; sleep: Sleep; now: () => number; log: (line: string) => void },
): Promise<string[]> {
  const end = options.now() + options.durationMs;
  for (;;) {
    const { MetricAlarms: alarms = [] } = alarmNames.length
      ? await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: alarmNames }))
      : { MetricAlarms: [] };
    const firing = alarms.filter((a) => a.StateValue === "ALARM").map((a) => a.AlarmName ?? "?");
    if (firing.length > 0) return firing;
    const left = end - options.now();
    if (left <= 0) return [];
    options.log(`bake: ${alarmNames.length} alarms quiet, ${Math.ceil(left / 1000)} s to go`);
    await options.sleep(Math.min(options.pollMs, left));
  }
}
