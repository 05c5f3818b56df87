import type { InputChange, PlanDiff, ResourceChange } from "../diff/comparePlans";
import type { PlannedResource } from "../plan/model";

const show = (value: unknown) => (value === undefined ? "(unset)" : JSON.stringify(value));
const label = (r: { type: string; name: string }) => `${r.type} ${r.name}`;

function summary(diff: PlanDiff): string {
  const aws = diff.changed.filter((c) => c.custom).length;
  return `${diff.added.length} to add, ${aws} to change, ${diff.removed.length} to remove`;
}

function changeLines(change: ResourceChange, indent: string): string[] {
  const line = (c: InputChange, prefix = "") => `${indent}${prefix}${c.path}: ${show(c.before)} → ${show(c.after)}`;
  return [...change.changes.map((c) => line(c)), ...change.optionChanges.map((c) => line(c, "option "))];
}

/** The diff as a terminal shows it: `+` added, `-` removed, `~` changed with each changed input path. */
export function renderDiffText(diff: PlanDiff): string {
  const lines = [`Stack ${diff.stack}: ${summary(diff)}`];
  const list = (mark: string, resources: PlannedResource[]) => resources.filter((r) => r.custom).forEach((r) => lines.push(`${mark} ${label(r)}`));
  list("+", diff.added);
  list("-", diff.removed);
  for (const change of diff.changed.filter((c) => c.custom)) lines.push(`~ ${label(change)}`, ...changeLines(change, "    "));
  const components = diff.changed.filter((c) => !c.custom);
  if (components.length) {
    lines.push("", "Component inputs (release state; nothing in AWS by themselves):");
    for (const change of components) lines.push(`  ${label(change)}`, ...changeLines(change, "    "));
  }
  return lines.join("\n") + "\n";
}

/** The diff for a pull-request comment. */
export function renderDiffMarkdown(diff: PlanDiff): string {
  const out = [`### Flipstack diff: \`${diff.stack}\``, "", `**${summary(diff)}**`, ""];
  const rows: string[] = [];
  for (const r of diff.added.filter((x) => x.custom)) rows.push(`| ➕ add | \`${r.type}\` | \`${r.name}\` | |`);
  for (const r of diff.removed.filter((x) => x.custom)) rows.push(`| ➖ remove | \`${r.type}\` | \`${r.name}\` | |`);
  for (const c of diff.changed) {
    const paths = [...c.changes, ...c.optionChanges].map((x) => `\`${x.path}\``).join(", ");
    rows.push(`| ${c.custom ? "✏️ change" : "🏷️ release state"} | \`${c.type}\` | \`${c.name}\` | ${paths} |`);
  }
  if (rows.length) out.push("| Action | Type | Name | Changed inputs |", "| --- | --- | --- | --- |", ...rows);
  else out.push("No changes.");
  return out.join("\n") + "\n";
}
