import { Listr, PRESET_TIMER } from "listr2";
import type { ReleaseContext } from "./context";
import { formatDuration } from "./duration";

export interface Step {
  title: string;
  action: () => Promise<unknown>;
}

/**
 * Runs steps one after another with elapsed times. `plain` prints lines (CI logs, pipes, `--ci`); otherwise a live
 * step list (listr2) shows each step's latest line under its title. Either way a failing step stops the rest and
 * its error propagates.
 */
export async function runSteps(ctx: ReleaseContext, steps: readonly Step[], options: { plain: boolean; print: (line: string) => void }): Promise<void> {
  if (options.plain) return runPlain(ctx, steps, options.print);
  const tasks = new Listr(
    steps.map((step) => ({
      title: step.title,
      task: (_: unknown, task: { output: string | undefined }) => withLog(ctx, (line) => (task.output = line), step.action),
    })),
    { concurrent: false, exitOnError: true, rendererOptions: { timer: PRESET_TIMER, collapseErrors: false } },
  );
  await tasks.run();
}

async function runPlain(ctx: ReleaseContext, steps: readonly Step[], print: (line: string) => void): Promise<void> {
  for (const step of steps) {
    const started = ctx.clock.now();
    print(`▶ ${step.title}`);
    try {
      await withLog(ctx, (line) => print(`  ${line}`), step.action);
    } catch (err) {
      print(`✖ ${step.title} (${formatDuration(ctx.clock.now() - started)})`);
      throw err;
    }
    print(`✔ ${step.title} (${formatDuration(ctx.clock.now() - started)})`);
  }
}

/** Points the context's progress lines somewhere else while `action` runs. */
async function withLog<T>(ctx: ReleaseContext, log: (line: string) => void, action: () => Promise<T>): Promise<T> {
  const previous = ctx.log;
  ctx.log = log;
  try {
    return await action();
  } finally {
    ctx.log = previous;
  }
}

/** Turns streamed chunks (`pulumi up` output) into whole lines; `flush` emits a last unterminated line. */
export function lineSplitter(emit: (line: string) => void): { write(chunk: string): void; flush(): void } {
  let pending = "";
  return {
    write(chunk) {
      const lines = (pending + chunk).split(/\r?\n/);
      pending = lines.pop() ?? "";
      lines.filter((l) => l.trim()).forEach(emit);
    },
    flush() {
      if (pending.trim()) emit(pending);
      pending = "";
    },
  };
}
