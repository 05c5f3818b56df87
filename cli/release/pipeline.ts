import { readLedger } from "./applyRelease";
import type { ReleaseContext } from "./context";
import { formatDuration } from "./duration";
import { refused } from "./errors";
import { failedRecord, type ServiceLedger } from "./ledger";
import { shiftWatchSeconds } from "../../components/trafficShift";
import { runSteps, type Step } from "./progress";
import { claimService } from "./lease";
import { connectProblem } from "./reachable";
import { bake } from "./steps/bake";
import { deploy, failedRefusal, type Artefact } from "./steps/deploy";
import { promote } from "./steps/promote";
import { retire } from "./steps/retire";
import { verify, type VerifyOptions } from "./steps/verify";

export const PIPELINE = ["deploy", "verify", "promote", "bake", "retire"] as const;
export type StepName = (typeof PIPELINE)[number];

/**
 * The steps still to do to release `version`, from where the deployed ledger says it stands: running the same
 * `run` again after a crash resumes instead of starting over. A deployed release is deployed again (a no-op
 * that re-checks its health) before verify. A release that was rolled back is not retried by rerunning the pipeline,
 * which CI may do blindly: only `retryFailed` naming it does.
 */
export function stepsToDo(ledger: ServiceLedger, version: string, service: string, retryFailed?: string): StepName[] {
  const from = (step: StepName) => PIPELINE.slice(PIPELINE.indexOf(step));
  const failed = failedRecord(ledger, version);
  if (failed && retryFailed !== version) throw refused(failedRefusal(service, version, failed.reason));
  if (ledger.liveVersion === version) {
    if (ledger.phase === "promoted") return from("bake");
    if (ledger.phase === "baked") return from("retire");
    return [];
  }
  if (ledger.idleVersion === version) {
    // A shift under way resumes at its recorded step.
    if (ledger.phase === "verified" || ledger.phase === "shifting") return from("promote");
    // A ledger of an older program has no failed record; its phase still says so.
    if (ledger.phase === "rolled-back" && retryFailed !== version) throw refused(failedRefusal(service, version, "phase rolled-back"));
  }
  // Another release passed verify and waits for promote: a second run would replace it in the idle slot half-way
  // through the first. Stop here, before anything changes; replacing it is a deliberate `release deploy`.
  if (ledger.phase === "verified" && ledger.idleVersion !== version) {
    throw refused(
      `${service}: another release is in progress: ${ledger.idle} holds ${ledger.idleVersion}, verified and waiting for promote; ` +
        `finish it (\`release run --version ${ledger.idleVersion}\`), or replace it deliberately with \`release deploy --version ${version}\``,
    );
  }
  return [...PIPELINE];
}

/**
 * Verify goes through the test listener, which admits only the office and VPN networks: from anywhere else the
 * release would deploy and then fail verify. Say so before anything is deployed.
 */
async function checkTestListenerReachable(ctx: ReleaseContext, ledger: ServiceLedger): Promise<void> {
  const problem = await connectProblem(ledger.urls.test);
  if (!problem) return;
  throw refused(
    `${ctx.service}: this machine cannot reach the test listener ${ledger.urls.test} (${problem}), which verify needs; nothing was deployed. ` +
      "Run the release from a network in loadBalancer.officeCidrs or behind the VPN; from CI, on a self-hosted runner there (repository variable RELEASE_RUNNER, see the README's CI/CD)",
  );
}

export interface PipelineOptions {
  artefact: Artefact;
  /** `--retry-failed`: the one rolled-back release the operator chose to try again. */
  retryFailed?: string;
  /** `--take-over`: start although another run's claim on the service is still young. */
  takeOver?: boolean;
  bakeMs: number;
  verify: VerifyOptions;
  /** Plain lines (CI logs, no terminal) instead of a live step list. */
  plain: boolean;
  print: (line: string) => void;
}

/** deploy → verify → promote → bake → retire, each step with its elapsed time. */
export async function runPipeline(ctx: ReleaseContext, options: PipelineOptions): Promise<void> {
  const ledger = await readLedger(ctx);
  const todo = stepsToDo(ledger, options.artefact.version, ctx.service, options.retryFailed);
  const done = PIPELINE.filter((step) => !todo.includes(step));
  if (todo.includes("verify")) await checkTestListenerReachable(ctx, ledger);
  if (todo.length === 0) options.print(`run: ${ctx.service} ${options.artefact.version} is already live; nothing to do`);
  else if (done.length > 0) options.print(`run: resuming ${ctx.service} ${options.artefact.version} at ${todo[0]} (${done.join(", ")} done before)`);
  const actions: Record<StepName, () => Promise<unknown>> = {
    deploy: () => deploy(ctx, options.artefact, { retryFailed: options.retryFailed }),
    verify: () => verify(ctx, options.verify),
    promote: () => promote(ctx),
    bake: () => bake(ctx, options.bakeMs),
    retire: () => retire(ctx),
  };
  const titles: Record<StepName, string> = {
    deploy: `deploy ${options.artefact.version} to the idle slot`,
    verify: "verify through the test listener",
    promote: promoteTitle(ledger.shift),
    bake: `bake ${formatDuration(options.bakeMs)}`,
    retire: "retire the old slot",
  };
  const steps: Step[] = todo.map((name) => ({ title: titles[name], action: actions[name] }));
  if (steps.length === 0) return;
  const release = await claimService(ctx, options.artefact.version, { takeOver: options.takeOver });
  try {
    await runSteps(ctx, steps, { plain: options.plain, print: options.print });
  } finally {
    await release();
  }
}

/** `promote: move live traffic`, or for a gradual shift its steps and how long they are watched. */
export function promoteTitle(shift: ServiceLedger["shift"]): string {
  if (shift.steps.length < 2) return "promote: move live traffic";
  return `promote: ${shift.strategy} ${shift.steps.join("% → ")}%, ${formatDuration(shift.stepSeconds * 1000)} a step (${formatDuration(shiftWatchSeconds(shift) * 1000)})`;
}
