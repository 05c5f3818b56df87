import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { missingArgs, REQUIRED_ARGS } from "./requiredArgs";

export interface ContainerClusterArgs {
  /** VPC of the private DNS namespace. */
  readonly vpcId: pulumi.Input<string>;
  /** Private DNS namespace for service discovery, e.g. `staging.flipstack.internal`. */
  readonly namespaceName: string;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why these args cannot build a cluster, or an empty list. Runs before any resource is created. */
export function validateContainerClusterArgs(args: ContainerClusterArgs): string[] {
  const missing = missingArgs(args, REQUIRED_ARGS.ContainerCluster);
  if (missing.length > 0) return missing;
  return DNS_NAME.test(args.namespaceName)
    ? []
    : [`The \`namespaceName\` "${args.namespaceName}" is not a lower-case DNS name with at least two labels, e.g. staging.flipstack.internal.`];
}

/**
 * The container platform of one environment: an ECS cluster with Container Insights, and a Cloud Map private DNS
 * namespace in which each service slot registers (`<service>-<color>.<namespace>`).
 *
 * Costs money: Container Insights metrics, and the namespace's Route 53 hosted zone (about 0.50 USD a month).
 */
export class ContainerCluster extends pulumi.ComponentResource {
  /** ARN of the ECS cluster. */
  public readonly clusterArn: pulumi.Output<string>;
  /** Name of the ECS cluster. */
  public readonly clusterName: pulumi.Output<string>;
  /** The Cloud Map private DNS namespace the slots register in. */
  public readonly namespaceId: pulumi.Output<string>;
  /** DNS name of the namespace, e.g. `staging.flipstack.internal`. */
  public readonly namespaceName: pulumi.Output<string>;

  constructor(name: string, args: ContainerClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateContainerClusterArgs(args);
    if (problems.length > 0) throw new pulumi.RunError(`ContainerCluster "${name}": ${problems.join(" ")}`);
    super("flipstack:compute:ContainerCluster", name, {}, opts);
    const tags = args.tags ?? {};
    const cluster = new aws.ecs.Cluster(`${name}-cluster`, {
      settings: [{ name: "containerInsights", value: "enabled" }],
      tags,
    }, { parent: this });
    const namespace = new aws.servicediscovery.PrivateDnsNamespace(`${name}-namespace`, {
      name: args.namespaceName,
      vpc: args.vpcId,
      description: "Flipstack service discovery",
      tags,
    }, { parent: this });

    this.clusterArn = cluster.arn;
    this.clusterName = cluster.name;
    this.namespaceId = namespace.id;
    this.namespaceName = namespace.name;
    this.registerOutputs({ clusterArn: this.clusterArn, clusterName: this.clusterName, namespaceId: this.namespaceId, namespaceName: this.namespaceName });
  }
}
