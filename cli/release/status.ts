import { liveLine, slotLabel, type Color, type ServiceLedger } from "./ledger";

/** `green 1.0.0 90%` during a shift; just the slot otherwise. */
function withShare(ledger: ServiceLedger, color: Color | null): string {
  if (ledger.weight === 0 || !color) return slotLabel(ledger, color);
  return `${slotLabel(ledger, color)} ${color === ledger.live ? 100 - ledger.weight : ledger.weight}%`;
}

/**
 * `release status`: a table of every service's release state from the deployed ledger, then one `live:` line per
 * service (the line every release command ends with, so scripts read it the same way everywhere).
 */
export function renderStatus(ledgers: ReadonlyArray<[string, ServiceLedger]>): string[] {
  if (ledgers.length === 0) return ["no services in this stack"];
  const rows = [
    ["SERVICE", "LIVE", "IDLE", "PREVIOUS", "PHASE", "GENERATION"],
    ...ledgers.map(([name, l]) => [name, withShare(l, l.live), withShare(l, l.idle), l.previousVersion ?? "-", l.phase ?? "-", String(l.generation)]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return [
    ...rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()),
    ...ledgers.map(([name, l]) => liveLine(name, l)),
  ];
}
