import type { PlannedResource } from "../../model/plan";
import type { Constraint } from "./check";

type Finding = [PlannedResource, string];

/** What the provider appends to a `namePrefix`: a 26-character unique id (a timestamp and a counter, digits). */
export const PREFIX_SUFFIX_LENGTH = 26;
/** What Pulumi's auto-naming appends to a logical name when no name is given: `-` and 7 random characters. */
const AUTO_SUFFIX = "-0a1b2c3";

interface NameRule {
  /** The input holding the full name; `namePrefix` (or `prefixField`) holds a prefix. */
  field: string;
  prefixField?: string;
  max: number;
  pattern: RegExp;
  allowed: string;
  /** Auto-names are lower-cased (S3 bucket names). */
  lower?: boolean;
  source: string;
}

// The API references' length and pattern for the names of the resources Flipstack creates.
const NAME_RULES: Record<string, NameRule> = {
  "aws:iam/role:Role": { field: "name", max: 64, pattern: /^[\w+=,.@-]+$/, allowed: "letters, digits and +=,.@_-", source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html" },
  "aws:iam/instanceProfile:InstanceProfile": { field: "name", max: 128, pattern: /^[\w+=,.@-]+$/, allowed: "letters, digits and +=,.@_-", source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html" },
  "aws:ec2/launchTemplate:LaunchTemplate": { field: "name", max: 128, pattern: /^[a-zA-Z0-9().\-/_]+$/, allowed: "letters, digits and ().-/_", source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html" },
  "aws:autoscaling/group:Group": { field: "name", max: 255, pattern: /^[^:]+$/, allowed: "any characters but a colon", source: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html" },
  "aws:cloudwatch/logGroup:LogGroup": { field: "name", max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/, allowed: "letters, digits and ._-/#", source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html" },
  "aws:cloudwatch/metricAlarm:MetricAlarm": { field: "name", max: 255, pattern: /^[^\p{Cc}]+$/u, allowed: "printable characters", source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html" },
  "aws:ecs/cluster:Cluster": { field: "name", max: 255, pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, - and _", source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html" },
  "aws:ecs/service:Service": { field: "name", max: 255, pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, - and _", source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html" },
  "aws:ecs/taskDefinition:TaskDefinition": { field: "family", max: 255, pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, - and _", source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html" },
  "aws:ec2/securityGroup:SecurityGroup": { field: "name", max: 255, pattern: /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/, allowed: "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*", source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html" },
  "aws:lb/loadBalancer:LoadBalancer": { field: "name", max: 32, pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/, allowed: "letters, digits and inner hyphens", source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html" },
  "aws:lb/targetGroup:TargetGroup": { field: "name", max: 32, pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/, allowed: "letters, digits and inner hyphens", source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html" },
  "aws:s3/bucket:Bucket": { field: "bucket", prefixField: "bucketPrefix", max: 63, pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, allowed: "lower-case letters, digits, dots and inner hyphens", lower: true, source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html" },
};

/**
 * The physical name the provider will send: the `name` given; else the `namePrefix` plus the provider's 26-digit
 * suffix; else the logical name plus Pulumi's auto-name suffix. Only the first two are checked for length: the
 * length of an auto-name is the provider's business, its characters come from the logical name.
 */
function physicalName(r: PlannedResource, rule: NameRule): { name: string; from: string; checkLength: boolean } | undefined {
  const prefixField = rule.prefixField ?? "namePrefix";
  if (typeof r.inputs[rule.field] === "string") return { name: r.inputs[rule.field] as string, from: `\`${rule.field}\``, checkLength: true };
  if (typeof r.inputs[prefixField] === "string") return { name: `${r.inputs[prefixField] as string}${"0".repeat(PREFIX_SUFFIX_LENGTH)}`, from: `\`${prefixField}\` "${r.inputs[prefixField] as string}" plus the provider's ${PREFIX_SUFFIX_LENGTH}-character suffix`, checkLength: true };
  if (rule.field === "family") return undefined; // required input: no auto-name
  const auto = `${r.name}${AUTO_SUFFIX}`;
  return { name: rule.lower ? auto.toLowerCase() : auto, from: `the auto-name from the logical name "${r.name}"`, checkLength: false };
}

export const physicalNameConstraints: Constraint[] = [{
  rule: "aws-physical-names",
  source: Object.values(NAME_RULES).map((r) => r.source).join(" "),
  check: (plan) => plan.resources.flatMap((r): Finding[] => {
    const rule = NAME_RULES[r.type];
    const physical = rule && physicalName(r, rule);
    if (!rule || !physical) return [];
    return [
      ...(physical.checkLength && physical.name.length > rule.max ? [[r, `name from ${physical.from} is ${physical.name.length} characters; AWS allows ${rule.max}`] as Finding] : []),
      ...(rule.pattern.test(physical.name) ? [] : [[r, `name from ${physical.from} has characters AWS rejects here; use ${rule.allowed} (a release id with "+" or a space, say)`] as Finding]),
    ];
  }),
}];
