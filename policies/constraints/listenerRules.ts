import type { PlannedResource } from "../../model/plan";
import { PREVIEW_PRIORITY_BASE, PREVIEW_PRIORITY_SLOTS } from "../../components/listenerPriorities";
import { list, record, type Constraint, type PlanIndex } from "./check";

type Finding = [PlannedResource, string];

const RULE = "aws:lb/listenerRule:ListenerRule";
const LISTENER = "aws:lb/listener:Listener";
const TG = "aws:lb/targetGroup:TargetGroup";

// Condition types a rule may hold once; http-header and query-string may repeat.
const ONCE = ["hostHeader", "httpRequestMethod", "pathPattern", "sourceIp"];

/** Application load balancer quotas that a support request can raise: exceeding one fails the create until it is. */
export const ALB_QUOTAS = { rulesPerLoadBalancer: 100, targetGroupsPerLoadBalancer: 100, listenersPerLoadBalancer: 50 };

/** The load balancer a listener or listener rule belongs to (by ARN), when the plan holds its listener. */
function loadBalancerOf(r: PlannedResource, index: PlanIndex): string | undefined {
  const listener = r.type === LISTENER ? r : index.byId(r.inputs.listenerArn);
  return typeof listener?.inputs.loadBalancerArn === "string" ? listener.inputs.loadBalancerArn : undefined;
}

const targetGroupArns = (r: PlannedResource) => list(r.inputs.actions ?? r.inputs.defaultActions).map(record)
  .flatMap((a) => [a.targetGroupArn, ...list(record(a.forward).targetGroups).map((g) => record(g).arn)])
  .filter((arn): arn is string => typeof arn === "string");

function countPer(resources: PlannedResource[], key: (r: PlannedResource) => string[]): Map<string, Set<string>> {
  const counts = new Map<string, Set<string>>();
  for (const r of resources) for (const k of key(r)) counts.set(k, (counts.get(k) ?? new Set()).add(r.urn));
  return counts;
}

export const listenerRuleConstraints: Constraint[] = [
  {
    rule: "aws-listener-rule-condition-values",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html",
    check: (_plan, index) => index.ofType(RULE).flatMap((rule): Finding[] => {
      const conditions = list(rule.inputs.conditions).map(record);
      const findings: Finding[] = [];
      for (const type of ONCE) {
        const count = conditions.filter((c) => c[type] !== undefined).length;
        if (count > 1) findings.push([rule, `has ${count} \`${type}\` conditions; a rule holds at most one of each of ${ONCE.join(", ")}`]);
      }
      for (const condition of conditions) {
        for (const [type, body] of Object.entries(condition)) {
          const values = list(record(body).values);
          if (values.length > 3) findings.push([rule, `its \`${type}\` condition has ${values.length} values; a condition allows 3 (split the rule, or use fewer, wider patterns)`]);
        }
      }
      return findings;
    }),
  },
  {
    rule: "aws-target-group-success-codes",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Matcher.html",
    check: (_plan, index) => index.ofType(TG).flatMap((tg): Finding[] => {
      const matcher = record(tg.inputs.healthCheck).matcher;
      if (matcher === undefined) return [];
      const grpc = tg.inputs.protocolVersion === "GRPC";
      const [low, high] = grpc ? [0, 99] : [200, 499];
      const parts = String(matcher).split(",");
      const valid = parts.every((part) => {
        const m = /^(\d+)(?:-(\d+))?$/.exec(part);
        if (!m) return false;
        const [from, to] = [Number(m[1]), Number(m[2] ?? m[1])];
        return from >= low && to <= high && from <= to;
      });
      return valid ? [] : [[tg, `health check matcher "${String(matcher)}" must be ${grpc ? "gRPC" : "HTTP"} codes ${low}-${high}, as a code, a list (200,202) or a range (200-299)`]];
    }),
  },
  {
    rule: "flipstack-preview-priority-range",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html",
    check: (plan, index) => {
      // Staging shares its HTTPS listener with pull-request previews (its `preview` output), whose rules take
      // priorities from PREVIEW_PRIORITY_BASE up: a staging rule there collides with some pull request's.
      const shared = record(plan.outputs.preview).httpsListenerArn;
      if (typeof shared !== "string") return [];
      const last = PREVIEW_PRIORITY_BASE + PREVIEW_PRIORITY_SLOTS - 1;
      return index.ofType(RULE)
        .filter((r) => r.inputs.listenerArn === shared && Number(r.inputs.priority) >= PREVIEW_PRIORITY_BASE && Number(r.inputs.priority) <= last)
        .map((r): Finding => [r, `priority ${String(r.inputs.priority)} is in ${PREVIEW_PRIORITY_BASE}-${last}, the range pull-request previews use on this listener; give the service a \`routing.priority\` below ${PREVIEW_PRIORITY_BASE}`]);
    },
  },
  {
    rule: "aws-load-balancer-quotas",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html",
    severity: "advisory",
    check: (_plan, index) => {
      const lbs = new Map(index.ofType("aws:lb/loadBalancer:LoadBalancer").filter((lb) => lb.id).map((lb) => [lb.id!, lb]));
      const rules = countPer(index.ofType(RULE), (r) => [loadBalancerOf(r, index) ?? ""]);
      const listeners = countPer(index.ofType(LISTENER), (r) => [loadBalancerOf(r, index) ?? ""]);
      const groups = new Map<string, Set<string>>();
      for (const r of [...index.ofType(RULE), ...index.ofType(LISTENER)]) {
        const lb = loadBalancerOf(r, index);
        if (lb) for (const arn of targetGroupArns(r)) groups.set(lb, (groups.get(lb) ?? new Set()).add(arn));
      }
      const over = (counts: Map<string, Set<string>>, quota: number, what: string) => [...counts]
        .filter(([lb, set]) => lbs.has(lb) && set.size > quota)
        .map(([lb, set]): Finding => [lbs.get(lb)!, `${set.size} ${what}; the default quota is ${quota} per load balancer (ask AWS Support to raise it before deploying)`]);
      return [
        ...over(rules, ALB_QUOTAS.rulesPerLoadBalancer, "listener rules (besides the default rules)"),
        ...over(groups, ALB_QUOTAS.targetGroupsPerLoadBalancer, "target groups"),
        ...over(listeners, ALB_QUOTAS.listenersPerLoadBalancer, "listeners"),
      ];
    },
  },
];
