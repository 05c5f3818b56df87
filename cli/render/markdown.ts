import type { Plan } from "../plan/model";
import { releaseRows } from "./releases";
import { countCustom, resourceTreeLines } from "./tree";

/** A pull-request comment: summary first (then `lead`, e.g. the cost), the full tree folded away. */
export function renderMarkdown(plan: Plan, lead: readonly string[] = []): string {
  const byType = new Map<string, number>();
  for (const r of plan.resources) if (r.custom && !r.type.startsWith("pulumi:providers:")) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  const protectedCount = plan.resources.filter((r) => r.options.protect).length;
  const mandatory = plan.violations.filter((v) => v.severity === "mandatory").length;
  const out = [
    `### Flipstack plan: \`${plan.project}/${plan.stack}\``,
    "",
    `**${countCustom(plan)}** resources, **${protectedCount}** protected, **${mandatory}** mandatory and **${plan.violations.length - mandatory}** advisory policy violations.`,
    ...lead,
    "",
    "| Resource type | Count |",
    "| --- | ---: |",
    ...[...byType].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => `| \`${type}\` | ${n} |`),
  ];
  const releases = releaseRows(plan);
  if (releases.length) {
    out.push("", "#### Releases", "", "| Service | Live | Idle |", "| --- | --- | --- |");
    const share = (r: (typeof releases)[number], percent: number) => (r.weight > 0 ? ` ${percent}%` : "");
    for (const r of releases) out.push(`| ${r.label} | ${r.live} \`${r.liveVersion}\`${share(r, 100 - r.weight)} | ${r.idle ? `${r.idle} \`${r.idleVersion}\`${share(r, r.weight)}` : "none"} |`);
  }
  if (plan.violations.length) {
    out.push("", "#### Violations", "", "| Severity | Rule | Resource | Message |", "| --- | --- | --- | --- |");
    for (const v of plan.violations) out.push(`| ${v.severity} | ${v.rule} | \`${v.urn.split("::").pop()}\` | ${escapeCell(v.message)} |`);
  }
  if (plan.suppressed?.length) {
    out.push("", "#### Policy exceptions", "", "| Rule | Resource | Now | Reason |", "| --- | --- | --- | --- |");
    for (const s of plan.suppressed) out.push(`| ${s.rule} | \`${s.urn.split("::").pop()}\` | ${s.severity} → ${s.now} | ${escapeCell(s.reason)} |`);
  }
  out.push("", "<details><summary>Resource tree</summary>", "", "```", ...resourceTreeLines(plan), "```", "", "</details>");
  out.push("", "<details><summary>Outputs</summary>", "", "| Output | Value |", "| --- | --- |");
  for (const [key, value] of Object.entries(plan.outputs)) out.push(`| \`${key}\` | \`${escapeCell(JSON.stringify(value))}\` |`);
  out.push("", "</details>");
  return out.join("\n") + "\n";
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
