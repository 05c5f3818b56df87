import type { CostEstimate } from "../cost/estimate";
import type { Plan } from "../plan/model";
import { estimateMarkdownLines, estimateTextLines } from "./cost";
import { renderMarkdown } from "./markdown";
import { renderTree } from "./tree";

export const PLAN_FORMATS = ["tree", "json", "markdown"] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** A plan in one format; with a cost estimate, its `cost` section (JSON) or cost summary (tree, Markdown). */
export function renderPlan(plan: Plan, format: PlanFormat, cost?: CostEstimate): string {
  switch (format) {
    case "json":
      return JSON.stringify(cost ? { ...plan, cost } : plan, null, 2) + "\n";
    case "markdown":
      return renderMarkdown(plan, cost ? estimateMarkdownLines(cost) : []);
    case "tree":
      return renderTree(plan) + (cost ? estimateTextLines(cost).join("\n") + "\n" : "");
  }
}
