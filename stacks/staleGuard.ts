import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";
import type { DeployedSlot } from "./images";

/** What the deployed stack says about a service (its own last outputs, `services.<name>`). */
export interface DeployedRelease {
  liveVersion?: string;
  generation?: number;
  /** Percent of users on the idle slot during a shift. */
  weight?: number;
  /** What each slot runs (image digests included): a slot that holds its release is never built again. */
  slots?: { blue?: DeployedSlot | null; green?: DeployedSlot | null };
}

/**
 * The deployed stack's release ledger, read through a stack reference to the stack itself: the stack, not the
 * checkout, is the source of truth for what is live. A stack never deployed has no ledger (and no guard).
 */
export async function deployedReleases(): Promise<Record<string, DeployedRelease>> {
  const self = new pulumi.StackReference("deployed-self", {
    name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
  });
  const details = await self.getOutputDetails("services");
  return (details.value ?? {}) as Record<string, DeployedRelease>;
}

/**
 * Refuses a config that would move a service's live traffic to another release than the deployed one unless it
 * says so deliberately: a deliberate change of the live release moves `release.generation` forward, so a stale
 * checkout (an older generation, or the same generation with another live version) cannot flip traffic back.
 * A change of the shift weight moves users as surely as a flip, so it needs a new generation too.
 */
export function staleReleaseProblems(config: StackConfig, deployed: Readonly<Record<string, DeployedRelease>>): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(config.services)) {
    const current = deployed[name];
    if (current?.liveVersion === undefined) continue;
    const release = service.release;
    const generation = release.generation ?? 0;
    const deployedGeneration = current.generation ?? 0;
    const liveVersion = release[release.live]?.version;
    const key = `${pulumi.getProject()}:services.${name}.release`;
    const status = `flipstack release status --stack ${config.stack}`;
    if (generation < deployedGeneration) {
      problems.push(
        `${key}: generation ${generation} is older than the deployed generation ${deployedGeneration} (live ${current.liveVersion}); ` +
          `this checkout is stale. Update the stack config from the deployed stack (\`${status}\`) instead of deploying it.`,
      );
    } else if (generation === deployedGeneration && liveVersion !== current.liveVersion) {
      problems.push(
        `${key}: would move live traffic from ${current.liveVersion} (deployed) to ${liveVersion} without a new generation. ` +
          `To flip deliberately run \`flipstack release promote --stack ${config.stack} --service ${name}\` ` +
          `(or \`flipstack release rollback\`), or set release.generation to ${deployedGeneration + 1}.`,
      );
    } else if (generation === deployedGeneration && (release.weight ?? 0) !== (current.weight ?? 0)) {
      problems.push(
        `${key}: would move ${current.weight ?? 0}% (deployed) to ${release.weight ?? 0}% of users onto the idle slot without a new generation. ` +
          `To shift deliberately run \`flipstack release promote --stack ${config.stack} --service ${name}\` ` +
          `(or \`flipstack release rollback\`), or set release.generation to ${deployedGeneration + 1}.`,
      );
    }
  }
  return problems;
}
