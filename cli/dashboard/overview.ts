import type { Color } from "../release/ledger";
import { liveAlarms, type StackSnapshot } from "./snapshot";

/** One service on one stack, as a cell of the overview. */
export interface Cell {
  kind: "instances" | "containers";
  live: { color: Color; version: string | null };
  idle: { color: Color; version: string | null } | null;
  previousVersion: string | null;
  phase: string | null;
  generation: number;
  /** Percent of users on the idle slot during a gradual shift; 0 otherwise. */
  weight: number;
  /** OK when every live alarm is OK; ALARM when one fires; none when the service has no alarms. */
  alarm: { state: "OK" | "ALARM" | "INSUFFICIENT_DATA" | "unknown" | "none"; firing: string[] };
  urls: { public: string; test: string };
}

export interface Column {
  stack: string;
  environment: string;
  readAt: number;
  /** The data is older than the refresh allows, or the last read failed. */
  stale: boolean;
  problem?: string;
  alarmProblem?: string;
}

export interface Overview {
  columns: Column[];
  rows: Array<{ service: string; cells: Record<string, Cell | undefined> }>;
}

/** production first, then staging, then previews by pull request number, then any other stack by name. */
export function stackOrder(a: string, b: string): number {
  const rank = (s: string) => (s === "production" ? [0, 0] : s === "staging" ? [1, 0] : /^pr-\d+$/.test(s) ? [2, Number(s.slice(3))] : [3, 0]);
  const [ra, na] = rank(a);
  const [rb, nb] = rank(b);
  return ra - rb || na - nb || a.localeCompare(b);
}

/** Environments as columns, services as rows (every service any stack has). */
export function overview(snapshots: readonly StackSnapshot[], now: number, staleAfterMs: number): Overview {
  const ordered = [...snapshots].sort((a, b) => stackOrder(a.stack, b.stack));
  const columns = ordered.map((s) => ({
    stack: s.stack,
    environment: s.environment,
    readAt: s.readAt,
    stale: s.problem !== undefined || now - s.readAt > staleAfterMs,
    ...(s.problem !== undefined && { problem: s.problem }),
    ...(s.alarmProblem !== undefined && { alarmProblem: s.alarmProblem }),
  }));
  const services = [...new Set(ordered.flatMap((s) => s.services.map(([name]) => name)))].sort();
  const rows = services.map((service) => ({
    service,
    cells: Object.fromEntries(ordered.map((s) => [s.stack, cellOf(s, service)])),
  }));
  return { columns, rows };
}

function cellOf(snapshot: StackSnapshot, service: string): Cell | undefined {
  const ledger = snapshot.services.find(([name]) => name === service)?.[1];
  if (!ledger) return undefined;
  const names = liveAlarms(ledger);
  const states = names.map((name) => snapshot.alarms[name] ?? "unknown");
  const firing = names.filter((name) => snapshot.alarms[name] === "ALARM");
  const state: Cell["alarm"]["state"] =
    names.length === 0 ? "none"
    : firing.length > 0 ? "ALARM"
    : snapshot.alarmProblem !== undefined || states.includes("unknown") ? "unknown"
    : states.includes("INSUFFICIENT_DATA") ? "INSUFFICIENT_DATA"
    : "OK";
  return {
    kind: ledger.kind,
    live: { color: ledger.live, version: ledger.liveVersion },
    idle: ledger.idle ? { color: ledger.idle, version: ledger.idleVersion } : null,
    previousVersion: ledger.previousVersion,
    phase: ledger.phase,
    generation: ledger.generation,
    weight: ledger.weight,
    alarm: { state, firing },
    urls: ledger.urls,
  };
}
