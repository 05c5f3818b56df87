import { SiteToSiteVpn, type SiteToSiteVpnArgs } from "../../components/siteToSiteVpn";
import { SECRET_MASK } from "../../cli/plan/model";
import { ofType, one, planOf } from "../harness";

const base: SiteToSiteVpnArgs = {
  vpcId: "vpc-0123456789abcdef0",
  routeTableIds: { "eu-west-1a": "rtb-0aaaaaaaaaaaaaaaa", "eu-west-1b": "rtb-0bbbbbbbbbbbbbbbb" },
  customerGatewayIp: "198.51.100.10",
  bgpAsn: 65010,
  staticRoutes: ["192.168.0.0/20", "172.20.0.0/16"],
};

const plan = (args: Partial<SiteToSiteVpnArgs> = {}) =>
  planOf(() => {
    const vpn = new SiteToSiteVpn("vpn", { ...base, ...args });
    return { keys: vpn.tunnelPresharedKeys, addresses: vpn.tunnelAddresses };
  });

describe("SiteToSiteVpn", () => {
  it("attaches a virtual private gateway to the VPC with the Amazon side ASN", async () => {
    const vgw = one(await plan(), "aws:ec2/vpnGateway:VpnGateway", "vpn-vgw");
    expect(vgw.inputs).toMatchObject({ vpcId: base.vpcId, amazonSideAsn: "64512" });
  });

  it("creates the customer gateway from the device's IP and ASN", async () => {
    const cgw = one(await plan(), "aws:ec2/customerGateway:CustomerGateway", "vpn-cgw");
    expect(cgw.inputs).toMatchObject({ type: "ipsec.1", ipAddress: "198.51.100.10", bgpAsn: "65010" });
  });

  it("puts 4-byte ASNs above 2147483647 in bgpAsnExtended", async () => {
    const cgw = one(await plan({ bgpAsn: 4200000001 }), "aws:ec2/customerGateway:CustomerGateway", "vpn-cgw");
    expect(cgw.inputs.bgpAsnExtended).toBe("4200000001");
    expect(cgw.inputs.bgpAsn).toBeUndefined();
  });

  it("routes the listed on-premises CIDRs statically", async () => {
    const p = await plan();
    expect(one(p, "aws:ec2/vpnConnection:VpnConnection", "vpn-connection").inputs.staticRoutesOnly).toBe(true);
    const routes = ofType(p, "aws:ec2/vpnConnectionRoute:VpnConnectionRoute").map((r) => r.inputs.destinationCidrBlock);
    expect(routes.sort()).toEqual(["172.20.0.0/16", "192.168.0.0/20"]);
  });

  it("uses BGP when no static routes are given", async () => {
    const p = await plan({ staticRoutes: [] });
    expect(one(p, "aws:ec2/vpnConnection:VpnConnection", "vpn-connection").inputs.staticRoutesOnly).toBe(false);
    expect(ofType(p, "aws:ec2/vpnConnectionRoute:VpnConnectionRoute")).toHaveLength(0);
  });

  it("allows only IKEv2 with strong proposals and logs both tunnels to CloudWatch", async () => {
    const p = await plan();
    const inputs = one(p, "aws:ec2/vpnConnection:VpnConnection", "vpn-connection").inputs;
    // The log group is auto-named by the provider, so its ARN carries the logical name plus a suffix.
    const logGroupArn = expect.stringMatching(/^arn:aws:logs:eu-west-1:123456789012:log-group:vpn-tunnel-logs-[0-9a-f]{7}$/);
    for (const tunnel of ["tunnel1", "tunnel2"]) {
      expect(inputs[`${tunnel}IkeVersions`]).toEqual(["ikev2"]);
      expect(inputs[`${tunnel}Phase1EncryptionAlgorithms`]).toEqual(["AES256"]);
      expect(inputs[`${tunnel}Phase2IntegrityAlgorithms`]).toEqual(["SHA2-256"]);
      expect(inputs[`${tunnel}LogOptions`]).toEqual({ cloudwatchLogOptions: { logEnabled: true, logGroupArn, logOutputFormat: "json" } });
    }
  });

  it("propagates routes into every route table, named by its key", async () => {
    const propagations = ofType(await plan(), "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation");
    expect(propagations.map((r) => [r.name, r.inputs.routeTableId]).sort()).toEqual([
      ["vpn-propagation-eu-west-1a", "rtb-0aaaaaaaaaaaaaaaa"],
      ["vpn-propagation-eu-west-1b", "rtb-0bbbbbbbbbbbbbbbb"],
    ]);
  });

  it("raises one TunnelState alarm per tunnel, keyed by the tunnel's address", async () => {
    const p = await plan({ alarmActions: ["arn:aws:sns:eu-west-1:123456789012:network-oncall"] });
    const alarms = ofType(p, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms).toHaveLength(2);
    const addresses = p.outputs.addresses as string[];
    for (const [i, alarm] of alarms.entries()) {
      expect(alarm.inputs).toMatchObject({ namespace: "AWS/VPN", metricName: "TunnelState", comparisonOperator: "LessThanThreshold", threshold: 1 });
      expect(alarm.inputs.alarmActions).toEqual(["arn:aws:sns:eu-west-1:123456789012:network-oncall"]);
      expect(addresses).toContain((alarm.inputs.dimensions as Record<string, string>).TunnelIpAddress);
      expect(alarm.name).toBe(`vpn-tunnel${i + 1}-down`);
    }
  });

  it("exports the tunnel pre-shared keys only as secrets", async () => {
    const p = await plan();
    expect(p.outputs.keys).toBe(SECRET_MASK);
    expect(JSON.stringify(p)).not.toContain("offline_");
  });

  it.each([
    [false, false],
    [true, true],
  ])("with protect %s marks the customer gateway and connection protected: %s", async (protect, expected) => {
    const p = await plan({ protect });
    expect(one(p, "aws:ec2/customerGateway:CustomerGateway", "vpn-cgw").options.protect).toBe(expected);
    expect(one(p, "aws:ec2/vpnConnection:VpnConnection", "vpn-connection").options.protect).toBe(expected);
    expect(one(p, "aws:ec2/vpnGateway:VpnGateway", "vpn-vgw").options.protect).toBe(false);
  });

  it.each([
    [{ customerGatewayIp: "10.1.2.3" }, "is not a public address"],
    [{ customerGatewayIp: "198.51.100" }, "is not a valid IPv4 address"],
    [{ bgpAsn: 0 }, "is not a valid ASN"],
    [{ bgpAsn: 64512 }, "equals the `amazonSideAsn`"],
    [{ staticRoutes: ["192.168.0.0/33"] }, "is not a valid IPv4 CIDR"],
    [{ routeTableIds: {} }, "`routeTableIds` map is empty"],
  ])("rejects %j before creating anything", async (args, message) => {
    await expect(plan(args)).rejects.toThrow(message);
  });
});
