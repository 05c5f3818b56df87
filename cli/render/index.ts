import type { Plan } from "../plan/model";
import { renderMarkdown } from "./markdown";
import { renderTree } from "./tree";

export const PLAN_FORMATS = ["tree", "json", "markdown"] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export function renderPlan(plan: Plan, format: PlanFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(plan, null, 2) + "\n";
    case "markdown":
      return renderMarkdown(plan);
    case "tree":
      return renderTree(plan);
  }
}
