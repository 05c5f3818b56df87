import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "./cidr";
import { namePrefix } from "./naming";
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
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Why these args cannot build a load balancer, or an empty list. Runs before any resource is created. */
export function validateLoadBalancerArgs(args: LoadBalancerArgs): string[] {
  const missing = missingArgs(args, REQUIRED_ARGS.LoadBalancer);
  if (missing.length > 0) return missing;
  const problems: string[] = [];
  const port = args.testListenerPort ?? 8443;
  if (!Number.isInteger(port) || port < 1 || port > 65535 || port === 80 || port === 443) {
    problems.push(`The \`testListenerPort\` ${port} must be a port from 1 to 65535 other than 80 and 443.`);
  }
  if (args.testListenerCidrs.length === 0) problems.push("The `testListenerCidrs` list is empty; give the VPN and office networks.");
  for (const cidr of args.testListenerCidrs) {
    const parsed = parseCidr(cidr);
    if (!parsed) problems.push(`The \`testListenerCidrs\` entry ${cidr} is not a valid IPv4 CIDR.`);
    else if (parsed.prefix === 0) problems.push(`The \`testListenerCidrs\` entry ${cidr} opens the test listener to the world; list the VPN and office networks instead.`);
  }
  const idle = args.idleTimeoutSeconds ?? 60;
  if (!Number.isInteger(idle) || idle < 1 || idle > 4000) problems.push(`The \`idleTimeoutSeconds\` ${idle} must be from 1 to 4000.`);
  return problems;
}

/**
 * An internet-facing application load balancer in the public subnets: an HTTPS listener (explicit TLS 1.3 policy),
 * an HTTP listener that only redirects to HTTPS, and a test listener reachable only from the given networks. Every
 * listener's default answer is a 404, so only services' rules route traffic. Invalid headers are dropped and access
 * logs go to a private, encrypted bucket that expires them.
 *
 * Costs money: the load balancer (hourly plus capacity units) and access log storage.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  public readonly arn: pulumi.Output<string>;
  public readonly arnSuffix: pulumi.Output<string>;
  public readonly dnsName: pulumi.Output<string>;
  public readonly zoneId: pulumi.Output<string>;
  public readonly httpsListenerArn: pulumi.Output<string>;
  public readonly httpListenerArn: pulumi.Output<string>;
  public readonly testListenerArn: pulumi.Output<string>;
  public readonly testListenerPort: pulumi.Output<number>;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly accessLogBucketName: pulumi.Output<string>;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateLoadBalancerArgs(args);
    if (problems.length > 0) throw new pulumi.RunError(`LoadBalancer "${name}": ${problems.join(" ")}`);
    super("flipstack:traffic:LoadBalancer", name, {}, opts);

    const testPort = args.testListenerPort ?? 8443;
    const sslPolicy = args.sslPolicy ?? DEFAULT_SSL_POLICY;
    const tags = args.tags ?? {};
    const parent = { parent: this };

    const securityGroup = this.createSecurityGroup(name, args, testPort, tags);

    // Elastic Load Balancing writes access logs as its regional account; the bucket accepts that writer only.
    const elbAccount = aws.elb.getServiceAccountOutput({}, parent);
    const logs = createPrivateBucket(`${name}-access-logs`, this, {
      expireAfterDays: args.accessLogRetentionDays ?? 90,
      tags,
      statements: [(arn) => ({
        Sid: "AllowLoadBalancerAccessLogs",
        Effect: "Allow",
        Principal: { AWS: elbAccount.arn },
        Action: "s3:PutObject",
        Resource: pulumi.interpolate`${arn}/*`,
      })],
    });

    const loadBalancer = new aws.lb.LoadBalancer(`${name}-alb`, {
      namePrefix: namePrefix(name),
      loadBalancerType: "application",
      internal: false,
      securityGroups: [securityGroup.id],
      subnets: args.subnetIds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: args.deletionProtection ?? false,
      idleTimeout: args.idleTimeoutSeconds ?? 60,
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
      dnsName: this.dnsName,
      zoneId: this.zoneId,
      httpsListenerArn: this.httpsListenerArn,
      httpListenerArn: this.httpListenerArn,
      testListenerArn: this.testListenerArn,
      securityGroupId: this.securityGroupId,
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
    // Targets change with every release (new instances, new tasks in new security groups), so egress is not pinned
    // to them; the targets' own groups admit only this load balancer.
    new aws.vpc.SecurityGroupEgressRule(`${name}-out`, {
      securityGroupId: securityGroup.id,
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
      description: "To targets",
      tags,
    }, parent);
    return securityGroup;
  }
}
