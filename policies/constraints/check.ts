import type { Plan, PlannedResource, Violation } from "../../model/plan";

/** An AWS rule that would fail `pulumi up` half-way: checked offline against the whole plan. Always mandatory. */
export interface Constraint {
  rule: string;
  /** Where AWS documents the limit. */
  source: string;
  check(plan: Plan, index: PlanIndex): Array<[PlannedResource, string]>;
}

/** Resources by type and by physical id, to follow references such as `vpcId` or `listenerArn`. */
export interface PlanIndex {
  ofType(type: string): PlannedResource[];
  byId(id: unknown): PlannedResource | undefined;
  region: string | undefined;
}

export function indexPlan(plan: Plan): PlanIndex {
  const ids = new Map(plan.resources.filter((r) => r.id).map((r) => [r.id!, r]));
  const provider = plan.resources.find((r) => r.type === "pulumi:providers:aws" && r.name === "default");
  return {
    ofType: (type) => plan.resources.filter((r) => r.type === type),
    byId: (id) => (typeof id === "string" ? ids.get(id) : undefined),
    region: typeof provider?.inputs.region === "string" ? provider.inputs.region : undefined,
  };
}

export function runConstraints(plan: Plan, constraints: readonly Constraint[]): Violation[] {
  const index = indexPlan(plan);
  return constraints.flatMap((c) =>
    c.check(plan, index).map(([resource, message]) => ({ rule: c.rule, severity: "mandatory" as const, urn: resource.urn, message: `${resource.name}: ${message}` })));
}

export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const record = (value: unknown): Record<string, unknown> => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
