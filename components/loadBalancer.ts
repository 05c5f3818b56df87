import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cidrProblem, parseCidr } from "./cidr";
import { withDefaults } from "./defaults";
import { namePrefix } from "./naming";
import { isPort, isWhole } from "./patterns";
import { createPrivateBucket } from "./privateBucket";
import { missingArgs, REQUIRED_ARGS } from "./requiredArgs";

/** TLS 1.3 and 1.2 with forward-secret ciphers only (AWS's recommended policy for HTTPS listeners). */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface LoadBalancerArgs {
  /** VPC of the load balancer's security group. */
  readonly vpcId: pulumi.Input<string>;
  /** Public subnets, in at least two availability zones. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** ACM certificate for the HTTPS and test listeners, in the load balancer's region. */
  readonly certificateArn: pulumi.Input<string>;
  /** Security policy of the HTTPS listeners. @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
  readonly sslPolicy?: string;
  /** Port of the test listener that serves the idle slot; not 80 or 443. @default 8443 */
  readonly testListenerPort?: number;
  /**
   * Networks allowed to reach the test listener: the VPN's on-premises networks and the office. At least one, and
   * never the whole internet: the test listener serves releases no one has verified yet.
   */
  readonly testListenerCidrs: readonly string[];
  /** Refuse deletion of the load balancer (`enableDeletionProtection`). @default false */
  readonly deletionProtection?: boolean;
  /** Seconds an idle connection stays open. @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** Days access logs are kept in their bucket. @default 90 */
  readonly accessLogRetentionDays?: number;
  /**
   * Protect the access-log bucket from deletion (`protect`), as production does with everything stateful. The bucket
   * is always kept when the stack is destroyed (`retainOnDelete`): its logs are the record of who called what.
   * @default false
   */
  readonly protectAccessLogs?: boolean;
  /**
   * Where the targets listen: the load balancer's security group then sends only to these ports inside this CIDR
   * (traffic and health checks). @default any port, anywhere (targets that change with every release)
   */
  readonly targets?: { readonly ports: readonly number[]; readonly cidr: string };
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** What each optional arg is when left out. */
export const LOAD_BALANCER_DEFAULTS = {
  sslPolicy: DEFAULT_SSL_POLICY,
  testListenerPort: 8443,
  deletionProtection: false,
  idleTimeoutSeconds: 60,
  accessLogRetentionDays: 90,
  tags: {},
} as const satisfies Partial<LoadBalancerArgs>;

/** The args with every default filled in: what the validator checks and the constructor builds. */
export const resolveLoadBalancerArgs = (args: LoadBalancerArgs) => withDefaults(args, LOAD_BALANCER_DEFAULTS);

/** Why these args cannot build a load balancer, or an empty list. Runs before any resource is created. */
export function validateLoadBalancerArgs(args: LoadBalancerArgs): string[] {
  const missing = missingArgs(args, REQUIRED_ARGS.LoadBalancer);
  if (missing.length > 0) return missing;
  const problems: string[] = [];
  const resolved = resolveLoadBalancerArgs(args);
  const port = resolved.testListenerPort;
  if (!isPort(port) || port === 80 || port === 443) {
    problems.push(`The \`testListenerPort\` ${port} must be a port from 1 to 65535 other than 80 and 443.`);
  }
  if (args.testListenerCidrs.length === 0) problems.push("The `testListenerCidrs` list is empty; give the VPN and office networks.");
  for (const cidr of args.testListenerCidrs) {
    const parsed = parseCidr(cidr);
    if (!parsed) problems.push(`The \`testListenerCidrs\` entry ${cidr} ${cidrProblem(cidr)}.`);
    else if (parsed.prefix === 0) problems.push(`The \`testListenerCidrs\` entry ${cidr} opens the test listener to the world; list the VPN and office networks instead.`);
  }
  const idle = resolved.idleTimeoutSeconds;
  if (!isWhole(idle, 1, 4000)) problems.push(`The \`idleTimeoutSeconds\` ${idle} must be from 1 to 4000.`);
  return problems;
}

/**
 * An internet-facing application load balancer in the public subnets: an HTTPS listener (explicit TLS 1.3 policy),
 * an HTTP listener that only redirects to HTTPS, and a test listener reachable only from the given networks. Every
 * listener's default answer is a 404, so only services' rules route traffic. Invalid headers are dropped and access
 * logs go to a private, encrypted bucket that expires them and is kept when the stack is destroyed.
 *
 * Costs money: the load balancer (hourly plus capacity units) and access log storage.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  /** ARN of the load balancer. */
  public readonly arn: pulumi.Output<string>;
  /** ARN suffix (`app/<name>/<id>`), the `LoadBalancer` dimension of its CloudWatch metrics. */
  public readonly arnSuffix: pulumi.Output<string>;
  /** DNS name users and DNS aliases reach the load balancer by. */
  public readonly dnsName: pulumi.Output<string>;
  /** Route 53 hosted zone of the load balancer, for alias records. */
  public readonly zoneId: pulumi.Output<string>;
  /** The HTTPS listener users reach; services add their live rules here. */
  public readonly httpsListenerArn: pulumi.Output<string>;
  /** The HTTP listener, which only redirects to HTTPS. */
  public readonly httpListenerArn: pulumi.Output<string>;
  /** The test listener (VPN and office only); services add their idle-slot rules here. */
  public readonly testListenerArn: pulumi.Output<string>;
  /** Port of the test listener. */
  public readonly testListenerPort: pulumi.Output<number>;
  /** The load balancer's security group: the only source the targets admit. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** Bucket that receives the access logs. */
  public readonly accessLogBucketName: pulumi.Output<string>;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateLoadBalancerArgs(args);
    if (problems.length > 0) throw new pulumi.RunError(`LoadBalancer "${name}": ${problems.join(" ")}`);
    super("flipstack:traffic:LoadBalancer", name, {}, opts);

    const resolved = resolveLoadBalancerArgs(args);
    const { testListenerPort: testPort, sslPolicy, tags } = resolved;
    const parent = { parent: this };

    const securityGroup = this.createSecurityGroup(name, args, testPort, tags);

    // Elastic Load Balancing writes access logs as its regional account; the bucket accepts that writer only, and
    // only under this account's AWSLogs/<account>/ prefix (where a load balancer without a log prefix writes).
    const elbAccount = aws.elb.getServiceAccountOutput({}, parent);
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    const logs = createPrivateBucket(`${name}-access-logs`, this, {
      expireAfterDays: resolved.accessLogRetentionDays,
      tags,
      bucketOptions: { retainOnDelete: true, protect: args.protectAccessLogs ?? false },
      statements: [(arn) => ({
        Sid: "AllowLoadBalancerAccessLogs",
        Effect: "Allow",
        Principal: { AWS: elbAccount.arn },
        Action: "s3:PutObject",
        Resource: pulumi.interpolate`${arn}/AWSLogs/${account}/*`,
      })],
    });

    const loadBalancer = new aws.lb.LoadBalancer(`${name}-alb`, {
      namePrefix: namePrefix(name),
      loadBalancerType: "application",
      internal: false,
      securityGroups: [securityGroup.id],
      subnets: args.subnetIds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: resolved.deletionProtection,
      idleTimeout: resolved.idleTimeoutSeconds,
      accessLogs: { bucket: logs.bucket.id, enabled: true },
      tags,
    }, { ...parent, dependsOn: [logs.policy] });

    // Production and test listeners alike: TLS with the certificate, and a 404 unless a service's rule matches.
    const httpsListener = (role: string, port: number) => new aws.lb.Listener(`${name}-${role}`, {
      loadBalancerArn: loadBalancer.arn,
      port,
      protocol: "HTTPS",
      sslPolicy,
      certificateArn: args.certificateArn,
      defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Not found", statusCode: "404" } }],
      tags,
    }, parent);
    const https = httpsListener("https", 443);
    const http = new aws.lb.Listener(`${name}-http`, {
      loadBalancerArn: loadBalancer.arn,
      port: 80,
      protocol: "HTTP",
      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      tags,
    }, parent);
    const test = httpsListener("test", testPort);

    this.arn = loadBalancer.arn;
    this.arnSuffix = loadBalancer.arnSuffix;
    this.dnsName = loadBalancer.dnsName;
    this.zoneId = loadBalancer.zoneId;
    this.httpsListenerArn = https.arn;
    this.httpListenerArn = http.arn;
    this.testListenerArn = test.arn;
    this.testListenerPort = pulumi.output(testPort);
    this.securityGroupId = securityGroup.id;
    this.accessLogBucketName = logs.bucket.bucket;
    this.registerOutputs({
      arn: this.arn,
      arnSuffix: this.arnSuffix,
      dnsName: this.dnsName,
      zoneId: this.zoneId,
      httpsListenerArn: this.httpsListenerArn,
      httpListenerArn: this.httpListenerArn,
      testListenerArn: this.testListenerArn,
      testListenerPort: this.testListenerPort,
      securityGroupId: this.securityGroupId,
      accessLogBucketName: this.accessLogBucketName,
    });
  }

  private createSecurityGroup(name: string, args: LoadBalancerArgs, testPort: number, tags: Record<string, string>): aws.ec2.SecurityGroup {
    const parent = { parent: this };
    const securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, {
      vpcId: args.vpcId,
      description: "Load balancer: HTTP and HTTPS from anywhere, the test listener from the VPN and office only",
      tags: { ...tags, Name: `${name}-alb` },
    }, parent);
    const ingress = (ruleName: string, port: number, cidrIpv4: string, description: string) =>
      new aws.vpc.SecurityGroupIngressRule(ruleName, {
        securityGroupId: securityGroup.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4,
        description,
        tags,
      }, parent);
    ingress(`${name}-http-in`, 80, "0.0.0.0/0", "HTTP from anywhere (redirected to HTTPS)");
    ingress(`${name}-https-in`, 443, "0.0.0.0/0", "HTTPS from anywhere");
    for (const cidr of args.testListenerCidrs) {
      ingress(`${name}-test-from-${cidr.replace("/", "_")}`, testPort, cidr, "Test listener (idle slot) from the VPN or office");
    }
    // Targets change with every release (new instances, new tasks in new security groups), so egress is pinned to
    // their ports in the VPC rather than to their groups; the targets' own groups admit only this load balancer.
    const targets = args.targets;
    if (!targets) {
      new aws.vpc.SecurityGroupEgressRule(`${name}-out`, { securityGroupId: securityGroup.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "To targets", tags }, parent);
    }
    for (const port of [...new Set(targets?.ports ?? [])]) {
      new aws.vpc.SecurityGroupEgressRule(`${name}-out-${port}`, {
        securityGroupId: securityGroup.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: targets!.cidr,
        description: `To targets on port ${port}`,
        tags,
      }, parent);
    }
    return securityGroup;
  }
}
