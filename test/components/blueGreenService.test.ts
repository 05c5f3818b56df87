import { BlueGreenService, duplicatePriorityProblems, idleColor, type BlueGreenServiceArgs } from "../../components/blueGreenService";
import type { Plan } from "../../cli/plan/model";
import { ofType, one, planOf } from "../harness";

const LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/edge/0123456789abcdef/aaaaaaaaaaaaaaaa";
const TEST_LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/edge/0123456789abcdef/bbbbbbbbbbbbbbbb";

const instances: BlueGreenServiceArgs = {
  serviceName: "web",
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
  productionListenerArn: LISTENER,
  testListenerArn: TEST_LISTENER,
  loadBalancerSecurityGroupId: "sg-0123456789abcdef0",
  port: 8080,
  routing: { priority: 100, hostHeaders: ["www.example.com"] },
  release: { live: "blue", blue: { version: "2026.11.3", ami: "ami-0a1b2c3d4e5f67890" } },
  compute: { kind: "instances" },
  loadBalancerArnSuffix: "app/edge/0123456789abcdef",
};

const containers: BlueGreenServiceArgs = {
  ...instances,
  serviceName: "api",
  routing: { priority: 200, pathPatterns: ["/api/*"] },
  release: {
    live: "green",
    green: { version: "3f2c1ab", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:3f2c1ab" },
    blue: { version: "9d8e7f6", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:9d8e7f6" },
  },
  compute: { kind: "containers", clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/staging" },
};

const plan = (args: BlueGreenServiceArgs) => planOf(() => new BlueGreenService(args.serviceName, args));
const rules = (p: Plan) => ofType(p, "aws:lb/listenerRule:ListenerRule");
const forwardTarget = (rule: { inputs: Record<string, unknown> }) => (rule.inputs.actions as Array<{ targetGroupArn: string }>)[0].targetGroupArn;
const targetGroupArn = (p: Plan, name: string) => {
  // The mocks derive a target group's ARN from its inputs; find the rule's target by the group's prefix.
  const group = one(p, "aws:lb/targetGroup:TargetGroup", name);
  return String(group.inputs.namePrefix);
};

describe("BlueGreenService", () => {
  it("with one slot creates its target group, compute and only the production rule", async () => {
    const p = await plan(instances);
    expect(ofType(p, "aws:lb/targetGroup:TargetGroup").map((t) => t.name)).toEqual(["web-blue"]);
    expect(rules(p).map((r) => r.name)).toEqual(["web-live"]);
    expect(ofType(p, "flipstack:compute:ImmutableInstanceGroup").map((c) => c.name)).toEqual(["web-blue-2026.11.3"]);
  });

  it("forwards production to the live slot and the test listener to the idle slot", async () => {
    const p = await plan(containers);
    const live = one(p, "aws:lb/listenerRule:ListenerRule", "api-live");
    const test = one(p, "aws:lb/listenerRule:ListenerRule", "api-test");
    expect(live.inputs.listenerArn).toBe(LISTENER);
    expect(test.inputs.listenerArn).toBe(TEST_LISTENER);
    expect(forwardTarget(live)).toContain(`targetgroup/${targetGroupArn(p, "api-green")}`);
    expect(forwardTarget(test)).toContain(`targetgroup/${targetGroupArn(p, "api-blue")}`);
    expect(live.inputs.conditions).toEqual([{ pathPattern: { values: ["/api/*"] } }]);
    expect(test.inputs.priority).toBe(200);
  });

  it("names target groups by prefix only, with fast health checks and a short drain", async () => {
    for (const group of ofType(await plan(containers), "aws:lb/targetGroup:TargetGroup")) {
      expect(group.inputs.name).toBeUndefined();
      expect(String(group.inputs.namePrefix).length).toBeLessThanOrEqual(6);
      expect(group.inputs).toMatchObject({ targetType: "ip", port: 8080, protocol: "HTTP", deregistrationDelay: 30 });
      expect(group.inputs.healthCheck).toMatchObject({ interval: 5, healthyThreshold: 2, timeout: 4, path: "/healthz" });
    }
  });

  it("uses instance targets for instances and honours a custom health check and drain", async () => {
    const p = await plan({ ...instances, healthCheck: { intervalSeconds: 10, path: "/ready" }, deregistrationDelaySeconds: 60 });
    const group = one(p, "aws:lb/targetGroup:TargetGroup", "web-blue");
    expect(group.inputs).toMatchObject({ targetType: "instance", deregistrationDelay: 60 });
    expect(group.inputs.healthCheck).toMatchObject({ interval: 10, path: "/ready" });
  });

  it("puts each release's compute under a name that carries the release id", async () => {
    const p = await plan(containers);
    expect(ofType(p, "flipstack:compute:ContainerService").map((c) => c.name).sort()).toEqual(["api-blue-9d8e7f6", "api-green-3f2c1ab"]);
  });

  it("gives each slot a 5xx alarm and an unhealthy-host alarm on its target group", async () => {
    const alarms = ofType(await plan(containers), "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.map((a) => a.name).sort()).toEqual(["api-blue-5xx", "api-blue-unhealthy", "api-green-5xx", "api-green-unhealthy"]);
    const errors = alarms.find((a) => a.name === "api-green-5xx")!;
    expect(errors.inputs).toMatchObject({ namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count" });
    expect((errors.inputs.dimensions as Record<string, string>).LoadBalancer).toBe("app/edge/0123456789abcdef");
  });

  it("records the release state as the component's input, for plans and diffs", async () => {
    const component = one(await plan(containers), "flipstack:traffic:BlueGreenService", "api");
    expect(component.inputs).toEqual({ serviceName: "api", kind: "containers", release: containers.release });
  });

  it("a flip changes only the two listener rules", async () => {
    const before = await plan(containers);
    const after = await plan({ ...containers, release: { ...containers.release, live: "blue" } });
    const changed = after.resources.filter((r) => r.custom && JSON.stringify(r.inputs) !== JSON.stringify(before.resources.find((b) => b.urn === r.urn)?.inputs));
    expect(changed.map((r) => r.name).sort()).toEqual(["api-live", "api-test"]);
    expect(after.resources.map((r) => r.urn).sort()).toEqual(before.resources.map((r) => r.urn).sort());
  });

  it.each([
    [{ release: { live: "green" as const, blue: { version: "1", ami: "ami-0a1b2c3d4e5f67890" } } }, "`release.live` slot \"green\" holds no release"],
    [{ release: { live: "blue" as const, blue: { version: "1" } } }, "has no `ami`"],
    [{ routing: { priority: 0, hostHeaders: ["a.example.com"] } }, "`routing.priority` 0"],
    [{ routing: { priority: 5 } }, "needs `pathPatterns`, `hostHeaders` or both"],
    [{ port: 70000 }, "`port` 70000"],
  ])("rejects %j before creating anything", async (override, message) => {
    await expect(plan({ ...instances, ...override })).rejects.toThrow(message);
  });
});

describe("BlueGreenService one-off tasks", () => {
  const tasksOf = async (args: BlueGreenServiceArgs) => (await planOf(() => ({ tasks: new BlueGreenService(args.serviceName, args).oneOffTasks }))).outputs.tasks as Record<string, Record<string, unknown>>;

  it("exports, per container slot, how to run a task exactly as its service runs them", async () => {
    const tasks = await tasksOf(containers);
    expect(Object.keys(tasks).sort()).toEqual(["blue", "green"]);
    expect(tasks.blue).toMatchObject({
      clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/staging",
      containerName: "api",
      launchType: "FARGATE",
      subnetIds: instances.subnetIds,
      assignPublicIp: false,
      logStreamPrefix: "blue-9d8e7f6",
    });
    expect(String(tasks.blue.taskDefinitionArn)).toMatch(/^arn:aws:ecs:.*task-definition\//);
    expect(tasks.blue.securityGroupIds).toHaveLength(1);
  });

  it("exports none for instance services, which have no image to run one from", async () => {
    expect(await tasksOf(instances)).toEqual({});
  });
});

describe("idleColor", () => {
  it.each([
    [{ live: "blue" as const, blue: { version: "1" } }, undefined],
    [{ live: "blue" as const, blue: { version: "1" }, green: { version: "2" } }, "green"],
    [{ live: "green" as const, blue: { version: "1" }, green: { version: "2" } }, "blue"],
  ])("of %j is %s", (release, expected) => {
    expect(idleColor(release)).toBe(expected);
  });
});

describe("duplicatePriorityProblems", () => {
  it("names both services sharing a priority", () => {
    expect(duplicatePriorityProblems([{ name: "web", priority: 100 }, { name: "api", priority: 200 }, { name: "admin", priority: 100 }])).toEqual([
      { service: "admin", message: 'services "web" and "admin" both use listener rule priority 100; give each a unique priority' },
    ]);
  });
});

describe("BlueGreenService during a traffic shift", () => {
  const shifting = (weight: number, extra: Partial<BlueGreenServiceArgs> = {}) => plan({ ...containers, release: { ...containers.release, weight }, ...extra });
  type Forward = { type: string; forward?: { targetGroups: Array<{ arn: string; weight: number }>; stickiness?: unknown }; targetGroupArn?: string };
  const actions = (p: Plan, name: string) => one(p, "aws:lb/listenerRule:ListenerRule", name).inputs.actions as Forward[];

  it("forwards production to both slots in one action, weighted by release.weight, the live slot first", async () => {
    const p = await shifting(10);
    const [action] = actions(p, "api-live");
    expect(action.type).toBe("forward");
    expect(action.targetGroupArn).toBeUndefined();
    expect(action.forward!.targetGroups.map((g) => [g.arn.includes(`targetgroup/${targetGroupArn(p, "api-green")}`), g.weight])).toEqual([[true, 90], [false, 10]]);
    expect(action.forward!.targetGroups[1].arn).toContain(`targetgroup/${targetGroupArn(p, "api-blue")}`);
    expect(action.forward!.stickiness).toBeUndefined();
  });

  it("keeps the test listener on the idle slot only", async () => {
    const p = await shifting(50);
    expect(forwardTarget(one(p, "aws:lb/listenerRule:ListenerRule", "api-test"))).toContain(`targetgroup/${targetGroupArn(p, "api-blue")}`);
  });

  it("adds target group stickiness to the forward action when asked", async () => {
    const [action] = actions(await shifting(25, { stickinessSeconds: 3600 }), "api-live");
    expect(action.forward!.stickiness).toEqual({ enabled: true, duration: 3600 });
  });

  it("at weight 0 forwards to the live slot alone, exactly as without a shift", async () => {
    expect(actions(await shifting(0, { stickinessSeconds: 3600 }), "api-live")).toEqual(actions(await plan(containers), "api-live"));
  });

  it("exports each slot's share of users", async () => {
    const outputs = (await planOf(() => ({ weights: new BlueGreenService("api", { ...containers, release: { ...containers.release, weight: 25 } }).weights }))).outputs;
    expect(outputs.weights).toEqual({ green: 75, blue: 25 });
  });

  it.each([
    [{ release: { ...containers.release, weight: 100 } }, "`release.weight` 100 must be a whole percentage from 0 to 99"],
    [{ release: { ...containers.release, weight: 2.5 } }, "`release.weight` 2.5"],
    [{ release: { live: "green" as const, green: containers.release.green, weight: 10 } }, "sends users to the idle slot, which is empty"],
    [{ stickinessSeconds: 0 }, "`stickinessSeconds` 0 must be a whole number of seconds from 1 to 604800"],
  ])("rejects %j before creating anything", async (override, message) => {
    await expect(plan({ ...containers, ...override })).rejects.toThrow(message);
  });
});
