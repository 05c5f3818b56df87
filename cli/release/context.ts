import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import * as path from "node:path";
import { readProject } from "../config/projectFiles";
import { openStack } from "./releaseStack";
import type { ReleaseContext } from "./steps";

export interface ReleaseFlags {
  stack: string;
  service: string;
  cwd?: string;
  wait?: string;
}

/** Parses `90s`, `10m`, `1h` (or plain milliseconds) into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration such as 90s, 10m or 1h`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? "ms") as "ms" | "s" | "m" | "h"];
  return Number(match[1]) * unit;
}

/** The real context: the stack through the Automation API, AWS clients from the environment's credentials. */
export async function releaseContext(flags: ReleaseFlags, log: (line: string) => void): Promise<ReleaseContext> {
  const cwd = path.resolve(flags.cwd ?? process.cwd());
  const project = readProject(cwd);
  const stack = await openStack({ cwd, stack: flags.stack, waitForLockMs: flags.wait ? parseDuration(flags.wait) : 0 });
  return {
    stack,
    namespace: project.name,
    service: flags.service,
    elb: new ElasticLoadBalancingV2Client({}),
    cloudwatch: new CloudWatchClient({}),
    log,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    timing: { healthTimeoutMs: 15 * 60_000, healthPollMs: 10_000, verifyAttempts: 6, verifyTimeoutMs: 5_000, verifyBackoffMs: 2_000, bakePollMs: 30_000 },
  };
}
