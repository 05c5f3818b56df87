import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { UsageError } from "../usageError";
import { evaluatePlan } from "../../policies/harness";
import type { Plan, Severity, Violation } from "./model";

/** The file beside Pulumi.yaml where a program turns policy rules off or changes their severity. */
export const SUPPRESSIONS_FILE = "flipstack.policy.yaml";

const suppressionSchema = z.object({
  rule: z.string().min(1),
  reason: z.string().trim().min(1, "every exception needs a written `reason`"),
  resources: z.array(z.string().min(1)).min(1).optional(),
  severity: z.enum(["off", "advisory", "mandatory"]).default("off"),
}).strict();
const fileSchema = z.object({ suppressions: z.array(suppressionSchema) }).strict();

/**
 * One exception to a rule, as cdk-nag's suppressions: the rule, the resources it applies to (logical names or URNs;
 * every resource when absent), what the rule becomes for them (`off` or another severity) and why.
 */
export type Suppression = z.infer<typeof suppressionSchema>;

/** A violation an exception matched: what it was, what it became, and the exception's reason. */
export interface SuppressedViolation extends Violation {
  /** `off`, or the severity the violation now counts with. */
  now: Severity | "off";
  reason: string;
}

export function readSuppressions(projectDir: string): Suppression[] {
  const file = path.join(projectDir, SUPPRESSIONS_FILE);
  if (!fs.existsSync(file)) return [];
  const parsed = fileSchema.safeParse(parse(fs.readFileSync(file, "utf8")) ?? { suppressions: [] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${SUPPRESSIONS_FILE}: ${issue.path.join(".") || "the file"}: ${issue.message} (see "Policy exceptions" in Flipstack's README)`);
  }
  return parsed.data.suppressions;
}

/** Applies the exceptions: violations they turn off leave the list, others take their new severity. */
export function applySuppressions(violations: readonly Violation[], suppressions: readonly Suppression[]): { violations: Violation[]; suppressed: SuppressedViolation[] } {
  const kept: Violation[] = [];
  const suppressed: SuppressedViolation[] = [];
  for (const violation of violations) {
    const name = violation.urn.split("::").pop();
    const match = suppressions.find((s) => s.rule === violation.rule && (!s.resources || s.resources.some((r) => r === violation.urn || r === name)));
    if (!match) {
      kept.push(violation);
      continue;
    }
    suppressed.push({ ...violation, now: match.severity, reason: match.reason });
    if (match.severity !== "off") kept.push({ ...violation, severity: match.severity });
  }
  return { violations: kept, suppressed };
}

/** Runs the policy pack and AWS constraint checks on the plan and applies the exceptions: `violations`, `suppressed`. */
export async function withViolations(plan: Plan, suppressions: readonly Suppression[]): Promise<Plan> {
  const { violations, suppressed } = applySuppressions(await evaluatePlan(plan), suppressions);
  plan.violations = violations;
  if (suppressed.length > 0) plan.suppressed = suppressed;
  return plan;
}
