import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ContainerService, type ContainerServiceArgs } from "./containerService";
import { ImmutableInstanceGroup, type ImmutableInstanceGroupArgs } from "./immutableInstanceGroup";
import { namePrefix } from "./naming";
import { missingArgs, REQUIRED_ARGS } from "./requiredArgs";

export type Color = "blue" | "green";
export const COLORS: readonly Color[] = ["blue", "green"];

/** One release in one slot: a version and the artefact built for it. */
export interface Release {
  /** Release id: a version or commit SHA. Part of the compute's logical names. */
  readonly version: string;
  /** AMI of the release, for `kind: instances`. @default none (required for instances) */
  readonly ami?: string;
  /** Image pinned by tag or digest, for `kind: containers`. @default none (required for containers) */
  readonly image?: string;
}

/** Which slot serves users, and what each present slot holds. At most two slots, by construction. */
export interface ReleaseState {
  /** The slot users reach; it must hold a release. */
  readonly live: Color;
  /** The blue slot's release. @default empty slot */
  readonly blue?: Release;
  /** The green slot's release. @default empty slot */
  readonly green?: Release;
}

/** Compute of `kind: instances`: each release is an AMI run by an auto scaling group (see ImmutableInstanceGroupArgs). */
export interface InstanceCompute extends Pick<ImmutableInstanceGroupArgs, "instanceType" | "capacity" | "userData" | "rolePolicy"> {
  /** Each release is an AMI run by an auto scaling group. */
  readonly kind: "instances";
}

/** Compute of `kind: containers`: each release is an image run as a Fargate service (see ContainerServiceArgs). */
export interface ContainerCompute
  extends Pick<ContainerServiceArgs, "clusterArn" | "cpu" | "memory" | "desiredCount" | "secrets" | "environment" | "logRetentionDays" | "logGroupName" | "taskRolePolicy"> {
  /** Each release is a container image run as an ECS Fargate service. */
  readonly kind: "containers";
  /** Cloud Map namespace; each slot registers as `<service>-<color>`. @default not registered */
  readonly namespaceId?: pulumi.Input<string>;
}

export interface HealthCheck {
  /** Path the load balancer requests. @default "/healthz" */
  readonly path?: string;
  /** HTTP codes that count as healthy. @default "200" */
  readonly matcher?: string;
  /** Seconds between checks (AWS's default is 30). @default 5 */
  readonly intervalSeconds?: number;
  /** Seconds before a check fails; shorter than the interval. @default 4 */
  readonly timeoutSeconds?: number;
  /** Passing checks before a target is healthy (AWS's default is 5). @default 2 */
  readonly healthyThreshold?: number;
  /** Failing checks before a target is unhealthy. @default 2 */
  readonly unhealthyThreshold?: number;
}

export interface BlueGreenServiceArgs {
  /** Service name, e.g. `api`; tags, Cloud Map names and target group prefixes derive from it. */
  readonly serviceName: string;
  /** VPC of the target groups and the compute. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets for the compute. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Listener users reach (HTTPS); its rule forwards to the live slot. */
  readonly productionListenerArn: pulumi.Input<string>;
  /** Listener reachable only from the VPN and office; its rule forwards to the idle slot when there is one. */
  readonly testListenerArn: pulumi.Input<string>;
  /** Security group of the load balancer: the only source the compute accepts traffic from. */
  readonly loadBalancerSecurityGroupId: pulumi.Input<string>;
  /** Port the application listens on. */
  readonly port: number;
  /** Listener rule: which requests are this service's. The priority must be unique on the listener. */
  readonly routing: {
    readonly priority: number;
    /** @default none */
    readonly pathPatterns?: readonly string[];
    /** @default none */
    readonly hostHeaders?: readonly string[];
  };
  /** Target health check; defaults make a target healthy within 15 s of answering. @default see HealthCheck */
  readonly healthCheck?: HealthCheck;
  /** How long an old target drains after a flip. AWS's default is 300. @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /** Which slot is live and what each slot holds. */
  readonly release: ReleaseState;
  /** How each release runs: instances from an AMI or containers from an image. */
  readonly compute: InstanceCompute | ContainerCompute;
  /**
   * ARN suffix of the load balancer (`app/<name>/<id>`). When given, each slot gets the alarms a release bake
   * watches: target 5xx responses and unhealthy hosts. @default no alarms
   */
  readonly loadBalancerArnSuffix?: pulumi.Input<string>;
  /** SNS topics notified by the slot alarms. @default [] */
  readonly alarmActions?: readonly pulumi.Input<string>[];
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The slot users do not reach, when it holds a release. */
export function idleColor(release: ReleaseState): Color | undefined {
  const idle: Color = release.live === "blue" ? "green" : "blue";
  return release[idle] ? idle : undefined;
}

/** Why these args cannot build a service, or an empty list. Runs before any resource is created. */
export function validateBlueGreenServiceArgs(args: BlueGreenServiceArgs): string[] {
  const missing = missingArgs(args, REQUIRED_ARGS.BlueGreenService);
  if (missing.length > 0) return missing;
  const problems: string[] = [];
  const { release, routing, compute } = args;
  if (!release[release.live]) problems.push(`The \`release.live\` slot "${release.live}" holds no release; deploy into it first or make the other slot live.`);
  const artefact = compute.kind === "instances" ? "ami" : "image";
  for (const color of COLORS) {
    const slot = release[color];
    if (slot && !slot[artefact]) problems.push(`The \`release.${color}\` slot has no \`${artefact}\`; a ${compute.kind} service deploys one per release.`);
    if (slot && !/^[\w][\w.+-]{0,63}$/.test(slot.version)) problems.push(`The \`release.${color}.version\` "${slot.version}" is not a valid release id.`);
  }
  if (!Number.isInteger(routing.priority) || routing.priority < 1 || routing.priority > 50000) {
    problems.push(`The \`routing.priority\` ${routing.priority} must be a whole number from 1 to 50000.`);
  }
  if (!routing.pathPatterns?.length && !routing.hostHeaders?.length) problems.push("The `routing` needs `pathPatterns`, `hostHeaders` or both.");
  if (!Number.isInteger(args.port) || args.port < 1 || args.port > 65535) problems.push(`The \`port\` ${args.port} must be from 1 to 65535.`);
  return problems;
}

/** Services sharing a listener rule priority with an earlier one; each message names both services. */
export function duplicatePriorityProblems(services: ReadonlyArray<{ name: string; priority: number }>): Array<{ service: string; message: string }> {
  const seen = new Map<number, string>();
  const problems: Array<{ service: string; message: string }> = [];
  for (const { name, priority } of services) {
    const other = seen.get(priority);
    if (other) problems.push({ service: name, message: `services "${other}" and "${name}" both use listener rule priority ${priority}; give each a unique priority` });
    else seen.set(priority, name);
  }
  return problems;
}

/**
 * One service released blue/green. Each present slot gets its own target group and its own compute (an
 * {@link ImmutableInstanceGroup} or a {@link ContainerService}, named with the release id so that a new release
 * is new infrastructure). The production listener rule forwards to the live slot; the test listener rule forwards
 * to the idle slot. Flipping `release.live` changes those two listener rules and nothing else.
 *
 * Costs money: the compute of every present slot (two while a release is being verified or baked); target groups
 * and listener rules are free.
 */
export class BlueGreenService extends pulumi.ComponentResource {
  public readonly liveColor: pulumi.Output<Color>;
  public readonly idleColor: pulumi.Output<Color | undefined>;
  public readonly liveVersion: pulumi.Output<string>;
  public readonly idleVersion: pulumi.Output<string | undefined>;
  public readonly targetGroupArns: pulumi.Output<Partial<Record<Color, string>>>;
  /** Target group ARN suffixes (for CloudWatch dimensions), per slot. */
  public readonly targetGroupArnSuffixes: pulumi.Output<Partial<Record<Color, string>>>;
  public readonly productionRuleArn: pulumi.Output<string>;
  public readonly testRuleArn: pulumi.Output<string | undefined>;
  /** Names of each slot's alarms (empty without `loadBalancerArnSuffix`). */
  public readonly alarmNames: pulumi.Output<Partial<Record<Color, string[]>>>;

  constructor(name: string, args: BlueGreenServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateBlueGreenServiceArgs(args);
    if (problems.length > 0) throw new pulumi.RunError(`BlueGreenService "${name}": ${problems.join(" ")}`);
    // The release state is the component's input, so plans and diffs show which slot is live and what each holds.
    super("flipstack:traffic:BlueGreenService", name, { serviceName: args.serviceName, kind: args.compute.kind, release: args.release }, opts);

    const release = args.release;
    const idle = idleColor(release);
    const slots = COLORS.filter((color) => release[color]);
    const targetGroups = new Map(slots.map((color) => [color, this.createTargetGroup(name, args, color)]));
    for (const color of slots) this.createCompute(name, args, color, release[color]!, targetGroups.get(color)!);
    const alarms = Object.fromEntries(slots.map((color) => [color, this.createAlarms(name, args, color, targetGroups.get(color)!)]));

    const conditions = ruleConditions(args.routing);
    const forwardTo = (color: Color) => [{ type: "forward", targetGroupArn: targetGroups.get(color)!.arn }];
    const productionRule = new aws.lb.ListenerRule(`${name}-live`, {
      listenerArn: args.productionListenerArn,
      priority: args.routing.priority,
      conditions,
      actions: forwardTo(release.live),
      tags: { ...args.tags, "flipstack:service": args.serviceName, "flipstack:route": "live" },
    }, { parent: this });
    const testRule = idle && new aws.lb.ListenerRule(`${name}-test`, {
      listenerArn: args.testListenerArn,
      priority: args.routing.priority,
      conditions,
      actions: forwardTo(idle),
      tags: { ...args.tags, "flipstack:service": args.serviceName, "flipstack:route": "test" },
    }, { parent: this });

    const arnsBy = (pick: (tg: aws.lb.TargetGroup) => pulumi.Output<string>) =>
      pulumi.all(Object.fromEntries(slots.map((color) => [color, pick(targetGroups.get(color)!)]))) as pulumi.Output<Partial<Record<Color, string>>>;
    this.liveColor = pulumi.output(release.live);
    this.idleColor = pulumi.output(idle);
    this.liveVersion = pulumi.output(release[release.live]!.version);
    this.idleVersion = pulumi.output(idle && release[idle]!.version);
    this.targetGroupArns = arnsBy((tg) => tg.arn);
    this.targetGroupArnSuffixes = arnsBy((tg) => tg.arnSuffix);
    this.productionRuleArn = productionRule.arn;
    this.testRuleArn = testRule ? testRule.arn : pulumi.output(undefined);
    this.alarmNames = pulumi.all(alarms);
    this.registerOutputs({
      liveColor: this.liveColor,
      idleColor: this.idleColor,
      liveVersion: this.liveVersion,
      idleVersion: this.idleVersion,
      targetGroupArns: this.targetGroupArns,
      productionRuleArn: this.productionRuleArn,
      testRuleArn: this.testRuleArn,
      alarmNames: this.alarmNames,
    });
  }

  /** What a bake watches after a flip: any target 5xx and any unhealthy host, minute by minute. */
  private createAlarms(name: string, args: BlueGreenServiceArgs, color: Color, targetGroup: aws.lb.TargetGroup): pulumi.Output<string>[] {
    if (args.loadBalancerArnSuffix === undefined) return [];
    const dimensions = { LoadBalancer: args.loadBalancerArnSuffix, TargetGroup: targetGroup.arnSuffix };
    const common = {
      namespace: "AWS/ApplicationELB",
      dimensions,
      period: 60,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparisonOperator: "GreaterThanThreshold",
      alarmActions: [...(args.alarmActions ?? [])],
      tags: { ...args.tags, "flipstack:service": args.serviceName, "flipstack:color": color },
    };
    const errors = new aws.cloudwatch.MetricAlarm(`${name}-${color}-5xx`, {
      ...common,
      alarmDescription: `${args.serviceName} (${color}): targets answer with 5xx`,
      metricName: "HTTPCode_Target_5XX_Count",
      statistic: "Sum",
      threshold: 5,
      treatMissingData: "notBreaching", // no requests, no errors
    }, { parent: this });
    const unhealthy = new aws.cloudwatch.MetricAlarm(`${name}-${color}-unhealthy`, {
      ...common,
      alarmDescription: `${args.serviceName} (${color}): unhealthy targets behind the load balancer`,
      metricName: "UnHealthyHostCount",
      statistic: "Maximum",
      threshold: 0,
      treatMissingData: "notBreaching",
    }, { parent: this });
    return [errors.name, unhealthy.name];
  }

  private createTargetGroup(name: string, args: BlueGreenServiceArgs, color: Color): aws.lb.TargetGroup {
    const check = args.healthCheck ?? {};
    return new aws.lb.TargetGroup(`${name}-${color}`, {
      // A prefix, never a fixed name: a replacement target group can then exist beside the old one.
      namePrefix: namePrefix(`${args.serviceName.slice(0, 4)}${color[0]}`),
      vpcId: args.vpcId,
      port: args.port,
      protocol: "HTTP",
      targetType: args.compute.kind === "instances" ? "instance" : "ip",
      deregistrationDelay: args.deregistrationDelaySeconds ?? 30,
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: check.path ?? "/healthz",
        matcher: check.matcher ?? "200",
        interval: check.intervalSeconds ?? 5,
        timeout: check.timeoutSeconds ?? 4,
        healthyThreshold: check.healthyThreshold ?? 2,
        unhealthyThreshold: check.unhealthyThreshold ?? 2,
      },
      tags: { ...args.tags, "flipstack:service": args.serviceName, "flipstack:color": color },
    }, { parent: this });
  }

  private createCompute(name: string, args: BlueGreenServiceArgs, color: Color, release: Release, targetGroup: aws.lb.TargetGroup): void {
    // The release id in the name makes every release new resources: create the new, then delete the old.
    const computeName = `${name}-${color}-${release.version}`;
    const common = {
      serviceName: args.serviceName,
      color,
      vpcId: args.vpcId,
      subnetIds: args.subnetIds,
      targetGroupArn: targetGroup.arn,
      loadBalancerSecurityGroupId: args.loadBalancerSecurityGroupId,
      port: args.port,
      tags: args.tags,
    };
    const compute = args.compute;
    if (compute.kind === "instances") {
      new ImmutableInstanceGroup(computeName, {
        ...common,
        release: { version: release.version, ami: release.ami! },
        instanceType: compute.instanceType,
        capacity: compute.capacity,
        userData: compute.userData,
        rolePolicy: compute.rolePolicy,
      }, { parent: this });
    } else {
      new ContainerService(computeName, {
        ...common,
        release: { version: release.version, image: release.image! },
        clusterArn: compute.clusterArn,
        cpu: compute.cpu,
        memory: compute.memory,
        desiredCount: compute.desiredCount,
        secrets: compute.secrets,
        environment: compute.environment,
        logRetentionDays: compute.logRetentionDays,
        logGroupName: compute.logGroupName,
        taskRolePolicy: compute.taskRolePolicy,
        serviceDiscovery: compute.namespaceId === undefined ? undefined : { namespaceId: compute.namespaceId },
      }, { parent: this });
    }
  }
}

function ruleConditions(routing: BlueGreenServiceArgs["routing"]): aws.types.input.lb.ListenerRuleCondition[] {
  return [
    ...(routing.pathPatterns?.length ? [{ pathPattern: { values: [...routing.pathPatterns] } }] : []),
    ...(routing.hostHeaders?.length ? [{ hostHeader: { values: [...routing.hostHeaders] } }] : []),
  ];
}
