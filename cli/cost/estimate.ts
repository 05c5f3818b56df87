import type { Plan, PlannedResource } from "../plan/model";
import { PlanReferences } from "../plan/references";
import { CALCULATORS, FREE_TYPES, type CostLine } from "./calculators";
import { loadPriceTable, lookupPrice, type PriceTable } from "./priceTable";
import { DEFAULT_USAGE, type Usage } from "./usage";

export type { CostLine } from "./calculators";

export interface ResourceCost {
  urn: string;
  type: string;
  name: string;
  /** The Flipstack service it belongs to (its `flipstack:service` tag), or `shared`. */
  service: string;
  monthly: number;
  lines: CostLine[];
}

/** The `cost` section of a plan (`flipstack plan --cost`): fields may be added, never removed. */
export interface CostEstimate {
  currency: "USD";
  /** The stack, i.e. the environment the estimate is for. */
  environment: string;
  region: string;
  /** Date of the price table the figures come from. */
  priceTableDate: string;
  hoursPerMonth: number;
  /** Sum of every priced line, USD a month. */
  monthly: number;
  /** False when some line had no price in the table or some resource type is not estimated. */
  complete: boolean;
  resources: ResourceCost[];
  byAwsService: Record<string, number>;
  byService: Record<string, number>;
  /** Lines the table has no price for in this region (left out of `monthly`). */
  unpriced: Array<{ name: string; type: string; what: string; priceKey: string }>;
  /** Resource types Flipstack does not know the cost of (left out of `monthly`). */
  notEstimated: string[];
  /** Every usage-based quantity that came from a default rather than the plan or a usage file. */
  assumptions: string[];
}

export interface EstimateOptions {
  usage?: Usage;
  prices?: PriceTable;
  /** Region to price in when the plan itself names none (e.g. the empty base of a new stack). */
  region?: string;
}

const round = (usd: number) => Math.round(usd * 100) / 100;

/** Monthly cost of every resource in a plan, from the price table and the usage assumptions. */
export function estimateCost(plan: Plan, options: EstimateOptions = {}): CostEstimate {
  const usage = options.usage ?? DEFAULT_USAGE;
  const prices = options.prices ?? loadPriceTable();
  const references = new PlanReferences(plan);
  const region = planRegion(plan) ?? options.region ?? "unknown";
  const resources: ResourceCost[] = [];
  const notEstimated = new Set<string>();
  for (const resource of plan.resources) {
    if (!resource.custom || resource.type.startsWith("pulumi:")) continue;
    const calculator = CALCULATORS[resource.type];
    if (!calculator) {
      if (!FREE_TYPES.has(resource.type)) notEstimated.add(resource.type);
      continue;
    }
    const resourceRegion = typeof resource.inputs.region === "string" ? resource.inputs.region : region;
    const own = usage.resources[resource.name] ?? {};
    const lines = calculator({ resource, references, usage, own, price: (key) => lookupPrice(prices, key, resourceRegion) }).map((spec): CostLine => {
      const price = lookupPrice(prices, spec.priceKey, resourceRegion);
      return { ...spec, ...(price && { price }), monthly: price ? round(spec.quantity * price.usd) : 0 };
    });
    if (lines.length) resources.push({ urn: resource.urn, type: resource.type, name: resource.name, service: serviceOf(resource), monthly: round(sum(lines.map((l) => l.monthly))), lines });
  }
  const allLines = resources.flatMap((r) => r.lines.map((line) => ({ r, line })));
  const unpriced = allLines.filter(({ line }) => !line.price).map(({ r, line }) => ({ name: r.name, type: r.type, what: line.what, priceKey: line.priceKey }));
  return {
    currency: "USD",
    environment: plan.stack,
    region,
    priceTableDate: prices.date,
    hoursPerMonth: usage.hoursPerMonth,
    monthly: round(sum(resources.map((r) => r.monthly))),
    complete: unpriced.length === 0 && notEstimated.size === 0,
    resources,
    byAwsService: totalsBy(allLines.map(({ line }) => [line.awsService, line.monthly])),
    byService: totalsBy(resources.map((r) => [r.service, r.monthly])),
    unpriced,
    notEstimated: [...notEstimated].sort(),
    assumptions: allLines.filter(({ line }) => line.assumption).map(({ r, line }) => `${r.name}: ${line.assumption}`),
  };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function totalsBy(pairs: Array<[string, number]>): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [key, usd] of pairs) totals[key] = round((totals[key] ?? 0) + usd);
  return Object.fromEntries(Object.entries(totals).sort(([, a], [, b]) => b - a));
}

function serviceOf(resource: PlannedResource): string {
  const tags = resource.inputs.tags;
  if (Array.isArray(tags)) return String((tags as Array<{ key?: string; value?: unknown }>).find((t) => t.key === "flipstack:service")?.value ?? "shared");
  return String((tags as Record<string, unknown> | undefined)?.["flipstack:service"] ?? "shared");
}

/**
 * The region a plan deploys to, read from the ARNs and availability zones the (mock) provider returned (the
 * plan JSON does not carry the stack's `aws:region` itself); undefined when no resource names one.
 */
export function planRegion(plan: Plan): string | undefined {
  const counts = new Map<string, number>();
  const text = JSON.stringify(plan.resources.map((r) => [r.id, r.inputs.availabilityZone, r.inputs.region]));
  for (const match of text.matchAll(/(?:arn:aws[a-z-]*:[a-z0-9-]+:|")([a-z]{2}(?:-[a-z]+)+-\d)(?=[a-z]?[:"])/g)) counts.set(match[1], (counts.get(match[1]) ?? 0) + 1);
  return [...counts].sort(([, a], [, b]) => b - a)[0]?.[0];
}
