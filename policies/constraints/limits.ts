import { contains, overlaps, parseCidr } from "../../components/cidr";
import { fargateSizeProblem } from "../../components/fargate";
import { LOG_RETENTION_DAYS } from "../../components/logRetention";
import { REGIONS } from "../../model/regions";
import type { PlannedResource } from "../../model/plan";
import { list, record, type Constraint } from "./check";

type Finding = [PlannedResource, string];

export const limitConstraints: Constraint[] = [
  {
    rule: "aws-vpc-cidr-size",
    source: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html",
    check: (_plan, index) => index.ofType("aws:ec2/vpc:Vpc").flatMap((vpc): Finding[] => {
      const cidr = parseCidr(String(vpc.inputs.cidrBlock));
      return !cidr || cidr.prefix < 16 || cidr.prefix > 28 ? [[vpc, `CIDR ${String(vpc.inputs.cidrBlock)} must be a /16 to /28`]] : [];
    }),
  },
  {
    rule: "aws-subnet-cidrs",
    source: "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html",
    check: (_plan, index) => {
      const subnets = index.ofType("aws:ec2/subnet:Subnet");
      return subnets.flatMap((subnet, i): Finding[] => {
        const cidr = parseCidr(String(subnet.inputs.cidrBlock));
        const vpc = index.byId(subnet.inputs.vpcId);
        const vpcCidr = vpc && parseCidr(String(vpc.inputs.cidrBlock));
        if (!cidr) return [[subnet, `CIDR ${String(subnet.inputs.cidrBlock)} is not valid`]];
        const findings: Finding[] = [];
        if (vpcCidr && !contains(vpcCidr, cidr)) findings.push([subnet, `CIDR ${String(subnet.inputs.cidrBlock)} is outside the VPC ${String(vpc!.inputs.cidrBlock)}`]);
        for (const other of subnets.slice(0, i)) {
          const otherCidr = parseCidr(String(other.inputs.cidrBlock));
          if (other.inputs.vpcId === subnet.inputs.vpcId && otherCidr && overlaps(cidr, otherCidr)) findings.push([subnet, `CIDR overlaps ${other.name}`]);
        }
        return findings;
      });
    },
  },
  {
    rule: "aws-availability-zones",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html",
    check: (_plan, index) => index.ofType("aws:ec2/subnet:Subnet").flatMap((subnet): Finding[] => {
      const zone = String(subnet.inputs.availabilityZone ?? "");
      const region = index.regionOf(subnet);
      const known = region && REGIONS[region];
      return known && zone && ![...known.zoneSuffixes].map((s) => `${region}${s}`).includes(zone) ? [[subnet, `zone ${zone} is not one of ${region}'s`]] : [];
    }),
  },
  {
    rule: "aws-auto-scaling-capacity",
    source: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-capacity-limits.html",
    check: (_plan, index) => index.ofType("aws:autoscaling/group:Group").flatMap((g): Finding[] => {
      const [min, desired, max] = [g.inputs.minSize, g.inputs.desiredCapacity ?? g.inputs.minSize, g.inputs.maxSize].map(Number);
      return min <= desired && desired <= max ? [] : [[g, `needs min <= desired <= max, got ${min} / ${desired} / ${max}`]];
    }),
  },
  {
    rule: "aws-fargate-size",
    source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_size",
    check: (_plan, index) => index.ofType("aws:ecs/taskDefinition:TaskDefinition")
      .filter((t) => list(t.inputs.requiresCompatibilities).includes("FARGATE"))
      .flatMap((t): Finding[] => {
        const problem = fargateSizeProblem(Number(t.inputs.cpu), Number(t.inputs.memory));
        return problem ? [[t, problem]] : [];
      }),
  },
  {
    rule: "aws-log-retention",
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
    check: (_plan, index) => index.ofType("aws:cloudwatch/logGroup:LogGroup")
      .filter((g) => g.inputs.retentionInDays !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(Number(g.inputs.retentionInDays)))
      .map((g): Finding => [g, `retentionInDays ${String(g.inputs.retentionInDays)} is not a value CloudWatch Logs accepts`]),
  },
  {
    rule: "aws-tag-limits",
    source: "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions",
    check: (plan) => plan.resources.filter((r) => r.custom).flatMap((r): Finding[] =>
      Object.entries(record(r.inputs.tags)).flatMap(([key, value]): Finding[] => [
        ...(key.length > 128 ? [[r, `tag key "${key.slice(0, 20)}..." is longer than 128 characters`] as Finding] : []),
        ...(String(value).length > 256 ? [[r, `tag ${key} has a value longer than 256 characters`] as Finding] : []),
        ...(key.toLowerCase().startsWith("aws:") ? [[r, `tag key ${key} uses the reserved prefix aws:`] as Finding] : []),
      ])),
  },
];
