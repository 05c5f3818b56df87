import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { addProjectFiles } from "./projectFingerprint";

/**
 * What one stack's plan leaves behind for the plans that reference it: its outputs and the stacks it read.
 *
 * Production reads staging's image repositories through a stack reference, and offline that is answered by
 * planning staging too: without this cache every production plan would run the program three times (a pass that
 * finds the reference, staging, production again). A stack planned before with the same inputs is answered from
 * here instead, and the stacks it read are known before its program runs, so it runs once.
 */
export interface StackSummary {
  outputs: Record<string, unknown>;
  /** Full names (`org/project/stack`) of the other stacks of the project whose outputs the plan read. */
  references: string[];
}

/** Everything a plan's result follows from, so the summary of a plan is reused only for exactly the same plan. */
export interface PlanInputs {
  projectDir: string;
  project: string;
  stack: string;
  organization: string;
  /** The config as the program receives it (after `--set`). */
  config: Record<string, string>;
  secretKeys: readonly string[];
}

// Bumped when what is stored, or what it follows from, changes.
const FORMAT = "flipstack-plan-summary/1";
// Flipstack's own sources: part of the project in this repository, an installed (or linked) package elsewhere.
const PACKAGE_ROOT = path.join(__dirname, "..", "..");

export class PlanCache {
  private readonly dir: string;
  private readonly sources: string;

  /** Fingerprints the project's files and Flipstack's once: the plans of one command share them. */
  constructor(projectDir: string) {
    this.dir = path.join(projectDir, "node_modules", ".cache", "flipstack-plans");
    const hash = addProjectFiles(createHash("sha256").update(FORMAT).update(process.version), projectDir);
    if (!isInside(PACKAGE_ROOT, projectDir)) addProjectFiles(hash, PACKAGE_ROOT);
    this.sources = hash.digest("hex");
  }

  read(inputs: PlanInputs): StackSummary | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.file(inputs), "utf8")) as StackSummary;
    } catch {
      return undefined; // not planned with these inputs yet
    }
  }

  write(inputs: PlanInputs, summary: StackSummary): void {
    const file = this.file(inputs);
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(summary));
      fs.renameSync(`${file}.${process.pid}`, file); // atomic: a concurrent plan never reads half a file
    } catch {
      // a read-only install still plans, just without the cache
    }
  }

  private file(inputs: PlanInputs): string {
    const key = createHash("sha256")
      .update(this.sources)
      .update(JSON.stringify([inputs.project, inputs.stack, inputs.organization, inputs.config, [...inputs.secretKeys].sort()]))
      // The region a program without aws:region runs in.
      .update(JSON.stringify([process.env.AWS_REGION, process.env.AWS_DEFAULT_REGION]))
      .digest("hex");
    return path.join(this.dir, `${key}.json`);
  }
}

function isInside(dir: string, parent: string): boolean {
  const relative = path.relative(fs.realpathSync(parent), fs.realpathSync(dir));
  return !relative.startsWith("..") && !path.isAbsolute(relative);
}
