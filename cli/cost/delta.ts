import type { Plan } from "../plan/model";
import { estimateCost, planRegion, type CostEstimate, type EstimateOptions } from "./estimate";

export interface ResourceCostChange {
  urn: string;
  type: string;
  name: string;
  before: number;
  after: number;
  delta: number;
}

/** What a diff does to the monthly bill: both totals, the difference, and each resource whose cost moves. */
export interface CostDelta {
  currency: "USD";
  before: number;
  after: number;
  delta: number;
  /** False when either side has lines the table cannot price or types not estimated. */
  complete: boolean;
  priceTableDate: string;
  changes: ResourceCostChange[];
  /** Usage defaults the head side's figures rest on. */
  assumptions: string[];
}

const round = (usd: number) => Math.round(usd * 100) / 100;

export function costDelta(before: Plan, after: Plan, options: EstimateOptions = {}): CostDelta {
  // Both sides in one region: a side with no resources (a new or emptied stack) names none itself.
  const region = options.region ?? planRegion(after) ?? planRegion(before);
  return compareEstimates(estimateCost(before, { ...options, region }), estimateCost(after, { ...options, region }));
}

export function compareEstimates(before: CostEstimate, after: CostEstimate): CostDelta {
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const next = new Map(after.resources.map((r) => [r.urn, r]));
  const changes: ResourceCostChange[] = [];
  for (const urn of new Set([...old.keys(), ...next.keys()])) {
    const a = old.get(urn);
    const b = next.get(urn);
    const delta = round((b?.monthly ?? 0) - (a?.monthly ?? 0));
    if (delta !== 0) changes.push({ urn, type: (b ?? a)!.type, name: (b ?? a)!.name, before: a?.monthly ?? 0, after: b?.monthly ?? 0, delta });
  }
  return {
    currency: "USD",
    before: before.monthly,
    after: after.monthly,
    delta: round(after.monthly - before.monthly),
    complete: before.complete && after.complete,
    priceTableDate: after.priceTableDate,
    changes: changes.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta)),
    assumptions: after.assumptions,
  };
}

/** `+$48.20/month`, `-$3.65/month`, `$0.00/month`. */
export function formatMonthlyDelta(delta: number): string {
  return `${delta > 0 ? "+" : delta < 0 ? "-" : ""}${formatUsd(Math.abs(delta))}/month`;
}

export function formatUsd(usd: number): string {
  return `$${usd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
