import * as awsx from "@pulumi/awsx";
import fc from "fast-check";
import { planSubnets } from "../../cli/plan/awsxMocks";
import { overlaps, parseCidr, contains } from "../../components/cidr";
import { planOf } from "../harness";

type State = Record<string, unknown> & { id: string };
interface VpcOutputs {
  vpcId: string; vpc: State; internetGateway: State;
  publicSubnetIds: string[]; privateSubnetIds: string[]; isolatedSubnetIds: string[];
  subnets: State[]; routeTables: State[]; routeTableAssociations: State[]; routes: State[]; natGateways: State[]; eips: State[];
}
interface LoadBalancerOutputs {
  vpcId: string; loadBalancer: State; defaultTargetGroup: State; listeners: State[]; defaultSecurityGroup?: State;
  subnetVpcId?: string;
}

/** Plans one awsx VPC (the real awsx component, answered by the plan's mocks) and returns its outputs. */
async function vpcOf(args: awsx.ec2.VpcArgs, region = "eu-west-1"): Promise<VpcOutputs> {
  const plan = await planOf(() => {
    const vpc = new awsx.ec2.Vpc("shop", args);
    return {
      vpcId: vpc.vpcId, vpc: vpc.vpc, internetGateway: vpc.internetGateway,
      publicSubnetIds: vpc.publicSubnetIds, privateSubnetIds: vpc.privateSubnetIds, isolatedSubnetIds: vpc.isolatedSubnetIds,
      subnets: vpc.subnets, routeTables: vpc.routeTables, routeTableAssociations: vpc.routeTableAssociations, routes: vpc.routes,
      natGateways: vpc.natGateways, eips: vpc.eips,
    };
  }, { region });
  return plan.outputs as unknown as VpcOutputs;
}

const subnetNamed = (vpc: VpcOutputs, id: string) => vpc.subnets.find((s) => s.id === id)!;

describe("awsx:ec2:Vpc under the offline plan", () => {
  describe.each([1, 2, 3])("with %i availability zones", (zones) => {
    let vpc: VpcOutputs;
    beforeAll(async () => {
      vpc = await vpcOf({ numberOfAvailabilityZones: zones });
    });

    it("has a private and a public subnet per zone, each in its own zone, with a route table each", () => {
      expect(vpc.privateSubnetIds).toHaveLength(zones);
      expect(vpc.publicSubnetIds).toHaveLength(zones);
      expect(vpc.isolatedSubnetIds).toEqual([]);
      expect(vpc.subnets).toHaveLength(2 * zones);
      expect(new Set(vpc.subnets.map((s) => s.id)).size).toBe(2 * zones);
      expect(vpc.publicSubnetIds.map((id) => subnetNamed(vpc, id).availabilityZone)).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"].slice(0, zones));
      expect(vpc.routeTables).toHaveLength(2 * zones);
      expect(vpc.routeTableAssociations.map((a) => a.subnetId).sort()).toEqual(vpc.subnets.map((s) => s.id).sort());
    });

    it("has a NAT gateway (and an Elastic IP) per zone by default, as awsx does", () => {
      expect(vpc.natGateways).toHaveLength(zones);
      expect(vpc.eips).toHaveLength(zones);
      expect(vpc.natGateways.map((n) => n.subnetId)).toEqual(vpc.publicSubnetIds);
      expect(vpc.natGateways.map((n) => n.allocationId)).toEqual(vpc.eips.map((e) => e.allocationId));
    });

    it("uses one VPC id everywhere it appears", () => {
      expect(vpc.vpcId).toMatch(/^vpc-0[0-9a-f]{16}$/);
      expect(vpc.vpc.id).toBe(vpc.vpcId);
      expect(vpc.internetGateway.vpcId).toBe(vpc.vpcId);
      for (const resource of [...vpc.subnets, ...vpc.routeTables]) expect(resource.vpcId).toBe(vpc.vpcId);
    });
  });

  it("carves awsx's default layout: a /19 private and a /20 public subnet per zone of 10.0.0.0/16", async () => {
    const vpc = await vpcOf({});
    expect(vpc.vpc.cidrBlock).toBe("10.0.0.0/16");
    expect(vpc.privateSubnetIds.map((id) => subnetNamed(vpc, id).cidrBlock)).toEqual(["10.0.0.0/19", "10.0.64.0/19", "10.0.128.0/19"]);
    expect(vpc.publicSubnetIds.map((id) => subnetNamed(vpc, id).cidrBlock)).toEqual(["10.0.32.0/20", "10.0.96.0/20", "10.0.160.0/20"]);
    expect(vpc.subnets.map((s) => (s.tags as Record<string, string>).Name)).toEqual([
      "shop-public-1", "shop-private-1", "shop-public-2", "shop-private-2", "shop-public-3", "shop-private-3",
    ]);
  });

  describe.each([
    ["None", 0],
    ["Single", 1],
    ["OnePerAz", 3],
  ] as const)("with natGateways.strategy %s", (strategy, gateways) => {
    let vpc: VpcOutputs;
    beforeAll(async () => {
      vpc = await vpcOf({ natGateways: { strategy } });
    });

    it(`creates ${gateways} NAT gateway(s), each in a public subnet with its own Elastic IP`, () => {
      expect(vpc.natGateways).toHaveLength(gateways);
      expect(vpc.eips).toHaveLength(gateways);
      for (const nat of vpc.natGateways) expect(vpc.publicSubnetIds).toContain(nat.subnetId);
    });

    it("routes public subnets to the internet gateway and private ones to a NAT gateway in their zone (or the single one)", () => {
      const routeOf = (subnetId: string) => {
        const table = vpc.routeTableAssociations.find((a) => a.subnetId === subnetId)!.routeTableId;
        return vpc.routes.filter((r) => r.routeTableId === table);
      };
      for (const id of vpc.publicSubnetIds) expect(routeOf(id)).toEqual([expect.objectContaining({ gatewayId: vpc.internetGateway.id, destinationCidrBlock: "0.0.0.0/0" })]);
      for (const id of vpc.privateSubnetIds) {
        const routes = routeOf(id);
        if (strategy === "None") {
          expect(routes).toEqual([]);
          continue;
        }
        const nat = vpc.natGateways.find((n) => n.id === routes[0].natGatewayId)!;
        expect(routes).toHaveLength(1);
        if (strategy === "Single") expect(nat).toBe(vpc.natGateways[0]);
        else expect(subnetNamed(vpc, String(nat.subnetId)).availabilityZone).toBe(subnetNamed(vpc, id).availabilityZone);
      }
    });
  });

  it("plans isolated and named subnets from subnetSpecs, and creates none for Unused ones", async () => {
    const vpc = await vpcOf({
      numberOfAvailabilityZones: 2,
      natGateways: { strategy: "Single" },
      subnetSpecs: [{ type: "Private", name: "app" }, { type: "Unused", cidrMask: 20 }, { type: "Public" }, { type: "Isolated", name: "db" }],
    });
    expect(vpc.isolatedSubnetIds).toHaveLength(2);
    expect(vpc.subnets).toHaveLength(6);
    expect(vpc.subnets.map((s) => (s.tags as Record<string, string>).Name)).toEqual(["shop-public-1", "shop-app-1", "shop-db-1", "shop-public-2", "shop-app-2", "shop-db-2"]);
    // Isolated subnets have no route out.
    const isolatedTables = vpc.routeTableAssociations.filter((a) => vpc.isolatedSubnetIds.includes(String(a.subnetId))).map((a) => a.routeTableId);
    expect(vpc.routes.filter((r) => isolatedTables.includes(r.routeTableId))).toEqual([]);
  });

  it("uses the Elastic IPs it is given instead of creating its own", async () => {
    const vpc = await vpcOf({ numberOfAvailabilityZones: 2, natGateways: { strategy: "OnePerAz", elasticIpAllocationIds: ["eipalloc-0aaaaaaaaaaaaaaa1", "eipalloc-0aaaaaaaaaaaaaaa2"] } });
    expect(vpc.eips).toEqual([]);
    expect(vpc.natGateways.map((n) => n.allocationId)).toEqual(["eipalloc-0aaaaaaaaaaaaaaa1", "eipalloc-0aaaaaaaaaaaaaaa2"]);
  });

  it("is deterministic: the same program gets the same ids", async () => {
    expect(await vpcOf({ numberOfAvailabilityZones: 2 })).toEqual(await vpcOf({ numberOfAvailabilityZones: 2 }));
  });

  it.each([
    [{ subnetSpecs: [{ type: "Public" as const }] }, "`natGateways.strategy` OnePerAz needs both private and public subnets"],
    [{ natGateways: { strategy: "Single" as const, elasticIpAllocationIds: ["eipalloc-1", "eipalloc-2"] } }, "strategy Single takes at most one"],
    [{ numberOfAvailabilityZones: 2, availabilityZoneNames: ["eu-west-1a", "eu-west-1b"] }, "only one of `availabilityZoneNames` and `numberOfAvailabilityZones`"],
  ])("refuses what awsx refuses: %j", async (args, message) => {
    await expect(vpcOf(args)).rejects.toThrow(`awsx:ec2:Vpc "shop": ${message}`);
  });

  it("refuses awsx's default of three zones in a region that has two", async () => {
    await expect(vpcOf({}, "us-west-1")).rejects.toThrow("the region has 2 availability zones, fewer than the 3 asked for");
  });
});

describe("planSubnets (the subnet blocks)", () => {
  it("never overlaps and stays inside the VPC, for any VPC size and zone count", () => {
    // awsx's default layout in a /16 always fits; the property below covers sizes where it may not.
    expect(planSubnets("shop", "10.0.0.0/16", ["eu-west-1a", "eu-west-1b", "eu-west-1c"], [{ type: "Private" }, { type: "Public" }, { type: "Isolated" }])).toHaveLength(9);
    fc.assert(fc.property(fc.integer({ min: 16, max: 24 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), (prefix, zoneCount, isolated) => {
      const zones = ["a", "b", "c", "d"].slice(0, zoneCount).map((s) => `eu-west-1${s}`);
      const specs = isolated ? [{ type: "Private" as const }, { type: "Public" as const }, { type: "Isolated" as const }] : undefined;
      const vpc = parseCidr(`10.0.0.0/${prefix}`)!;
      let planned: ReturnType<typeof planSubnets>;
      try {
        planned = planSubnets("shop", `10.0.0.0/${prefix}`, zones, specs);
      } catch (err) {
        // Too small a VPC is refused with the fix, never carved into blocks outside it.
        expect(String(err)).toMatch(/do not fit in its share .*; make the VPC CIDR larger or the subnets smaller/);
        return;
      }
      const blocks = planned.map((s) => parseCidr(s.cidrBlock)!);
      expect(blocks).toHaveLength(zoneCount * (isolated ? 3 : 2));
      for (const [i, block] of blocks.entries()) {
        expect(contains(vpc, block)).toBe(true);
        for (const other of blocks.slice(i + 1)) expect(overlaps(block, other)).toBe(false);
      }
    }));
  });
});

/** Plans an awsx VPC and an awsx load balancer in its public subnets (or in `subnetIds` when given). */
async function loadBalancerOf(args: Partial<awsx.lb.ApplicationLoadBalancerArgs> = {}, options: Parameters<typeof planOf>[1] = {}) {
  const plan = await planOf(() => {
    const vpc = new awsx.ec2.Vpc("shop", { numberOfAvailabilityZones: 2, natGateways: { strategy: "None" } });
    const alb = new awsx.lb.ApplicationLoadBalancer("web", { subnetIds: vpc.publicSubnetIds, ...args });
    return {
      vpc: { vpcId: vpc.vpcId, publicSubnetIds: vpc.publicSubnetIds },
      alb: { vpcId: alb.vpcId, loadBalancer: alb.loadBalancer, defaultTargetGroup: alb.defaultTargetGroup, listeners: alb.listeners, defaultSecurityGroup: alb.defaultSecurityGroup },
    };
  }, options);
  return plan.outputs as unknown as { vpc: { vpcId: string; publicSubnetIds: string[] }; alb: LoadBalancerOutputs };
}

describe("awsx:lb:ApplicationLoadBalancer under the offline plan", () => {
  it("answers the load balancer's ARN, DNS name and hosted zone, in the subnets it was given", async () => {
    const { vpc, alb } = await loadBalancerOf();
    expect(alb.loadBalancer.arn).toMatch(/^arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer\/app\/web-[0-9a-f]{7}\/[0-9a-f]{16}$/);
    expect(alb.loadBalancer.dnsName).toMatch(/^web-[0-9a-f]{7}-\d+\.eu-west-1\.elb\.amazonaws\.com$/);
    expect(alb.loadBalancer.zoneId).toBe("Z32O12XQLNTSW2");
    expect(alb.loadBalancer.loadBalancerType).toBe("application");
    expect(alb.loadBalancer.subnets).toEqual(vpc.publicSubnetIds);
  });

  it("finds its VPC from its subnets: the target group and default security group are in the awsx VPC", async () => {
    const { vpc, alb } = await loadBalancerOf();
    expect(vpc.vpcId).toMatch(/^vpc-0/);
    expect(alb.vpcId).toBe(vpc.vpcId);
    expect(alb.defaultTargetGroup).toMatchObject({ vpcId: vpc.vpcId, targetType: "ip", port: 80, protocol: "HTTP" });
    expect(alb.defaultSecurityGroup!.vpcId).toBe(vpc.vpcId);
    expect(alb.loadBalancer.securityGroups).toEqual([alb.defaultSecurityGroup!.id]);
  });

  it("has one HTTP listener on port 80 forwarding to the default target group when none is given", async () => {
    const { alb } = await loadBalancerOf();
    expect(alb.listeners).toHaveLength(1);
    expect(alb.listeners[0]).toMatchObject({
      port: 80, protocol: "HTTP", loadBalancerArn: alb.loadBalancer.arn,
      defaultActions: [{ type: "forward", targetGroupArn: alb.defaultTargetGroup.arn }],
    });
    expect(alb.listeners[0].arn).toMatch(/^arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener\/app\//);
  });

  it("plans the listeners it is given, deriving a protocol from a port", async () => {
    const certificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/7a1d2c3b";
    const { alb } = await loadBalancerOf({ listeners: [{ port: 443, certificateArn }, { port: 8080 }] });
    expect(alb.listeners.map((l) => [l.port, l.protocol])).toEqual([[443, "HTTPS"], [8080, "HTTP"]]);
    expect(new Set(alb.listeners.map((l) => l.arn)).size).toBe(2);
  });

  it("uses the security groups it is given and creates none", async () => {
    const { alb } = await loadBalancerOf({ securityGroups: ["sg-0bbbbbbbbbbbbbbb1"] });
    expect(alb.defaultSecurityGroup).toBeUndefined();
    expect(alb.loadBalancer.securityGroups).toEqual(["sg-0bbbbbbbbbbbbbbb1"]);
  });

  it("finds the VPC of a subnet it did not plan through the program's own getSubnet answer", async () => {
    const lookups = { "aws.ec2.getSubnet": { vpcId: "vpc-0ccccccccccccccc1" } };
    const { alb } = await loadBalancerOf({ subnetIds: ["subnet-0ddddddddddddddd1", "subnet-0ddddddddddddddd2"] }, { lookups });
    expect(alb.vpcId).toBe("vpc-0ccccccccccccccc1");
    expect(alb.defaultTargetGroup.vpcId).toBe("vpc-0ccccccccccccccc1");
  });

  it("refuses both subnetIds and subnetMappings, as awsx does", async () => {
    await expect(loadBalancerOf({ subnetMappings: [{ subnetId: "subnet-0ddddddddddddddd1" }] })).rejects.toThrow(
      'awsx:lb:ApplicationLoadBalancer "web": give exactly one of `subnetIds`, `subnets` or `subnetMappings`',
    );
  });
});
