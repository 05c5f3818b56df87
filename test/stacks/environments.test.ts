import * as path from "node:path";
import type { Plan, PlannedResource } from "../../cli/plan/model";
import { planStack } from "../../cli/plan/planStack";
import { ofType, one } from "../harness";

const root = path.join(__dirname, "..", "..");
const plans = new Map<string, Promise<Plan>>();
const planOfStack = (stack: string, sets: string[] = []) => {
  const key = `${stack} ${sets.join(" ")}`;
  if (!plans.has(key)) plans.set(key, planStack({ cwd: root, stack, sets }));
  return plans.get(key)!;
};
const typed = (p: Plan, suffix: string) => p.resources.filter((r) => r.type.endsWith(suffix));
// The archive and every log group: what a destroyed stack must leave behind.
const stateful = (p: Plan): PlannedResource[] => [
  ...ofType(p, "aws:s3/bucket:Bucket").filter((b) => b.name.startsWith("archive-")),
  ...ofType(p, "aws:cloudwatch/logGroup:LogGroup"),
];

describe("production", () => {
  it("spans three zones with a NAT gateway in each and a protected VPC", async () => {
    const p = await planOfStack("production");
    expect(new Set(ofType(p, "aws:ec2/subnet:Subnet").map((s) => s.inputs.availabilityZone)).size).toBe(3);
    expect(ofType(p, "aws:ec2/natGateway:NatGateway")).toHaveLength(3);
    expect(one(p, "aws:ec2/vpc:Vpc", "network-vpc").options.protect).toBe(true);
  });

  it("protects the customer gateway, the VPN connection, the archive and every log group, and keeps them on delete", async () => {
    const p = await planOfStack("production");
    expect(one(p, "aws:ec2/customerGateway:CustomerGateway", "office-vpn-cgw").options.protect).toBe(true);
    expect(one(p, "aws:ec2/vpnConnection:VpnConnection", "office-vpn-connection").options.protect).toBe(true);
    const kept = stateful(p);
    expect(kept.length).toBeGreaterThanOrEqual(6);
    for (const resource of kept) expect(resource.options).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("keeps central log groups for a year or more", async () => {
    const p = await planOfStack("production");
    for (const group of ofType(p, "aws:cloudwatch/logGroup:LogGroup")) expect(Number(group.inputs.retentionInDays)).toBeGreaterThanOrEqual(365);
  });

  it("turns on deletion protection for the load balancer", async () => {
    const [lb] = ofType(await planOfStack("production"), "aws:lb/loadBalancer:LoadBalancer");
    expect(lb.inputs.enableDeletionProtection).toBe(true);
  });

  it("runs web on instances and api on containers, each with the archive policy on its role", async () => {
    const p = await planOfStack("production");
    expect(typed(p, "ImmutableInstanceGroup").map((c) => c.name)).toEqual(["web-blue-2026.11.3"]);
    expect(typed(p, "ContainerService").map((c) => c.name)).toEqual(["api-green-3f2c1ab"]);
    const bucket = one(p, "aws:s3/bucket:Bucket", "archive-bucket");
    const policies = ofType(p, "aws:iam/rolePolicy:RolePolicy").map((r) => String(r.inputs.policy));
    expect(policies.filter((text) => text.includes("s3:PutObject") && text.includes("arn:aws:s3:::archive-bucket-"))).toHaveLength(2);
    expect(bucket.options.retainOnDelete).toBe(true);
  });

  it("exports the release ledger of every service", async () => {
    const services = (await planOfStack("production")).outputs.services as Record<string, Record<string, unknown>>;
    expect(Object.keys(services).sort()).toEqual(["api", "web"]);
    expect(services.api).toMatchObject({ live: "green", liveVersion: "3f2c1ab", idle: null, generation: 31, kind: "containers" });
    expect(services.web).toMatchObject({ live: "blue", liveVersion: "2026.11.3", previousVersion: null });
    expect((services.api.urls as Record<string, string>).public).toBe("https://api.example.com/");
    expect((services.api.urls as Record<string, string>).test).toMatch(/^https:\/\/edge[0-9a-f]+-\d+\.eu-west-1\.elb\.amazonaws\.com:8443\/$/);
  });
});

describe("staging", () => {
  it("spans two zones with a single NAT gateway and nothing protected", async () => {
    const p = await planOfStack("staging");
    expect(new Set(ofType(p, "aws:ec2/subnet:Subnet").map((s) => s.inputs.availabilityZone)).size).toBe(2);
    expect(ofType(p, "aws:ec2/natGateway:NatGateway")).toHaveLength(1);
    expect(p.resources.filter((r) => r.options.protect)).toEqual([]);
    for (const resource of stateful(p)) expect(resource.options.retainOnDelete).toBe(true);
  });

  it("has both slots of each service, so the test listener serves the idle ones", async () => {
    const p = await planOfStack("staging");
    expect(ofType(p, "aws:lb/listenerRule:ListenerRule").map((r) => r.name).sort()).toEqual(["api-live", "api-test", "web-live", "web-test"]);
  });

  it("shares what pull-request previews need", async () => {
    const share = (await planOfStack("staging")).outputs.preview as Record<string, unknown>;
    expect(share).toMatchObject({ domain: "preview.staging.example.com" });
    expect(Object.keys(share.services as object).sort()).toEqual(["api", "web"]);
  });
});

describe("pull-request previews", () => {
  it("pr-42 builds no network, load balancer or VPN of its own", async () => {
    const p = await planOfStack("pr-42");
    for (const type of ["aws:ec2/vpc:Vpc", "aws:ec2/natGateway:NatGateway", "aws:lb/loadBalancer:LoadBalancer", "aws:ec2/vpnConnection:VpnConnection", "aws:ec2/customerGateway:CustomerGateway", "aws:ec2/vpnGateway:VpnGateway"]) {
      expect(ofType(p, type)).toHaveLength(0);
    }
  });

  it("pr-42 adds one target group and one host rule per service on staging's HTTPS listener", async () => {
    const [staging, p] = await Promise.all([planOfStack("staging"), planOfStack("pr-42")]);
    const listener = (staging.outputs.loadBalancer as Record<string, string>).httpsListenerArn;
    const rules = ofType(p, "aws:lb/listenerRule:ListenerRule");
    expect(rules.map((r) => JSON.stringify(r.inputs.conditions)).sort()).toEqual([
      JSON.stringify([{ hostHeader: { values: ["pr-42-api.preview.staging.example.com"] } }]),
      JSON.stringify([{ hostHeader: { values: ["pr-42-web.preview.staging.example.com"] } }]),
    ]);
    expect(rules.every((r) => r.inputs.listenerArn === listener)).toBe(true);
    expect(ofType(p, "aws:lb/targetGroup:TargetGroup")).toHaveLength(2);
    expect(new Set(rules.map((r) => r.inputs.priority)).size).toBe(2);
  });

  it("pr-42 runs the smallest compute for the pull request's build", async () => {
    const p = await planOfStack("pr-42", ["preview.services.api.version=abc1234", "preview.services.api.image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:abc1234"]);
    const [service] = ofType(p, "aws:ecs/service:Service");
    expect(service.inputs.desiredCount).toBe(1);
    expect(typed(p, "ContainerService").map((c) => c.name)).toEqual(["preview-api-blue-abc1234"]);
    const [group] = ofType(p, "aws:autoscaling/group:Group");
    expect(group.inputs).toMatchObject({ minSize: 1, maxSize: 1, desiredCapacity: 1 });
  });

  it("refuses a build for a service staging does not have", async () => {
    await expect(planOfStack("pr-7", ["preview.services.admin.version=1"])).rejects.toThrow('flipstack:preview.services.admin: staging has no service "admin"');
  });
});

describe("stale-release guard", () => {
  const deployed = (ledger: Record<string, unknown>) => (name: string) => (name === "organization/flipstack/production" ? { services: ledger } : undefined);

  it("refuses a config that moves live traffic back to another release without a new generation", async () => {
    const run = planStack({ cwd: root, stack: "production", stackOutputs: deployed({ api: { liveVersion: "4a5b6c7", generation: 31 } }) });
    await expect(run).rejects.toThrow(/services\.api\.release: would move live traffic from 4a5b6c7 \(deployed\) to 3f2c1ab.*flipstack release promote --stack production --service api/s);
  });

  it("refuses a stale checkout whose generation is behind the deployed one", async () => {
    const run = planStack({ cwd: root, stack: "production", stackOutputs: deployed({ api: { liveVersion: "3f2c1ab", generation: 35 } }) });
    await expect(run).rejects.toThrow("generation 31 is older than the deployed generation 35");
  });

  it("accepts a forward release: a new live version with a newer generation", async () => {
    const p = await planStack({
      cwd: root,
      stack: "production",
      sets: ["services.api.release.generation=32"],
      stackOutputs: deployed({ api: { liveVersion: "4a5b6c7", generation: 31 }, web: { liveVersion: "2026.11.3", generation: 12 } }),
    });
    expect((p.outputs.services as Record<string, { generation: number }>).api.generation).toBe(32);
  });
});
