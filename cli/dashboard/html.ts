import * as fs from "node:fs";
import * as path from "node:path";
import { html, raw } from "hono/html";
import type { HistoryEntry } from "./history";
import type { Cell, Column, Overview } from "./overview";

type Html = ReturnType<typeof raw>;

export const ASSETS = path.join(__dirname, "assets");
export const readAsset = (name: string) => fs.readFileSync(path.join(ASSETS, name), "utf8");

const time = (ms: number) => (ms > 0 ? new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") : "never");

function columnHead(column: Column): Html {
  return html`<th scope="col" class="${column.stale ? "stale" : ""}">
    <span class="stack">${column.stack}</span> <span class="env">${column.environment}</span>
    <span class="read-at">read ${time(column.readAt)}${column.stale ? " · stale" : ""}</span>
    ${column.problem ? html`<span class="problem" role="alert">${column.problem}</span>` : ""}
    ${column.alarmProblem ? html`<span class="problem">${column.alarmProblem}</span>` : ""}
  </th>` as Html;
}

function actionButtons(stack: string, service: string, cell: Cell, environment: string): Html {
  const button = (action: string, label: string) =>
    html`<button type="button" data-action="${action}" data-stack="${stack}" data-service="${service}" data-kind="${cell.kind}" data-environment="${environment}">${label}</button>`;
  return html`<div class="actions">${button("deploy", "Deploy…")}${button("verify", "Verify")}${button("promote", "Promote")}${button("rollback", "Roll back")}${button("retire", "Retire")}</div>` as Html;
}

function cellHtml(stack: string, service: string, cell: Cell | undefined, column: Column, options: TableOptions): Html {
  if (!cell) return html`<td class="empty">—</td>` as Html;
  const alarm = cell.alarm.state === "ALARM" ? `ALARM: ${cell.alarm.firing.join(", ")}` : cell.alarm.state === "none" ? "no alarms" : `alarms ${cell.alarm.state}`;
  return html`<td data-stack="${stack}" data-service="${service}" class="${column.stale ? "stale" : ""}">
    <div class="live"><span class="slot ${cell.live.color}">${cell.live.color}</span> <strong class="version">${cell.live.version ?? "(no release)"}</strong> live</div>
    <div class="idle">${cell.idle ? html`idle <span class="slot ${cell.idle.color}">${cell.idle.color}</span> ${cell.idle.version ?? "(empty)"}` : "no idle slot"}</div>
    ${cell.weight > 0 && cell.idle ? html`<div class="shift">shifting: ${100 - cell.weight}% on ${cell.live.color}, ${cell.weight}% on ${cell.idle.color}</div>` : ""}
    <div class="phase">phase ${cell.phase ?? "-"} · generation ${cell.generation}</div>
    <div class="alarm alarm-${cell.alarm.state.toLowerCase()}">${alarm}</div>
    <div class="links"><a href="${cell.urls.public}">public</a> <a href="${cell.urls.test}">test</a>
      ${options.history ? html`<a href="/history?stack=${encodeURIComponent(stack)}&amp;service=${encodeURIComponent(service)}">history</a>` : ""}</div>
    ${options.readOnly ? "" : actionButtons(stack, service, cell, column.environment)}
  </td>` as Html;
}

export interface TableOptions {
  readOnly: boolean;
  /** Links to each service's history page (not in the static report, which has no server behind it). */
  history: boolean;
}

/** The overview table: environments as columns, services as rows. */
export function overviewTable(view: Overview, options: TableOptions): string {
  if (view.columns.length === 0) return String(html`<p class="problem" role="alert">no stacks in this project's Pulumi backend yet</p>`);
  return String(html`<table class="overview">
    <thead><tr><th scope="col">service</th>${view.columns.map(columnHead)}</tr></thead>
    <tbody>${view.rows.map(
      (row) => html`<tr><th scope="row">${row.service}</th>${view.columns.map((column) => cellHtml(column.stack, row.service, row.cells[column.stack], column, options))}</tr>`,
    )}</tbody>
  </table>`);
}

function layout(title: string, body: Html | string, head: Html): string {
  return `<!doctype html>${String(html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>${head}</head><body>${raw(String(body))}</body></html>`)}`;
}

export interface PageOptions {
  project: string;
  readOnly: boolean;
  refreshSeconds: number;
  problem?: string;
}

/** The dashboard's page; the script keeps the table current and runs the actions. */
export function dashboardPage(view: Overview, options: PageOptions): string {
  const body = html`<header><h1>Flipstack · ${options.project}</h1>
    <p id="status" aria-live="polite" data-refresh="${options.refreshSeconds}">live, refreshed every ${options.refreshSeconds}s${options.readOnly ? " · read-only" : ""}</p></header>
    <main>
      ${options.problem ? html`<p class="problem" role="alert">${options.problem}</p>` : ""}
      <div id="overview" class="scroll">${raw(overviewTable(view, { readOnly: options.readOnly, history: true }))}</div>
      ${options.readOnly ? "" : raw(actionDialog())}
      <section id="run" hidden aria-live="polite"><h2 id="run-title">action</h2><ol id="steps"></ol><pre id="output"></pre><p id="final" class="final"></p></section>
    </main>`;
  return layout(`Flipstack · ${options.project}`, String(body), html`<link rel="stylesheet" href="/assets/dashboard.css"><script src="/assets/dashboard.js" defer></script>` as Html);
}

function actionDialog(): string {
  return String(html`<dialog id="action-dialog" aria-labelledby="action-title"><form id="action-form" method="dialog">
    <h2 id="action-title">action</h2>
    <input type="hidden" name="stack"><input type="hidden" name="service"><input type="hidden" name="action">
    <p class="deploy-only"><label>version <input name="version" autocomplete="off" placeholder="4a5b6c7"></label></p>
    <p class="deploy-only containers-only"><label>image <input name="image" autocomplete="off" placeholder="…/api:4a5b6c7"></label></p>
    <p class="deploy-only instances-only"><label>AMI <input name="ami" autocomplete="off" placeholder="ami-0123456789abcdef0"></label></p>
    <p class="production-only"><label>This is production: type the service name to confirm <input name="confirm" autocomplete="off"></label></p>
    <p id="action-error" class="problem" role="alert"></p>
    <p><button type="submit" value="run">Run</button> <button type="button" id="action-cancel">Cancel</button></p>
  </form></dialog>`);
}

/** A service's history page: the releases the ledger holds, then updates and actions, newest first. */
export function historyPage(project: string, stack: string, service: string, releases: Array<{ role: string; version: string }>, entries: readonly HistoryEntry[], problem?: string): string {
  const body = html`<header><h1>${service} on ${stack}</h1><p><a href="/">back to the overview</a></p></header><main>
    ${problem ? html`<p class="problem" role="alert">${problem}</p>` : ""}
    <h2>Releases in the ledger</h2>
    <ul>${releases.map((r) => html`<li>${r.role}: <strong>${r.version}</strong></li>`)}</ul>
    <h2>History</h2>
    <div class="scroll"><table class="history"><thead><tr><th scope="col">when</th><th scope="col">who</th><th scope="col">what</th><th scope="col">version</th><th scope="col">result</th></tr></thead>
    <tbody>${entries.map((e) => html`<tr class="${e.source}"><td>${time(e.at.getTime())}</td><td>${e.who}</td><td>${e.what}</td><td>${e.version ?? "-"}</td><td>${e.result}</td></tr>`)}</tbody></table></div>
  </main>`;
  return layout(`${service} on ${stack} · Flipstack · ${project}`, String(body), html`<link rel="stylesheet" href="/assets/dashboard.css">` as Html);
}

/** `flipstack status --format html`: the overview as one self-contained file, styles inlined, no script. */
export function staticReport(view: Overview, project: string, generatedAt: number): string {
  const body = html`<header><h1>Flipstack · ${project}</h1><p>release status at ${time(generatedAt)}</p></header>
    <main><div class="scroll">${raw(overviewTable(view, { readOnly: true, history: false }))}</div></main>`;
  return layout(`Flipstack · ${project} · release status`, String(body), html`<style>${raw(readAsset("dashboard.css"))}</style>` as Html);
}
