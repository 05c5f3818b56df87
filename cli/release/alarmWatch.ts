import { DescribeAlarmsCommand, type CloudWatchClient, type MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { withAwsRetry } from "./awsRetry";
import type { Clock } from "./context";
import { formatDuration } from "./duration";

export interface AlarmWatch {
  durationMs: number;
  pollMs: number;
  clock: Clock;
  log: (line: string) => void;
  /** The step the progress lines name. @default "bake" */
  label?: string;
}

/**
 * Watches CloudWatch alarms for `durationMs`. Resolves with the names of the alarms found in ALARM (then at once),
 * or with an empty list once the time is up and none went off. INSUFFICIENT_DATA is not an alarm: a new slot has
 * no data for its first minutes.
 */
export async function watchAlarms(cloudwatch: CloudWatchClient, alarmNames: readonly string[], watch: AlarmWatch): Promise<string[]> {
  const label = watch.label ?? "bake";
  if (alarmNames.length === 0) watch.log(`${label}: the service has no alarms to watch; add \`alarms\` to its config`);
  const started = watch.clock.now();
  let warnedMissing = false;
  for (;;) {
    const alarms = await describeAlarms(cloudwatch, alarmNames, watch);
    const missing = alarmNames.filter((name) => !alarms.some((a) => a.AlarmName === name));
    if (missing.length > 0 && !warnedMissing) {
      watch.log(`${label}: CloudWatch has no alarm named ${missing.join(", ")}; watching the others`);
      warnedMissing = true;
    }
    const firing = alarms.filter((a) => a.StateValue === "ALARM").map((a) => a.AlarmName ?? "(unnamed)");
    if (firing.length > 0) return firing;
    const left = watch.durationMs - (watch.clock.now() - started);
    if (left <= 0) return [];
    watch.log(`${label}: ${alarms.length} alarms quiet, ${formatDuration(left)} to go`);
    await watch.clock.sleep(Math.min(watch.pollMs, left));
  }
}

/** DescribeAlarms takes at most 100 names per call and pages its answer; throttled pages are asked again. */
export async function describeAlarms(cloudwatch: CloudWatchClient, names: readonly string[], watch: AlarmWatch): Promise<MetricAlarm[]> {
  const found: MetricAlarm[] = [];
  for (let i = 0; i < names.length; i += 100) {
    let token: string | undefined;
    do {
      const command = new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + 100), NextToken: token });
      const page = await withAwsRetry("DescribeAlarms", () => cloudwatch.send(command), watch.clock, watch.log);
      found.push(...(page.MetricAlarms ?? []));
      token = page.NextToken;
    } while (token);
  }
  return found;
}
