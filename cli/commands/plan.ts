import * as fs from "node:fs";
import * as path from "node:path";
import { Command, Option } from "commander";
import { checkOutputFile } from "../config/userFiles";
import { estimateCost } from "../cost/estimate";
import { EXIT } from "../errors";
import { loadUsage } from "../cost/usage";
import { planStack } from "../plan/planStack";
import { readSuppressions, withViolations } from "../plan/suppressions";
import { PLAN_FORMATS, renderPlan, type PlanFormat } from "../render";

interface PlanFlags {
  stack: string;
  config?: string;
  set: string[];
  format: PlanFormat;
  out?: string;
  cwd?: string;
  policy: boolean;
  typecheck: boolean;
  cost?: boolean;
  usage?: string;
}

export const collect = (value: string, previous: string[]) => [...previous, value];

export function planCommand(): Command {
  return new Command("plan")
    .description("Plan a stack offline: run its Pulumi program against mocks and show every resource it would create")
    .requiredOption("-s, --stack <name>", "stack to plan (production, staging, pr-<number>, ...)")
    .option("-c, --config <file>", "config file to use instead of Pulumi.<stack>.yaml")
    .option("--set <key.path=value>", "override a config value like `pulumi config set --path` (repeatable)", collect, [])
    .addOption(new Option("-f, --format <format>", "output format").choices(PLAN_FORMATS).default("tree"))
    .option("-o, --out <file>", "write the plan to a file instead of standard output")
    .option("-C, --cwd <dir>", "folder of the Pulumi project (with Pulumi.yaml)")
    .option("--no-policy", "skip the policy pack and the AWS constraint checks")
    .option("--no-typecheck", "skip type-checking a TypeScript program (pulumi up checks it)")
    .option("--cost", "estimate the monthly cost of every resource (adds `cost` to the JSON)")
    .option("--usage <file>", "usage assumptions for --cost (YAML or JSON; see the README)")
    .addHelpText(
      "after",
      `
Exit codes: 0 planned, 2 invalid config or usage, 3 a mandatory policy or AWS constraint fails, 1 anything else.

Examples:
  $ flipstack plan --stack staging
  $ flipstack plan --stack production --format json --out plan.json
  $ flipstack plan --stack staging --set network.availabilityZones=3 --set network.nat=perAz
  $ flipstack plan --stack production --format markdown > plan.md
  $ flipstack plan --stack pr-42 --cost`,
    )
    .action(async (flags: PlanFlags) => {
      if (flags.out) checkOutputFile(flags.out, "--out");
      const usage = loadUsage(flags.usage);
      const plan = await planStack({ cwd: flags.cwd, stack: flags.stack, configFile: flags.config, sets: flags.set, typeCheck: flags.typecheck });
      if (flags.policy) await withViolations(plan, readSuppressions(path.resolve(flags.cwd ?? ".")));
      const text = renderPlan(plan, flags.format, flags.cost || flags.usage ? estimateCost(plan, { usage }) : undefined);
      if (flags.out) fs.writeFileSync(flags.out, text);
      else process.stdout.write(text);
      if (plan.violations.some((v) => v.severity === "mandatory")) process.exitCode = EXIT.policy;
    });
}
