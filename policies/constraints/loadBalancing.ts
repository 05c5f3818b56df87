import { LB_NAME_PREFIX_MAX, LOAD_BALANCER_NAME_MAX, TARGET_GROUP_NAME_MAX } from "../../components/naming";
import type { PlannedResource } from "../../model/plan";
import { list, record, type Constraint } from "./check";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const TG = "aws:lb/targetGroup:TargetGroup";
const RULE = "aws:lb/listenerRule:ListenerRule";

const nameLength = (type: string, max: number): Constraint["check"] => (_plan, index) =>
  index.ofType(type).flatMap((r): Array<[PlannedResource, string]> => [
    ...(typeof r.inputs.name === "string" && r.inputs.name.length > max ? [[r, `name "${r.inputs.name}" is ${r.inputs.name.length} characters; at most ${max}`] as [PlannedResource, string]] : []),
    ...(typeof r.inputs.namePrefix === "string" && r.inputs.namePrefix.length > LB_NAME_PREFIX_MAX ? [[r, `namePrefix "${r.inputs.namePrefix}" is longer than ${LB_NAME_PREFIX_MAX} characters`] as [PlannedResource, string]] : []),
  ]);

export const loadBalancingConstraints: Constraint[] = [
  { rule: "aws-load-balancer-name-length", source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-name", check: nameLength(LB, LOAD_BALANCER_NAME_MAX) },
  { rule: "aws-target-group-name-length", source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html", check: nameLength(TG, TARGET_GROUP_NAME_MAX) },
  {
    rule: "aws-load-balancer-two-zones",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#availability-zones",
    check: (_plan, index) => index.ofType(LB).flatMap((lb): Array<[PlannedResource, string]> => {
      const subnets = list(lb.inputs.subnets).map((id) => index.byId(id));
      if (subnets.some((s) => !s)) return []; // subnets from elsewhere: nothing to check offline
      const zones = new Set(subnets.map((s) => s!.inputs.availabilityZone));
      return zones.size >= 2 ? [] : [[lb, `needs subnets in at least two availability zones, has ${zones.size}`]];
    }),
  },
  {
    rule: "aws-listener-rule-priority",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html",
    check: (_plan, index) => {
      const seen = new Map<string, PlannedResource>();
      return index.ofType(RULE).flatMap((rule): Array<[PlannedResource, string]> => {
        const priority = Number(rule.inputs.priority);
        if (!Number.isInteger(priority) || priority < 1 || priority > 50000) return [[rule, `priority ${String(rule.inputs.priority)} must be 1-50000`]];
        const key = `${String(rule.inputs.listenerArn)}#${priority}`;
        const other = seen.get(key);
        seen.set(key, rule);
        return other ? [[rule, `priority ${priority} is also used by ${other.name} on the same listener`]] : [];
      });
    },
  },
  {
    rule: "aws-listener-rule-conditions",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html",
    check: (_plan, index) => index.ofType(RULE).flatMap((rule): Array<[PlannedResource, string]> => {
      const values = list(rule.inputs.conditions).flatMap((c) => Object.values(record(c)).flatMap((v) => list(record(v).values)));
      const wildcards = values.filter((v) => /[*?]/.test(String(v))).length;
      return [
        ...(values.length > 5 ? [[rule, `${values.length} condition values; a rule allows 5`] as [PlannedResource, string]] : []),
        ...(wildcards > 5 ? [[rule, `${wildcards} wildcards; a rule allows 5`] as [PlannedResource, string]] : []),
      ];
    }),
  },
  {
    rule: "aws-forward-action",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#forward-actions",
    check: (_plan, index) => [...index.ofType(RULE), ...index.ofType("aws:lb/listener:Listener")].flatMap((r): Array<[PlannedResource, string]> =>
      list(r.inputs.actions ?? r.inputs.defaultActions).map(record).flatMap((action) => {
        const groups = list(record(action.forward).targetGroups).map(record);
        return [
          ...(groups.length > 5 ? [[r, `forwards to ${groups.length} target groups; at most 5`] as [PlannedResource, string]] : []),
          ...groups.filter((g) => g.weight !== undefined && (Number(g.weight) < 0 || Number(g.weight) > 999)).map((g) => [r, `forward weight ${String(g.weight)} must be 0-999`] as [PlannedResource, string]),
        ];
      })),
  },
  {
    rule: "aws-listener-port-unique",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html",
    check: (_plan, index) => {
      const seen = new Set<string>();
      return index.ofType("aws:lb/listener:Listener").flatMap((l): Array<[PlannedResource, string]> => {
        const key = `${String(l.inputs.loadBalancerArn)}#${String(l.inputs.port)}`;
        if (seen.has(key)) return [[l, `port ${String(l.inputs.port)} already has a listener on this load balancer`]];
        seen.add(key);
        return [];
      });
    },
  },
  {
    rule: "aws-target-group-health-check",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html",
    check: (_plan, index) => index.ofType(TG).flatMap((tg): Array<[PlannedResource, string]> => {
      const check = record(tg.inputs.healthCheck);
      const problems: string[] = [];
      if (check.timeout !== undefined && check.interval !== undefined && Number(check.timeout) >= Number(check.interval)) problems.push(`health check timeout ${String(check.timeout)} s must be shorter than the interval ${String(check.interval)} s`);
      for (const key of ["healthyThreshold", "unhealthyThreshold"]) {
        if (check[key] !== undefined && (Number(check[key]) < 2 || Number(check[key]) > 10)) problems.push(`${key} ${String(check[key])} must be 2-10`);
      }
      return problems.map((p) => [tg, p]);
    }),
  },
  {
    rule: "aws-certificate-region",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html",
    check: (_plan, index) => index.ofType("aws:lb/listener:Listener").flatMap((l): Array<[PlannedResource, string]> => {
      const region = /^arn:aws[\w-]*:acm:([a-z0-9-]+):/.exec(String(l.inputs.certificateArn ?? ""))?.[1];
      const own = index.regionOf(l);
      return region && own && region !== own ? [[l, `certificate is in ${region}, the load balancer in ${own}; ACM certificates must be in the same region`]] : [];
    }),
  },
];
