import { validateBlueGreenServiceArgs, type BlueGreenServiceArgs } from "../../components/blueGreenService";
import { validateContainerServiceArgs, type ContainerServiceArgs } from "../../components/containerService";
import { validateImmutableInstanceGroupArgs, type ImmutableInstanceGroupArgs } from "../../components/immutableInstanceGroup";
import { validateNetworkArgs } from "../../components/network";
import { validateSiteToSiteVpnArgs, type SiteToSiteVpnArgs } from "../../components/siteToSiteVpn";
import { instanceServiceSchema } from "../../stacks/configSchema";

// The checks the stack config makes hold for people who use the components directly too.
describe("component invariants without the stack config", () => {
  const zones = ["eu-west-1a", "eu-west-1b"];

  it.each([
    ["10.0.0.0/8", 'The `cidr` "10.0.0.0/8" has a /8 prefix; AWS accepts VPC CIDRs from /16 to /28.'],
    ["10.0.0.0/29", 'The `cidr` "10.0.0.0/29" has a /29 prefix; AWS accepts VPC CIDRs from /16 to /28.'],
  ])("refuses a VPC CIDR AWS refuses (%s)", (cidr, message) => {
    expect(validateNetworkArgs({ cidr, availabilityZones: zones })).toEqual([message]);
  });

  it("refuses a flow log retention CloudWatch Logs refuses, and accepts one it takes", () => {
    expect(validateNetworkArgs({ cidr: "10.0.0.0/16", availabilityZones: zones, flowLogRetentionDays: 10 })).toEqual([
      expect.stringMatching(/^The `flowLogRetentionDays` 10 is not a retention CloudWatch Logs accepts; use one of 1, 3, 5/),
    ]);
    expect(validateNetworkArgs({ cidr: "10.0.0.0/16", availabilityZones: zones, flowLogRetentionDays: 14 })).toEqual([]);
  });

  const vpn: SiteToSiteVpnArgs = { vpcId: "vpc-1", routeTableIds: { a: "rtb-1" }, customerGatewayIp: "198.51.100.20", bgpAsn: 65010 };
  it.each([
    [{ amazonSideAsn: 64511 }, "The `amazonSideAsn` 64511 is not a private ASN; AWS accepts 64512-65534 or 4200000000-4294967294."],
    [{ amazonSideAsn: 4199999999 }, "The `amazonSideAsn` 4199999999 is not a private ASN; AWS accepts 64512-65534 or 4200000000-4294967294."],
    [{ tunnelLogRetentionDays: 2 }, expect.stringMatching(/^The `tunnelLogRetentionDays` 2 is not a retention CloudWatch Logs accepts/)],
  ])("refuses a VPN AWS would refuse (%j)", (extra, message) => {
    expect(validateSiteToSiteVpnArgs({ ...vpn, ...extra })).toEqual([message]);
  });

  it("accepts the private ASN ranges for the Amazon side", () => {
    for (const amazonSideAsn of [64512, 65534, 4200000000, 4294967294]) expect(validateSiteToSiteVpnArgs({ ...vpn, amazonSideAsn })).toEqual([]);
  });

  const service: BlueGreenServiceArgs = {
    serviceName: "web", vpcId: "vpc-1", subnetIds: ["subnet-1"], productionListenerArn: "arn:l", testListenerArn: "arn:t", loadBalancerSecurityGroupId: "sg-1",
    port: 8080, routing: { priority: 100, pathPatterns: ["/*"] }, release: { live: "blue", blue: { version: "1.0.0", ami: "ami-0123456789abcdef0" } },
    compute: { kind: "instances" },
  };
  it("refuses a health check whose timeout is not shorter than its interval, defaults included", () => {
    expect(validateBlueGreenServiceArgs({ ...service, healthCheck: { timeoutSeconds: 5 } })).toEqual([
      "The `healthCheck.timeoutSeconds` 5 must be shorter than `healthCheck.intervalSeconds` (5).",
    ]);
    expect(validateBlueGreenServiceArgs({ ...service, healthCheck: { intervalSeconds: 10, timeoutSeconds: 5 } })).toEqual([]);
  });

  const containers: ContainerServiceArgs = {
    serviceName: "api", color: "blue", release: { version: "3f2c1ab", image: "r.example.com/api:3f2c1ab" }, vpcId: "vpc-1", subnetIds: ["subnet-1"],
    targetGroupArn: "arn:tg", loadBalancerSecurityGroupId: "sg-1", port: 8080, clusterArn: "arn:c",
  };
  it("refuses a container log retention CloudWatch Logs refuses, unless logs go to a given group", () => {
    expect(validateContainerServiceArgs({ ...containers, logRetentionDays: 31 })).toEqual([expect.stringMatching(/^The `logRetentionDays` 31 is not a retention/)]);
    expect(validateContainerServiceArgs({ ...containers, logRetentionDays: 31, logGroupName: "/central" })).toEqual([]);
  });
});

// One pattern per value, so the component and the stack config cannot disagree about it.
describe("instance types in the component and the stack config", () => {
  const group = (instanceType: string): ImmutableInstanceGroupArgs => ({
    serviceName: "web", color: "blue", release: { version: "1.0.0", ami: "ami-0123456789abcdef0" }, vpcId: "vpc-1", subnetIds: ["subnet-1"],
    targetGroupArn: "arn:tg", loadBalancerSecurityGroupId: "sg-1", port: 8080, instanceType,
  });
  const inSchema = (instanceType: string) => instanceServiceSchema.shape.instanceType.safeParse(instanceType).success;

  it.each([
    ["t3.small", true],
    ["m7i-flex.large", true],
    ["c7i.metal-24xl", true],
    ["x.a-b", true],
    ["t3", false],
    ["t3.", false],
    ["t3.small-", false],
    ["T3.small", false],
  ])("%s: accepted %s by both", (instanceType, accepted) => {
    expect(validateImmutableInstanceGroupArgs(group(instanceType)).length === 0).toBe(accepted);
    expect(inSchema(instanceType)).toBe(accepted);
  });
});
