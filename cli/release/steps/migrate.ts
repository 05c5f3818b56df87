import { applyRelease, skip } from "../applyRelease";
import type { ReleaseContext } from "../context";
import { ReleaseError } from "../errors";
import type { ServiceLedger } from "../ledger";
import { runMigrationTask } from "../migrationTask";
import { liveWords } from "./flip";

/**
 * The migration of a deploy (phase `migrating`): the service's migration command, once, as a one-off ECS task of
 * the idle slot's release, after `pulumi up` built the slot and before it gets any traffic. On exit 0 the phase
 * becomes `deployed` (what verify asks for); on failure or timeout the deploy stops and the phase stays
 * `migrating`, so verify and promote refuse the release until a deploy of it migrates.
 */
export async function migrate(ctx: ReleaseContext, ledger: ServiceLedger): Promise<ServiceLedger> {
  const idle = ledger.idle;
  const version = ledger.idleVersion;
  const migration = ledger.migration;
  const task = idle ? ledger.oneOffTasks[idle] : undefined;
  const stopped = `users stay on ${liveWords(ledger)}, and ${idle ?? "the idle slot"} ${version ?? ""} gets no traffic (verify and promote are refused until its migration passes)`;
  if (!idle || !migration || !task) {
    throw new ReleaseError(`deploy: the stack exports no one-off task for ${ctx.service} ${idle ?? "(no idle slot)"} (ledger \`oneOffTasks\`), so its migration cannot run; ${stopped}`);
  }
  ctx.log(`migrate: running ${ctx.service}'s migration once with ${idle} ${version}, before it gets any traffic`);
  try {
    await runMigrationTask(await ctx.aws.ecs(), await ctx.aws.logs(), task, migration.command, {
      timeoutMs: migration.timeoutSeconds * 1000,
      pollMs: ctx.timing.migrationPollMs,
      clock: ctx.clock,
      log: ctx.log,
    });
  } catch (err) {
    throw new ReleaseError(`deploy: the migration of ${ctx.service} ${idle} ${version} failed: ${(err as Error).message}; ${stopped}; fix the migration and deploy again, or \`release retire --force\` the idle slot`);
  }
  ctx.log(`migrate: the migration of ${idle} ${version} exited 0`);
  return applyRelease(ctx, "deploy", (now, deployed) => {
    if (now.idle !== idle || now.idleVersion !== version) {
      throw new ReleaseError(`deploy: ${ctx.service}'s idle slot changed while its migration ran (now ${now.idle ?? "none"} ${now.idleVersion ?? ""}); deploy again`);
    }
    return now.phase === "migrating" ? { ...deployed, phase: "deployed" } : skip(`${version} is already past its migration (phase ${now.phase ?? "none"})`);
  });
}
