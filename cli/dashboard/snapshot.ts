import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { environmentOfStack } from "../../stacks/environments";
import { describeAlarms } from "../release/alarmWatch";
import { allLedgers, type ServiceLedger } from "../release/ledger";
import { problemLine } from "./problems";
import type { DashboardWorld } from "./world";

/** One stack as the dashboard last read it. */
export interface StackSnapshot {
  stack: string;
  /** production, staging, preview, or unknown (a stack name the environments do not know). */
  environment: string;
  /** When the data was read (ms since the epoch); older data is kept and marked stale when a read fails. */
  readAt: number;
  services: Array<[string, ServiceLedger]>;
  /** CloudWatch state of each alarm of the live slots (OK, ALARM, INSUFFICIENT_DATA). */
  alarms: Record<string, string>;
  /** Why alarm states are unknown (no AWS credentials, ...). */
  alarmProblem?: string;
  /** Why the last read failed; `services` then holds the data of the read before, if any. */
  problem?: string;
}

/** The alarms of a service's live slot and its extra alarms: what bake watches. */
export function liveAlarms(ledger: ServiceLedger): string[] {
  return [...(ledger.alarms.slots[ledger.live] ?? []), ...ledger.alarms.extra];
}

/** Reads a stack's ledgers, environment and the state of its live alarms; never throws. */
export async function readSnapshot(world: DashboardWorld, stack: string, now: number, before?: StackSnapshot): Promise<StackSnapshot> {
  try {
    const ctx = await world.openContext({ stack });
    const services = allLedgers(await ctx.stack.outputs(), stack);
    const configured = await ctx.stack.getConfigObject(`${world.project}:environment`);
    const environment = typeof configured === "string" ? configured : (environmentOfStack(stack) ?? "unknown");
    const snapshot: StackSnapshot = { stack, environment, readAt: now, services, alarms: {} };
    const names = services.flatMap(([, ledger]) => liveAlarms(ledger));
    if (names.length > 0) {
      try {
        const found: MetricAlarm[] = await describeAlarms(await ctx.aws.cloudwatch(), names, { durationMs: 0, pollMs: 0, clock: ctx.clock, log: () => undefined });
        for (const alarm of found) if (alarm.AlarmName) snapshot.alarms[alarm.AlarmName] = alarm.StateValue ?? "unknown";
      } catch (err) {
        snapshot.alarmProblem = `alarm states unknown: ${problemLine(err)}`;
      }
    }
    return snapshot;
  } catch (err) {
    const problem = problemLine(err);
    return before ? { ...before, problem } : { stack, environment: environmentOfStack(stack) ?? "unknown", readAt: 0, services: [], alarms: {}, problem };
  }
}
