import { formatUsd } from "../cost/delta";
import type { CostEstimate } from "../cost/estimate";
import { escapeMarkdown } from "./review";

const perMonth = (usd: number) => `${formatUsd(usd)}/month`;

function gaps(estimate: CostEstimate): string[] {
  return [
    ...estimate.unpriced.map((u) => `no price for ${u.what} of ${u.name} (\`${u.priceKey}\` in ${estimate.region}); run \`npm run refresh-prices\``),
    ...estimate.notEstimated.map((type) => `${type}: not estimated`),
  ];
}

/** The estimate as `flipstack plan --cost` prints it under the tree. */
export function estimateTextLines(estimate: CostEstimate): string[] {
  const lines = ["", `Monthly cost of ${estimate.environment} (${estimate.region}, prices of ${estimate.priceTableDate}): ${perMonth(estimate.monthly)}${estimate.complete ? "" : " (incomplete)"}`];
  const width = Math.max(0, ...Object.keys(estimate.byAwsService).map((s) => s.length));
  lines.push("  By AWS service:", ...Object.entries(estimate.byAwsService).map(([s, usd]) => `    ${s.padEnd(width)}  ${formatUsd(usd)}`));
  lines.push("  By Flipstack service:", ...Object.entries(estimate.byService).map(([s, usd]) => `    ${s}  ${formatUsd(usd)}`));
  lines.push("  By resource:");
  for (const r of [...estimate.resources].sort((a, b) => b.monthly - a.monthly)) {
    lines.push(`    ${formatUsd(r.monthly).padStart(10)}  ${r.type} ${r.name}`);
    for (const l of r.lines) lines.push(`                ${l.what}: ${round(l.quantity)} × ${l.price ? `$${l.price.usd}` : "(no price)"} = ${formatUsd(l.monthly)}`);
  }
  if (estimate.assumptions.length) lines.push("  Assumptions (override with --usage <file>):", ...estimate.assumptions.map((a) => `    ${a}`));
  const missing = gaps(estimate);
  if (missing.length) lines.push("  Not in the total:", ...missing.map((g) => `    ${g}`));
  return lines;
}

/** The estimate for a pull-request comment: totals up front, the per-resource lines folded away. */
export function estimateMarkdownLines(estimate: CostEstimate): string[] {
  const out = [
    "",
    `**${perMonth(estimate.monthly)}** estimated for \`${estimate.environment}\` in ${estimate.region} (on-demand prices of ${estimate.priceTableDate}${estimate.complete ? "" : "; incomplete, see below"}).`,
    "",
    "| AWS service | Monthly |",
    "| --- | ---: |",
    ...Object.entries(estimate.byAwsService).map(([s, usd]) => `| ${s} | ${formatUsd(usd)} |`),
    "",
    "<details><summary>Cost by resource</summary>",
    "",
    "| Resource | Type | Service | Monthly |",
    "| --- | --- | --- | ---: |",
    ...[...estimate.resources].sort((a, b) => b.monthly - a.monthly).map((r) => `| \`${r.name}\` | \`${r.type}\` | ${r.service} | ${formatUsd(r.monthly)} |`),
    "",
    ...estimate.assumptions.map((a) => `- assumed: ${escapeMarkdown(a)}`),
    ...gaps(estimate).map((g) => `- not in the total: ${escapeMarkdown(g)}`),
    "",
    "</details>",
  ];
  return out;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
