import type { UpdateSummary } from "@pulumi/pulumi/automation";
import type { ServiceLedger } from "../release/ledger";
import type { ActionRecord } from "./actionLog";

/** One line of a service's history: an update of the stack or an action asked for on the dashboard. */
export interface HistoryEntry {
  at: Date;
  who: string;
  what: string;
  /** The service's live version after the update, where the update's config says it. */
  version?: string;
  result: string;
  source: "stack" | "dashboard";
}

/** The releases the ledger holds now: live, idle (deployed or kept for rollback) and the previous live one. */
export function ledgerReleases(ledger: ServiceLedger): Array<{ role: string; version: string }> {
  const rows = [{ role: `live (${ledger.live})`, version: ledger.liveVersion }];
  if (ledger.idle) rows.push({ role: `idle (${ledger.idle})`, version: ledger.idleVersion });
  if (ledger.previousVersion !== null) rows.push({ role: "previous", version: ledger.previousVersion });
  return rows.flatMap((r) => (r.version === null ? [] : [{ role: r.role, version: r.version }]));
}

/** Who ran an update, from what the CLI records about it: the commit's author, else the kind of client. */
function updater(update: UpdateSummary): string {
  const env = update.environment ?? {};
  return env["git.author"] ?? env["git.committer"] ?? env["exec.agent"] ?? env["exec.kind"] ?? "unknown";
}

/** The service's live version in the config an update ran with (`<project>:services`, as JSON). */
function liveVersionIn(update: UpdateSummary, project: string, service: string): string | undefined {
  const value = update.config?.[`${project}:services`]?.value;
  if (typeof value !== "string") return undefined;
  try {
    const release = (JSON.parse(value) as Record<string, { release?: Record<string, unknown> & { live?: string } }>)[service]?.release;
    const live = release?.live ? (release[release.live] as { version?: unknown } | undefined) : undefined;
    return live?.version === undefined ? undefined : String(live.version);
  } catch {
    return undefined;
  }
}

/** The stack's updates and the service's dashboard actions, newest first. */
export function historyEntries(project: string, stack: string, service: string, updates: readonly UpdateSummary[], actions: readonly ActionRecord[]): HistoryEntry[] {
  const fromStack = updates.map((u): HistoryEntry => {
    const version = liveVersionIn(u, project, service);
    return {
      at: new Date(u.startTime),
      who: updater(u),
      what: [`pulumi ${u.kind}`, u.message].filter(Boolean).join(": "),
      ...(version !== undefined && { version }),
      result: u.result,
      source: "stack",
    };
  });
  const fromDashboard = actions
    .filter((a) => a.stack === stack && a.service === service)
    .map((a): HistoryEntry => ({
      at: new Date(a.at),
      who: a.who,
      what: `${a.action}${a.version ? ` ${a.version}` : ""} (dashboard)`,
      ...(a.version !== undefined && { version: a.version }),
      result: `${a.result}: ${a.summary}`,
      source: "dashboard",
    }));
  return [...fromStack, ...fromDashboard].sort((a, b) => b.at.getTime() - a.at.getTime());
}
