import { liveLine, slotLabel, type ServiceLedger } from "./ledger";

/**
 * `release status`: a table of every service's release state from the deployed ledger, then one `live:` line per
 * service (the line every release command ends with, so scripts read it the same way everywhere).
 */
export function renderStatus(ledgers: ReadonlyArray<[string, ServiceLedger]>): string[] {
  if (ledgers.length === 0) return ["no services in this stack"];
  const rows = [
    ["SERVICE", "LIVE", "IDLE", "PREVIOUS", "PHASE", "GENERATION"],
    ...ledgers.map(([name, l]) => [name, slotLabel(l, l.live), slotLabel(l, l.idle), l.previousVersion ?? "-", l.phase ?? "-", String(l.generation)]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return [
    ...rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()),
    ...ledgers.map(([name, l]) => liveLine(name, l)),
  ];
}
