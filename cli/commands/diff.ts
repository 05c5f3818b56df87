import { Command, Option } from "commander";
import { readTextFile } from "../config/userFiles";
import { loadUsage } from "../cost/usage";
import { comparePlans, hasChanges } from "../diff/comparePlans";
import { reviewDiff } from "../diff/review";
import { EXIT } from "../errors";
import { checkoutRevision } from "../plan/gitRevision";
import type { Plan } from "../plan/model";
import { planStack, type PlanStackOptions } from "../plan/planStack";
import { renderDiffMarkdown, renderDiffText } from "../render/diff";
import { GITHUB_COMMENT_LIMIT } from "../render/review";
import { UsageError } from "../usageError";
import { collect } from "./plan";

interface DiffFlags {
  stack: string;
  basePlan?: string;
  baseRev?: string;
  headPlan?: string;
  baseSet: string[];
  set: string[];
  config?: string;
  format: "text" | "markdown" | "json";
  exitCode?: boolean;
  cwd?: string;
  usage?: string;
  maxChars: string;
}

export function diffCommand(): Command {
  return new Command("diff")
    .description("Compare two plans of a stack: what would be added, removed or changed, and which inputs")
    .requiredOption("-s, --stack <name>", "stack to compare")
    .option("--base-plan <file>", "base side: a JSON plan saved with `flipstack plan --format json`")
    .option("--base-rev <rev>", "base side: the same stack at a git revision (e.g. origin/main)")
    .option("--base-set <key.path=value>", "config override for the base side only (repeatable)", collect, [])
    .option("--head-plan <file>", "head side: a saved JSON plan instead of planning the working tree")
    .option("--set <key.path=value>", "config override for the head side (repeatable)", collect, [])
    .option("-c, --config <file>", "head side: config file instead of Pulumi.<stack>.yaml")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "markdown", "json"]).default("text"))
    .option("--exit-code", "exit 1 when there are changes (like git diff --exit-code)")
    .option("-C, --cwd <dir>", "folder of the Pulumi project (with Pulumi.yaml)")
    .option("--usage <file>", "usage assumptions for the cost estimate (YAML or JSON; see the README)")
    .option("--max-chars <n>", "longest Markdown to print; rows past it are left out with a note", String(GITHUB_COMMENT_LIMIT))
    .addHelpText(
      "after",
      `
Without --base-plan or --base-rev the base is the working tree with only the --base-set overrides.
Every diff shows the monthly cost change and marks the changes that replace a resource instead of updating it.

Examples:
  $ flipstack diff --stack production --base-rev origin/main --format markdown
  $ flipstack diff --stack production --set services.api.release.live=blue
  $ flipstack diff --stack staging --base-plan before.json --exit-code`,
    )
    .action(async (flags: DiffFlags) => {
      if (flags.basePlan && flags.baseRev) throw new UsageError("give --base-plan or --base-rev, not both");
      const usage = loadUsage(flags.usage);
      const maxChars = Number(flags.maxChars);
      if (!Number.isInteger(maxChars) || maxChars < 1000) throw new UsageError(`\`--max-chars\` ${flags.maxChars} must be a whole number of at least 1000 (GitHub's limit is ${GITHUB_COMMENT_LIMIT})`);
      const common: PlanStackOptions = { cwd: flags.cwd, stack: flags.stack };
      const base = flags.basePlan ? readPlan(flags.basePlan) : await planBase(common, flags);
      const head = flags.headPlan ? readPlan(flags.headPlan) : await planStack({ ...common, configFile: flags.config, sets: flags.set });
      const diff = comparePlans(base, head);
      const review = reviewDiff(diff, base, head, { usage });
      const text =
        flags.format === "json" ? JSON.stringify({ ...diff, ...review }, null, 2) + "\n" : flags.format === "markdown" ? renderDiffMarkdown(diff, review, maxChars) : renderDiffText(diff, review);
      process.stdout.write(text);
      if (flags.exitCode && hasChanges(diff)) process.exitCode = EXIT.changed;
    });
}

async function planBase(common: PlanStackOptions, flags: DiffFlags): Promise<Plan> {
  if (!flags.baseRev) return planStack({ ...common, sets: flags.baseSet });
  const checkout = checkoutRevision(common.cwd ?? process.cwd(), flags.baseRev);
  try {
    return await planStack({ ...common, cwd: checkout.projectDir, sets: flags.baseSet });
  } finally {
    checkout.remove();
  }
}

function readPlan(file: string): Plan {
  const text = readTextFile(file, "saved plan");
  try {
    const plan = JSON.parse(text) as Plan;
    if (!Array.isArray(plan.resources)) throw new Error("no resources array");
    return plan;
  } catch (err) {
    throw new UsageError(`${file} is not a saved flipstack plan (${err instanceof Error ? err.message : String(err)})`);
  }
}
