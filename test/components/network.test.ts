import { Network, type NetworkArgs } from "../../components/network";
import { ofType, one, planOf } from "../harness";

const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const base: NetworkArgs = { cidr: "10.10.0.0/16", availabilityZones: ZONES };

const plan = (args: Partial<NetworkArgs> = {}) => planOf(() => new Network("net", { ...base, ...args }));

describe("Network", () => {
  it("creates a VPC with DNS support and a public and a private subnet in each zone", async () => {
    const p = await plan();
    expect(one(p, "aws:ec2/vpc:Vpc", "net-vpc").inputs).toMatchObject({ cidrBlock: "10.10.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
    const subnets = ofType(p, "aws:ec2/subnet:Subnet");
    expect(subnets.map((s) => s.name).sort()).toEqual(ZONES.flatMap((z) => [`net-private-${z}`, `net-public-${z}`]).sort());
    expect(new Set(subnets.map((s) => s.inputs.availabilityZone))).toEqual(new Set(ZONES));
    expect(one(p, "aws:ec2/subnet:Subnet", "net-private-eu-west-1a").inputs.cidrBlock).toBe("10.10.0.0/19");
    expect(one(p, "aws:ec2/subnet:Subnet", "net-public-eu-west-1a").inputs.cidrBlock).toBe("10.10.192.0/22");
    expect(subnets.every((s) => s.inputs.mapPublicIpOnLaunch === false)).toBe(true);
  });

  it.each([
    ["none", 0, 0],
    ["single", 1, 3],
    ["perAz", 3, 3],
  ] as const)("with nat %s creates %i NAT gateways and %i private default routes", async (nat, gateways, routes) => {
    const p = await plan({ nat });
    expect(ofType(p, "aws:ec2/natGateway:NatGateway")).toHaveLength(gateways);
    expect(ofType(p, "aws:ec2/eip:Eip")).toHaveLength(gateways);
    const privateDefaults = ofType(p, "aws:ec2/route:Route").filter((r) => r.inputs.natGatewayId !== undefined);
    expect(privateDefaults).toHaveLength(routes);
  });

  it("routes each zone to its own NAT gateway with perAz", async () => {
    const p = await plan({ nat: "perAz" });
    const nat = (zone: string) => one(p, "aws:ec2/natGateway:NatGateway", `net-nat-${zone}`);
    const subnetOf = (zone: string) => one(p, "aws:ec2/subnet:Subnet", `net-public-${zone}`);
    for (const zone of ZONES) {
      expect(nat(zone).options.dependsOn).toEqual([one(p, "aws:ec2/internetGateway:InternetGateway", "net-igw").urn]);
      expect(subnetOf(zone).urn).toContain(zone);
      expect(one(p, "aws:ec2/route:Route", `net-private-${zone}-default`).inputs.natGatewayId).toMatch(/^nat-/);
    }
    const natIds = new Set(ZONES.map((z) => one(p, "aws:ec2/route:Route", `net-private-${z}-default`).inputs.natGatewayId));
    expect(natIds.size).toBe(3);
  });

  it("strips every rule from the default security group", async () => {
    const sg = one(await plan(), "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "net-default-sg");
    expect(sg.inputs.ingress).toBeUndefined();
    expect(sg.inputs.egress).toBeUndefined();
    expect(sg.inputs.vpcId).toMatch(/^vpc-/);
  });

  it("sends all traffic to flow logs in a retained log group with the given retention", async () => {
    const p = await plan({ flowLogRetentionDays: 90 });
    const group = one(p, "aws:cloudwatch/logGroup:LogGroup", "net-flow-logs");
    expect(group.inputs.retentionInDays).toBe(90);
    expect(group.options.retainOnDelete).toBe(true);
    expect(one(p, "aws:ec2/flowLog:FlowLog", "net-flow-log").inputs).toMatchObject({ trafficType: "ALL", logDestinationType: "cloud-watch-logs" });
    const trust = JSON.parse(String(one(p, "aws:iam/role:Role", "net-flow-logs").inputs.assumeRolePolicy));
    expect(trust.Statement[0].Principal.Service).toBe("vpc-flow-logs.amazonaws.com");
  });

  it("adds an S3 gateway endpoint for the region on every private route table", async () => {
    const endpoint = one(await plan(), "aws:ec2/vpcEndpoint:VpcEndpoint", "net-s3");
    expect(endpoint.inputs).toMatchObject({ serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway" });
    expect(endpoint.inputs.routeTableIds).toHaveLength(3);
  });

  it("protects the VPC and its flow logs only when asked", async () => {
    expect(one(await plan(), "aws:ec2/vpc:Vpc", "net-vpc").options.protect).toBe(false);
    const p = await plan({ protect: true });
    expect(one(p, "aws:ec2/vpc:Vpc", "net-vpc").options.protect).toBe(true);
    expect(one(p, "aws:cloudwatch/logGroup:LogGroup", "net-flow-logs").options.protect).toBe(true);
  });

  it("exports ids per tier and the zones", async () => {
    const p = await planOf(() => {
      const net = new Network("net", base);
      return { vpcId: net.vpcId, publicSubnetIds: net.publicSubnetIds, privateSubnetIds: net.privateSubnetIds, privateRouteTableIds: net.privateRouteTableIds, availabilityZones: net.availabilityZones };
    });
    expect(p.outputs.vpcId).toMatch(/^vpc-0[0-9a-f]{16}$/);
    expect(p.outputs.publicSubnetIds).toHaveLength(3);
    expect(p.outputs.privateSubnetIds).toHaveLength(3);
    expect(p.outputs.privateRouteTableIds).toHaveLength(3);
    expect(p.outputs.availabilityZones).toEqual(ZONES);
  });

  it("two networks in one stack do not collide", async () => {
    const p = await planOf(() => {
      new Network("blue", base);
      new Network("green", { ...base, cidr: "10.11.0.0/16" });
    });
    const urns = p.resources.map((r) => r.urn);
    expect(new Set(urns).size).toBe(urns.length);
    expect(ofType(p, "aws:ec2/vpc:Vpc")).toHaveLength(2);
  });

  it.each([
    [{ cidr: "10.0.0.0/33" }, "is not a valid IPv4 CIDR"],
    [{ availabilityZones: ["eu-west-1a"] }, "use 2 to 6"],
    [{ availabilityZones: ["eu-west-1a", "eu-west-1a"] }, "names a zone twice"],
    [{ cidr: "10.0.0.0/24", privateSubnetPrefix: 25 }, "make the VPC CIDR larger or the subnets smaller"],
  ])("rejects %j before creating anything", async (args, message) => {
    await expect(plan(args)).rejects.toThrow(message);
  });
});
