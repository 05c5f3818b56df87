import type { Plan, PlannedResource } from "../plan/model";
import { PlanReferences } from "../plan/references";
import type { PlanDiff } from "./comparePlans";
import replacementData from "./replacementData.json";

interface TypeKnowledge {
  cloudFormationType: string;
  replaces: string[];
  mayReplace: string[];
  holdsData: boolean;
}

/** Which inputs replace which resource type: CloudFormation's schemas mapped to Pulumi inputs (scripts/replacement-data.ts). */
export const REPLACEMENT_KNOWLEDGE: Readonly<Record<string, TypeKnowledge>> = replacementData.types;
export const REPLACEMENT_SOURCE: string = replacementData.source;

export type ReplacementWarning = "protected" | "holds-data" | "live-traffic" | "delete-before-replace";

export interface Replacement {
  urn: string;
  type: string;
  name: string;
  /** `replace`: certain; `may-replace`: CloudFormation replaces for some values of the changed input. */
  certainty: "replace" | "may-replace";
  /** The changed inputs that force it. */
  inputs: string[];
  /** Set when it is replaced only because it refers to another replaced resource by id. */
  dependsOn?: { urn: string; name: string; through: string };
  warnings: ReplacementWarning[];
}

/** A resource removed from the stack that a reviewer should look at twice. */
export interface RiskyRemoval {
  urn: string;
  type: string;
  name: string;
  warnings: ReplacementWarning[];
}

export interface ReplacementReport {
  replacements: Replacement[];
  removals: RiskyRemoval[];
  /** Changed AWS resource types with no replacement knowledge: their changes are shown as updates. */
  unknownTypes: string[];
}

const topLevel = (path: string) => path.split(/[.[]/)[0];

/**
 * Which changes of a diff replace a resource instead of updating it, and what is replaced with it because its
 * inputs hold the replaced resource's id (the new resource gets a new id). Warnings flag replacements of
 * protected resources (the update fails), of resources that hold data, and of resources live traffic uses.
 */
export function analyzeReplacements(diff: PlanDiff, before: Plan, after: Plan): ReplacementReport {
  const references = new PlanReferences(after);
  const byUrn = new Map(after.resources.map((r) => [r.urn, r]));
  const live = liveTrafficResources(after, references);
  const warningsOf = (r: PlannedResource): ReplacementWarning[] => riskWarnings(r, live);
  const replaced = new Map<string, Replacement>();
  const unknownTypes = new Set<string>();

  for (const change of diff.changed.filter((c) => c.custom)) {
    const knowledge = REPLACEMENT_KNOWLEDGE[change.type];
    if (!knowledge) unknownTypes.add(change.type);
    const resource = byUrn.get(change.urn);
    if (!resource) continue;
    const changed = [...new Set(change.changes.map((c) => topLevel(c.path)))];
    const forced = changed.filter((p) => knowledge?.replaces.includes(p) || asksForReplacement(resource, p));
    const maybe = changed.filter((p) => !forced.includes(p) && knowledge?.mayReplace.includes(p));
    if (forced.length || maybe.length) {
      replaced.set(change.urn, { urn: change.urn, type: change.type, name: change.name, certainty: forced.length ? "replace" : "may-replace", inputs: forced.length ? forced : maybe, warnings: warningsOf(resource) });
    }
  }

  // A replaced resource gets a new id: whatever holds that id in an input that replaces is replaced too.
  const added = new Set(diff.added.map((r) => r.urn));
  const queue = [...replaced.values()];
  while (queue.length) {
    const source = queue.shift()!;
    const resource = byUrn.get(source.urn);
    if (!resource) continue;
    for (const { from, property } of references.referencesTo(resource)) {
      if (replaced.has(from.urn) || added.has(from.urn)) continue;
      const knowledge = REPLACEMENT_KNOWLEDGE[from.type];
      const forced = knowledge?.replaces.includes(property) || asksForReplacement(from, property);
      if (!forced && !knowledge?.mayReplace.includes(property)) continue;
      const certainty = forced && source.certainty === "replace" ? "replace" : "may-replace";
      const entry: Replacement = { urn: from.urn, type: from.type, name: from.name, certainty, inputs: [property], dependsOn: { urn: source.urn, name: source.name, through: property }, warnings: warningsOf(from) };
      replaced.set(from.urn, entry);
      queue.push(entry);
    }
  }

  const beforeLive = liveTrafficResources(before, new PlanReferences(before));
  const removals = diff.removed
    .filter((r) => r.custom)
    .map((r) => ({ urn: r.urn, type: r.type, name: r.name, warnings: riskWarnings(r, beforeLive).filter((w) => w !== "delete-before-replace") }))
    .filter((r) => r.warnings.length);
  return { replacements: [...replaced.values()], removals, unknownTypes: [...unknownTypes].sort() };
}

/** The `replaceOnChanges` resource option: the program asked for replacement when this input changes. */
function asksForReplacement(resource: PlannedResource, property: string): boolean {
  return resource.options.replaceOnChanges.some((p) => p === "*" || topLevel(p) === property);
}

function riskWarnings(resource: PlannedResource, live: ReadonlySet<string>): ReplacementWarning[] {
  const warnings: ReplacementWarning[] = [];
  if (resource.options.protect) warnings.push("protected");
  if (REPLACEMENT_KNOWLEDGE[resource.type]?.holdsData) warnings.push("holds-data");
  if (live.has(resource.urn)) warnings.push("live-traffic");
  if (resource.options.deleteBeforeReplace) warnings.push("delete-before-replace");
  return warnings;
}

const tag = (resource: PlannedResource, key: string): string | undefined => {
  const tags = resource.inputs.tags;
  if (Array.isArray(tags)) return (tags as Array<{ key?: string; value?: string }>).find((t) => t.key === key)?.value;
  return (tags as Record<string, string> | undefined)?.[key];
};

/**
 * Resources on the path of live requests: the target groups of each service's live slot (any target group when
 * the plan has no blue/green release state), the compute registered in them, the listener rules and listeners
 * that forward to them, and their load balancers.
 */
export function liveTrafficResources(plan: Plan, references: PlanReferences): Set<string> {
  const liveColor = new Map<string, string>();
  for (const r of plan.resources.filter((x) => x.type === "flipstack:traffic:BlueGreenService")) {
    const release = r.inputs.release as { live?: string } | undefined;
    if (release?.live) liveColor.set(String(r.inputs.serviceName ?? r.name), release.live);
  }
  const isLiveGroup = (tg: PlannedResource) => {
    const service = tag(tg, "flipstack:service");
    return service === undefined || !liveColor.has(service) || liveColor.get(service) === tag(tg, "flipstack:color");
  };
  const live = new Set<string>();
  for (const group of plan.resources.filter((r) => r.type === "aws:lb/targetGroup:TargetGroup" && isLiveGroup(r))) {
    live.add(group.urn);
    for (const { from } of references.referencesTo(group)) {
      if (["aws:autoscaling/group:Group", "aws:ecs/service:Service", "aws:lb/listenerRule:ListenerRule", "aws:lb/listener:Listener", "aws:lb/targetGroupAttachment:TargetGroupAttachment"].includes(from.type)) live.add(from.urn);
    }
  }
  for (const rule of plan.resources.filter((r) => r.type === "aws:lb/listenerRule:ListenerRule" && live.has(r.urn))) {
    for (const { to } of references.referencesFrom(rule, "listenerArn")) live.add(to.urn);
  }
  for (const listener of plan.resources.filter((r) => r.type === "aws:lb/listener:Listener" && live.has(r.urn))) {
    for (const { to } of references.referencesFrom(listener, "loadBalancerArn")) live.add(to.urn);
  }
  return live;
}

/** How far the replacement knowledge covers the AWS resource types of some plans. */
export function replacementCoverage(plans: readonly Plan[]): { covered: string[]; missing: string[] } {
  const types = new Set(plans.flatMap((p) => p.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:")).map((r) => r.type)));
  const sorted = [...types].sort();
  return { covered: sorted.filter((t) => REPLACEMENT_KNOWLEDGE[t]), missing: sorted.filter((t) => !REPLACEMENT_KNOWLEDGE[t]) };
}
