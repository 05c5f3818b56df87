import { formatMonthlyDelta, formatUsd, type CostDelta } from "../cost/delta";
import type { Replacement, ReplacementReport, ReplacementWarning } from "../diff/replacements";
import type { DiffReview } from "../diff/review";

/** GitHub refuses an issue or pull-request comment longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65536;

const WARNING_TEXT: Record<ReplacementWarning, string> = {
  protected: "protected: `pulumi up` fails until the protection is lifted",
  "holds-data": "holds data: the new one starts empty",
  "live-traffic": "serves live traffic",
  "delete-before-replace": "deleted before its replacement exists",
};

export function costHeadline(cost: CostDelta): string {
  const incomplete = cost.complete ? "" : " (incomplete: some resources have no price, see the cost section)";
  return `Monthly cost: ${formatUsd(cost.before)} → ${formatUsd(cost.after)} (${formatMonthlyDelta(cost.delta)})${incomplete}`;
}

export function replacementReason(r: Replacement): string {
  const certainty = r.certainty === "may-replace" ? "may be replaced" : "replaced";
  return r.dependsOn ? `${certainty}: refers to replaced ${r.dependsOn.name} through \`${r.dependsOn.through}\`` : `${certainty}: ${r.inputs.map((i) => `\`${i}\``).join(", ")} changed`;
}

/** One sentence per risky replacement or removal, the most alarming first. */
export function warningSentences(report: ReplacementReport): string[] {
  const rank = (w: ReplacementWarning[]) => (w.includes("protected") ? 0 : w.includes("holds-data") ? 1 : w.includes("live-traffic") ? 2 : 3);
  const replaced = report.replacements.filter((r) => r.warnings.length).sort((a, b) => rank(a.warnings) - rank(b.warnings));
  return [
    ...replaced.map((r) => `${r.name} (${r.type}) is ${r.certainty === "replace" ? "replaced" : "possibly replaced"} and ${r.warnings.map((w) => WARNING_TEXT[w]).join("; ")}`),
    ...report.removals.map((r) => `${r.name} (${r.type}) is removed and ${r.warnings.map((w) => WARNING_TEXT[w]).join("; ")}`),
  ];
}

/** Terminal lines for the cost and the replacements of a diff. */
export function reviewTextLines(review: DiffReview): string[] {
  const lines = [costHeadline(review.cost)];
  const warnings = warningSentences(review.replacements);
  if (warnings.length) lines.push("", `WARNING: ${warnings.length} risky replacement${warnings.length === 1 ? "" : "s"} or removal${warnings.length === 1 ? "" : "s"}:`, ...warnings.map((w) => `  ! ${w}`));
  return lines;
}

/** The Markdown that opens a pull-request comment: the cost delta first, then a warning when something is replaced. */
export function reviewMarkdownLead(review: DiffReview, summary: string): string[] {
  const { cost, replacements } = review;
  const out = [`**${formatMonthlyDelta(cost.delta)}** · ${formatUsd(cost.before)} → ${formatUsd(cost.after)} a month · ${summary}`];
  if (!cost.complete) out.push("", "_The estimate is incomplete: some resources have no price in the table (see Cost details)._");
  const count = replacements.replacements.length;
  if (count || replacements.removals.length) {
    const warnings = warningSentences(replacements);
    out.push("", `> [!${warnings.length ? "CAUTION" : "WARNING"}]`, `> **${count} resource${count === 1 ? " is" : "s are"} replaced, not updated** (destroyed and created anew).`);
    for (const w of warnings.slice(0, 10)) out.push(`> - ${escapeMarkdown(w)}`);
    if (warnings.length > 10) out.push(`> - … and ${warnings.length - 10} more (see the table)`);
  }
  return out;
}

export function costDetailsMarkdown(cost: CostDelta): string[] {
  const out = ["", "<details><summary>Cost details</summary>", "", `On-demand list prices from Flipstack's price table of ${cost.priceTableDate}; usage-based parts use these assumptions (override them with \`--usage <file>\`):`, ""];
  for (const a of cost.assumptions) out.push(`- ${escapeMarkdown(a)}`);
  if (cost.assumptions.length === 0) out.push("- none");
  out.push("", "</details>");
  return out;
}

export function escapeMarkdown(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/**
 * Joins a comment's parts, dropping table rows from the end (with a note saying how many) until it fits in
 * `limit` characters: a large diff still posts, and the note says how to see everything.
 */
export function fitComment(lead: readonly string[], rows: readonly string[], tail: readonly string[], limit = GITHUB_COMMENT_LIMIT): string {
  const render = (shown: number) => {
    const note = shown < rows.length ? ["", `_… ${rows.length - shown} more rows not shown (comment size limit); \`flipstack diff --format json\` lists every change._`] : [];
    return [...lead, ...rows.slice(0, shown), ...note, ...tail].join("\n") + "\n";
  };
  let low = 0;
  let high = rows.length;
  if (render(high).length <= limit) return render(high);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (render(mid).length <= limit) low = mid;
    else high = mid - 1;
  }
  const text = render(low);
  return text.length <= limit ? text : text.slice(0, limit - 2) + "…\n";
}
