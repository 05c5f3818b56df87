import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

/** One action run from the dashboard: who asked for what, when, and how it ended. */
const actionRecord = z.object({
  at: z.string(),
  who: z.string(),
  stack: z.string(),
  service: z.string(),
  action: z.string(),
  version: z.string().optional(),
  result: z.enum(["done", "failed", "refused"]),
  exitCode: z.number(),
  /** The closing `live: <service> <color> <version>` line, or the one-line reason it failed. */
  summary: z.string(),
});
export type ActionRecord = z.infer<typeof actionRecord>;

/**
 * The dashboard's action log: one JSON line per action, under `.flipstack/` in the project folder (ignored by git).
 * The stack's own update history says what changed; this says who asked for it, refusals included.
 */
export class ActionLog {
  constructor(readonly file: string) {}

  static inProject(workDir: string): ActionLog {
    return new ActionLog(path.join(workDir, ".flipstack", "dashboard-actions.jsonl"));
  }

  append(record: ActionRecord): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.appendFileSync(this.file, `${JSON.stringify(actionRecord.parse(record))}\n`);
  }

  /** Every record, oldest first; a line that is not a record (a hand edit, a torn write) is skipped. */
  read(): ActionRecord[] {
    if (!fs.existsSync(this.file)) return [];
    return fs
      .readFileSync(this.file, "utf8")
      .split("\n")
      .flatMap((line) => {
        if (!line.trim()) return [];
        try {
          const parsed = actionRecord.safeParse(JSON.parse(line));
          return parsed.success ? [parsed.data] : [];
        } catch {
          return [];
        }
      });
  }
}
