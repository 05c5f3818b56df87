import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cidrProblem, isPublicIpv4, parseCidr, parseIpv4 } from "./cidr";
import { withDefaults } from "./defaults";
import { logRetentionProblem } from "./logRetention";
import { isWhole } from "./patterns";
import { missingArgs, REQUIRED_ARGS } from "./requiredArgs";

export interface SiteToSiteVpnArgs {
  /** The VPC the virtual private gateway attaches to. */
  readonly vpcId: pulumi.Input<string>;
  /**
   * Route tables that learn the on-premises routes by propagation, keyed by a stable name (the availability zone
   * for `Network.privateRouteTableIdsByZone`). Keys name the propagation resources, so keep them stable.
   */
  readonly routeTableIds: Readonly<Record<string, pulumi.Input<string>>>;
  /** Public IPv4 address of the on-premises VPN device, e.g. `198.51.100.10`. */
  readonly customerGatewayIp: string;
  /** BGP ASN of the on-premises device (1 to 4294967294); used for BGP and to identify the device. */
  readonly bgpAsn: number;
  /**
   * On-premises CIDRs routed statically over the tunnels. Leave empty when the device speaks BGP: routes are then
   * learned dynamically. @default [] (BGP)
   */
  readonly staticRoutes?: readonly string[];
  /** ASN of the AWS side of the BGP session; a private ASN. @default 64512 */
  readonly amazonSideAsn?: number;
  /** Days to keep tunnel logs in CloudWatch Logs. @default 365 */
  readonly tunnelLogRetentionDays?: number;
  /** SNS topic ARNs notified when a tunnel goes down or comes back. @default [] */
  readonly alarmActions?: readonly pulumi.Input<string>[];
  /**
   * Protect the customer gateway and VPN connection (`protect`): replacing either changes the tunnel endpoints and
   * keys, which is an outage until the on-premises device is reconfigured. @default false
   */
  readonly protect?: boolean;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** What each optional arg is when left out. */
export const SITE_TO_SITE_VPN_DEFAULTS = {
  staticRoutes: [],
  amazonSideAsn: 64512,
  tunnelLogRetentionDays: 365,
  alarmActions: [],
  protect: false,
  tags: {},
} as const satisfies Partial<SiteToSiteVpnArgs>;

/** The args with every default filled in: what the validator checks and the constructor builds. */
export const resolveSiteToSiteVpnArgs = (args: SiteToSiteVpnArgs) => withDefaults(args, SITE_TO_SITE_VPN_DEFAULTS);

/** BGP ASNs: 1 to 4294967294 (4294967295 is reserved). */
export const ASN = { min: 1, max: 4294967294 } as const;
const isAsn = (asn: number): boolean => isWhole(asn, ASN.min, ASN.max);

/** Why AWS would refuse this ASN for its side of the BGP session (private ASNs only), or undefined. */
export function amazonSideAsnProblem(asn: number): string | undefined {
  const isPrivate = isWhole(asn, 64512, 65534) || isWhole(asn, 4200000000, 4294967294);
  return isPrivate ? undefined : `${asn} is not a private ASN; AWS accepts 64512-65534 or 4200000000-4294967294`;
}

/** Why these args cannot build a VPN, or an empty list. Runs before any resource is created. */
export function validateSiteToSiteVpnArgs(args: SiteToSiteVpnArgs): string[] {
  const missing = missingArgs(args, REQUIRED_ARGS.SiteToSiteVpn);
  if (missing.length > 0) return missing;
  const problems: string[] = [];
  const resolved = resolveSiteToSiteVpnArgs(args);
  if (parseIpv4(args.customerGatewayIp) === undefined) {
    problems.push(`The \`customerGatewayIp\` ${args.customerGatewayIp} is not a valid IPv4 address.`);
  } else if (!isPublicIpv4(args.customerGatewayIp)) {
    problems.push(`The \`customerGatewayIp\` ${args.customerGatewayIp} is not a public address; use the device's internet-facing IP.`);
  }
  if (!isAsn(args.bgpAsn)) {
    problems.push(`The \`bgpAsn\` ${args.bgpAsn} is not a valid ASN; use a whole number from 1 to 4294967294.`);
  }
  const amazonSideAsn = resolved.amazonSideAsn;
  const amazonSide = amazonSideAsnProblem(amazonSideAsn);
  if (amazonSide) problems.push(`The \`amazonSideAsn\` ${amazonSide}.`);
  if (args.bgpAsn === amazonSideAsn) problems.push(`The \`bgpAsn\` ${args.bgpAsn} equals the \`amazonSideAsn\`; the two sides need different ASNs.`);
  const retention = logRetentionProblem(resolved.tunnelLogRetentionDays);
  if (retention) problems.push(`The \`tunnelLogRetentionDays\` ${retention}.`);
  for (const route of resolved.staticRoutes) {
    if (!parseCidr(route)) problems.push(`The \`staticRoutes\` entry ${route} ${cidrProblem(route)}.`);
  }
  if (Object.keys(args.routeTableIds).length === 0) problems.push("The `routeTableIds` map is empty; give the private route tables.");
  return problems;
}

/**
 * Both tunnels alike: IKEv2 only, and strong proposals most devices support (AES-256, SHA-256, elliptic-curve DH
 * groups 20 and 21), instead of AWS's default list that still offers AES-128, SHA-1 and DH group 2.
 */
function tunnelSettings(logOptions: aws.types.input.ec2.VpnConnectionTunnel1LogOptions): Partial<aws.ec2.VpnConnectionArgs> {
  const ike = ["ikev2"];
  const encryption = ["AES256"];
  const integrity = ["SHA2-256"];
  const dhGroups = [20, 21];
  return {
    tunnel1IkeVersions: ike,
    tunnel2IkeVersions: ike,
    tunnel1Phase1EncryptionAlgorithms: encryption,
    tunnel2Phase1EncryptionAlgorithms: encryption,
    tunnel1Phase2EncryptionAlgorithms: encryption,
    tunnel2Phase2EncryptionAlgorithms: encryption,
    tunnel1Phase1IntegrityAlgorithms: integrity,
    tunnel2Phase1IntegrityAlgorithms: integrity,
    tunnel1Phase2IntegrityAlgorithms: integrity,
    tunnel2Phase2IntegrityAlgorithms: integrity,
    tunnel1Phase1DhGroupNumbers: dhGroups,
    tunnel2Phase1DhGroupNumbers: dhGroups,
    tunnel1Phase2DhGroupNumbers: dhGroups,
    tunnel2Phase2DhGroupNumbers: dhGroups,
    tunnel1LogOptions: logOptions,
    tunnel2LogOptions: logOptions,
  };
}

/**
 * A site-to-site VPN between a VPC and an on-premises network: a virtual private gateway attached to the VPC, a
 * customer gateway for the on-premises device, an IPsec connection (IKEv2 only, static routes or BGP, tunnel logs
 * to CloudWatch), route propagation into the given route tables, and a CloudWatch alarm per tunnel on
 * `TunnelState`. Tunnel pre-shared keys are generated by AWS and exported only as secrets.
 *
 * Costs money: the VPN connection (hourly, about 36 USD a month, plus data out), tunnel log storage and two alarms.
 */
export class SiteToSiteVpn extends pulumi.ComponentResource {
  /** The virtual private gateway attached to the VPC. */
  public readonly vpnGatewayId: pulumi.Output<string>;
  /** The customer gateway (the on-premises device); protected where `protect` is set. */
  public readonly customerGatewayId: pulumi.Output<string>;
  /** The VPN connection; protected where `protect` is set. */
  public readonly vpnConnectionId: pulumi.Output<string>;
  /** AWS-side outside addresses of the two tunnels, for the on-premises device configuration. */
  public readonly tunnelAddresses: pulumi.Output<string[]>;
  /** Pre-shared keys of the two tunnels; always secret. */
  public readonly tunnelPresharedKeys: pulumi.Output<string[]>;
  /** Names of the two `TunnelState` alarms, one per tunnel. */
  public readonly tunnelAlarmNames: pulumi.Output<string[]>;
  /** CloudWatch log group of the tunnel logs (kept when the stack is destroyed). */
  public readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: SiteToSiteVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateSiteToSiteVpnArgs(args);
    if (problems.length > 0) throw new pulumi.RunError(`SiteToSiteVpn "${name}": ${problems.join(" ")}`);
    super("flipstack:network:SiteToSiteVpn", name, {}, opts);

    const resolved = resolveSiteToSiteVpnArgs(args);
    const { protect, tags } = resolved;
    const staticRoutes = [...resolved.staticRoutes];
    const parent = { parent: this };
    const named = (resourceName: string) => ({ ...tags, Name: resourceName });

    const vpnGateway = new aws.ec2.VpnGateway(`${name}-vgw`, {
      vpcId: args.vpcId,
      amazonSideAsn: String(resolved.amazonSideAsn),
      tags: named(`${name}-vgw`),
    }, parent);

    // ASNs above 2^31-1 go in `bgpAsnExtended`; the provider rejects them in `bgpAsn`.
    const extended = args.bgpAsn > 2147483647;
    const customerGateway = new aws.ec2.CustomerGateway(`${name}-cgw`, {
      type: "ipsec.1",
      ipAddress: args.customerGatewayIp,
      ...(extended ? { bgpAsnExtended: String(args.bgpAsn) } : { bgpAsn: String(args.bgpAsn) }),
      tags: named(`${name}-cgw`),
    }, { ...parent, protect });

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-tunnel-logs`, {
      retentionInDays: resolved.tunnelLogRetentionDays,
      tags,
    }, { ...parent, protect, retainOnDelete: true });
    const logOptions = { cloudwatchLogOptions: { logEnabled: true, logGroupArn: logGroup.arn, logOutputFormat: "json" } };

    const connection = new aws.ec2.VpnConnection(`${name}-connection`, {
      type: "ipsec.1",
      vpnGatewayId: vpnGateway.id,
      customerGatewayId: customerGateway.id,
      staticRoutesOnly: staticRoutes.length > 0,
      ...tunnelSettings(logOptions),
      tags: named(`${name}-connection`),
    }, { ...parent, protect, additionalSecretOutputs: ["tunnel1PresharedKey", "tunnel2PresharedKey"] });

    for (const route of staticRoutes) {
      new aws.ec2.VpnConnectionRoute(`${name}-route-${route.replace("/", "_")}`, {
        vpnConnectionId: connection.id,
        destinationCidrBlock: route,
      }, parent);
    }

    for (const [key, routeTableId] of Object.entries(args.routeTableIds)) {
      new aws.ec2.VpnGatewayRoutePropagation(`${name}-propagation-${key}`, { vpnGatewayId: vpnGateway.id, routeTableId }, parent);
    }

    const alarms = ([["tunnel1", connection.tunnel1Address], ["tunnel2", connection.tunnel2Address]] as const).map(([tunnel, address]) =>
      new aws.cloudwatch.MetricAlarm(`${name}-${tunnel}-down`, {
        alarmDescription: pulumi.interpolate`VPN ${connection.id} ${tunnel} (${address}) is down`,
        namespace: "AWS/VPN",
        metricName: "TunnelState",
        dimensions: { TunnelIpAddress: address },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 3,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        // No data means no tunnel metrics at all: treat it as down.
        treatMissingData: "breaching",
        alarmActions: [...resolved.alarmActions],
        okActions: [...resolved.alarmActions],
        tags,
      }, parent));

    this.vpnGatewayId = vpnGateway.id;
    this.customerGatewayId = customerGateway.id;
    this.vpnConnectionId = connection.id;
    this.tunnelAddresses = pulumi.all([connection.tunnel1Address, connection.tunnel2Address]);
    this.tunnelPresharedKeys = pulumi.secret(pulumi.all([connection.tunnel1PresharedKey, connection.tunnel2PresharedKey]));
    this.tunnelAlarmNames = pulumi.all(alarms.map((a) => a.name));
    this.logGroupName = logGroup.name;
    this.registerOutputs({
      vpnGatewayId: this.vpnGatewayId,
      customerGatewayId: this.customerGatewayId,
      vpnConnectionId: this.vpnConnectionId,
      tunnelAddresses: this.tunnelAddresses,
      tunnelPresharedKeys: this.tunnelPresharedKeys,
      tunnelAlarmNames: this.tunnelAlarmNames,
      logGroupName: this.logGroupName,
    });
  }
}
