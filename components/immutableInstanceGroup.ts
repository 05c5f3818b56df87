import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumeRolePolicy, createAppSecurityGroup } from "./appSecurityGroup";
import { withDefaults } from "./defaults";
import { createLogAgent, logSources, userDataProblem, withLogAgent, type LogGroupRef } from "./logAgent";
import { logRetentionProblem } from "./logRetention";
import { iamNamePrefix, launchTemplateSafeName } from "./naming";
import { AMI_ID, INSTANCE_TYPE, isPort, isWhole } from "./patterns";
import { releaseTags } from "./release";
import { missingArgs, REQUIRED_ARGS } from "./requiredArgs";

export interface ImmutableInstanceGroupArgs {
  /** Name of the service the instances run, e.g. `web`; tagged as `flipstack:service`. */
  readonly serviceName: string;
  /** The blue/green slot this group serves; tagged as `flipstack:color`. */
  readonly color: "blue" | "green";
  /**
   * The release the instances run: its `version` (tagged as `flipstack:release`) and the `ami` built for it. Put the
   * release id in the component name too: a new release is then a new group beside the old one, never an update.
   */
  readonly release: { readonly version: string; readonly ami: string };
  /** The VPC of the subnets and of the load balancer. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets to launch into, one per availability zone; they reach the internet through NAT. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The slot's target group; the group registers its instances there and uses its health checks. */
  readonly targetGroupArn: pulumi.Input<string>;
  /** Security group of the load balancer: the only source allowed to reach the instances. */
  readonly loadBalancerSecurityGroupId: pulumi.Input<string>;
  /** TCP port the application listens on and the load balancer sends traffic to (1 to 65535). */
  readonly port: number;
  /** EC2 instance type. @default "t3.small" */
  readonly instanceType?: string;
  /**
   * Instance counts, `min` ≤ `desired` ≤ `max`. `pulumi up` waits until `desired` instances pass the target group's
   * health check, so `desired` is at least 1. @default { min: 2, desired: 2, max: 4 }
   */
  readonly capacity?: { readonly min: number; readonly desired: number; readonly max: number };
  /**
   * Plain-text user data (a shell script or cloud-config), run after the log agent's own boot script; together they
   * fit EC2's 16 KiB (see `USER_DATA_BUDGET_BYTES`). Encoded here. @default - the log agent's script only
   */
  readonly userData?: string;
  /**
   * The service's central log group: the CloudWatch agent on every instance ships the application's log files,
   * `/var/log/messages` and the boot output there, in streams named `<release>/<instance id>/<app|system|cloud-init>`,
   * and the instance role may write to this group only. @default - a log group of the group's own, kept on delete
   */
  readonly logGroup?: LogGroupRef;
  /** Days to keep the group's own log group (when no `logGroup` is given). @default 30 */
  readonly logRetentionDays?: number;
  /** The application's log files (absolute; the agent accepts `*` globs). @default "/var/log/<serviceName>/*.log" */
  readonly applicationLogPath?: string;
  /**
   * IAM policy JSON for what the application itself may do (the file archive, for example), added to the
   * instance role beside SSM access. @default - SSM access only
   */
  readonly rolePolicy?: pulumi.Input<string>;
  /** Security groups the instances join besides their own, e.g. a database's client group. @default [] */
  readonly securityGroupIds?: readonly pulumi.Input<string>[];
  /** Seconds after launch before a failing load balancer health check replaces an instance. @default 60 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** Size of the encrypted gp3 root volume in GiB; at least the AMI's snapshot size. @default 20 */
  readonly rootVolumeSizeGiB?: number;
  /**
   * Tags for every resource and every instance and volume. Keys must be readable through instance metadata: no
   * spaces or `/`. @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

// With instance metadata tags enabled, EC2 refuses to launch an instance whose tag keys it cannot serve as paths.
const METADATA_TAG_KEY = /^[A-Za-z0-9+\-=.,_:@]{1,128}$/;
/**
 * What the instances may do through SSM: AWS's managed policy for the SSM agent. It allows the agent's own calls
 * (`ssm:UpdateInstanceInformation`, `ssm:ListAssociations`, `ssm:GetDocument`, ...), Session Manager's channels
 * (`ssmmessages:*`, `ec2messages:*`) and `ssm:GetParameter`/`GetParameters` on any parameter of the account. That
 * last one is the part that matters: an instance can read every plain (not KMS-protected) parameter, so keep other
 * services' secrets as SecureString parameters under their own KMS keys, or in Secrets Manager.
 */
const SSM_MANAGED_INSTANCE_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

/** What each optional arg is when left out. */
export const IMMUTABLE_INSTANCE_GROUP_DEFAULTS = {
  instanceType: "t3.small",
  capacity: { min: 2, desired: 2, max: 4 },
  healthCheckGracePeriodSeconds: 60,
  rootVolumeSizeGiB: 20,
  logRetentionDays: 30,
  securityGroupIds: [],
  tags: {},
} as const satisfies Partial<ImmutableInstanceGroupArgs>;

/** The args with every default filled in: what the validator checks and the constructor builds. */
export const resolveImmutableInstanceGroupArgs = (args: ImmutableInstanceGroupArgs) => withDefaults(args, IMMUTABLE_INSTANCE_GROUP_DEFAULTS);

type Resolved = ReturnType<typeof resolveImmutableInstanceGroupArgs>;
type Named = (resourceName: string) => Record<string, string>;

/** Why these args cannot build an instance group, or an empty list. Runs before any resource is created. */
export function validateImmutableInstanceGroupArgs(args: ImmutableInstanceGroupArgs): string[] {
  const missing = missingArgs(args, REQUIRED_ARGS.ImmutableInstanceGroup);
  if (missing.length > 0) return missing;
  const problems: string[] = [];
  const resolved = resolveImmutableInstanceGroupArgs(args);
  if (args.serviceName.trim() === "") problems.push("The `serviceName` is empty; name the service, e.g. `web`.");
  if (args.release.version.trim() === "") problems.push("The `release.version` is empty; give the release id, e.g. `2026.11.3`.");
  if (!AMI_ID.test(args.release.ami)) {
    problems.push(`The \`release.ami\` "${args.release.ami}" is not an AMI id; use \`ami-\` followed by 8 or 17 lowercase hex digits.`);
  }
  if (!isPort(args.port)) problems.push(`The \`port\` ${args.port} is not a TCP port; use a whole number from 1 to 65535.`);
  const instanceType = resolved.instanceType;
  if (!INSTANCE_TYPE.test(instanceType)) problems.push(`The \`instanceType\` "${instanceType}" is not an EC2 instance type such as \`t3.small\`.`);

  const { min, desired, max } = resolved.capacity;
  if (![min, desired, max].every((n) => isWhole(n, 0))) {
    problems.push(`The \`capacity\` ${min}/${desired}/${max} (min/desired/max) must be whole numbers of zero or more.`);
  } else {
    if (desired < 1) problems.push("The `capacity.desired` is 0; the group waits for that many healthy instances, so use at least 1.");
    if (min > desired || desired > max) problems.push(`The \`capacity\` ${min}/${desired}/${max} (min/desired/max) is out of order; use min ≤ desired ≤ max.`);
  }

  const grace = resolved.healthCheckGracePeriodSeconds;
  if (!isWhole(grace, 0, 7200)) problems.push(`The \`healthCheckGracePeriodSeconds\` ${grace} must be a whole number from 0 to 7200.`);
  const rootSize = resolved.rootVolumeSizeGiB;
  if (!isWhole(rootSize, 1, 16384)) problems.push(`The \`rootVolumeSizeGiB\` ${rootSize} must be a whole number from 1 to 16384 (gp3 limits).`);
  const userData = args.userData === undefined ? undefined : userDataProblem(args.userData);
  if (userData) problems.push(userData);
  const retention = args.logGroup === undefined && logRetentionProblem(resolved.logRetentionDays);
  if (retention) problems.push(`The \`logRetentionDays\` ${retention}.`);
  if (args.applicationLogPath !== undefined && !/^\/\S+$/.test(args.applicationLogPath)) {
    problems.push(`The \`applicationLogPath\` "${args.applicationLogPath}" must be an absolute path without spaces, e.g. \`/var/log/${args.serviceName}/*.log\`.`);
  }
  for (const key of Object.keys(resolved.tags)) {
    if (!METADATA_TAG_KEY.test(key) || key === "." || key === ".." || key === "_index" || key.toLowerCase().startsWith("aws:")) {
      problems.push(`The \`tags\` key "${key}" cannot be served through instance metadata; use letters, digits and + - = . , _ : @ only, and no \`aws:\` prefix.`);
    }
  }
  return problems;
}

/**
 * The compute of one blue/green slot for one release: an EC2 launch template pinned to the release's AMI (IMDSv2
 * only, encrypted gp3 root volume, no public IP, detailed monitoring, no SSH key), an auto scaling group in the
 * private subnets registered with the slot's target group and gated on its health checks, a security group that
 * admits only the load balancer on the application port, an instance role that grants Session Manager access and
 * writing to the group's log group, and the CloudWatch agent config (an SSM parameter) that the instances start
 * their agent with at boot, so their logs outlive them.
 *
 * The caller puts the release id in the component name (`web-blue-2026.11.3`), so every child's URN carries it: a
 * new release is a new launch template and group created beside the old one, never an in-place update.
 *
 * Costs money: the EC2 instances (per second while running; a t3.small is about 15 USD a month each, and T-family
 * instances launch in unlimited credit mode, so sustained CPU above baseline is billed), their gp3 root volumes
 * (about 0.08 USD per GiB-month) and detailed monitoring (about 2 USD a month per instance). Free: the launch
 * template, the auto scaling group and its group metrics, the security group, the IAM role and the agent config
 * (a Standard SSM parameter). The logs are billed by the log group (about 0.50 USD per GB ingested).
 */
export class ImmutableInstanceGroup extends pulumi.ComponentResource {
  /** Name of the auto scaling group (generated from its `namePrefix`). */
  public readonly autoScalingGroupName: pulumi.Output<string>;
  /** ARN of the auto scaling group. */
  public readonly autoScalingGroupArn: pulumi.Output<string>;
  /** The launch template pinned to the release's AMI. */
  public readonly launchTemplateId: pulumi.Output<string>;
  /** The instances' security group, for rules that let them reach databases or other services. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** The instances' role, for policies that grant the application what it needs. */
  public readonly instanceRoleArn: pulumi.Output<string>;
  /** The log group the instances ship their logs to. */
  public readonly logGroupName: pulumi.Output<string>;
  /** The SSM parameter holding the instances' CloudWatch agent config. */
  public readonly logAgentParameterName: pulumi.Output<string>;

  constructor(name: string, args: ImmutableInstanceGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateImmutableInstanceGroupArgs(args);
    if (problems.length > 0) throw new pulumi.RunError(`ImmutableInstanceGroup "${name}": ${problems.join(" ")}`);
    super("flipstack:compute:ImmutableInstanceGroup", name, {}, opts);

    const resolved = resolveImmutableInstanceGroupArgs(args);
    const tags = releaseTags(args);
    const named = (resourceName: string) => ({ ...tags, Name: resourceName });

    const network = createAppSecurityGroup(name, this, {
      vpcId: args.vpcId,
      port: args.port,
      loadBalancerSecurityGroupId: args.loadBalancerSecurityGroupId,
      description: `${args.serviceName} ${args.color} instances, reachable from the load balancer only`,
      ruleDescriptions: { ingress: "Load balancer to the application port", egress: "HTTPS to SSM and package mirrors" },
      tags: named,
    });
    const instance = this.createInstanceRole(name, named, args.rolePolicy);
    const logGroup = args.logGroup ?? this.createOwnLogGroup(name, resolved, tags);
    const logAgent = createLogAgent(name, this, {
      logGroup,
      color: args.color,
      release: args.release.version,
      sources: logSources(args.applicationLogPath ?? `/var/log/${args.serviceName}/*.log`),
      role: instance.role,
      tags,
    });
    const userData = logAgent.bootScript.apply((script) => withLogAgent(script, args.userData));

    const launchTemplate = this.createLaunchTemplate(name, resolved, named, network.securityGroup, instance.profile, userData);
    const group = this.createAutoScalingGroup(name, resolved, named, launchTemplate, [network.ingress, network.egress, instance.ssmAttachment, logAgent.parameter, logAgent.policy]);

    this.autoScalingGroupName = group.name;
    this.autoScalingGroupArn = group.arn;
    this.launchTemplateId = launchTemplate.id;
    this.securityGroupId = network.securityGroup.id;
    this.instanceRoleArn = instance.role.arn;
    this.logGroupName = pulumi.output(logGroup.name);
    this.logAgentParameterName = logAgent.parameter.name;
    this.registerOutputs({
      autoScalingGroupName: this.autoScalingGroupName,
      autoScalingGroupArn: this.autoScalingGroupArn,
      launchTemplateId: this.launchTemplateId,
      securityGroupId: this.securityGroupId,
      instanceRoleArn: this.instanceRoleArn,
      logGroupName: this.logGroupName,
      logAgentParameterName: this.logAgentParameterName,
    });
  }

  /** A log group of the group's own when no central one is given (previews, direct use), kept on delete. */
  private createOwnLogGroup(name: string, args: Resolved, tags: Record<string, string>): LogGroupRef {
    // Log group names allow letters, digits and `. - _ / #`: a `+` in a release id would be refused.
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
      namePrefix: `/flipstack/instances/${name.replace(/[^A-Za-z0-9._\-/#]/g, "-")}-`,
      retentionInDays: args.logRetentionDays,
      tags,
    }, { parent: this, retainOnDelete: true });
    return { name: logGroup.name, arn: logGroup.arn };
  }

  /** The launch template pinned to the release's AMI: IMDSv2 only, encrypted gp3 root, no public IP, no SSH key. */
  private createLaunchTemplate(
    name: string, args: Resolved, named: Named, securityGroup: aws.ec2.SecurityGroup, profile: aws.iam.InstanceProfile, userData: pulumi.Output<string>,
  ): aws.ec2.LaunchTemplate {
    // Encryption is decided here rather than by the account's EBS encryption-by-default: that is one setting per
    // account and region, shared by every stack there, which a stack cannot own. Deprecated AMIs are included: a
    // release stays pinned to its AMI after the AMI is deprecated.
    const rootDeviceName = aws.ec2.getAmiOutput({
      filters: [{ name: "image-id", values: [args.release.ami] }],
      includeDeprecated: true,
    }, { parent: this }).rootDeviceName;

    return new aws.ec2.LaunchTemplate(`${name}-lt`, {
      // A prefix, not a name: the next release's template is created before this one is deleted.
      namePrefix: `${launchTemplateSafeName(name)}-`,
      description: `${args.serviceName} ${args.release.version} (${args.color})`,
      imageId: args.release.ami,
      instanceType: args.instanceType,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        // One hop: the instance itself reads metadata; anything it forwards (a container, a proxy) cannot.
        httpPutResponseHopLimit: 1,
        // The application reads its release and color from `/latest/meta-data/tags/instance`.
        instanceMetadataTags: "enabled",
      },
      // The AMI's own root device name (`/dev/xvda` on Amazon Linux, `/dev/sda1` on Ubuntu and many others): a
      // mapping under any other name would add an extra encrypted disk and boot from the AMI's root as it is.
      blockDeviceMappings: [{
        deviceName: rootDeviceName,
        ebs: { volumeSize: args.rootVolumeSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
      }],
      networkInterfaces: [{
        deviceIndex: 0,
        associatePublicIpAddress: "false",
        securityGroups: [securityGroup.id, ...args.securityGroupIds],
        deleteOnTermination: "true",
      }],
      iamInstanceProfile: { arn: profile.arn },
      monitoring: { enabled: true },
      userData: userData.apply((text) => Buffer.from(text, "utf8").toString("base64")),
      tagSpecifications: ["instance", "volume"].map((resourceType) => ({ resourceType, tags: named(name) })),
      updateDefaultVersion: true,
      tags: named(`${name}-lt`),
    }, { parent: this });
  }

  /** The auto scaling group registered with the slot's target group and gated on its health checks. */
  private createAutoScalingGroup(name: string, args: Resolved, named: Named, launchTemplate: aws.ec2.LaunchTemplate, bootDependencies: pulumi.Resource[]): aws.autoscaling.Group {
    return new aws.autoscaling.Group(`${name}-asg`, {
      namePrefix: `${name}-`,
      vpcZoneIdentifiers: args.subnetIds,
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
      minSize: args.capacity.min,
      desiredCapacity: args.capacity.desired,
      maxSize: args.capacity.max,
      targetGroupArns: [args.targetGroupArn],
      // Instances the load balancer marks unhealthy are replaced, not only those EC2 sees as stopped.
      healthCheckType: "ELB",
      healthCheckGracePeriod: args.healthCheckGracePeriodSeconds,
      // The release gate: `pulumi up` returns only once this many instances pass the target group's health check,
      // so a broken AMI fails the deploy step before any traffic could be flipped to it.
      waitForElbCapacity: args.capacity.desired,
      waitForCapacityTimeout: "15m",
      // Group metrics at one-minute granularity cost nothing; the release command and dashboards read them.
      enabledMetrics: [
        "GroupMinSize",
        "GroupMaxSize",
        "GroupDesiredCapacity",
        "GroupInServiceInstances",
        "GroupPendingInstances",
        "GroupTerminatingInstances",
        "GroupTotalInstances",
      ],
      metricsGranularity: "1Minute",
      tags: Object.entries(named(name)).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      // No instance refresh: a release never changes this group, it replaces it.
    }, {
      parent: this,
      // Instances must boot with their network and permissions in place: user data may fetch packages at once,
      // and the health gate fails if the load balancer cannot reach them yet.
      dependsOn: bootDependencies,
    });
  }

  private createInstanceRole(name: string, named: (n: string) => Record<string, string>, rolePolicy: pulumi.Input<string> | undefined) {
    const parent = { parent: this };
    // Release ids make component names long; IAM names are limited to 64 characters.
    const role = new aws.iam.Role(`${name}-instance`, {
      namePrefix: iamNamePrefix(name, "instance"),
      assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com"),
      tags: named(`${name}-instance`),
    }, parent);
    // Session Manager replaces SSH: no key pair and no port 22. The application's own permissions come only from
    // the caller's `rolePolicy`; the log agent's from its own policy, scoped to one log group (AWS's
    // CloudWatchAgentServerPolicy would let the instances write to, and create, every log group of the account).
    if (rolePolicy !== undefined) new aws.iam.RolePolicy(`${name}-app`, { role: role.id, policy: rolePolicy }, parent);
    const ssmAttachment = new aws.iam.RolePolicyAttachment(`${name}-ssm`, { role: role.name, policyArn: SSM_MANAGED_INSTANCE_CORE }, parent);
    const profile = new aws.iam.InstanceProfile(`${name}-instance`, { namePrefix: iamNamePrefix(name, "instance"), role: role.name, tags: named(`${name}-instance`) }, parent);
    return { role, ssmAttachment, profile };
  }
}
