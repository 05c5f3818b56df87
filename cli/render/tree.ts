import type { Plan, PlannedResource } from "../plan/model";
import { releaseLines } from "./releases";

/** The resource tree as a terminal shows it: one line per resource, options in brackets. */
export function renderTree(plan: Plan): string {
  const lines = [`${plan.project}/${plan.stack}: ${countCustom(plan)} resources`, ...resourceTreeLines(plan)];
  return [...lines, ...renderExtra(plan)].join("\n") + "\n";
}

/** One line per resource, children under their parent with box-drawing branches. */
export function resourceTreeLines(plan: Plan): string[] {
  const children = childrenByParent(plan.resources);
  const lines: string[] = [];
  const walk = (resource: PlannedResource, prefix: string, last: boolean, root: boolean) => {
    const branch = root ? "" : last ? "└─ " : "├─ ";
    lines.push(`${prefix}${branch}${resource.type} ${resource.name}${optionTags(resource)}`);
    const kids = children.get(resource.urn) ?? [];
    kids.forEach((kid, i) => walk(kid, root ? "" : prefix + (last ? "   " : "│  "), i === kids.length - 1, false));
  };
  for (const root of children.get(null) ?? []) walk(root, "", true, true);
  return lines;
}

export function childrenByParent(resources: readonly PlannedResource[]): Map<string | null, PlannedResource[]> {
  const known = new Set(resources.map((r) => r.urn));
  const children = new Map<string | null, PlannedResource[]>();
  for (const resource of resources) {
    if (resource.type.startsWith("pulumi:providers:")) continue; // default providers are not part of the tree people read
    const parent = resource.parent && known.has(resource.parent) ? resource.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), resource]);
  }
  return children;
}

/** Resources a provider manages (what costs money or can break), excluding providers themselves. */
export function countCustom(plan: Plan): number {
  return plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).length;
}

export function optionTags(resource: PlannedResource): string {
  const tags = [
    resource.options.protect && "protect",
    resource.options.retainOnDelete && "retainOnDelete",
    resource.options.deleteBeforeReplace && "deleteBeforeReplace",
  ].filter(Boolean);
  return tags.length ? `  [${tags.join(", ")}]` : "";
}

function renderExtra(plan: Plan): string[] {
  const releases = releaseLines(plan);
  const lines = [...(releases.length ? ["", ...releases] : []), "", "Outputs:"];
  for (const [key, value] of Object.entries(plan.outputs)) lines.push(`  ${key}: ${JSON.stringify(value)}`);
  lines.push("", plan.violations.length ? "Violations:" : "Violations: none");
  for (const v of plan.violations) lines.push(`  ${v.severity} ${v.rule}: ${v.message} (${v.urn.split("::").pop()})`);
  if (plan.suppressed?.length) lines.push("", "Policy exceptions:");
  for (const s of plan.suppressed ?? []) lines.push(`  ${s.rule} ${s.severity} → ${s.now} (${s.urn.split("::").pop()}): ${s.reason}`);
  return lines;
}
