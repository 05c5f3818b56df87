import type { PlannedResource } from "../../model/plan";
import { list, record, type Constraint, type PlanIndex } from "./check";

type Finding = [PlannedResource, string];

const SUBNET = "aws:ec2/subnet:Subnet";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const VPC = "aws:ec2/vpc:Vpc";

/** Every string inside an input value, with the input path it sits at. */
function strings(value: unknown, path: string, out: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof value === "string") out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, path, out));
  else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) strings(v, path ? `${path}.${k}` : k, out);
  return out;
}

/** Planned resources that `resource` references through an input (ids and ARNs the mocks gave them). */
function references(resource: PlannedResource, index: PlanIndex): Array<[string, PlannedResource]> {
  return strings(resource.inputs, "").flatMap(([path, value]): Array<[string, PlannedResource]> => {
    const target = index.byId(value);
    return target && target !== resource ? [[path, target]] : [];
  });
}

// IAM is global; S3 bucket names are global and read from anywhere, except by the bucket's own settings and by a
// load balancer's access logs (checked here by following the bucket name, below).
const regionless = (type: string) => type.startsWith("aws:iam/") || type.startsWith("pulumi:");
const bucketBound = (type: string) => type.startsWith("aws:s3/") || type === "aws:lb/loadBalancer:LoadBalancer";

/** The VPC a network resource sits in (a VPC is its own), or undefined for resources outside any VPC. */
function vpcOf(resource: PlannedResource): string | undefined {
  if (resource.type === VPC) return resource.id;
  if (resource.type === SUBNET || resource.type === SECURITY_GROUP || resource.type === "aws:ec2/routeTable:RouteTable") {
    return typeof resource.inputs.vpcId === "string" ? resource.inputs.vpcId : undefined;
  }
  return undefined;
}

// Resources whose subnets, security groups, route tables and VPC must all be one VPC.
const VPC_BOUND = [
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:autoscaling/group:Group",
  "aws:ecs/service:Service",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:lb/targetGroup:TargetGroup",
];

export const referenceConstraints: Constraint[] = [
  {
    rule: "aws-same-region",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html",
    check: (plan, index) => plan.resources.filter((r) => r.custom && !regionless(r.type)).flatMap((r): Finding[] => {
      const own = index.regionOf(r);
      if (!own) return [];
      const bucketNames = r.type === "aws:lb/loadBalancer:LoadBalancer" ? [record(r.inputs.accessLogs).bucket] : [];
      const buckets = bucketNames.flatMap((name) => index.ofType("aws:s3/bucket:Bucket").filter((b) => b.inputs.bucket === name).map((b): [string, PlannedResource] => ["accessLogs.bucket", b]));
      return [...references(r, index), ...buckets]
        .filter(([, target]) => target.custom && !regionless(target.type) && (target.type !== "aws:s3/bucket:Bucket" || bucketBound(r.type)))
        .filter(([, target]) => { const theirs = index.regionOf(target); return theirs !== undefined && theirs !== own; })
        .map(([path, target]) => [r, `\`${path}\` references ${target.name} in ${index.regionOf(target)}, but ${r.name} is created in ${own}; give both the same provider (region)`]);
    }),
  },
  {
    rule: "aws-same-vpc",
    source: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html",
    check: (_plan, index) => VPC_BOUND.flatMap((type) => index.ofType(type)).flatMap((r): Finding[] => {
      const vpcs = new Map<string, string>(); // VPC id → the input that put it there
      if (typeof r.inputs.vpcId === "string") vpcs.set(r.inputs.vpcId, "vpcId");
      // An auto scaling group's security groups come from its launch template.
      const template = r.type === "aws:autoscaling/group:Group" ? index.byId(record(r.inputs.launchTemplate).id) : undefined;
      const referenced = [...references(r, index), ...(template ? references(template, index).map(([p, t]): [string, PlannedResource] => [`launchTemplate → ${p}`, t]) : [])];
      for (const [path, target] of referenced) {
        const vpc = target.type === VPC ? undefined : vpcOf(target);
        if (vpc && !vpcs.has(vpc)) vpcs.set(vpc, `${path} (${target.name})`);
      }
      return vpcs.size > 1 ? [[r, `its subnets and security groups span ${vpcs.size} VPCs (${[...vpcs].map(([id, from]) => `${id} from ${from}`).join(", ")}); AWS needs them all in one VPC`]] : [];
    }),
  },
  {
    rule: "aws-target-group-vpc",
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html",
    check: (_plan, index) => [...index.ofType("aws:lb/listenerRule:ListenerRule"), ...index.ofType("aws:lb/listener:Listener")].flatMap((r): Finding[] => {
      const listener = r.type === "aws:lb/listener:Listener" ? r : index.byId(r.inputs.listenerArn);
      const lb = listener && index.byId(listener.inputs.loadBalancerArn);
      const lbVpc = lb && list(lb.inputs.subnets).map((s) => index.byId(s)).map((s) => s && vpcOf(s)).find(Boolean);
      if (!lbVpc) return [];
      const groups = list(r.inputs.actions ?? r.inputs.defaultActions).map(record)
        .flatMap((a) => [a.targetGroupArn, ...list(record(a.forward).targetGroups).map((g) => record(g).arn)])
        .map((arn) => index.byId(arn)).filter((tg): tg is PlannedResource => tg !== undefined);
      return groups.filter((tg) => typeof tg.inputs.vpcId === "string" && tg.inputs.vpcId !== lbVpc)
        .map((tg) => [r, `forwards to ${tg.name} in ${String(tg.inputs.vpcId)}, but the load balancer ${lb!.name} is in ${lbVpc}; a target group serves load balancers of its own VPC`]);
    }),
  },
  {
    rule: "aws-one-per-vpc",
    source: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html",
    check: (_plan, index) => ([
      ["aws:ec2/internetGateway:InternetGateway", "internet gateway"],
      ["aws:ec2/vpnGatewayAttachment:VpnGatewayAttachment", "virtual private gateway attachment"],
      ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default security group"],
    ] as const).flatMap(([type, what]) => {
      const perVpc = new Map<unknown, PlannedResource[]>();
      for (const r of index.ofType(type)) if (typeof r.inputs.vpcId === "string") perVpc.set(r.inputs.vpcId, [...(perVpc.get(r.inputs.vpcId) ?? []), r]);
      return [...perVpc].filter(([, all]) => all.length > 1).flatMap(([vpc, all]) => all.map((r): Finding =>
        [r, `VPC ${String(vpc)} would get ${all.length} of its one ${what} (${all.map((o) => o.name).join(", ")})`]));
    }),
  },
];
