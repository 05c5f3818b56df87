import { formatMonthlyDelta } from "../cost/delta";
import type { InputChange, PlanDiff, ResourceChange } from "../diff/comparePlans";
import type { DiffReview } from "../diff/review";
import type { PlannedResource } from "../plan/model";
import { costDetailsMarkdown, escapeMarkdown, fitComment, replacementReason, reviewMarkdownLead, reviewTextLines } from "./review";

const show = (value: unknown) => (value === undefined ? "(unset)" : JSON.stringify(value));
const label = (r: { type: string; name: string }) => `${r.type} ${r.name}`;

function summary(diff: PlanDiff, review?: DiffReview): string {
  const replaced = review?.replacements.replacements ?? [];
  const replacedUrns = new Set(replaced.map((r) => r.urn));
  const aws = diff.changed.filter((c) => c.custom && !replacedUrns.has(c.urn)).length;
  const replace = review ? `, ${replaced.length} to replace` : "";
  return `${diff.added.length} to add, ${aws} to change, ${diff.removed.length} to remove${replace}`;
}

function changeLines(change: ResourceChange, indent: string): string[] {
  const line = (c: InputChange, prefix = "") => `${indent}${prefix}${c.path}: ${show(c.before)} → ${show(c.after)}`;
  return [...change.changes.map((c) => line(c)), ...change.optionChanges.map((c) => line(c, "option "))];
}

/** Per-resource monthly cost change, e.g. `  (+$39.84/month)`, or nothing. */
function costNote(review: DiffReview | undefined, urn: string): string {
  const cell = review ? costCell(review, urn) : "";
  return cell ? `  (${cell})` : "";
}

/** The diff as a terminal shows it: `+` added, `-` removed, `~` changed, `+-` replaced, with each changed input path. */
export function renderDiffText(diff: PlanDiff, review?: DiffReview): string {
  const lines = [`Stack ${diff.stack}: ${summary(diff, review)}`, ...(review ? reviewTextLines(review) : []), ""];
  const replaced = new Map((review?.replacements.replacements ?? []).map((r) => [r.urn, r]));
  const list = (mark: string, resources: PlannedResource[]) => resources.filter((r) => r.custom).forEach((r) => lines.push(`${mark} ${label(r)}${costNote(review, r.urn)}`));
  list("+", diff.added);
  list("-", diff.removed);
  for (const change of diff.changed.filter((c) => c.custom)) {
    const replacement = replaced.get(change.urn);
    lines.push(`${replacement ? "+-" : "~"} ${label(change)}${replacement ? `  [${replacementReason(replacement)}]` : ""}${costNote(review, change.urn)}`, ...changeLines(change, "    "));
  }
  const changedUrns = new Set(diff.changed.map((c) => c.urn));
  for (const r of replaced.values()) if (!changedUrns.has(r.urn)) lines.push(`+- ${label(r)}  [${replacementReason(r)}]`);
  const components = diff.changed.filter((c) => !c.custom);
  if (components.length) {
    lines.push("", "Component inputs (release state; nothing in AWS by themselves):");
    for (const change of components) lines.push(`  ${label(change)}`, ...changeLines(change, "    "));
  }
  return lines.join("\n").replace(/\n+$/, "") + "\n";
}

/** The diff for a pull-request comment: cost delta and replacement warning first, within GitHub's size limit. */
export function renderDiffMarkdown(diff: PlanDiff, review?: DiffReview, limit?: number): string {
  const lead = [`### Flipstack diff: \`${diff.stack}\``, "", ...(review ? reviewMarkdownLead(review, summary(diff, review)) : [`**${summary(diff)}**`]), ""];
  const replaced = new Map((review?.replacements.replacements ?? []).map((r) => [r.urn, r]));
  const changedByUrn = new Map(diff.changed.map((c) => [c.urn, c]));
  // The monthly cost column only when the cost is known.
  const row = (action: string, r: { urn: string; type: string; name: string }, inputs: string) => {
    const cells = [action, `\`${r.type}\``, `\`${r.name}\``, inputs, ...(review ? [costCell(review, r.urn)] : [])];
    return `| ${cells.join(" | ")} |`.replace(/ {2}\|/g, " |");
  };
  const rows = [
    ...[...replaced.values()].map((r) => row("♻️ replace", r, changedByUrn.has(r.urn) ? inputPaths(changedByUrn.get(r.urn)!) : escapeMarkdown(replacementReason(r).replace(/^(may be )?replaced: /, "")))),
    ...diff.added.filter((r) => r.custom).map((r) => row("➕ add", r, "")),
    ...diff.removed.filter((r) => r.custom).map((r) => row("➖ remove", r, "")),
    ...diff.changed.filter((c) => !replaced.has(c.urn)).map((c) => row(c.custom ? "✏️ change" : "🏷️ release state", c, inputPaths(c))),
  ];
  const tail = review ? costDetailsMarkdown(review.cost) : [];
  if (rows.length === 0) return [...lead, "No changes.", ...tail].join("\n") + "\n";
  const header = review
    ? ["| Action | Type | Name | Changed inputs | Monthly |", "| --- | --- | --- | --- | ---: |"]
    : ["| Action | Type | Name | Changed inputs |", "| --- | --- | --- | --- |"];
  return fitComment([...lead, ...header], rows, tail, limit);
}

const inputPaths = (c: ResourceChange) => [...c.changes, ...c.optionChanges].map((x) => `\`${x.path}\``).join(", ");

function costCell(review: DiffReview, urn: string): string {
  const change = review.cost.changes.find((c) => c.urn === urn);
  return change ? formatMonthlyDelta(change.delta) : "";
}
