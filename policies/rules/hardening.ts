import type { ResourceValidationPolicy } from "@pulumi/policy";
import { credentialIn } from "../../components/credentials";
import { parseCidr } from "../../components/cidr";
import { containers, environmentOf, list, record, resourceRule, stackRule } from "./define";

/**
 * What keeps a planned environment hard beyond AWS's controls: releases not exposed, credentials not in plain
 * values, production not quietly weakened, service principals not usable as confused deputies, containers without
 * root or capabilities. The stack config refuses most of these earlier; these rules also hold for programs that
 * use the components directly.
 */

/** Shortest prefix a test-listener source may have (the config refuses wider ones too). */
const WIDEST_SOURCE_PREFIX = 8;
const PRODUCTION_LOG_RETENTION_DAYS = 365;
/** Service principals that sign their requests with aws:SourceAccount / aws:SourceArn. */
const DEPUTY_SERVICES = ["logging.s3.amazonaws.com", "vpc-flow-logs.amazonaws.com", "delivery.logs.amazonaws.com", "logdelivery.elasticloadbalancing.amazonaws.com"];

const policyDocument = (text: unknown): Record<string, unknown> => {
  try {
    return typeof text === "string" ? record(JSON.parse(text)) : record(text);
  } catch {
    return {};
  }
};

/** A production resource that must be protected (`protect`), seen with its resource options. */
function protectedInProduction(name: string, description: string, types: readonly string[]): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "advisory",
    validateResource: (args, report) => {
      if (types.includes(args.type) && environmentOf(args.props) === "production" && !args.opts.protect) {
        report(`${args.name} is not protected in production: replacing it is an outage for the office network (set vpn.protect, or acknowledge it)`);
      }
    },
  };
}

export const hardeningRules = [
  stackRule("flipstack-test-listener-narrow", "Flipstack: the test listener admits no network wider than a /8", "mandatory", (resources) => {
    const testPorts = new Set(resources.filter((r) => r.type === "aws:lb/listener:Listener" && ![80, 443].includes(Number(r.props.port))).map((r) => Number(r.props.port)));
    return resources
      .filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && testPorts.has(Number(r.props.fromPort)))
      .flatMap((r): Array<[string, string]> => {
        const prefix = parseCidr(String(r.props.cidrIpv4))?.prefix;
        // 0.0.0.0/0 is flipstack-test-listener-private's to report.
        return prefix !== undefined && prefix > 0 && prefix < WIDEST_SOURCE_PREFIX
          ? [[r.urn, `port ${String(r.props.fromPort)} serves unverified releases to ${String(r.props.cidrIpv4)}, 1/${2 ** prefix} of the internet; admit the office or VPN network only`]]
          : [];
      });
  }),
  resourceRule("flipstack-no-credentials-in-values", "Flipstack: no credential is written as a plain value (environment, user data)", "mandatory",
    ["aws:ecs/taskDefinition:TaskDefinition", "aws:ec2/launchTemplate:LaunchTemplate"], (props) => [
      ...containers(props).flatMap((c) => list(c.environment).map(record).map((e) => {
        const credential = typeof e.value === "string" ? credentialIn(e.value) : undefined;
        return credential && `container ${String(c.name)} has ${credential} in ${String(e.name)}; reference a secret (valueFrom) instead`;
      })),
      ...[typeof props.userData === "string" ? credentialIn(Buffer.from(props.userData, "base64").toString("utf8")) : undefined]
        .map((credential) => credential && `user data holds ${credential}; read it from SSM Parameter Store at boot`),
    ]),
  protectedInProduction("flipstack-production-vpn-protected", "Flipstack: production's customer gateway and VPN connection are protected", [
    "aws:ec2/customerGateway:CustomerGateway", "aws:ec2/vpnConnection:VpnConnection",
  ]),
  resourceRule("flipstack-production-log-retention", `Flipstack: production keeps logs at least ${PRODUCTION_LOG_RETENTION_DAYS} days`, "advisory", ["aws:cloudwatch/logGroup:LogGroup"], (props) =>
    environmentOf(props) === "production" && typeof props.retentionInDays === "number" && props.retentionInDays < PRODUCTION_LOG_RETENTION_DAYS
      ? `keeps production logs ${props.retentionInDays} days; audits expect ${PRODUCTION_LOG_RETENTION_DAYS}`
      : undefined),
  resourceRule("flipstack-confused-deputy", "Flipstack: service principals are limited to this account (aws:SourceAccount or aws:SourceArn)", "advisory",
    ["aws:s3/bucketPolicy:BucketPolicy", "aws:iam/role:Role"], (props) =>
      list(policyDocument(props.policy ?? props.assumeRolePolicy).Statement).map(record)
        .filter((s) => s.Effect === "Allow" && [record(s.Principal).Service].flat().some((p) => DEPUTY_SERVICES.includes(String(p))))
        .filter((s) => !/aws:Source(Account|Arn)/.test(JSON.stringify(s.Condition ?? {})))
        .map((s) => `${String(record(s.Principal).Service)} may act here for any account; add a Condition on aws:SourceAccount or aws:SourceArn`)),
  resourceRule("flipstack-container-hardened", "Flipstack: containers run as a non-root user with Linux capabilities dropped", "advisory", ["aws:ecs/taskDefinition:TaskDefinition"], (props) =>
    containers(props).flatMap((c) => [
      [undefined, "", "root", "0"].includes(c.user === undefined ? undefined : String(c.user).split(":")[0])
        ? `container ${String(c.name)} runs as ${c.user === undefined ? "the image's user (root unless the image says otherwise)" : "root"}; set services.<name>.user to a non-root uid`
        : undefined,
      list(record(record(c.linuxParameters).capabilities).drop).length === 0 ? `container ${String(c.name)} keeps its Linux capabilities; drop them (linuxParameters.capabilities.drop)` : undefined,
    ])),
  stackRule("flipstack-lb-egress-pinned", "Flipstack: the load balancer sends only to its targets' ports", "advisory", (resources) => {
    const groups = new Set(resources.filter((r) => r.type === "aws:lb/loadBalancer:LoadBalancer").flatMap((r) => list(r.props.securityGroups).map(String)));
    return resources
      .filter((r) => r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" && groups.has(String(r.props.securityGroupId)) && String(r.props.ipProtocol) === "-1")
      .map((r): [string, string] => [r.urn, `the load balancer may send anything anywhere (${String(r.props.cidrIpv4 ?? r.props.cidrIpv6)}); pin egress to the targets' ports (LoadBalancer targets)`]);
  }),
];
