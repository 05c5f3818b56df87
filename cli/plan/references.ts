import type { Plan, PlannedResource } from "./model";

/** One input of `from` that names `to` by its physical id (directly, or inside an ARN or a JSON document). */
export interface Reference {
  from: PlannedResource;
  /** Top-level input holding the reference, e.g. `vpcId` or `actions`. */
  property: string;
  to: PlannedResource;
}

/**
 * Which resource refers to which, read from the plan alone: an input refers to a resource when it holds that
 * resource's physical id, or an ARN, name or JSON document containing it. This is what `pulumi up` would replace
 * or update when that resource's id changes, and it works for plans saved by any Flipstack version.
 */
export class PlanReferences {
  private readonly byId = new Map<string, PlannedResource>();
  private readonly outgoing = new Map<string, Reference[]>();
  private readonly incoming = new Map<string, Reference[]>();

  constructor(readonly plan: Plan) {
    for (const r of plan.resources) if (r.custom && r.id && r.id.length >= 3) this.byId.set(r.id, r);
    for (const from of plan.resources) {
      if (!from.custom) continue;
      for (const [property, value] of Object.entries(from.inputs)) {
        for (const to of this.resourcesNamedIn(value)) {
          if (to === from) continue;
          const reference = { from, property, to };
          this.outgoing.set(from.urn, [...(this.outgoing.get(from.urn) ?? []), reference]);
          this.incoming.set(to.urn, [...(this.incoming.get(to.urn) ?? []), reference]);
        }
      }
    }
  }

  resourceWithId(id: string): PlannedResource | undefined {
    return this.byId.get(id);
  }

  /** What `resource`'s inputs refer to; only through `property` when given. */
  referencesFrom(resource: PlannedResource, property?: string): Reference[] {
    return (this.outgoing.get(resource.urn) ?? []).filter((r) => property === undefined || r.property === property);
  }

  /** Every input of another resource that refers to `resource`. */
  referencesTo(resource: PlannedResource): Reference[] {
    return this.incoming.get(resource.urn) ?? [];
  }

  /** The resources whose ids appear in `value` (any JSON value). */
  resourcesNamedIn(value: unknown): PlannedResource[] {
    const found = new Set<PlannedResource>();
    for (const text of stringLeaves(value)) {
      for (const [id, resource] of this.byId) if (containsId(text, id)) found.add(resource);
    }
    return [...found];
  }
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringLeaves);
  return [];
}

// An id counts only as a whole segment: `api-green` is in `task-definition/api-green:1`, not in `api-green-3f2c1ab`.
function containsId(text: string, id: string): boolean {
  for (let at = text.indexOf(id); at >= 0; at = text.indexOf(id, at + 1)) {
    const before = at === 0 ? "" : text[at - 1];
    const after = text[at + id.length] ?? "";
    if (!/[A-Za-z0-9]/.test(before) && !/[A-Za-z0-9_-]/.test(after)) return true;
  }
  return false;
}
