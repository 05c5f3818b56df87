import { applyRelease, skip, type Skip } from "../applyRelease";
import type { ReleaseContext } from "../context";
import { ReleaseError, refused } from "../errors";
import { waitRolledOut } from "../ecsRollout";
import { waitHealthy } from "../healthWait";
import { failedRecord, otherColor, type ServiceLedger, type SlotRelease } from "../ledger";
import { sameRelease, type ReleaseState } from "../releaseState";
import { deployBuilt } from "./build";
import { liveWords } from "./flip";
import { migrate } from "./migrate";
import { plannedSchema } from "./schemaGuard";

/** What `--version` with `--ami`, `--image` or `--build` names. */
export interface Artefact {
  version: string;
  ami?: string;
  image?: string;
  /** `--schema`: the database schema version the release's migration moves to. */
  schema?: number;
  /** `--schema-minimum`: the oldest schema version the release's code runs on. */
  schemaMinimum?: number;
  /** Build the image from the service's build settings in the deploy's own update (see steps/build.ts). */
  build?: boolean;
}

/**
 * deploy: the new release into the idle slot; `pulumi up` builds its target group and compute; the service's
 * migration runs once as a one-off task of the new release; then wait until every target is healthy. Live
 * traffic never moves here. The schema guard refuses, before anything is written, a release the live one could
 * not survive.
 */
export async function deploy(ctx: ReleaseContext, artefact: Artefact, options: { retryFailed?: string } = {}): Promise<ServiceLedger> {
  if (artefact.build) {
    if (artefact.ami !== undefined || artefact.image !== undefined) throw refused("give `--build` or `--image`/`--ami`, not both: `--build` makes the image");
    return deployBuilt(ctx, artefact, options);
  }
  const after = await applyRelease(ctx, "deploy", (ledger, deployed) =>
    planDeploy(ctx.service, ledger, deployed, slotRelease(ctx.service, ledger.kind, artefact), { keepRollbackTarget: true, retryFailed: options.retryFailed, newRelease: true }),
  );
  return finishDeploy(ctx, after);
}

/** After the deploy's `up` (a given image or a build): the migration when the release has one, then the health wait. */
export async function finishDeploy(ctx: ReleaseContext, after: ServiceLedger): Promise<ServiceLedger> {
  const migrated = after.phase === "migrating" ? await migrate(ctx, after) : after;
  await waitForIdleHealthy(ctx, migrated);
  return migrated;
}

/**
 * The release in the idle slot, phase `deployed`. Already there (a resumed run): nothing to apply. While the idle
 * slot is the rollback target of a release still baking, deploy refuses unless told otherwise (rollback redeploys).
 * A release that was rolled back is deployed again only when `retryFailed` names it; its failed record then goes.
 */
export function planDeploy(
  service: string,
  ledger: ServiceLedger,
  deployed: ReleaseState,
  release: SlotRelease,
  options: { keepRollbackTarget: boolean; retryFailed?: string; newRelease?: boolean },
): ReleaseState | Skip {
  const idle = otherColor(ledger.live);
  if (options.retryFailed !== undefined && options.retryFailed !== release.version) {
    throw refused(`\`--retry-failed ${options.retryFailed}\` names another release than \`--version ${release.version}\`; name the release you mean to retry`);
  }
  const failed = failedRecord(ledger, release.version);
  if (failed && options.retryFailed === undefined) throw refused(failedRefusal(service, failed.version, failed.reason));
  if (sameRelease(deployed[idle], release) && (ledger.phase === "deployed" || ledger.phase === "verified")) {
    return skip(`${release.version} is already in ${idle} (phase ${ledger.phase})`);
  }
  if (ledger.phase === "shifting") {
    throw refused(`${service}: ${ledger.weight}% of users are on ${ledger.idle} ${ledger.idleVersion} (a shift under way); finish it with \`release promote\` or undo it with \`release rollback\` first`);
  }
  if (options.keepRollbackTarget && ledger.phase === "promoted" && ledger.idle) {
    throw refused(
      `${service}: ${ledger.idle} still holds ${ledger.idleVersion}, the rollback target of ${liveWords(ledger)}, which has not finished its bake; ` +
        "run `release bake` (then `release retire`), or `release rollback`, first",
    );
  }
  // A new release is checked against the schema and migrates; a rollback's redeploy of the previous one never does.
  const migrated = options.newRelease ? plannedSchema(service, ledger, deployed, release) : deployed.migrated;
  const phase = options.newRelease && ledger.migration ? "migrating" : "deployed";
  const next: ReleaseState = { ...deployed, [idle]: release, phase, ...(migrated && { migrated }) };
  return failed ? { ...next, failed: ledger.failed.filter((f) => f.version !== release.version) } : next;
}

/** Why a rolled-back release is not shipped again, and the two ways forward. */
export const failedRefusal = (service: string, version: string, reason: string) =>
  `${service}: ${version} was rolled back (${reason}) and is recorded as failed; it is not released again unless named: ` +
  `release a fix, or pass \`--retry-failed ${version}\` to try ${version} again`;

export function slotRelease(service: string, kind: ServiceLedger["kind"], artefact: Artefact): SlotRelease {
  if ((artefact.ami === undefined) === (artefact.image === undefined)) throw refused("give exactly one of `--ami <id>` or `--image <ref>`");
  if (kind === "instances" && !artefact.ami) throw refused(`${service} runs on instances: give \`--ami\`, not \`--image\``);
  if (kind === "containers" && !artefact.image) throw refused(`${service} runs containers: give \`--image\`, not \`--ami\``);
  const schema = schemaFields(artefact);
  return artefact.ami ? { version: artefact.version, ami: artefact.ami, ...schema } : { version: artefact.version, image: artefact.image, ...schema };
}

/** `--schema` and `--schema-minimum` as slot fields (text, as config writes are). */
export const schemaFields = (artefact: Artefact): Pick<SlotRelease, "schema" | "schemaMinimum"> => ({
  ...(artefact.schema !== undefined && { schema: String(artefact.schema) }),
  ...(artefact.schemaMinimum !== undefined && { schemaMinimum: String(artefact.schemaMinimum) }),
});

/**
 * Confirms that the idle slot runs the release: for containers, ECS's primary deployment runs the deployed task
 * definition and has rolled out; then every target is healthy (ELBv2). Each within `timing.healthTimeoutMs`.
 */
export async function waitForIdleHealthy(ctx: ReleaseContext, ledger: ServiceLedger): Promise<void> {
  const idle = ledger.idle;
  const arn = idle && ledger.targetGroupArns[idle];
  if (!idle || !arn) {
    throw new ReleaseError(`deploy: the stack exports no target group ARN for ${ctx.service} ${idle ?? "(no idle slot)"} (ledger \`targetGroupArns\`), so its health cannot be checked`);
  }
  const wait = { timeoutMs: ctx.timing.healthTimeoutMs, pollMs: ctx.timing.healthPollMs, clock: ctx.clock, log: ctx.log };
  try {
    const ecsService = ledger.ecsServices[idle];
    if (ecsService) await waitRolledOut(await ctx.aws.ecs(), ecsService, wait);
    await waitHealthy(await ctx.aws.elb(), arn, wait);
  } catch (err) {
    throw new ReleaseError(
      `deploy: ${idle} ${ledger.idleVersion}: ${(err as Error).message}; users stay on ${liveWords(ledger)}; ` +
        "fix the release and deploy again (or `release retire --force` to remove the idle slot)",
    );
  }
  ctx.log(`deploy: ${ctx.service} ${idle} ${ledger.idleVersion} is deployed and healthy; users stay on ${liveWords(ledger)}`);
}
