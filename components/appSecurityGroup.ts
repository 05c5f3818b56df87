import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** The trust policy of a role that one AWS service assumes, e.g. `ec2.amazonaws.com`. */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}

export interface AppSecurityGroupOptions {
  readonly vpcId: pulumi.Input<string>;
  /** The application port the load balancer sends traffic to. */
  readonly port: number;
  /** The load balancer's security group: the only source admitted. */
  readonly loadBalancerSecurityGroupId: pulumi.Input<string>;
  /** Description of the group itself. */
  readonly description: string;
  /** Description of each rule, when the compute gives one. */
  readonly ruleDescriptions?: { readonly ingress: string; readonly egress: string };
  /** Tags of each child, by its logical name. */
  readonly tags: (resourceName: string) => Record<string, string>;
}

/**
 * The security group of one slot's compute (instances or tasks): the application port from the load balancer's
 * group only, and HTTPS out (through NAT) for AWS APIs, image pulls and package mirrors. No inline rules: the
 * provider then removes AWS's default allow-all egress, and these rules are the only ones. Instance metadata, the
 * VPC DNS resolver and the Amazon time service are link-local and not filtered by security groups.
 */
export function createAppSecurityGroup(name: string, parent: pulumi.Resource, options: AppSecurityGroupOptions) {
  const opts = { parent };
  const securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, {
    vpcId: options.vpcId,
    description: options.description,
    tags: options.tags(`${name}-sg`),
  }, opts);
  const ingress = new aws.vpc.SecurityGroupIngressRule(`${name}-from-lb`, {
    securityGroupId: securityGroup.id,
    description: options.ruleDescriptions?.ingress,
    ipProtocol: "tcp",
    fromPort: options.port,
    toPort: options.port,
    referencedSecurityGroupId: options.loadBalancerSecurityGroupId,
    tags: options.tags(`${name}-from-lb`),
  }, opts);
  const egress = new aws.vpc.SecurityGroupEgressRule(`${name}-https-out`, {
    securityGroupId: securityGroup.id,
    description: options.ruleDescriptions?.egress,
    ipProtocol: "tcp",
    fromPort: 443,
    toPort: 443,
    cidrIpv4: "0.0.0.0/0",
    tags: options.tags(`${name}-https-out`),
  }, opts);
  return { securityGroup, ingress, egress };
}
