import type { PlannedResource } from "../plan/model";
import type { PlanReferences } from "../plan/references";
import type { Price } from "./priceTable";
import type { ResourceUsage, Usage } from "./usage";

/** One priced quantity of a resource: `quantity` × `unit price` a month. */
export interface CostLine {
  /** What is billed, e.g. `NAT gateway hours` or `t3.medium instance hours`. */
  what: string;
  /** The AWS service the charge appears under on the bill. */
  awsService: string;
  quantity: number;
  /** Price table key; the figure, page and date are in `price` when the table has one for the region. */
  priceKey: string;
  price?: Price;
  monthly: number;
  /** How a usage-based quantity was chosen, when it was not read from the plan. */
  assumption?: string;
}

export interface CalculatorContext {
  resource: PlannedResource;
  references: PlanReferences;
  usage: Usage;
  /** The usage file's entry for this resource, if any. */
  own: ResourceUsage;
  price: (key: string) => Price | undefined;
}

type Calculator = (c: CalculatorContext) => LineSpec[];
type LineSpec = Omit<CostLine, "price" | "monthly">;

const num = (value: unknown, fallback = 0) => (typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)) ? Number(value) : fallback);
const hours = (c: CalculatorContext) => c.usage.hoursPerMonth;
const assumed = (given: number | undefined, fallback: number, what: string, key: string): [number, string | undefined] =>
  given === undefined ? [fallback, `${fallback} ${what} (default; set \`${key}\` in a usage file)`] : [given, undefined];

function natGateway(c: CalculatorContext): LineSpec[] {
  const [gb, assumption] = assumed(c.own.dataProcessedGb, c.usage.defaults.natGateway.dataProcessedGb, "GB processed a month", "dataProcessedGb");
  return [
    { what: "NAT gateway hours", awsService: "Amazon VPC", quantity: hours(c), priceKey: "natGateway.hour" },
    { what: "GB processed", awsService: "Amazon VPC", quantity: gb, priceKey: "natGateway.gb", assumption },
  ];
}

function loadBalancer(c: CalculatorContext): LineSpec[] {
  const type = String(c.resource.inputs.loadBalancerType ?? "application");
  if (type !== "application" && type !== "network") return [];
  const kind = type === "application" ? "alb" : "nlb";
  const [units, assumption] = assumed(c.own.capacityUnits, c.usage.defaults.loadBalancer.capacityUnits, "capacity units on average", "capacityUnits");
  const lines: LineSpec[] = [
    { what: `${type} load balancer hours`, awsService: "Elastic Load Balancing", quantity: hours(c), priceKey: `${kind}.hour` },
    { what: `${kind === "alb" ? "LCU" : "NLCU"} hours`, awsService: "Elastic Load Balancing", quantity: units * hours(c), priceKey: kind === "alb" ? "alb.lcuHour" : "nlb.nlcuHour", assumption },
  ];
  // An internet-facing load balancer holds a public IPv4 address per subnet (more while AWS scales it out).
  const subnets = ((c.resource.inputs.subnets as unknown[] | undefined) ?? (c.resource.inputs.subnetMappings as unknown[] | undefined) ?? []).length;
  if (c.resource.inputs.internal !== true && subnets > 0) {
    lines.push({ what: "public IPv4 address hours (one per subnet)", awsService: "Amazon VPC", quantity: subnets * hours(c), priceKey: "publicIpv4.hour" });
  }
  return lines;
}

/** Instances an auto scaling group keeps running: its desired capacity, else its minimum. */
function instanceGroup(c: CalculatorContext): LineSpec[] {
  const count = num(c.resource.inputs.desiredCapacity, num(c.resource.inputs.minSize, 0));
  const template = c.references.referencesFrom(c.resource, "launchTemplate").map((r) => r.to)[0];
  if (!template) return [];
  return instanceLines(template.inputs, count, c);
}

function instance(c: CalculatorContext): LineSpec[] {
  return instanceLines(c.resource.inputs, 1, c);
}

function instanceLines(spec: Record<string, unknown>, count: number, c: CalculatorContext): LineSpec[] {
  const type = String(spec.instanceType ?? "");
  const lines: LineSpec[] = [{ what: `${type} instance hours (${count} running)`, awsService: "Amazon EC2", quantity: count * hours(c), priceKey: `ec2.${type}.hour` }];
  const volumes = [
    ...((spec.blockDeviceMappings as Array<{ ebs?: Record<string, unknown> }> | undefined) ?? []).map((m) => m.ebs ?? {}),
    ...(spec.rootBlockDevice ? [spec.rootBlockDevice as Record<string, unknown>] : []),
  ];
  for (const volume of volumes.filter((v) => v.volumeSize !== undefined)) {
    const volumeType = String(volume.volumeType ?? "gp3");
    lines.push({ what: `${volumeType} GB-months (${num(volume.volumeSize)} GB each)`, awsService: "Amazon EC2", quantity: count * num(volume.volumeSize), priceKey: `ebs.${volumeType}.gbMonth` });
  }
  // Detailed monitoring publishes the instance's 7 EC2 metrics every minute, billed as custom metrics.
  if ((spec.monitoring as { enabled?: boolean } | undefined)?.enabled === true || spec.monitoring === true) {
    lines.push({ what: "detailed monitoring metrics (7 per instance)", awsService: "Amazon CloudWatch", quantity: 7 * count, priceKey: "cloudwatch.metricMonth" });
  }
  const nics = (spec.networkInterfaces as Array<{ associatePublicIpAddress?: unknown }> | undefined) ?? [];
  if (nics.some((n) => String(n.associatePublicIpAddress) === "true") || spec.associatePublicIpAddress === true) {
    lines.push({ what: "public IPv4 address hours (one per instance)", awsService: "Amazon VPC", quantity: count * hours(c), priceKey: "publicIpv4.hour" });
  }
  return lines;
}

function fargateService(c: CalculatorContext): LineSpec[] {
  const strategies = (c.resource.inputs.capacityProviderStrategies as Array<{ capacityProvider?: string }> | undefined) ?? [];
  const onFargate = c.resource.inputs.launchType === "FARGATE" || strategies.some((s) => s.capacityProvider?.startsWith("FARGATE"));
  const task = c.references.referencesFrom(c.resource, "taskDefinition").map((r) => r.to)[0];
  if (!onFargate || !task) return [];
  const count = num(c.resource.inputs.desiredCount, 1);
  const vcpu = num(task.inputs.cpu) / 1024;
  const gb = num(task.inputs.memory) / 1024;
  const arch = (task.inputs.runtimePlatform as { cpuArchitecture?: string } | undefined)?.cpuArchitecture === "ARM64" ? "arm" : "x86";
  const lines: LineSpec[] = [
    { what: `vCPU hours (${count} tasks × ${vcpu} vCPU, ${arch})`, awsService: "AWS Fargate", quantity: count * vcpu * hours(c), priceKey: `fargate.${arch}.vcpuHour` },
    { what: `memory GB hours (${count} tasks × ${gb} GB)`, awsService: "AWS Fargate", quantity: count * gb * hours(c), priceKey: `fargate.${arch}.gbHour` },
  ];
  const storage = num((task.inputs.ephemeralStorage as { sizeInGib?: unknown } | undefined)?.sizeInGib, 20);
  if (storage > 20) lines.push({ what: `ephemeral storage GB hours beyond 20 GB`, awsService: "AWS Fargate", quantity: count * (storage - 20) * hours(c), priceKey: "fargate.storageGbHour" });
  if ((c.resource.inputs.networkConfiguration as { assignPublicIp?: boolean } | undefined)?.assignPublicIp === true) {
    lines.push({ what: "public IPv4 address hours (one per task)", awsService: "Amazon VPC", quantity: count * hours(c), priceKey: "publicIpv4.hour" });
  }
  return lines;
}

function alarm(c: CalculatorContext): LineSpec[] {
  const queries = (c.resource.inputs.metricQueries as Array<{ metric?: unknown }> | undefined) ?? [];
  const metrics = queries.length ? queries.filter((q) => q.metric).length : 1;
  const highResolution = num(c.resource.inputs.period, 60) < 60;
  return [{ what: `${highResolution ? "high-resolution " : ""}alarm metrics`, awsService: "Amazon CloudWatch", quantity: metrics, priceKey: highResolution ? "cloudwatch.highResolutionAlarm" : "cloudwatch.alarm" }];
}

/** Months of logs a log group holds once its retention is reached; never-expiring groups are taken at a year. */
const retainedMonths = (retentionDays: unknown) => (num(retentionDays) > 0 ? Math.min(num(retentionDays), 3653) / (365 / 12) : 12);

function logGroup(c: CalculatorContext): LineSpec[] {
  // A flow log's delivery is billed as vended logs on the flow log; the group still stores what it receives.
  const flowLogs = c.references.referencesTo(c.resource).filter((r) => r.from.type === "aws:ec2/flowLog:FlowLog" && r.property === "logDestination");
  const vended = flowLogs.reduce((sum, r) => sum + flowLogGb(c.usage, r.from), 0);
  const [own, assumption] = flowLogs.length ? [0, undefined] : assumed(c.own.ingestedGb, c.usage.defaults.logGroup.ingestedGb, "GB ingested a month", "ingestedGb");
  const months = retainedMonths(c.resource.inputs.retentionInDays);
  const lines: LineSpec[] = [];
  if (own > 0) lines.push({ what: "GB ingested", awsService: "Amazon CloudWatch", quantity: own, priceKey: "logs.ingestGb", assumption });
  lines.push({
    what: `GB-months stored (${months.toFixed(1)} months of ingestion, uncompressed)`,
    awsService: "Amazon CloudWatch",
    quantity: (own + vended) * months,
    priceKey: "logs.storageGbMonth",
  });
  return lines;
}

const flowLogGb = (usage: Usage, flowLog: PlannedResource) => usage.resources[flowLog.name]?.ingestedGb ?? usage.defaults.flowLog.ingestedGb;

function flowLog(c: CalculatorContext): LineSpec[] {
  if ((c.resource.inputs.logDestinationType ?? "cloud-watch-logs") !== "cloud-watch-logs") return [];
  const [gb, assumption] = assumed(c.own.ingestedGb, c.usage.defaults.flowLog.ingestedGb, "GB of flow logs a month", "ingestedGb");
  return [{ what: "GB of flow logs delivered (vended logs)", awsService: "Amazon CloudWatch", quantity: gb, priceKey: "logs.vendedIngestGb", assumption }];
}

function bucket(c: CalculatorContext): LineSpec[] {
  const [gb, assumption] = assumed(c.own.storedGb, c.usage.defaults.bucket.storedGb, "GB stored", "storedGb");
  return [{ what: "S3 Standard GB-months", awsService: "Amazon S3", quantity: gb, priceKey: "s3.standard.gbMonth", assumption }];
}

function vpcEndpoint(c: CalculatorContext): LineSpec[] {
  if (c.resource.inputs.vpcEndpointType !== "Interface") return [];
  const zones = ((c.resource.inputs.subnetIds as unknown[] | undefined) ?? []).length || 1;
  const [gb, assumption] = assumed(c.own.dataProcessedGb, c.usage.defaults.interfaceEndpoint.dataProcessedGb, "GB processed a month", "dataProcessedGb");
  return [
    { what: `interface endpoint hours (${zones} zones)`, awsService: "Amazon VPC", quantity: zones * hours(c), priceKey: "interfaceEndpoint.hour" },
    { what: "GB processed", awsService: "Amazon VPC", quantity: gb, priceKey: "interfaceEndpoint.gb", assumption },
  ];
}

function database(c: CalculatorContext): LineSpec[] {
  const copies = c.resource.inputs.multiAz === true ? 2 : 1;
  const instanceClass = String(c.resource.inputs.instanceClass ?? "");
  const engine = String(c.resource.inputs.engine ?? "");
  const storageType = String(c.resource.inputs.storageType ?? "gp2");
  return [
    { what: `${instanceClass} ${engine} instance hours${copies > 1 ? " (Multi-AZ: 2 instances)" : ""}`, awsService: "Amazon RDS", quantity: copies * hours(c), priceKey: `rds.${engine}.${instanceClass}.hour` },
    { what: `${storageType} storage GB-months`, awsService: "Amazon RDS", quantity: copies * num(c.resource.inputs.allocatedStorage), priceKey: `rds.${storageType}.gbMonth` },
  ];
}

/** The resource types that cost money, by Pulumi type token. */
export const CALCULATORS: Readonly<Record<string, Calculator>> = {
  "aws:autoscaling/group:Group": instanceGroup,
  "aws:cloudwatch/logGroup:LogGroup": logGroup,
  "aws:cloudwatch/metricAlarm:MetricAlarm": alarm,
  "aws:ec2/eip:Eip": (c) => [{ what: "public IPv4 address hours", awsService: "Amazon VPC", quantity: hours(c), priceKey: "publicIpv4.hour" }],
  "aws:ec2/flowLog:FlowLog": flowLog,
  "aws:ec2/instance:Instance": instance,
  "aws:ec2/natGateway:NatGateway": natGateway,
  "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
  "aws:ec2/vpnConnection:VpnConnection": (c) => [{ what: "VPN connection hours", awsService: "AWS Site-to-Site VPN", quantity: hours(c), priceKey: "vpnConnection.hour" }],
  "aws:ecs/service:Service": fargateService,
  "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
  "aws:rds/instance:Instance": database,
  "aws:s3/bucket:Bucket": bucket,
  // Cloud Map creates a Route 53 private hosted zone for the namespace.
  "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": () => [{ what: "Route 53 hosted zone", awsService: "Amazon Route 53", quantity: 1, priceKey: "route53.hostedZoneMonth" }],
};

/**
 * Types AWS does not bill by themselves (their cost, if any, is in a resource above: a launch template's instances
 * under the auto scaling group, a task definition's tasks under the service). Anything in neither list is
 * reported as not estimated, so a gap in coverage is visible rather than a silent $0.
 */
export const FREE_TYPES: ReadonlySet<string> = new Set([
  "aws:autoscaling/attachment:Attachment",
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
  "aws:ec2/customerGateway:CustomerGateway",
  "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:ec2/route:Route",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/routeTableAssociation:RouteTableAssociation",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/vpc:Vpc",
  "aws:ec2/vpnConnectionRoute:VpnConnectionRoute",
  "aws:ec2/vpnGateway:VpnGateway",
  "aws:ec2/vpnGatewayAttachment:VpnGatewayAttachment",
  "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
  // Billed by the images' storage (the lifecycle policy bounds it), usage this estimate leaves out; pushes are free.
  "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  "aws:ecr/repository:Repository",
  "aws:ecr/repositoryPolicy:RepositoryPolicy",
  "docker:index/image:Image",
  "aws:ecs/cluster:Cluster",
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  "aws:ecs/taskDefinition:TaskDefinition",
  "aws:iam/instanceProfile:InstanceProfile",
  "aws:iam/policy:Policy",
  "aws:iam/role:Role",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:lb/listener:Listener",
  "aws:lb/listenerRule:ListenerRule",
  "aws:lb/targetGroup:TargetGroup",
  "aws:lb/targetGroupAttachment:TargetGroupAttachment",
  "aws:rds/parameterGroup:ParameterGroup",
  "aws:rds/subnetGroup:SubnetGroup",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketLogging:BucketLogging",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketVersioning:BucketVersioning",
  // Instances ECS registers are not billed by Cloud Map; DNS queries are usage this estimate leaves out.
  "aws:servicediscovery/service:Service",
  // Billed per publish and delivery only; alarm notifications stay within SNS's monthly free tier.
  "aws:sns/topic:Topic",
  "aws:sns/topicSubscription:TopicSubscription",
  // Standard-tier parameters (the instances' CloudWatch agent config) and their standard-throughput reads are free.
  "aws:ssm/parameter:Parameter",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
]);
