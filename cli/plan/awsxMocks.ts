/**
 * Offline answers for awsx v3 components. awsx builds its components inside a plugin (multi-language components), so
 * under Pulumi's mock runtime `new awsx.ec2.Vpc(...)` registers one remote component resource (`awsx:ec2:Vpc`) with
 * no children, and every output the program reads (`vpc.vpcId`, `vpc.privateSubnetIds`) is whatever the mocks answer
 * for that one registration. These answers give the outputs the plugin would: the AWS resources awsx would create,
 * each answered exactly as the plan answers that resource when a program registers it itself (same id scheme, same
 * ARNs), so an id is the same everywhere it appears.
 *
 * Resource-valued outputs (`vpc.vpc`, `vpc.subnets`, `alb.loadBalancer`) are plain objects holding the resource's
 * state: `vpc.vpc.cidrBlock` or `alb.loadBalancer.apply((lb) => lb.arn)` read the same values a real deployment gives.
 */
import { formatCidr, nthSubnet, parseCidr, type Cidr } from "../../components/cidr";

type Inputs = Record<string, unknown>;

export interface AwsxContext {
  /** The region the component's resources live in (its `region` input wins, as awsx passes it to each resource). */
  region: string;
  /** The region's availability zones, in order. */
  availabilityZones: string[];
  /** The plan's own answer (id and state) for an AWS resource that awsx would create inside the component. */
  resource: (type: string, name: string, inputs: Inputs) => Inputs;
  /** The VPC a subnet belongs to: awsx looks the first subnet up (`aws.ec2.getSubnet`) to find its load balancer's VPC. */
  subnetVpcId: (subnetId: string) => string;
}

type ComponentAnswer = (name: string, inputs: Inputs, context: AwsxContext) => Inputs;

/** The awsx component types the plan answers; any other awsx component echoes its inputs, like an unknown resource. */
export const AWSX_COMPONENTS: Readonly<Record<string, ComponentAnswer>> = {
  "awsx:ec2:Vpc": vpcOutputs,
  "awsx:lb:ApplicationLoadBalancer": applicationLoadBalancerOutputs,
};

export type SubnetType = "Public" | "Private" | "Isolated";
type NatStrategy = "None" | "Single" | "OnePerAz";

interface SubnetSpec {
  type: SubnetType | "Unused";
  name?: string;
  cidrMask?: number;
  size?: number;
  cidrBlocks?: string[];
  tags?: Record<string, string>;
}

/** One subnet awsx creates: its logical name, zone and block. Exported for testing. */
export interface PlannedSubnet {
  name: string;
  type: SubnetType;
  zone: string;
  zoneIndex: number;
  cidrBlock: string;
  /** The spec's own name, when it differs from its type. */
  specName?: string;
  tags?: Record<string, string>;
}

// awsx's defaults: a private and a public subnet per zone, three zones, 10.0.0.0/16, a NAT gateway per zone.
const DEFAULT_SPECS: SubnetSpec[] = [{ type: "Private" }, { type: "Public" }];
const DEFAULT_ZONE_COUNT = 3;
const DEFAULT_CIDR = "10.0.0.0/16";
// awsx creates a zone's subnets public first, then private, then isolated; the id lists follow that order.
const CREATION_ORDER: SubnetType[] = ["Public", "Private", "Isolated"];
// ...but carves their blocks private first, then public, then isolated (the widest first).
const CARVING_ORDER: SubnetType[] = ["Private", "Public", "Isolated"];

function vpcOutputs(name: string, inputs: Inputs, context: AwsxContext): Inputs {
  const zones = vpcZones(name, inputs, context.availabilityZones);
  const strategy = (((inputs.natGateways ?? {}) as Inputs).strategy ?? "OnePerAz") as NatStrategy;
  const allocationIds = (((inputs.natGateways ?? {}) as Inputs).elasticIpAllocationIds ?? []) as string[];
  const cidrBlock = String(inputs.cidrBlock ?? DEFAULT_CIDR);
  const subnets = planSubnets(name, cidrBlock, zones, inputs.subnetSpecs as SubnetSpec[] | undefined, inputs.availabilityZoneCidrMask as number | undefined);
  const problem = natProblem(strategy, subnets, allocationIds, zones.length);
  if (problem) throw new Error(`awsx:ec2:Vpc "${name}": ${problem}`);

  const sharedTags = { Name: name, ...(inputs.tags as Inputs | undefined) };
  const vpc = context.resource("aws:ec2/vpc:Vpc", name, {
    cidrBlock,
    // AWS's own defaults, which awsx leaves alone.
    enableDnsSupport: inputs.enableDnsSupport ?? true,
    enableDnsHostnames: inputs.enableDnsHostnames ?? false,
    instanceTenancy: inputs.instanceTenancy ?? "default",
    tags: sharedTags,
  });
  const vpcId = String(vpc.id);
  // The internet gateway costs nothing, so awsx always creates one, even for a VPC of isolated subnets.
  const internetGateway = context.resource("aws:ec2/internetGateway:InternetGateway", name, { vpcId, tags: sharedTags });

  const built = { subnets: [] as Inputs[], routeTables: [] as Inputs[], routeTableAssociations: [] as Inputs[], routes: [] as Inputs[], natGateways: [] as Inputs[], eips: [] as Inputs[] };
  const ids: Record<SubnetType, string[]> = { Public: [], Private: [], Isolated: [] };
  for (const subnet of subnets) {
    const state = context.resource("aws:ec2/subnet:Subnet", subnet.name, {
      vpcId, availabilityZone: subnet.zone, cidrBlock: subnet.cidrBlock, mapPublicIpOnLaunch: subnet.type === "Public",
      tags: { ...sharedTags, ...subnet.tags, Name: subnet.name, SubnetType: subnet.type },
    });
    built.subnets.push(state);
    ids[subnet.type].push(String(state.id));
    const routeTable = context.resource("aws:ec2/routeTable:RouteTable", subnet.name, { vpcId, tags: { ...sharedTags, Name: subnet.name, SubnetType: subnet.type } });
    built.routeTables.push(routeTable);
    built.routeTableAssociations.push(context.resource("aws:ec2/routeTableAssociation:RouteTableAssociation", subnet.name, { routeTableId: routeTable.id, subnetId: state.id }));
    if (subnet.type === "Public" && needsNatGateway(strategy, built.natGateways.length, subnet.zoneIndex)) {
      const gatewayName = `${name}-${subnet.zoneIndex + 1}`;
      const tags = { ...(inputs.tags as Inputs | undefined), Name: gatewayName };
      const eip = allocationIds.length === 0 ? context.resource("aws:ec2/eip:Eip", gatewayName, { domain: "vpc", tags }) : undefined;
      if (eip) built.eips.push(eip);
      built.natGateways.push(context.resource("aws:ec2/natGateway:NatGateway", gatewayName, {
        subnetId: state.id, allocationId: eip?.allocationId ?? allocationIds[built.natGateways.length], connectivityType: "public", tags,
      }));
    }
    // Public subnets reach the internet through the gateway, private ones through their zone's NAT gateway (or the
    // single one); isolated subnets have no route out.
    const target = subnet.type === "Public" ? { gatewayId: internetGateway.id }
      : subnet.type === "Private" && strategy !== "None" ? { natGatewayId: built.natGateways[strategy === "Single" ? 0 : subnet.zoneIndex].id }
        : undefined;
    if (target) built.routes.push(context.resource("aws:ec2/route:Route", subnet.name, { routeTableId: routeTable.id, destinationCidrBlock: "0.0.0.0/0", ...target }));
  }

  const vpcEndpoints = ((inputs.vpcEndpointSpecs ?? []) as Inputs[]).map((spec) =>
    context.resource("aws:ec2/vpcEndpoint:VpcEndpoint", String(spec.serviceName), { ...spec, vpcId }));
  return {
    vpc, vpcId, internetGateway, ...built, vpcEndpoints,
    publicSubnetIds: ids.Public, privateSubnetIds: ids.Private, isolatedSubnetIds: ids.Isolated,
    publicSubnets: subnetsOf(built.subnets, ids.Public), privateSubnets: subnetsOf(built.subnets, ids.Private), isolatedSubnets: subnetsOf(built.subnets, ids.Isolated),
    subnetLayout: subnetLayout(subnets),
  };
}

const subnetsOf = (subnets: Inputs[], ids: string[]) => subnets.filter((s) => ids.includes(String(s.id)));

function vpcZones(name: string, inputs: Inputs, regionZones: string[]): string[] {
  const names = inputs.availabilityZoneNames as string[] | undefined;
  const count = inputs.numberOfAvailabilityZones as number | undefined;
  if (names && count) throw new Error(`awsx:ec2:Vpc "${name}": only one of \`availabilityZoneNames\` and \`numberOfAvailabilityZones\` can be given`);
  if (names) return names;
  const wanted = count ?? DEFAULT_ZONE_COUNT;
  if (regionZones.length < wanted) {
    throw new Error(`awsx:ec2:Vpc "${name}": the region has ${regionZones.length} availability zones, fewer than the ${wanted} asked for; give \`availabilityZoneNames\` or a smaller \`numberOfAvailabilityZones\``);
  }
  return regionZones.slice(0, wanted);
}

/**
 * The subnets awsx creates: for each zone in order, one per spec but `Unused` ones, named
 * `<vpc>-<spec name or type>-<zone number>`. Blocks are carved inside each zone's equal share of the VPC, private
 * first, each aligned after the one before: awsx's default layout exactly (a /19 private and a /20 public per zone
 * of a /16 over three zones); explicit `cidrBlocks`, `cidrMask` or `size` are honoured. Exported for testing.
 */
export function planSubnets(vpcName: string, vpcCidr: string, zones: readonly string[], specs?: readonly SubnetSpec[], zoneCidrMask?: number): PlannedSubnet[] {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) throw new Error(`awsx:ec2:Vpc "${vpcName}": \`cidrBlock\` ${vpcCidr} is not an IPv4 CIDR block`);
  const zonePrefix = zoneCidrMask ?? vpc.prefix + Math.ceil(Math.log2(Math.max(zones.length, 1)));
  const given = specs !== undefined;
  const all = specs ?? DEFAULT_SPECS;
  const planned: PlannedSubnet[] = [];
  zones.forEach((zone, zoneIndex) => {
    const share = nthSubnet(vpc, zonePrefix, zoneIndex);
    let next = share.base;
    const carved = new Map<SubnetSpec, string>();
    for (const type of CARVING_ORDER) {
      for (const spec of all.filter((s) => s.type === type)) {
        const prefix = subnetPrefix(spec, share, given, all.length);
        const block: Cidr = { base: Math.ceil(next / 2 ** (32 - prefix)) * 2 ** (32 - prefix), prefix };
        next = block.base + 2 ** (32 - prefix);
        if (spec.cidrBlocks?.[zoneIndex] === undefined && next > share.base + 2 ** (32 - share.prefix)) {
          throw new Error(`awsx:ec2:Vpc "${vpcName}": the subnets of ${zone} do not fit in its share ${formatCidr(share)} of \`cidrBlock\` ${vpcCidr}; make the VPC CIDR larger or the subnets smaller`);
        }
        carved.set(spec, spec.cidrBlocks?.[zoneIndex] ?? formatCidr(block));
      }
    }
    for (const type of CREATION_ORDER) {
      for (const spec of all.filter((s) => s.type === type)) {
        planned.push({
          name: `${vpcName}-${spec.name ?? type.toLowerCase()}-${zoneIndex + 1}`, type, zone, zoneIndex, cidrBlock: carved.get(spec)!,
          ...(spec.name ? { specName: spec.name } : {}),
          ...(spec.tags ? { tags: spec.tags } : {}),
        });
      }
    }
  });
  return planned;
}

// Without specs: the zone's first half is private and the next quarter public. With specs, awsx's per-type
// defaults (/19 private, /20 public, /24 isolated) unless the zone's share is too small for them.
function subnetPrefix(spec: SubnetSpec, share: Cidr, given: boolean, specCount: number): number {
  if (spec.cidrMask !== undefined) return spec.cidrMask;
  if (spec.size !== undefined) return 32 - Math.ceil(Math.log2(spec.size));
  if (!given) return share.prefix + (spec.type === "Private" ? 1 : 2);
  const smallest = share.prefix + (specCount === 1 ? 0 : 1);
  return Math.max(smallest, { Private: 19, Public: 20, Isolated: 24 }[spec.type as SubnetType]);
}

/** What awsx refuses about NAT gateways before creating anything. Exported for testing. */
export function natProblem(strategy: NatStrategy, subnets: readonly PlannedSubnet[], allocationIds: readonly string[], zoneCount: number): string | undefined {
  if (!["None", "Single", "OnePerAz"].includes(strategy)) return `unknown \`natGateways.strategy\` '${strategy}'; use None, Single or OnePerAz`;
  if (strategy === "None") return allocationIds.length > 0 ? "`natGateways.elasticIpAllocationIds` cannot be given with strategy None" : undefined;
  if (!subnets.some((s) => s.type === "Public") || !subnets.some((s) => s.type === "Private")) {
    return `\`natGateways.strategy\` ${strategy} needs both private and public subnets (the public one hosts the NAT gateway); add them to \`subnetSpecs\` or use strategy None`;
  }
  if (strategy === "Single" && allocationIds.length > 1) return "strategy Single takes at most one of `natGateways.elasticIpAllocationIds`";
  if (strategy === "OnePerAz" && allocationIds.length > 0 && allocationIds.length !== zoneCount) {
    return `strategy OnePerAz needs one of \`natGateways.elasticIpAllocationIds\` per availability zone (${zoneCount}), got ${allocationIds.length}`;
  }
  return undefined;
}

function needsNatGateway(strategy: NatStrategy, existing: number, zoneIndex: number): boolean {
  if (strategy === "Single") return existing === 0;
  return strategy === "OnePerAz" && existing <= zoneIndex;
}

// The first zone's layout in carving order, as awsx reports it (every zone has the same pattern).
function subnetLayout(subnets: readonly PlannedSubnet[]): Inputs[] {
  const firstZone = subnets.filter((s) => s.zoneIndex === 0);
  return CARVING_ORDER.flatMap((type) => firstZone.filter((s) => s.type === type)).map((s) => ({ type: s.type, ...(s.specName ? { name: s.specName } : {}), cidrMask: parseCidr(s.cidrBlock)?.prefix }));
}

const COMPONENT_ONLY_INPUTS = new Set(["subnetIds", "subnets", "listener", "listeners", "defaultTargetGroup", "defaultTargetGroupPort", "defaultSecurityGroup"]);

function applicationLoadBalancerOutputs(name: string, inputs: Inputs, context: AwsxContext): Inputs {
  const fail = (problem: string) => new Error(`awsx:lb:ApplicationLoadBalancer "${name}": ${problem}`);
  const mappings = inputs.subnetMappings as Array<{ subnetId: string }> | undefined;
  const subnetObjects = inputs.subnets as Array<{ id: string; vpcId?: string }> | undefined;
  const given = [inputs.subnetIds, subnetObjects, mappings].filter((v) => v !== undefined).length;
  if (given !== 1) throw fail("give exactly one of `subnetIds`, `subnets` or `subnetMappings`");
  if (inputs.listener !== undefined && inputs.listeners !== undefined) throw fail("give only one of `listener` and `listeners`");
  const subnetIds = (inputs.subnetIds as string[] | undefined) ?? subnetObjects?.map((s) => s.id) ?? mappings!.map((m) => m.subnetId);
  const vpcId = subnetObjects?.[0]?.vpcId ?? context.subnetVpcId(subnetIds[0]);

  const { defaultSecurityGroup, securityGroups } = loadBalancerSecurityGroups(name, inputs, vpcId, context, fail);
  const { listener, listeners, defaultTargetGroup, defaultTargetGroupPort } = inputs;
  // What awsx passes through to the load balancer itself: every input but its own.
  const lbArgs = Object.fromEntries(Object.entries(inputs).filter(([key]) => !COMPONENT_ONLY_INPUTS.has(key)));
  const loadBalancer = context.resource("aws:lb/loadBalancer:LoadBalancer", name, {
    ...lbArgs, loadBalancerType: "application", internal: inputs.internal ?? false, ...(mappings ? {} : { subnets: subnetIds }), securityGroups,
  });
  // One listener and no ports given: HTTP on 80; one listener's port and protocol are the target group's too.
  const listenerArgs = (listeners as Inputs[] | undefined) ?? [(listener as Inputs | undefined) ?? {}];
  const only = listenerArgs.length === 1 ? withProtocol(listenerArgs[0]) : { port: 80, protocol: "HTTP" };
  const targetGroup = context.resource("aws:lb/targetGroup:TargetGroup", name, {
    vpcId, targetType: "ip", port: defaultTargetGroupPort ?? only.port, protocol: only.protocol, ...(defaultTargetGroup as Inputs | undefined),
  });
  const defaultActions = [{ type: "forward", targetGroupArn: targetGroup.arn }];
  const planned = listenerArgs.map((args, i) =>
    context.resource("aws:lb/listener:Listener", `${name}-${i}`, { defaultActions, ...withProtocol(args), ...args, loadBalancerArn: loadBalancer.arn }));
  return { loadBalancer, defaultTargetGroup: targetGroup, listeners: planned, vpcId, ...(defaultSecurityGroup ? { defaultSecurityGroup } : {}) };
}

function loadBalancerSecurityGroups(name: string, inputs: Inputs, vpcId: string, context: AwsxContext, fail: (problem: string) => Error) {
  const own = inputs.securityGroups as string[] | undefined;
  const option = (inputs.defaultSecurityGroup ?? {}) as { skip?: boolean; securityGroupId?: string; args?: Inputs };
  if (own !== undefined || option.skip) return { securityGroups: own };
  if (option.args && option.securityGroupId) throw fail("give only one of `defaultSecurityGroup.args` and `defaultSecurityGroup.securityGroupId`");
  if (option.securityGroupId) return { securityGroups: [option.securityGroupId] };
  // awsx's default group is open both ways (any protocol in from anywhere, TCP out to anywhere), unlike Flipstack's
  // LoadBalancer: the plan shows it as awsx creates it.
  const defaultSecurityGroup = context.resource("aws:ec2/securityGroup:SecurityGroup", name, option.args ?? {
    vpcId,
    ingress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
    egress: [{ fromPort: 0, toPort: 65535, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
  });
  return { defaultSecurityGroup, securityGroups: [String(defaultSecurityGroup.id)] };
}

// A listener's port from its protocol or the other way round, HTTP on 80 when neither is given.
function withProtocol(listener: Inputs): { port: number; protocol: string } {
  const port = listener.port as number | undefined;
  const protocol = listener.protocol as string | undefined;
  return {
    port: port ?? (protocol === "HTTPS" ? 443 : 80),
    protocol: protocol ?? (port === 443 ? "HTTPS" : "HTTP"),
  };
}
