import type { Plan, PlannedResource } from "../plan/model";

export interface InputChange {
  /** Path inside the inputs, e.g. `actions[0].targetGroupArn`. */
  path: string;
  before: unknown;
  after: unknown;
}

export interface ResourceChange {
  urn: string;
  type: string;
  name: string;
  /** Components (not AWS resources) change nothing in the cloud; their inputs carry e.g. release state. */
  custom: boolean;
  changes: InputChange[];
  /** Options that differ (protect, retainOnDelete, ...). */
  optionChanges: InputChange[];
}

export interface PlanDiff {
  stack: string;
  added: PlannedResource[];
  removed: PlannedResource[];
  changed: ResourceChange[];
}

/** Compares two plans resource by resource (by URN): what a `pulumi up` from `before` to `after` would touch. */
export function comparePlans(before: Plan, after: Plan): PlanDiff {
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const next = new Map(after.resources.map((r) => [r.urn, r]));
  const changed: ResourceChange[] = [];
  for (const [urn, resource] of next) {
    const previous = old.get(urn);
    if (!previous) continue;
    const changes = diffValues(previous.inputs, resource.inputs);
    const optionChanges = diffValues(previous.options, resource.options);
    if (changes.length || optionChanges.length) {
      changed.push({ urn, type: resource.type, name: resource.name, custom: resource.custom, changes, optionChanges });
    }
  }
  return {
    stack: after.stack,
    added: after.resources.filter((r) => !old.has(r.urn)),
    removed: before.resources.filter((r) => !next.has(r.urn)),
    changed,
  };
}

export function hasChanges(diff: PlanDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length > 0;
}

/** Leaf-level differences between two JSON values, with their paths. */
export function diffValues(before: unknown, after: unknown, path = ""): InputChange[] {
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].sort().flatMap((key) => {
      const childPath = Array.isArray(before) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      return diffValues((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], childPath);
    });
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: path || "(value)", before, after }];
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}
