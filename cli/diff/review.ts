import { costDelta, type CostDelta } from "../cost/delta";
import type { EstimateOptions } from "../cost/estimate";
import type { Plan } from "../plan/model";
import type { PlanDiff } from "./comparePlans";
import { analyzeReplacements, type ReplacementReport } from "./replacements";

/** What a reviewer asks of a diff beyond its changes: what it costs, and what it destroys and recreates. */
export interface DiffReview {
  cost: CostDelta;
  replacements: ReplacementReport;
}

export function reviewDiff(diff: PlanDiff, before: Plan, after: Plan, options: EstimateOptions = {}): DiffReview {
  return { cost: costDelta(before, after, options), replacements: analyzeReplacements(diff, before, after) };
}
