import { Listr } from "listr2";
import type { Artefact, ReleaseContext } from "./steps";
import { bake, deploy, promote, readLedger, retire, verify } from "./steps";

type StepName = "deploy" | "verify" | "promote" | "bake" | "retire";
const STEPS: StepName[] = ["deploy", "verify", "promote", "bake", "retire"];

/**
 * Where a run for `version` stands, from the deployed ledger: the first step still to do. Running the same
 * command again after a crash therefore resumes instead of starting over.
 */
export function firstStepToDo(ledger: { live: string; idle: string | null; versions: Record<string, string | null | undefined>; phase: string | null }, version: string): StepName | "done" {
  const liveVersion = ledger.versions[ledger.live];
  const idleVersion = ledger.idle ? ledger.versions[ledger.idle] : undefined;
  if (liveVersion === version) {
    if (ledger.phase === "promoted") return "bake";
    if (ledger.phase === "baked") return "retire";
    return "done";
  }
  if (idleVersion === version && ledger.phase === "deployed") return "verify";
  if (idleVersion === version && ledger.phase === "verified") return "promote";
  return "deploy";
}

export interface PipelineOptions {
  artefact: Artefact;
  bakeMs: number;
  url?: string;
  /** Plain line output (CI logs, no TTY) instead of a live step list. */
  plain: boolean;
}

/** deploy → verify → promote → bake → retire, resuming where the deployed ledger says the release stands. */
export async function runPipeline(ctx: ReleaseContext, options: PipelineOptions): Promise<void> {
  const start = firstStepToDo(await readLedger(ctx), options.artefact.version);
  const todo = start === "done" ? [] : STEPS.slice(STEPS.indexOf(start));
  if (todo.length === 0) ctx.log(`run: ${options.artefact.version} is already live and retired; nothing to do`);
  const actions: Record<StepName, () => Promise<unknown>> = {
    deploy: () => deploy(ctx, options.artefact),
    verify: () => verify(ctx, { url: options.url }),
    promote: () => promote(ctx),
    bake: () => bake(ctx, options.bakeMs),
    retire: () => retire(ctx),
  };
  if (options.plain) {
    for (const step of todo) {
      const started = ctx.now();
      ctx.log(`▶ ${step}`);
      await actions[step]();
      ctx.log(`✔ ${step} (${((ctx.now() - started) / 1000).toFixed(1)} s)`);
    }
    return;
  }
  await new Listr(
    todo.map((step) => ({
      title: step,
      task: async (_: unknown, task: { output: string; title: string }) => {
        const started = ctx.now();
        const log = ctx.log;
        ctx.log = (line) => (task.output = line);
        try {
          await actions[step]();
        } finally {
          ctx.log = log;
        }
        task.title = `${step} (${((ctx.now() - started) / 1000).toFixed(1)} s)`;
      },
    })),
    { concurrent: false, exitOnError: true, rendererOptions: { collapseSubtasks: false } },
  ).run();
}
