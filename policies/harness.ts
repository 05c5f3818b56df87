import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import type { Plan, PlannedResource, Violation } from "../model/plan";
import { constraints } from "./constraints";
import { runConstraints } from "./constraints/check";
import { resourceRules, stackRules } from "./rules";
import { environmentDefaultsOf } from "./rules/define";

/**
 * Runs the policy pack's rules and the AWS constraint checks against a plan, offline, through
 * `@pulumi/policy`'s own validation callbacks: the same rules `pulumi preview --policy-pack policies` runs.
 * Offline every resource's id is known, so rules that follow references (bucket settings, flow logs) see them all.
 */
export async function evaluatePlan(plan: Plan): Promise<Violation[]> {
  const resources = plan.resources.filter((r) => !r.type.startsWith("pulumi:"));
  const violations: Violation[] = [];
  for (const policy of resourceRules as ResourceValidationPolicy[]) {
    for (const resource of resources) {
      const report = (message: string, urn?: string) => violations.push(violation(policy, urn ?? resource.urn, message));
      for (const validate of [policy.validateResource ?? []].flat()) await validate(resourceArgs(resource), report);
    }
  }
  const stack = stackArgs(resources);
  for (const policy of stackRules as StackValidationPolicy[]) {
    await policy.validateStack?.(stack, (message, urn) => violations.push(violation(policy, urn ?? "", message)));
  }
  return [...violations, ...runConstraints(plan, constraints), ...statefulProblems(plan)];
}

function violation(policy: { name: string; enforcementLevel?: string }, urn: string, message: string): Violation {
  return { rule: policy.name, severity: policy.enforcementLevel === "mandatory" ? "mandatory" : "advisory", urn, message };
}

const propsOf = (r: PlannedResource) => ({ ...r.inputs, ...(r.id ? { id: r.id } : {}) });
const optsOf = (r: PlannedResource) => ({
  protect: r.options.protect,
  ignoreChanges: r.options.ignoreChanges,
  deleteBeforeReplace: r.options.deleteBeforeReplace,
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
  parent: r.parent ?? undefined,
});
const notUsed = () => {
  throw new Error("not available in the offline policy harness");
};

function resourceArgs(r: PlannedResource): ResourceValidationArgs {
  return { type: r.type, props: propsOf(r), urn: r.urn, name: r.name, opts: optsOf(r), stackTags: new Map(), isType: () => false, asType: () => undefined, getConfig: notUsed, notApplicable: notUsed } as unknown as ResourceValidationArgs;
}

function stackArgs(resources: PlannedResource[]): StackValidationArgs {
  const byUrn = new Map<string, Record<string, unknown>>();
  const policyResources = resources.map((r) => {
    const resource: Record<string, unknown> = { type: r.type, props: propsOf(r), urn: r.urn, name: r.name, opts: optsOf(r), dependencies: [], propertyDependencies: {}, isType: () => false, asType: () => undefined };
    byUrn.set(r.urn, resource);
    return resource;
  });
  resources.forEach((r, i) => (policyResources[i].parent = r.parent ? byUrn.get(r.parent) : undefined));
  return { resources: policyResources, stackTags: new Map(), getConfig: notUsed, notApplicable: notUsed } as unknown as StackValidationArgs;
}

const STATEFUL_TYPES = ["aws:cloudwatch/logGroup:LogGroup", "aws:s3/bucket:Bucket", "aws:rds/instance:Instance"];

/**
 * Flipstack: every database, every S3 bucket (the archive, its access logs, the load balancer's access logs) and every log group
 * survive a destroyed stack (`retainOnDelete`), and an environment kind that protects its resources (production)
 * protects them. Resource options other than `protect` are not visible to policy packs, so this runs in the offline harness.
 */
function statefulProblems(plan: Plan): Violation[] {
  const protects = plan.resources.some((r) => environmentDefaultsOf(r.inputs)?.protect === true);
  return plan.resources
    .filter((r) => STATEFUL_TYPES.includes(r.type))
    .flatMap((r) => [
      ...(r.options.retainOnDelete ? [] : [`${r.name} holds state and must be retainOnDelete`]),
      ...(protects && !r.options.protect ? [`${r.name} holds state in an environment that protects it and must be protected`] : []),
    ].map((message) => ({ rule: "flipstack-stateful-retained", severity: "mandatory" as const, urn: r.urn, message })));
}
