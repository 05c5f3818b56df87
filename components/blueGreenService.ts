import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ContainerService, type ContainerServiceArgs, type OneOffTask } from "./containerService";
import { ImmutableInstanceGroup, type ImmutableInstanceGroupArgs } from "./immutableInstanceGroup";
import { withDefaults } from "./defaults";
import { ecsSafeName, namePrefix } from "./naming";
import { isPort, isWhole, RELEASE_ID } from "./patterns";
import { COLORS, idleColor, LISTENER_RULE_PRIORITY, type Color, type Release, type ReleaseState } from "./release";
import { missingArgs, REQUIRED_ARGS } from "./requiredArgs";

export { COLORS, duplicatePriorityProblems, idleColor } from "./release";
export type { Color, Release, ReleaseState } from "./release";
import { MAX_STICKINESS_SECONDS, shiftWeights } from "./trafficShift";

/** Compute of `kind: instances`: each release is an AMI run by an auto scaling group (see ImmutableInstanceGroupArgs). */
export interface InstanceCompute extends Pick<ImmutableInstanceGroupArgs, "instanceType" | "capacity" | "userData" | "rolePolicy" | "logGroup" | "applicationLogPath" | "securityGroupIds"> {
  /** Each release is an AMI run by an auto scaling group. */
  readonly kind: "instances";
}

/** Compute of `kind: containers`: each release is an image run as a Fargate service (see ContainerServiceArgs). */
export interface ContainerCompute
  extends Pick<ContainerServiceArgs, "clusterArn" | "cpu" | "memory" | "desiredCount" | "secrets" | "environment" | "logRetentionDays" | "logGroupName" | "taskRolePolicy" | "user" | "securityGroupIds" | "imageRepositoryArn" | "cpuArchitecture"> {
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
  /**
   * During a shift (`release.weight` above 0), keep each user on the target group they first reached for this
   * long (the forward action's target group stickiness, 1–604800 s), so one user sees one release. @default off
   */
  readonly stickinessSeconds?: number;
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

/** What each optional health check setting is when left out: a target is healthy within 15 s of answering. */
export const HEALTH_CHECK_DEFAULTS = {
  path: "/healthz",
  matcher: "200",
  intervalSeconds: 5,
  timeoutSeconds: 4,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
} as const satisfies HealthCheck;

/** What each optional arg is when left out; an old target drains in 30 s. */
export const BLUE_GREEN_SERVICE_DEFAULTS = {
  healthCheck: HEALTH_CHECK_DEFAULTS,
  deregistrationDelaySeconds: 30,
  alarmActions: [],
  tags: {},
} as const satisfies Partial<BlueGreenServiceArgs>;

/** The args with every default filled in (the health check setting by setting): what validator and constructor read. */
export function resolveBlueGreenServiceArgs(args: BlueGreenServiceArgs) {
  return { ...withDefaults(args, BLUE_GREEN_SERVICE_DEFAULTS), healthCheck: withDefaults(args.healthCheck ?? {}, HEALTH_CHECK_DEFAULTS) };
}

type ResolvedArgs = ReturnType<typeof resolveBlueGreenServiceArgs>;

/** Why these args cannot build a service, or an empty list. Runs before any resource is created. */
export function validateBlueGreenServiceArgs(args: BlueGreenServiceArgs): string[] {
  const missing = missingArgs(args, REQUIRED_ARGS.BlueGreenService);
  if (missing.length > 0) return missing;
  const problems: string[] = [];
  const { release, routing, compute, healthCheck } = resolveBlueGreenServiceArgs(args);
  if (!release[release.live]) problems.push(`The \`release.live\` slot "${release.live}" holds no release; deploy into it first or make the other slot live.`);
  const artefact = compute.kind === "instances" ? "ami" : "image";
  for (const color of COLORS) {
    const slot = release[color];
    if (slot && !slot[artefact]) problems.push(`The \`release.${color}\` slot has no \`${artefact}\`; a ${compute.kind} service deploys one per release.`);
    if (slot && !RELEASE_ID.test(slot.version)) problems.push(`The \`release.${color}.version\` "${slot.version}" is not a valid release id.`);
  }
  if (!isWhole(routing.priority, LISTENER_RULE_PRIORITY.min, LISTENER_RULE_PRIORITY.max)) {
    problems.push(`The \`routing.priority\` ${routing.priority} must be a whole number from ${LISTENER_RULE_PRIORITY.min} to ${LISTENER_RULE_PRIORITY.max}.`);
  }
  if (!routing.pathPatterns?.length && !routing.hostHeaders?.length) problems.push("The `routing` needs `pathPatterns`, `hostHeaders` or both.");
  const weight = release.weight ?? 0;
  if (!Number.isInteger(weight) || weight < 0 || weight > 99) {
    problems.push(`The \`release.weight\` ${weight} must be a whole percentage from 0 to 99; 100 is a flip (\`release.live\`), not a weight.`);
  } else if (weight > 0 && !idleColor(release)) {
    problems.push(`The \`release.weight\` ${weight} sends users to the idle slot, which is empty; deploy into it first or set the weight to 0.`);
  }
  const sticky = args.stickinessSeconds;
  if (sticky !== undefined && (!Number.isInteger(sticky) || sticky < 1 || sticky > MAX_STICKINESS_SECONDS)) {
    problems.push(`The \`stickinessSeconds\` ${sticky} must be a whole number of seconds from 1 to ${MAX_STICKINESS_SECONDS} (7 days).`);
  }
  if (!isPort(args.port)) problems.push(`The \`port\` ${args.port} must be from 1 to 65535.`);
  // Elastic Load Balancing refuses a health check whose timeout is not shorter than its interval.
  if (healthCheck.timeoutSeconds >= healthCheck.intervalSeconds) {
    problems.push(`The \`healthCheck.timeoutSeconds\` ${healthCheck.timeoutSeconds} must be shorter than \`healthCheck.intervalSeconds\` (${healthCheck.intervalSeconds}).`);
  }
  return problems;
}

/**
 * One service released blue/green. Each present slot gets its own target group and its own compute (an
 * {@link ImmutableInstanceGroup} or a {@link ContainerService}, named with the release id so that a new release
 * is new infrastructure). The production listener rule forwards to the live slot; the test listener rule forwards
 * to the idle slot. Flipping `release.live` changes those two listener rules and nothing else. While traffic shifts
 * (`release.weight` above 0) the production rule forwards to both slots with weights, optionally sticky; the test
 * rule still serves the idle slot only.
 *
 * Costs money: the compute of every present slot (two while a release is being verified or baked); target groups
 * and listener rules are free.
 */
export class BlueGreenService extends pulumi.ComponentResource {
  /** The slot users reach. */
  public readonly liveColor: pulumi.Output<Color>;
  /** The other slot when it holds a release (served on the test listener), else undefined. */
  public readonly idleColor: pulumi.Output<Color | undefined>;
  /** Release id of the live slot. */
  public readonly liveVersion: pulumi.Output<string>;
  /** Release id of the idle slot, when there is one. */
  public readonly idleVersion: pulumi.Output<string | undefined>;
  /** Target group ARN per present slot. */
  public readonly targetGroupArns: pulumi.Output<Partial<Record<Color, string>>>;
  /** Target group ARN suffixes (for CloudWatch dimensions), per slot. */
  public readonly targetGroupArnSuffixes: pulumi.Output<Partial<Record<Color, string>>>;
  /** The production listener rule, forwarding to the live slot. */
  public readonly productionRuleArn: pulumi.Output<string>;
  /** The test listener rule, forwarding to the idle slot; undefined without an idle slot. */
  public readonly testRuleArn: pulumi.Output<string | undefined>;
  /** Percent of users each present slot gets: 100 on the live slot, except during a shift. */
  public readonly weights: pulumi.Output<Partial<Record<Color, number>>>;
  /** Names of each slot's alarms (empty without `loadBalancerArnSuffix`). */
  public readonly alarmNames: pulumi.Output<Partial<Record<Color, string[]>>>;
  /** Per present slot of a container service, how to run a one-off task (a migration) of its release; empty for instances. */
  public readonly oneOffTasks: pulumi.Output<Partial<Record<Color, OneOffTask>>>;
  /**
   * Per present slot of a container service, its ECS service and the task definition it must run: after a deploy,
   * `flipstack release` confirms that ECS runs that task definition (a deployment the circuit breaker rolled back
   * still reports success to `pulumi up`). Empty for instances.
   */
  public readonly ecsServices: pulumi.Output<Partial<Record<Color, { clusterArn: string; serviceName: string; taskDefinitionArn: string }>>>;

  constructor(name: string, args: BlueGreenServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateBlueGreenServiceArgs(args);
    if (problems.length > 0) throw new pulumi.RunError(`BlueGreenService "${name}": ${problems.join(" ")}`);
    // The release state is the component's input, so plans and diffs show which slot is live and what each holds.
    super("flipstack:traffic:BlueGreenService", name, { serviceName: args.serviceName, kind: args.compute.kind, release: args.release }, opts);

    const resolved = resolveBlueGreenServiceArgs(args);
    const release = args.release;
    const idle = idleColor(release);
    const slots = COLORS.filter((color) => release[color]);
    const targetGroups = new Map(slots.map((color) => [color, this.createTargetGroup(name, resolved, color)]));
    const computes = new Map(slots.map((color) => [color, this.createCompute(name, resolved, color, release[color]!, targetGroups.get(color)!)]));
    const alarms = Object.fromEntries(slots.map((color) => [color, this.createAlarms(name, resolved, color, targetGroups.get(color)!)]));

    const conditions = ruleConditions(args.routing);
    const forwardTo = (color: Color) => [{ type: "forward", targetGroupArn: targetGroups.get(color)!.arn }];
    const weight = release.weight ?? 0;
    // One forward action to both target groups (ALB allows up to 5, weights 0–999): listener rules only, no compute.
    const weightedForward = (live: Color, next: Color) => {
      const weights = shiftWeights(weight);
      return [{
        type: "forward",
        forward: {
          targetGroups: [
            { arn: targetGroups.get(live)!.arn, weight: weights.live },
            { arn: targetGroups.get(next)!.arn, weight: weights.idle },
          ],
          ...(args.stickinessSeconds !== undefined && { stickiness: { enabled: true, duration: args.stickinessSeconds } }),
        },
      }];
    };
    const productionRule = new aws.lb.ListenerRule(`${name}-live`, {
      listenerArn: args.productionListenerArn,
      priority: args.routing.priority,
      conditions,
      actions: weight > 0 && idle ? weightedForward(release.live, idle) : forwardTo(release.live),
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
    const tasks = slots.flatMap((color) => {
      const compute = computes.get(color);
      return compute instanceof ContainerService ? [[color, compute.oneOffTask] as const] : [];
    });
    this.oneOffTasks = pulumi.all(Object.fromEntries(tasks)) as pulumi.Output<Partial<Record<Color, OneOffTask>>>;
    const services = slots.flatMap((color) => {
      const compute = computes.get(color);
      if (!(compute instanceof ContainerService)) return [];
      const service = pulumi.all([compute.oneOffTask, compute.ecsServiceName]).apply(([task, serviceName]) => ({ clusterArn: task.clusterArn, serviceName, taskDefinitionArn: task.taskDefinitionArn }));
      return [[color, service] as const];
    });
    this.ecsServices = pulumi.all(Object.fromEntries(services)) as pulumi.Output<Partial<Record<Color, { clusterArn: string; serviceName: string; taskDefinitionArn: string }>>>;
    const split = shiftWeights(idle ? weight : 0);
    this.weights = pulumi.output({ [release.live]: split.live, ...(idle && { [idle]: split.idle }) });
    this.registerOutputs({
      liveColor: this.liveColor,
      idleColor: this.idleColor,
      liveVersion: this.liveVersion,
      idleVersion: this.idleVersion,
      targetGroupArns: this.targetGroupArns,
      targetGroupArnSuffixes: this.targetGroupArnSuffixes,
      productionRuleArn: this.productionRuleArn,
      testRuleArn: this.testRuleArn,
      alarmNames: this.alarmNames,
      weights: this.weights,
      oneOffTasks: this.oneOffTasks,
      ecsServices: this.ecsServices,
    });
  }

  /** What a bake watches after a flip: any target 5xx and any unhealthy host, minute by minute. */
  private createAlarms(name: string, args: ResolvedArgs, color: Color, targetGroup: aws.lb.TargetGroup): pulumi.Output<string>[] {
    if (args.loadBalancerArnSuffix === undefined) return [];
    const dimensions = { LoadBalancer: args.loadBalancerArnSuffix, TargetGroup: targetGroup.arnSuffix };
    const common = {
      namespace: "AWS/ApplicationELB",
      dimensions,
      period: 60,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparisonOperator: "GreaterThanThreshold",
      alarmActions: [...args.alarmActions],
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

  private createTargetGroup(name: string, args: ResolvedArgs, color: Color): aws.lb.TargetGroup {
    const check = args.healthCheck;
    return new aws.lb.TargetGroup(`${name}-${color}`, {
      // A prefix, never a fixed name: a replacement target group can then exist beside the old one.
      namePrefix: namePrefix(`${args.serviceName.slice(0, 4)}${color[0]}`),
      vpcId: args.vpcId,
      port: args.port,
      protocol: "HTTP",
      targetType: args.compute.kind === "instances" ? "instance" : "ip",
      deregistrationDelay: args.deregistrationDelaySeconds,
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: check.path,
        matcher: check.matcher,
        interval: check.intervalSeconds,
        timeout: check.timeoutSeconds,
        healthyThreshold: check.healthyThreshold,
        unhealthyThreshold: check.unhealthyThreshold,
      },
      tags: { ...args.tags, "flipstack:service": args.serviceName, "flipstack:color": color },
    }, { parent: this });
  }

  private createCompute(name: string, args: ResolvedArgs, color: Color, release: Release, targetGroup: aws.lb.TargetGroup): ImmutableInstanceGroup | ContainerService {
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
      return new ImmutableInstanceGroup(computeName, {
        ...common,
        release: { version: release.version, ami: release.ami! },
        instanceType: compute.instanceType,
        capacity: compute.capacity,
        userData: compute.userData,
        rolePolicy: compute.rolePolicy,
        logGroup: compute.logGroup,
        applicationLogPath: compute.applicationLogPath,
        securityGroupIds: compute.securityGroupIds,
      }, { parent: this });
    } else {
      return new ContainerService(ecsSafeName(computeName), {
        ...common,
        release: { version: release.version, image: release.image! },
        clusterArn: compute.clusterArn,
        cpu: compute.cpu,
        memory: compute.memory,
        desiredCount: compute.desiredCount,
        secrets: compute.secrets,
        environment: compute.environment,
        logRetentionDays: compute.logRetentionDays,
        user: compute.user,
        logGroupName: compute.logGroupName,
        taskRolePolicy: compute.taskRolePolicy,
        securityGroupIds: compute.securityGroupIds,
        imageRepositoryArn: compute.imageRepositoryArn,
        cpuArchitecture: compute.cpuArchitecture,
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
