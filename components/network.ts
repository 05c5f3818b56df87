import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { carveSubnets, cidrProblem, MAX_AVAILABILITY_ZONES, parseCidr, subnetLayoutProblem, vpcPrefixProblem } from "./cidr";
import { withDefaults } from "./defaults";
import { logRetentionProblem } from "./logRetention";
import { missingArgs, REQUIRED_ARGS } from "./requiredArgs";

export type NatStrategy = "none" | "single" | "perAz";

export interface NetworkArgs {
  /** IPv4 CIDR of the VPC, /16 to /28, e.g. `10.20.0.0/16`. */
  readonly cidr: string;
  /**
   * Availability zone names to span, in order (e.g. from `aws.getAvailabilityZones`). Subnet positions follow this
   * order, so append zones to grow; never reorder.
   */
  readonly availabilityZones: readonly string[];
  /**
   * How private subnets reach the internet: `none` (no NAT, cheapest), `single` (one NAT gateway, a zone outage
   * cuts egress for all) or `perAz` (one per zone, about 32 USD a month each plus data).
   * @default "single"
   */
  readonly nat?: NatStrategy;
  /** Prefix length of each private subnet. @default VPC prefix + 3 (a /19 in a /16) */
  readonly privateSubnetPrefix?: number;
  /** Prefix length of each public subnet. @default VPC prefix + 6 (a /22 in a /16) */
  readonly publicSubnetPrefix?: number;
  /** Days to keep VPC flow logs; a value CloudWatch Logs accepts. @default 365 */
  readonly flowLogRetentionDays?: number;
  /** Protect the VPC and its flow log group from deletion (`protect`). @default false */
  readonly protect?: boolean;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** What every construction step of a {@link Network} shares. */
interface Step {
  readonly name: string;
  readonly zones: readonly string[];
  readonly parent: { readonly parent: pulumi.Resource };
  readonly named: (resourceName: string) => Record<string, string>;
}

/** What each optional arg is when left out. */
export const NETWORK_DEFAULTS = { nat: "single", flowLogRetentionDays: 365, protect: false, tags: {} } as const satisfies Partial<NetworkArgs>;

/** The args with every default filled in: what the validator checks and the constructor builds. */
export const resolveNetworkArgs = (args: NetworkArgs) => withDefaults(args, NETWORK_DEFAULTS);

/** Why these args cannot build a network, or an empty list. Runs before any resource is created. */
export function validateNetworkArgs(args: NetworkArgs): string[] {
  const missing = missingArgs(args, REQUIRED_ARGS.Network);
  if (missing.length > 0) return missing;
  const problems: string[] = [];
  const resolved = resolveNetworkArgs(args);
  if (!parseCidr(args.cidr)) return [`The \`cidr\` "${args.cidr}" ${cidrProblem(args.cidr)}.`];
  const prefix = vpcPrefixProblem(args.cidr);
  const layout = prefix ?? subnetLayoutProblem(args.cidr, { privatePrefix: args.privateSubnetPrefix, publicPrefix: args.publicSubnetPrefix });
  if (prefix) problems.push(`The \`cidr\` ${prefix}.`);
  else if (layout) problems.push(`The \`cidr\` cannot hold the subnets: ${layout}.`);
  const zones = args.availabilityZones;
  if (zones.length < 2 || zones.length > MAX_AVAILABILITY_ZONES) problems.push(`The \`availabilityZones\` list has ${zones.length} zones; use 2 to ${MAX_AVAILABILITY_ZONES}.`);
  if (new Set(zones).size !== zones.length) problems.push("The `availabilityZones` list names a zone twice.");
  const retention = logRetentionProblem(resolved.flowLogRetentionDays);
  if (retention) problems.push(`The \`flowLogRetentionDays\` ${retention}.`);
  return problems;
}

/**
 * A VPC across 2–6 availability zones: a public and a private subnet per zone (carved by {@link carveSubnets}),
 * an internet gateway, NAT gateways per the `nat` strategy, one public route table and one private route table per
 * zone (so a VPN can propagate into each), VPC flow logs to CloudWatch, the default security group stripped of all
 * rules, and an S3 gateway endpoint.
 *
 * Costs money: NAT gateways (hourly plus per GB), their Elastic IPs, and flow log ingestion and storage.
 * Free: the VPC, subnets, route tables, internet gateway and the S3 gateway endpoint.
 */
export class Network extends pulumi.ComponentResource {
  /** The VPC id. */
  public readonly vpcId: pulumi.Output<string>;
  /** The VPC CIDR block, as AWS reports it. */
  public readonly vpcCidr: pulumi.Output<string>;
  /** The zones spanned, in the order given (subnet positions follow it). */
  public readonly availabilityZones: pulumi.Output<string[]>;
  /** Public subnet ids, one per zone in zone order: for load balancers and NAT gateways. */
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  /** Private subnet ids, one per zone in zone order: for compute. */
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  /** Private route table ids, one per zone in zone order. */
  public readonly privateRouteTableIds: pulumi.Output<string[]>;
  /** Private route table id per availability zone, for components that add routes or propagation per zone. */
  public readonly privateRouteTableIdsByZone: Readonly<Record<string, pulumi.Output<string>>>;
  /** NAT gateway ids: none, one, or one per zone, per the `nat` strategy. */
  public readonly natGatewayIds: pulumi.Output<string[]>;
  /** CloudWatch log group of the VPC flow logs (kept when the stack is destroyed). */
  public readonly flowLogGroupName: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateNetworkArgs(args);
    if (problems.length > 0) throw new pulumi.RunError(`Network "${name}": ${problems.join(" ")}`);
    super("flipstack:network:Network", name, {}, opts);

    const { nat, flowLogRetentionDays, protect, tags } = resolveNetworkArgs(args);
    const zones = [...args.availabilityZones];
    const at: Step = { name, zones, parent: { parent: this }, named: (resourceName) => ({ ...tags, Name: resourceName }) };
    const cidrs = carveSubnets(args.cidr, zones.length, { privatePrefix: args.privateSubnetPrefix, publicPrefix: args.publicSubnetPrefix });

    const { vpc, internetGateway } = this.createVpc(at, args.cidr, protect);
    const publicSubnets = this.createSubnets(at, vpc, "public", cidrs.public);
    const privateSubnets = this.createSubnets(at, vpc, "private", cidrs.private);
    this.createPublicRoutes(at, vpc, internetGateway, publicSubnets);
    const natGateways = this.createNatGateways(at, nat, internetGateway, publicSubnets);
    const privateRouteTables = this.createPrivateRoutes(at, vpc, privateSubnets, natGateways);
    const flowLogGroup = this.createFlowLogs(name, vpc, flowLogRetentionDays, protect, tags);
    this.createS3Endpoint(at, vpc, privateRouteTables);

    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;
    this.availabilityZones = pulumi.output(zones);
    this.publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
    this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
    this.privateRouteTableIds = pulumi.all(privateRouteTables.map((t) => t.id));
    this.privateRouteTableIdsByZone = Object.fromEntries(zones.map((zone, i) => [zone, privateRouteTables[i].id]));
    this.natGatewayIds = pulumi.all([...natGateways.values()].map((g) => g.id));
    this.flowLogGroupName = flowLogGroup.name;
    this.registerOutputs({
      vpcId: this.vpcId,
      vpcCidr: this.vpcCidr,
      availabilityZones: this.availabilityZones,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      privateRouteTableIds: this.privateRouteTableIds,
      privateRouteTableIdsByZone: this.privateRouteTableIdsByZone,
      natGatewayIds: this.natGatewayIds,
      flowLogGroupName: this.flowLogGroupName,
    });
  }

  /** The VPC, its default security group stripped of all rules, and the internet gateway. */
  private createVpc({ name, named, parent }: Step, cidrBlock: string, protect: boolean) {
    const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
      cidrBlock,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: named(`${name}-vpc`),
    }, { ...parent, protect });

    // Managing the default security group with no rules removes AWS's allow-all-within-group default (EC2.2).
    new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: named(`${name}-default`) }, parent);

    // The internet gateway costs nothing, so it is always created: load balancers in public subnets need it.
    const internetGateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: named(`${name}-igw`) }, parent);
    return { vpc, internetGateway };
  }

  /** One subnet of the tier per zone, in zone order. */
  private createSubnets({ name, zones, named, parent }: Step, vpc: aws.ec2.Vpc, tier: "public" | "private", cidrBlocks: readonly string[]): aws.ec2.Subnet[] {
    return zones.map((zone, i) =>
      new aws.ec2.Subnet(`${name}-${tier}-${zone}`, {
        vpcId: vpc.id,
        cidrBlock: cidrBlocks[i],
        availabilityZone: zone,
        // Nothing Flipstack runs needs a public address; load balancers and NAT gateways bring their own (EC2.15).
        mapPublicIpOnLaunch: false,
        tags: { ...named(`${name}-${tier}-${zone}`), "flipstack:tier": tier },
      }, parent));
  }

  /** One public route table for every zone, its default route to the internet gateway. */
  private createPublicRoutes({ name, zones, named, parent }: Step, vpc: aws.ec2.Vpc, internetGateway: aws.ec2.InternetGateway, subnets: aws.ec2.Subnet[]): void {
    const table = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, tags: named(`${name}-public`) }, parent);
    new aws.ec2.Route(`${name}-public-default`, {
      routeTableId: table.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: internetGateway.id,
    }, parent);
    zones.forEach((zone, i) =>
      new aws.ec2.RouteTableAssociation(`${name}-public-${zone}`, { subnetId: subnets[i].id, routeTableId: table.id }, parent));
  }

  /** NAT gateways (and their Elastic IPs) by zone: none, the first zone's, or one per zone. */
  private createNatGateways({ name, zones, named, parent }: Step, nat: NatStrategy, internetGateway: aws.ec2.InternetGateway, publicSubnets: aws.ec2.Subnet[]) {
    const natZones = nat === "perAz" ? zones : nat === "single" ? zones.slice(0, 1) : [];
    return new Map(natZones.map((zone) => {
      const eip = new aws.ec2.Eip(`${name}-nat-${zone}`, { domain: "vpc", tags: named(`${name}-nat-${zone}`) }, parent);
      const gateway = new aws.ec2.NatGateway(`${name}-nat-${zone}`, {
        allocationId: eip.id,
        subnetId: publicSubnets[zones.indexOf(zone)].id,
        tags: named(`${name}-nat-${zone}`),
      }, { ...parent, dependsOn: [internetGateway] });
      return [zone, gateway] as const;
    }));
  }

  /**
   * One private route table per zone, even with a single NAT: a zone's egress can move to its own NAT later
   * without replacing tables, and a VPN propagates into each. Zones without a NAT of their own use the first.
   */
  private createPrivateRoutes({ name, zones, named, parent }: Step, vpc: aws.ec2.Vpc, subnets: aws.ec2.Subnet[], natGateways: ReadonlyMap<string, aws.ec2.NatGateway>): aws.ec2.RouteTable[] {
    const firstGateway = [...natGateways.values()][0];
    return zones.map((zone, i) => {
      const table = new aws.ec2.RouteTable(`${name}-private-${zone}`, { vpcId: vpc.id, tags: named(`${name}-private-${zone}`) }, parent);
      new aws.ec2.RouteTableAssociation(`${name}-private-${zone}`, { subnetId: subnets[i].id, routeTableId: table.id }, parent);
      const gateway = natGateways.get(zone) ?? firstGateway;
      if (gateway) {
        new aws.ec2.Route(`${name}-private-${zone}-default`, {
          routeTableId: table.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: gateway.id,
        }, parent);
      }
      return table;
    });
  }

  /**
   * S3 through a gateway endpoint is free and keeps archive and image-layer traffic off the NAT gateways. Its
   * policy lets the private subnets write only to this account's buckets (no copying data out to another account
   * through it) and read anywhere: ECR image layers, package repositories and SSM live in AWS-owned buckets.
   */
  private createS3Endpoint({ name, named, parent }: Step, vpc: aws.ec2.Vpc, privateRouteTables: aws.ec2.RouteTable[]): void {
    const region = aws.getRegionOutput({}, parent);
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    new aws.ec2.VpcEndpoint(`${name}-s3`, {
      vpcId: vpc.id,
      serviceName: pulumi.interpolate`com.amazonaws.${region.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: privateRouteTables.map((t) => t.id),
      policy: account.apply((accountId) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "ThisAccountsBuckets", Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*", Condition: { StringEquals: { "aws:ResourceAccount": accountId } } },
          { Sid: "ReadAwsOwnedBuckets", Effect: "Allow", Principal: "*", Action: ["s3:GetObject", "s3:GetBucketLocation", "s3:ListBucket"], Resource: "*" },
        ],
      })),
      tags: named(`${name}-s3`),
    }, parent);
  }

  private createFlowLogs(name: string, vpc: aws.ec2.Vpc, retentionInDays: number, protect: boolean, tags: Record<string, string>): aws.cloudwatch.LogGroup {
    const parent = { parent: this };
    // Flow logs are audit evidence: kept when the stack is destroyed, and protected where the VPC is.
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, { retentionInDays, tags }, { ...parent, protect, retainOnDelete: true });
    const identity = aws.getCallerIdentityOutput({}, parent);
    const trust = pulumi.all([identity.accountId, aws.getPartitionOutput({}, parent).partition, aws.getRegionOutput({}, parent).region]);
    const role = new aws.iam.Role(`${name}-flow-logs`, {
      assumeRolePolicy: trust.apply(([account, partition, region]) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          // Confused-deputy protection: only this account's flow logs may use the role.
          Condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": `arn:${partition}:ec2:${region}:${account}:vpc-flow-log/*` } },
        }],
      })),
      tags,
    }, parent);
    new aws.iam.RolePolicy(`${name}-flow-logs`, {
      role: role.id,
      policy: logGroup.arn.apply((arn) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
          Resource: [arn, `${arn}:*`],
        }],
      })),
    }, parent);
    new aws.ec2.FlowLog(`${name}-flow-log`, {
      vpcId: vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { ...tags, Name: `${name}-flow-log` },
    }, parent);
    return logGroup;
  }
}
