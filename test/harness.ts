/**
 * The one mock harness every test uses: the same recorder and AWS mocks as `flipstack plan` (product code in
 * cli/plan), wrapped in helpers that find resources by type and name.
 */
import type { Lookups } from "../cli/plan/lookups";
import type { Plan, PlannedResource } from "../cli/plan/model";
import { planProgram } from "../cli/plan/runProgram";

export interface HarnessOptions {
  stack?: string;
  region?: string;
  config?: Record<string, string>;
  /** Answers to data-source calls, as in `flipstack.lookups.yaml`. */
  lookups?: Lookups;
}

/** Runs `build` as a Pulumi program under mocks (never preview) and returns the plan. */
export async function planOf(build: () => unknown, options: HarnessOptions = {}): Promise<Plan> {
  return planProgram({
    project: "flipstack",
    stack: options.stack ?? "test",
    config: { "aws:region": options.region ?? "eu-west-1", ...options.config },
    program: () => build,
    lookups: options.lookups,
  });
}

export function ofType(plan: Plan, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/** The single resource with this type and logical name; fails the test when there is not exactly one. */
export function one(plan: Plan, type: string, name: string): PlannedResource {
  const found = plan.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) {
    const names = ofType(plan, type).map((r) => r.name).join(", ") || "none";
    throw new Error(`expected one ${type} named ${name}, found ${found.length} (present: ${names})`);
  }
  return found[0];
}

/** Children of a resource (direct), by URN. */
export function childrenOf(plan: Plan, parent: PlannedResource): PlannedResource[] {
  return plan.resources.filter((r) => r.parent === parent.urn);
}

/** The URN → resource map, for following references (inputs hold ids or ARNs; the mocks derive them from names). */
export function resourceByUrn(plan: Plan): Map<string, PlannedResource> {
  return new Map(plan.resources.map((r) => [r.urn, r]));
}
