import { list, record, resourceRule, stackRule, type StackResource } from "./define";

const WORLD = new Set(["0.0.0.0/0", "::/0"]);
const WEB_PORTS = new Set([80, 443]);

/** Ingress from the whole internet is for the load balancer's HTTP and HTTPS alone. */
function worldIngressProblem(protocol: unknown, from: unknown, to: unknown, cidr: unknown): string | undefined {
  if (!WORLD.has(String(cidr))) return undefined;
  const single = from === to && WEB_PORTS.has(Number(from)) && String(protocol) === "tcp";
  return single ? undefined : `ingress from ${String(cidr)} on ${String(protocol)} ${String(from)}-${String(to)}; only tcp 80 and 443 may be open to the world`;
}

const referencing = (resources: readonly StackResource[], type: string, property: string, value: unknown) =>
  resources.filter((r) => r.type === type && r.props[property] === value);

export const networkRules = [
  resourceRule("ec2-2-default-sg-no-rules", "EC2.2: The default security group allows no traffic", "mandatory", ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"], (props) =>
    list(props.ingress).length + list(props.egress).length > 0 ? "the default security group must have no rules" : undefined),
  resourceRule("ec2-15-no-auto-public-ip", "EC2.15: Subnets do not assign public IPs automatically", "mandatory", ["aws:ec2/subnet:Subnet"], (props) =>
    props.mapPublicIpOnLaunch === true ? "mapPublicIpOnLaunch must be false" : undefined),
  resourceRule("ec2-18-restricted-ingress", "EC2.18/EC2.19: Only HTTP and HTTPS are open to the world", "mandatory",
    ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:ec2/securityGroup:SecurityGroup", "aws:ec2/securityGroupRule:SecurityGroupRule"],
    (props) => {
      if (props.cidrIpv4 !== undefined || props.cidrIpv6 !== undefined) {
        return worldIngressProblem(props.ipProtocol, props.fromPort, props.toPort, props.cidrIpv4 ?? props.cidrIpv6);
      }
      if (props.type === "ingress") return list(props.cidrBlocks).map((c) => worldIngressProblem(props.protocol, props.fromPort, props.toPort, c));
      return list(props.ingress).map(record).flatMap((rule) => list(rule.cidrBlocks).map((c) => worldIngressProblem(rule.protocol, rule.fromPort, rule.toPort, c)));
    }),
  resourceRule("ec2-171-vpn-tunnel-logs", "EC2.171: VPN tunnels log to CloudWatch", "mandatory", ["aws:ec2/vpnConnection:VpnConnection"], (props) =>
    ["tunnel1", "tunnel2"].filter((t) => record(record(props[`${t}LogOptions`]).cloudwatchLogOptions).logEnabled !== true)
      .map((t) => `${t} logging must be enabled (${t}LogOptions.cloudwatchLogOptions.logEnabled)`)),
  stackRule("ec2-6-flow-logs", "EC2.6: Every VPC has flow logs", "mandatory", (resources) =>
    resources.filter((r) => r.type === "aws:ec2/vpc:Vpc")
      .filter((vpc) => vpc.props.id !== undefined && referencing(resources, "aws:ec2/flowLog:FlowLog", "vpcId", vpc.props.id).length === 0)
      .map((vpc) => [vpc.urn, `VPC ${vpc.name} has no flow log`])),
  stackRule("ec2-20-vpn-tunnel-alarms", "EC2.20: Both VPN tunnels are watched (a TunnelState alarm each)", "mandatory", (resources) => {
    const alarms = resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.props.metricName === "TunnelState");
    return resources.filter((r) => r.type === "aws:ec2/vpnConnection:VpnConnection" && alarms.length < 2)
      .map((vpn) => [vpn.urn, `VPN connection ${vpn.name} needs a TunnelState alarm per tunnel (found ${alarms.length})`]);
  }),
];
