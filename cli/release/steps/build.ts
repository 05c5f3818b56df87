import { applyRelease, readLedger, skip, type Skip } from "../applyRelease";
import { configWrites, describeWrite, readCheckoutRelease, writeConfig } from "../configWrites";
import type { ReleaseContext } from "../context";
import { EXIT, ReleaseError, refused } from "../errors";
import { COLORS, otherColor, type ServiceLedger } from "../ledger";
import { deployedState, type ReleaseState } from "../releaseState";
import { finishDeploy, planDeploy, schemaFields, type Artefact } from "./deploy";
import { liveWords } from "./flip";

/**
 * deploy `--build`: the idle slot marked `build: true` for one `pulumi up`, in which the program builds the image
 * from the service's build settings, pushes it tagged with the version and runs the slot on its digest; then the
 * digest replaces the mark in the stack config at once, so no later `up` builds that slot again.
 */
export async function deployBuilt(ctx: ReleaseContext, artefact: Artefact, options: { retryFailed?: string }): Promise<ServiceLedger> {
  let after: ServiceLedger;
  try {
    after = await applyRelease(ctx, "deploy", (ledger, deployed) => planBuild(ctx.service, ctx.stack.name, ledger, deployed, artefact, options));
  } catch (err) {
    if (!(err instanceof ReleaseError) || err.exitCode !== EXIT.failed || !err.message.startsWith("deploy: pulumi up failed")) throw err;
    throw await buildFailed(ctx, artefact.version, err.message.replace(/^deploy: pulumi up failed: /, ""));
  }
  await pinDigest(ctx, after);
  return finishDeploy(ctx, after);
}

/** The idle slot marked for a build, or why this build must not start (before anything changes). */
export function planBuild(
  service: string,
  stack: string,
  ledger: ServiceLedger,
  deployed: ReleaseState,
  artefact: Artefact,
  options: { retryFailed?: string },
): ReleaseState | Skip {
  const version = artefact.version;
  if (ledger.kind === "instances") throw refused(`${service} runs on instances: \`--build\` builds container images; give \`--ami\``);
  if (version === "latest") throw refused("`--version latest` would tag the image `latest`, which moves; give the commit SHA");
  if (!ledger.repository) {
    throw refused(`${service}: stack ${stack} exports no image repository for it; deploy the stack once with this flipstack's program, or give \`--image\``);
  }
  if (!ledger.repository.builds) {
    throw refused(
      `${service}: stack ${stack} builds no images: it runs the very digests staging built and verified; ` +
        "deploy with `--image <repo>@sha256:...` as `flipstack release status --stack staging` shows it",
    );
  }
  const idle = otherColor(ledger.live);
  if (deployed[idle]?.version === version && (ledger.phase === "deployed" || ledger.phase === "verified")) {
    return skip(`${version} is already built and in ${idle} (phase ${ledger.phase})`);
  }
  const before = builtBefore(ledger, version);
  if (before) {
    throw refused(
      `${service}: ${version} was built before (${before.where}); its tag exists in ${ledger.repository.url} and ECR tags are immutable, ` +
        `so it is not built again: deploy that image with \`--image ${before.image ?? `${ledger.repository.url}@sha256:...`}\`, or release a new commit`,
    );
  }
  // A built release is a new release like any other: the schema guard checks it, and its migration runs.
  return planDeploy(service, ledger, deployed, { version, build: "true", ...schemaFields(artefact) }, { keepRollbackTarget: true, retryFailed: options.retryFailed, newRelease: true });
}

/** Where the ledger records `version` (a slot, the previous release, a rollback), and its image when it says. */
function builtBefore(ledger: ServiceLedger, version: string): { where: string; image?: string } | undefined {
  for (const color of COLORS) {
    if (ledger.versions[color] === version) return { where: `${color} runs it`, image: ledger.slots?.[color]?.image };
  }
  if (ledger.previousVersion === version) return { where: "the previous release", image: ledger.previous?.image };
  if (ledger.failed.some((f) => f.version === version)) return { where: "it was rolled back" };
  return undefined;
}

/** The pushed digest replaces the build mark in the stack config (no `up`: the stack already runs it). */
async function pinDigest(ctx: ReleaseContext, ledger: ServiceLedger): Promise<void> {
  const idle = ledger.idle;
  const image = idle ? ledger.slots?.[idle]?.image : undefined;
  if (!idle || !image || !/@sha256:[0-9a-f]{64}$/.test(image)) {
    throw new ReleaseError(`deploy: the stack's ledger names no digest for ${ctx.service} ${idle ?? "(no idle slot)"} after the build (got ${image ?? "nothing"}); users stay on ${liveWords(ledger)}`);
  }
  const writes = await restoreDeployedConfig(ctx, ledger);
  ctx.log(`deploy: ${ctx.service} ${idle} ${ledger.idleVersion} built and pushed as ${image}; stack config pinned (${writes.map(describeWrite).join(", ")})`);
}

/** A failed build (or push) changed nothing that runs: the config goes back to the deployed release state. */
async function buildFailed(ctx: ReleaseContext, version: string, reason: string): Promise<ReleaseError> {
  const ledger = await readLedger(ctx);
  await restoreDeployedConfig(ctx, ledger);
  const firstLine = reason.split("\n").find((line) => line.trim()) ?? reason;
  if (/ImageTagAlreadyExists|tag .* already exists/i.test(reason)) {
    return new ReleaseError(
      `deploy: the image tag ${version} already exists in ${ledger.repository?.url ?? "the repository"} (ECR tags are immutable, and it was pushed by an earlier build); ` +
        `deploy that image with \`--image <repo>@sha256:...\` or release a new commit; users stay on ${liveWords(ledger)}`,
    );
  }
  return new ReleaseError(`deploy: building the image of ${ctx.service} ${version} failed: ${firstLine.replace(/^error: /, "")}; users stay on ${liveWords(ledger)}; fix the build and deploy again`);
}

async function restoreDeployedConfig(ctx: ReleaseContext, ledger: ServiceLedger) {
  const checkout = await readCheckoutRelease(ctx.stack, ctx.releaseKey);
  const writes = configWrites(checkout, deployedState(ledger, checkout, `stack ${ctx.stack.name}, service ${ctx.service}`));
  await writeConfig(ctx.stack, ctx.releaseKey, writes);
  return writes;
}
