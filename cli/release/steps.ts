import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { UsageError } from "../usageError";
import { waitHealthy, watchAlarms } from "./awsWatch";
import { liveLine, otherColor, serviceLedger, type Color, type ServiceLedger, type SlotRelease } from "./ledger";
import { ReleaseError, type ReleaseStack } from "./releaseStack";
import { runSmokeTest, type Sleep } from "./smokeTest";

/** Everything a step touches, so tests can hand in fakes and fast clocks. */
export interface ReleaseContext {
  stack: ReleaseStack;
  /** Config namespace of the project (`flipstack`). */
  namespace: string;
  service: string;
  elb: ElasticLoadBalancingV2Client;
  cloudwatch: CloudWatchClient;
  log: (line: string) => void;
  sleep: Sleep;
  now: () => number;
  timing: {
    healthTimeoutMs: number;
    healthPollMs: number;
    verifyAttempts: number;
    verifyTimeoutMs: number;
    verifyBackoffMs: number;
    bakePollMs: number;
  };
}

export interface Artefact {
  version: string;
  ami?: string;
  image?: string;
}

const key = (ctx: ReleaseContext, ...path: string[]) => [`${ctx.namespace}:services`, ctx.service, "release", ...path].join(".");

export async function readLedger(ctx: ReleaseContext): Promise<ServiceLedger> {
  return serviceLedger(await ctx.stack.outputs(), ctx.stack.name, ctx.service);
}

/** Writes config changes, then one `up` that applies them (and records the phase as a stack output). */
async function apply(ctx: ReleaseContext, changes: Array<[string[], string | undefined]>): Promise<ServiceLedger> {
  for (const [path, value] of changes) {
    if (value === undefined) await ctx.stack.removeConfig(key(ctx, ...path));
    else await ctx.stack.setConfig(key(ctx, ...path), value);
  }
  await ctx.stack.up((text) => text.split("\n").filter(Boolean).forEach((line) => ctx.log(`  ${line}`)));
  return readLedger(ctx);
}

const slotChanges = (color: Color, release: SlotRelease): Array<[string[], string | undefined]> => [
  [[color, "version"], release.version],
  ...(release.ami ? [[[color, "ami"], release.ami] as [string[], string]] : []),
  ...(release.image ? [[[color, "image"], release.image] as [string[], string]] : []),
];

/** deploy: the new release into the idle slot; `up` builds its target group and compute; wait until healthy. */
export async function deploy(ctx: ReleaseContext, artefact: Artefact): Promise<ServiceLedger> {
  const before = await readLedger(ctx);
  const idle = otherColor(before.live);
  if (before.phase === "promoted" && before.idle) {
    throw new UsageError(`${ctx.service}: ${before.idle} still holds ${before.idleVersion}, the rollback target of a release not yet baked; run \`release bake\` and \`release retire\`, or \`release rollback\`, first`);
  }
  if ((artefact.ami === undefined) === (artefact.image === undefined)) throw new UsageError("give exactly one of --ami or --image");
  if (before.kind === "instances" && !artefact.ami) throw new UsageError(`${ctx.service} runs on instances: give --ami`);
  if (before.kind === "containers" && !artefact.image) throw new UsageError(`${ctx.service} runs containers: give --image`);
  const already = before.versions[idle] === artefact.version && (before.phase === "deployed" || before.phase === "verified");
  const after = already
    ? before
    : await apply(ctx, [...slotChanges(idle, artefact), [["phase"], "deployed"]]);
  ctx.log(`deploy: ${artefact.version} is in ${idle}${already ? " (already deployed)" : ""}`);
  const targetGroup = after.targetGroupArns[idle];
  if (!targetGroup) throw new ReleaseError(`the stack exports no target group for ${ctx.service} ${idle}`);
  try {
    await waitHealthy(ctx.elb, targetGroup, { timeoutMs: ctx.timing.healthTimeoutMs, pollMs: ctx.timing.healthPollMs, sleep: ctx.sleep, now: ctx.now, log: ctx.log });
  } catch (err) {
    throw new ReleaseError(`deploy: ${(err as Error).message}; users stay on ${after.live}`);
  }
  return after;
}

/** verify: smoke-test the idle slot through the test listener; records `verified`. */
export async function verify(ctx: ReleaseContext, options: { url?: string } = {}): Promise<ServiceLedger> {
  const ledger = await readLedger(ctx);
  if (!ledger.idle || !ledger.idleVersion) throw new UsageError(`${ctx.service}: no idle slot to verify; deploy a release first`);
  const url = options.url ?? new URL(ledger.smokeTest.path, ledger.urls.test).toString();
  try {
    await runSmokeTest({
      url,
      host: options.url ? undefined : (ledger.testHost ?? undefined),
      expectStatus: ledger.smokeTest.expectStatus,
      version: ledger.idleVersion,
      versionHeader: ledger.smokeTest.versionHeader,
      attempts: ctx.timing.verifyAttempts,
      timeoutMs: ctx.timing.verifyTimeoutMs,
      backoffMs: ctx.timing.verifyBackoffMs,
    }, ctx.sleep, ctx.log);
  } catch (err) {
    throw new ReleaseError(`verify: ${(err as Error).message}; users stay on ${ledger.live}`);
  }
  return ledger.phase === "verified" ? ledger : apply(ctx, [[["phase"], "verified"]]);
}

/** promote: the verified idle slot becomes live; listener rules only. */
export async function promote(ctx: ReleaseContext): Promise<ServiceLedger> {
  const ledger = await readLedger(ctx);
  if (!ledger.idle) throw new UsageError(`${ctx.service}: no idle slot to promote`);
  if (ledger.phase !== "verified") {
    throw new UsageError(`${ctx.service}: ${ledger.idle} (${ledger.idleVersion}) has not passed verify (phase: ${ledger.phase ?? "none"}); run \`release verify\` first`);
  }
  return flip(ctx, ledger, "promoted");
}

/** Makes the idle slot live: new generation (the stale-release guard), the old live release kept as `previous`. */
async function flip(ctx: ReleaseContext, ledger: ServiceLedger, phase: string): Promise<ServiceLedger> {
  const target = ledger.idle!;
  const old = ledger.slots[ledger.live];
  const after = await apply(ctx, [
    [["live"], target],
    [["generation"], String(ledger.generation + 1)],
    ...(old ? slotChanges(ledger.live, old).map(([path, value]): [string[], string | undefined] => [["previous", ...path.slice(1)], value]) : []),
    [["phase"], phase],
  ]);
  ctx.log(`${phase}: ${ctx.service} now serves ${after.liveVersion} from ${after.live}`);
  return after;
}

/** bake: watch the live slot's alarms; on alarm, flip back automatically and fail. */
export async function bake(ctx: ReleaseContext, durationMs: number): Promise<ServiceLedger> {
  const ledger = await readLedger(ctx);
  const alarms = [...(ledger.alarms.slots[ledger.live] ?? []), ...ledger.alarms.extra];
  const firing = await watchAlarms(ctx.cloudwatch, alarms, { durationMs, pollMs: ctx.timing.bakePollMs, sleep: ctx.sleep, now: ctx.now, log: ctx.log });
  if (firing.length === 0) return ledger.phase === "baked" ? ledger : apply(ctx, [[["phase"], "baked"]]);
  ctx.log(`bake: alarm ${firing.join(", ")}; rolling back`);
  if (!ledger.idle) throw new ReleaseError(`bake: alarm ${firing.join(", ")} and no previous slot to flip back to; users stay on ${ledger.live}`);
  await flip(ctx, ledger, "rolled-back");
  throw new ReleaseError(`bake: alarm ${firing.join(", ")}; rolled back to ${ledger.idleVersion} on ${ledger.idle}`);
}

/** retire: remove the old (idle) slot after a clean bake. Never the live one. */
export async function retire(ctx: ReleaseContext, options: { force?: boolean } = {}): Promise<ServiceLedger> {
  const ledger = await readLedger(ctx);
  if (!ledger.idle) {
    ctx.log(`retire: ${ctx.service} has no idle slot`);
    return ledger;
  }
  if (ledger.phase !== "baked" && !options.force) {
    throw new UsageError(`${ctx.service}: the release on ${ledger.live} has not finished its bake (phase: ${ledger.phase ?? "none"}); run \`release bake\` or pass --force`);
  }
  return apply(ctx, [[[ledger.idle], undefined], [["phase"], "retired"]]);
}

/** rollback: flip back while the old slot exists; else redeploy the previous release, verify it and promote it. */
export async function rollback(ctx: ReleaseContext, options: { url?: string } = {}): Promise<ServiceLedger> {
  const ledger = await readLedger(ctx);
  if (ledger.idle && ledger.previous && ledger.idleVersion === ledger.previous.version) return flip(ctx, ledger, "rolled-back");
  if (!ledger.previous) throw new UsageError(`${ctx.service}: no previous release to roll back to`);
  ctx.log(`rollback: the previous slot is gone; redeploying ${ledger.previous.version}`);
  if (ledger.idle) await apply(ctx, [[[ledger.idle], undefined], [["phase"], "retired"]]);
  await deploy(ctx, ledger.previous);
  await verify(ctx, options);
  return flip(ctx, await readLedger(ctx), "rolled-back");
}

export { liveLine };
