import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CPU_ARCHITECTURES, fargateSizeProblem, NON_ROOT_USER, type CpuArchitecture } from "./fargate";
import { assumeRolePolicy, createAppSecurityGroup } from "./appSecurityGroup";
import { withDefaults } from "./defaults";
import { ECR_PULL_ACTIONS } from "./imageRepository";
import { logRetentionProblem } from "./logRetention";
import { discoveryServiceName, iamNamePrefix } from "./naming";
import { ENV_NAME, isLatestTag, isPort, isWhole, PINNED_IMAGE, RELEASE_ID, SECRET_ARN } from "./patterns";
import { releaseTags } from "./release";
import { missingArgs, REQUIRED_ARGS } from "./requiredArgs";

export interface ContainerServiceArgs {
  /** Service name: the container's name, tags and the Cloud Map name (with color and release) derive from it. */
  readonly serviceName: string;
  /** The slot this compute serves. */
  readonly color: "blue" | "green";
  /**
   * The release this compute runs: its id and the image pinned to it (by tag, not `latest`, or by digest); the
   * image may be an output (the digest of an image built in the same update), checked once known.
   */
  readonly release: { readonly version: string; readonly image: pulumi.Input<string> };
  /**
   * The ECR repository the image comes from: the execution role may then pull from it alone (and write logs)
   * instead of holding AWS's managed execution policy, which pulls from every repository. @default the managed policy
   */
  readonly imageRepositoryArn?: pulumi.Input<string>;
  /** ECS cluster to run in. */
  readonly clusterArn: pulumi.Input<string>;
  /** VPC of the task security group. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets for the tasks. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The slot's target group (target type `ip`). */
  readonly targetGroupArn: pulumi.Input<string>;
  /** The only source the tasks accept traffic from. */
  readonly loadBalancerSecurityGroupId: pulumi.Input<string>;
  /** Port the container listens on. */
  readonly port: number;
  /** Fargate CPU units. @default 256 */
  readonly cpu?: number;
  /** Fargate memory in MiB; a size Fargate accepts for `cpu`. @default 512 */
  readonly memory?: number;
  /** CPU the tasks run on; the image must be built for it. @default "X86_64" */
  readonly cpuArchitecture?: CpuArchitecture;
  /** Tasks to run. @default 2 */
  readonly desiredCount?: number;
  /**
   * Environment variable → ARN of an SSM parameter or Secrets Manager secret, never the value; a Secrets Manager
   * ARN may end in `:<json-key>::` to take one key of a JSON secret. ARNs not known yet (a database's secret) are
   * checked by AWS instead. @default {}
   */
  readonly secrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Non-secret environment variables; FLIPSTACK_VERSION and FLIPSTACK_COLOR are added. @default {} */
  readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Security groups the tasks join besides their own, e.g. a database's client group. @default [] */
  readonly securityGroupIds?: readonly pulumi.Input<string>[];
  /** Days to keep the release's own log group (when no `logGroupName` is given). @default 30 */
  readonly logRetentionDays?: number;
  /** A central log group to write to instead of one per release. @default a log group per release */
  readonly logGroupName?: pulumi.Input<string>;
  /** Register the slot in this Cloud Map namespace as `<serviceName>-<color>`. @default not registered */
  readonly serviceDiscovery?: { readonly namespaceId: pulumi.Input<string> };
  /** IAM policy JSON for what the application may do (the file archive, say). @default no permissions */
  readonly taskRolePolicy?: pulumi.Input<string>;
  /**
   * User the container runs as, `uid` or `uid:gid` (non-zero): overrides the image's `USER`, so a process that
   * breaks out of the application is not root inside the task. @default the image's user
   */
  readonly user?: string;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * How to run a one-off task exactly as the slot's service runs its tasks (same task definition, cluster, network,
 * launch type and log stream): what `flipstack release deploy` starts a migration with.
 */
export interface OneOffTask {
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  /** The container whose command a one-off task overrides. */
  readonly containerName: string;
  readonly launchType: "FARGATE";
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly assignPublicIp: boolean;
  readonly logGroupName: string;
  /** awslogs stream prefix: a task's stream is `<prefix>/<container>/<task id>`. */
  readonly logStreamPrefix: string;
}

/**
 * What the managed execution policy grants, with image pulls narrowed to one repository: an authorization token
 * names no repository (so it is `*`), the layers and manifests do.
 */
function pullPolicy(repositoryArn: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
      { Effect: "Allow", Action: [...ECR_PULL_ACTIONS], Resource: repositoryArn },
      { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" },
    ],
  });
}

/** Docker's default capabilities without NET_BIND_SERVICE, for an application on a port below 1024. */
const CAPABILITIES_BUT_BIND = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];

/** What each optional arg is when left out. */
export const CONTAINER_SERVICE_DEFAULTS = {
  cpu: 256,
  memory: 512,
  desiredCount: 2,
  cpuArchitecture: "X86_64",
  secrets: {},
  environment: {},
  securityGroupIds: [],
  logRetentionDays: 30,
  tags: {},
} as const satisfies Partial<ContainerServiceArgs>;

/** The args with every default filled in: what the validator checks and the constructor builds. */
export const resolveContainerServiceArgs = (args: ContainerServiceArgs) => withDefaults(args, CONTAINER_SERVICE_DEFAULTS);

/** Why these args cannot build the service, or an empty list. Runs before any resource is created. */
export function validateContainerServiceArgs(args: ContainerServiceArgs): string[] {
  const missing = missingArgs(args, REQUIRED_ARGS.ContainerService);
  if (missing.length > 0) return missing;
  const problems: string[] = [];
  const resolved = resolveContainerServiceArgs(args);
  const { image, version } = args.release;
  // An image built in the same update is an output, known once pushed (as a digest): only a given one is checked here.
  if (typeof image === "string" && !PINNED_IMAGE.test(image)) {
    problems.push(`The \`release.image\` ${image} is not pinned; give a tag (the commit SHA) or a digest (@sha256:...).`);
  } else if (typeof image === "string" && isLatestTag(image)) {
    problems.push(`The \`release.image\` ${image} uses the tag \`latest\`; pin it to the release's commit SHA or digest.`);
  }
  if (!RELEASE_ID.test(version)) problems.push(`The \`release.version\` "${version}" is not a valid release id.`);
  const size = fargateSizeProblem(resolved.cpu, resolved.memory);
  if (size) problems.push(`The \`cpu\`/\`memory\` pair is invalid: ${size}.`);
  for (const [name, arn] of Object.entries(resolved.secrets)) {
    if (!ENV_NAME.test(name)) problems.push(`The \`secrets\` name ${name} is not a valid environment variable name.`);
    if (typeof arn === "string" && !SECRET_ARN.test(arn)) problems.push(`The \`secrets.${name}\` value is not an SSM parameter or Secrets Manager ARN; reference the secret, never its value.`);
  }
  if (!isPort(args.port)) problems.push(`The \`port\` ${args.port} must be from 1 to 65535.`);
  if (args.user !== undefined && !NON_ROOT_USER.test(args.user)) problems.push(`The \`user\` ${JSON.stringify(args.user)} must be a non-root user or uid, optionally with a group (e.g. 1000:1000).`);
  if (!CPU_ARCHITECTURES.includes(resolved.cpuArchitecture)) problems.push(`The \`cpuArchitecture\` ${JSON.stringify(resolved.cpuArchitecture)} must be ${CPU_ARCHITECTURES.join(" or ")}.`);
  const desired = resolved.desiredCount;
  if (!isWhole(desired, 1)) problems.push(`The \`desiredCount\` ${desired} must be 1 or more.`);
  const retention = args.logGroupName === undefined && logRetentionProblem(resolved.logRetentionDays);
  if (retention) problems.push(`The \`logRetentionDays\` ${retention}.`);
  return problems;
}

/**
 * The Fargate compute of one blue/green slot for one release: a task definition pinned to the release's image
 * (read-only root filesystem, not privileged, secrets by reference, logs to CloudWatch), task and execution roles
 * with least privilege, a security group open only to the load balancer, and an ECS service in private subnets
 * attached to the slot's target group, with the deployment circuit breaker and `waitForSteadyState`. The caller
 * puts the release id in the component's name, so a new release is a new service beside the old one.
 *
 * Costs money: Fargate vCPU and memory hours for `desiredCount` tasks, and log ingestion and storage.
 */
export class ContainerService extends pulumi.ComponentResource {
  /** ARN of the ECS service. */
  public readonly serviceArn: pulumi.Output<string>;
  /** Name of the ECS service. */
  public readonly ecsServiceName: pulumi.Output<string>;
  /** The task definition pinned to the release's image. */
  public readonly taskDefinitionArn: pulumi.Output<string>;
  /** The tasks' security group, for rules that let them reach databases or other services. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** Log group the containers write to: the given central one or the release's own. */
  public readonly logGroupName: pulumi.Output<string>;
  /** Role the application runs as (`taskRolePolicy` is attached to it). */
  public readonly taskRoleArn: pulumi.Output<string>;
  /** Role ECS uses to pull the image, read the secrets and write logs. */
  public readonly executionRoleArn: pulumi.Output<string>;
  /** Cloud Map name of the slot's release (`<service>-<color>-<release>`, a DNS label), when registered. */
  public readonly discoveryName: pulumi.Output<string | undefined>;
  /** How to run a one-off task (a migration) as the service runs its tasks. */
  public readonly oneOffTask: pulumi.Output<OneOffTask>;

  constructor(name: string, args: ContainerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateContainerServiceArgs(args);
    if (problems.length > 0) throw new pulumi.RunError(`ContainerService "${name}": ${problems.join(" ")}`);
    super("flipstack:compute:ContainerService", name, {}, opts);
    const resolved = resolveContainerServiceArgs(args);

    const parent = { parent: this };
    const tags = releaseTags(args);
    const logGroupName = args.logGroupName
      ?? new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: resolved.logRetentionDays, tags }, { ...parent, retainOnDelete: true }).name;
    const roles = this.createRoles(name, resolved, tags);
    const { securityGroup } = createAppSecurityGroup(name, this, {
      vpcId: args.vpcId,
      port: args.port,
      loadBalancerSecurityGroupId: args.loadBalancerSecurityGroupId,
      description: `${args.serviceName} ${args.color} tasks: the application port from the load balancer only`,
      tags: () => tags,
    });
    const region = aws.getRegionOutput({}, parent).region;
    const logStreamPrefix = `${args.color}-${args.release.version}`;
    const network = { subnets: args.subnetIds, securityGroups: [securityGroup.id, ...resolved.securityGroupIds], assignPublicIp: false };

    const taskDefinition = new aws.ecs.TaskDefinition(`${name}-task`, {
      family: `${args.serviceName}-${args.color}`,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(resolved.cpu),
      memory: String(resolved.memory),
      executionRoleArn: roles.execution.arn,
      taskRoleArn: roles.task.arn,
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: resolved.cpuArchitecture },
      // A read-only root filesystem still needs somewhere to write temporary files.
      volumes: [{ name: "tmp" }],
      containerDefinitions: pulumi.jsonStringify([{
        name: args.serviceName,
        image: args.release.image,
        essential: true,
        readonlyRootFilesystem: true,
        privileged: false,
        portMappings: [{ containerPort: args.port, protocol: "tcp" }],
        environment: Object.entries({ ...args.environment, FLIPSTACK_VERSION: args.release.version, FLIPSTACK_COLOR: args.color })
          .map(([key, value]) => ({ name: key, value })),
        secrets: Object.entries(resolved.secrets).map(([key, arn]) => ({ name: key, valueFrom: arn })),
        mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
        // Linux capabilities dropped: a web application needs none, except binding a port below 1024.
        linuxParameters: { initProcessEnabled: true, capabilities: { drop: args.port < 1024 ? CAPABILITIES_BUT_BIND : ["ALL"] } },
        ...(args.user !== undefined && { user: args.user }),
        logConfiguration: {
          logDriver: "awslogs",
          options: { "awslogs-group": logGroupName, "awslogs-region": region, "awslogs-stream-prefix": logStreamPrefix },
        },
      }]),
      tags,
    }, parent);

    // The release is part of the name: redeploying a slot creates the new release's Cloud Map service before the
    // old one is deleted, and Cloud Map refuses two services of one name in a namespace.
    const discoveryName = discoveryServiceName(args.serviceName, args.color, args.release.version);
    const discovery = args.serviceDiscovery && new aws.servicediscovery.Service(`${name}-discovery`, {
      name: discoveryName,
      dnsConfig: { namespaceId: args.serviceDiscovery.namespaceId, dnsRecords: [{ type: "A", ttl: 10 }], routingPolicy: "MULTIVALUE" },
      healthCheckCustomConfig: { failureThreshold: 1 },
      tags,
    }, parent);

    const service = new aws.ecs.Service(`${name}-service`, {
      cluster: args.clusterArn,
      taskDefinition: taskDefinition.arn,
      desiredCount: resolved.desiredCount,
      launchType: "FARGATE",
      networkConfiguration: network,
      loadBalancers: [{ targetGroupArn: args.targetGroupArn, containerName: args.serviceName, containerPort: args.port }],
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      healthCheckGracePeriodSeconds: 30,
      // `pulumi up` returns only when the tasks run and pass the load balancer's health check.
      waitForSteadyState: true,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      ...(discovery && { serviceRegistries: { registryArn: discovery.arn } }),
      tags,
    }, parent);

    this.serviceArn = service.id;
    this.ecsServiceName = service.name;
    this.taskDefinitionArn = taskDefinition.arn;
    this.securityGroupId = securityGroup.id;
    this.logGroupName = pulumi.output(logGroupName);
    this.taskRoleArn = roles.task.arn;
    this.executionRoleArn = roles.execution.arn;
    this.discoveryName = pulumi.output(discovery ? discoveryName : undefined);
    this.oneOffTask = pulumi.output({
      clusterArn: args.clusterArn,
      taskDefinitionArn: taskDefinition.arn,
      containerName: args.serviceName,
      launchType: "FARGATE" as const,
      subnetIds: network.subnets,
      securityGroupIds: network.securityGroups,
      assignPublicIp: network.assignPublicIp,
      logGroupName,
      logStreamPrefix,
    }) as pulumi.Output<OneOffTask>;
    this.registerOutputs({
      serviceArn: this.serviceArn,
      ecsServiceName: this.ecsServiceName,
      taskDefinitionArn: this.taskDefinitionArn,
      securityGroupId: this.securityGroupId,
      logGroupName: this.logGroupName,
      taskRoleArn: this.taskRoleArn,
      executionRoleArn: this.executionRoleArn,
      discoveryName: this.discoveryName,
      oneOffTask: this.oneOffTask,
    });
  }

  private createRoles(name: string, args: ReturnType<typeof resolveContainerServiceArgs>, tags: Record<string, string>) {
    const parent = { parent: this };
    const trust = assumeRolePolicy("ecs-tasks.amazonaws.com");
    const execution = new aws.iam.Role(`${name}-execution`, { namePrefix: iamNamePrefix(name, "exec"), assumeRolePolicy: trust, tags }, parent);
    if (args.imageRepositoryArn === undefined) {
      new aws.iam.RolePolicyAttachment(`${name}-execution`, {
        role: execution.name,
        policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
      }, parent);
    } else {
      new aws.iam.RolePolicy(`${name}-pull`, { role: execution.id, policy: pullPolicy(args.imageRepositoryArn) }, parent);
    }
    // The execution role reads exactly the configured secrets, nothing else.
    const secretArns = Object.values(args.secrets);
    if (secretArns.length > 0) {
      new aws.iam.RolePolicy(`${name}-secrets`, { role: execution.id, policy: pulumi.output(secretArns).apply(secretReadPolicy) }, parent);
    }
    const task = new aws.iam.Role(`${name}-task`, { namePrefix: iamNamePrefix(name, "task"), assumeRolePolicy: trust, tags }, parent);
    if (args.taskRolePolicy !== undefined) new aws.iam.RolePolicy(`${name}-app`, { role: task.id, policy: args.taskRolePolicy }, parent);
    return { execution, task };
  }
}

/**
 * The secret itself, for IAM: a Secrets Manager `valueFrom` may add `:<json-key>:<version-stage>:<version-id>`
 * after the secret's ARN (seven colon-separated fields), which IAM does not match.
 */
export function secretResourceArn(valueFrom: string): string {
  return valueFrom.includes(":secretsmanager:") ? valueFrom.split(":").slice(0, 7).join(":") : valueFrom;
}

/** Policy JSON letting ECS read exactly these secrets (SSM parameters and Secrets Manager secrets) and no other. */
function secretReadPolicy(valueFroms: readonly string[]): string {
  const resources = [...new Set(valueFroms.map(secretResourceArn))];
  const ssm = resources.filter((arn) => arn.includes(":ssm:"));
  const secretsManager = resources.filter((arn) => arn.includes(":secretsmanager:"));
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      ...(ssm.length ? [{ Effect: "Allow", Action: ["ssm:GetParameters"], Resource: ssm }] : []),
      ...(secretsManager.length ? [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secretsManager }] : []),
    ],
  });
}
