import type { Plan, PlannedResource, Severity, Violation } from "../../model/plan";

/** An AWS rule that would fail `pulumi up` half-way: checked offline against the whole plan. */
export interface Constraint {
  rule: string;
  /** Where AWS documents the limit. */
  source: string;
  /**
   * Mandatory for hard API rules; advisory for quotas a support request can raise.
   * @default "mandatory"
   */
  severity?: Severity;
  check(plan: Plan, index: PlanIndex): Array<[PlannedResource, string]>;
}

/** Resources by type and by physical id, to follow references such as `vpcId` or `listenerArn`. */
export interface PlanIndex {
  ofType(type: string): PlannedResource[];
  byId(id: unknown): PlannedResource | undefined;
  /**
   * The region a resource is created in: its own provider's `region` (explicit, or inherited from a component
   * given `{ provider }`), else the stack's default provider's. Undefined when neither says.
   */
  regionOf(resource: PlannedResource): string | undefined;
}

const PROVIDER = "pulumi:providers:aws";

export function indexPlan(plan: Plan): PlanIndex {
  const ids = new Map(plan.resources.filter((r) => r.id).map((r) => [r.id!, r]));
  const byType = new Map<string, PlannedResource[]>();
  for (const r of plan.resources) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  // A provider reference is `<provider urn>::<provider id>`; an explicit provider without `region` reads the
  // environment, which the plan recorded as the default region.
  const providerRegions = new Map((byType.get(PROVIDER) ?? []).map((p) => [p.urn, typeof p.inputs.region === "string" ? p.inputs.region : plan.region]));
  return {
    ofType: (type) => byType.get(type) ?? [],
    byId: (id) => (typeof id === "string" ? ids.get(id) : undefined),
    regionOf: (resource) => {
      const ref = resource.options.provider;
      if (!ref || !ref.includes(`${PROVIDER}::`)) return plan.region;
      return providerRegions.get(ref.slice(0, ref.lastIndexOf("::"))) ?? plan.region;
    },
  };
}

export function runConstraints(plan: Plan, constraints: readonly Constraint[]): Violation[] {
  const index = indexPlan(plan);
  return constraints.flatMap((c) =>
    c.check(plan, index).map(([resource, message]) => ({ rule: c.rule, severity: c.severity ?? "mandatory", urn: resource.urn, message: `${resource.name}: ${message}` })));
}

export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const record = (value: unknown): Record<string, unknown> => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
