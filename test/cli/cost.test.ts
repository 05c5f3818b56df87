import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { estimateCost, planRegion, type CostEstimate } from "../../cli/cost/estimate";
import { loadPriceTable } from "../../cli/cost/priceTable";
import { DEFAULT_USAGE, loadUsage } from "../../cli/cost/usage";
import type { Plan, PlannedResource } from "../../cli/plan/model";

const root = path.join(__dirname, "..", "..");
const flipstack = (...args: string[]) => spawnSync(process.execPath, [path.join(root, "bin", "flipstack.js"), ...args], { cwd: root, encoding: "utf8" });
const costedPlan = (...args: string[]) => {
  const result = flipstack("plan", "--cost", "--format", "json", ...args);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as Plan & { cost: CostEstimate };
};

const table = loadPriceTable();
const price = (key: string, region = "eu-west-1") => {
  const usd = table.items[key]?.prices[region];
  if (usd === undefined) throw new Error(`no ${key} in ${region}`);
  return usd;
};
const H = 730;
const count = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type).length;
const monthsKept = (days: number) => days / (365 / 12);

/**
 * The hand computation: what each environment runs (counted in the plan) times the table's prices, with the
 * README's usage defaults. Quantities are written out here, not taken from the estimator.
 */
function byHand(plan: Plan, env: { instanceType: string; instances: number; tasks: number; vcpu: number; gb: number; retentionDays: number }): number {
  const nats = count(plan, "aws:ec2/natGateway:NatGateway");
  const publicSubnets = plan.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet" && r.name.includes("-public-")).length;
  const appLogGroups = count(plan, "aws:cloudwatch/logGroup:LogGroup") - 1; // all but the flow logs' group
  const network = nats * (H * price("natGateway.hour") + 100 * price("natGateway.gb")) + nats * H * price("publicIpv4.hour");
  const edge = H * price("alb.hour") + H * price("alb.lcuHour") + publicSubnets * H * price("publicIpv4.hour");
  const vpn = H * price("vpnConnection.hour");
  const instances = env.instances * (H * price(`ec2.${env.instanceType}.hour`) + 20 * price("ebs.gp3.gbMonth") + 7 * price("cloudwatch.metricMonth"));
  const tasks = env.tasks * H * (env.vcpu * price("fargate.x86.vcpuHour") + env.gb * price("fargate.x86.gbHour"));
  const alarms = count(plan, "aws:cloudwatch/metricAlarm:MetricAlarm") * price("cloudwatch.alarm");
  const logs =
    appLogGroups * (5 * price("logs.ingestGb") + 5 * monthsKept(env.retentionDays) * price("logs.storageGbMonth")) +
    10 * price("logs.vendedIngestGb") +
    10 * monthsKept(env.retentionDays) * price("logs.storageGbMonth");
  const buckets = count(plan, "aws:s3/bucket:Bucket") * 10 * price("s3.standard.gbMonth");
  return network + edge + vpn + instances + tasks + alarms + logs + buckets + price("route53.hostedZoneMonth");
}

describe("flipstack plan --cost (the shipped stacks)", () => {
  let staging: Plan & { cost: CostEstimate };
  let production: Plan & { cost: CostEstimate };
  beforeAll(() => {
    staging = costedPlan("--stack", "staging");
    production = costedPlan("--stack", "production");
  });

  it("adds a cost section to the JSON and keeps every field of the contract", () => {
    expect(Object.keys(production).sort()).toEqual(["cost", "outputs", "project", "region", "resources", "stack", "violations"]);
    // The table prices RDS in us-east-1 only: production's database (eu-west-1) is reported unpriced, never guessed.
    expect(production.cost).toMatchObject({
      currency: "USD", environment: "production", region: "eu-west-1", priceTableDate: table.date, complete: false, notEstimated: [],
      unpriced: [
        { name: "database-instance", type: "aws:rds/instance:Instance", priceKey: "rds.postgres.db.t4g.medium.hour", what: "db.t4g.medium postgres instance hours (Multi-AZ: 2 instances)" },
        { name: "database-instance", type: "aws:rds/instance:Instance", priceKey: "rds.gp3.gbMonth", what: "gp3 storage GB-months" },
      ],
    });
  });

  it.each([
    // Staging: two slots of web (t3.small × 2 each) and of api (2 tasks of 0.25 vCPU / 0.5 GB each), 30-day logs.
    ["staging", () => staging, { instanceType: "t3.small", instances: 4, tasks: 4, vcpu: 0.25, gb: 0.5, retentionDays: 30 }],
    // Production: web live on 3 × t3.medium, api live on 3 tasks of 0.5 vCPU / 1 GB, 365-day logs.
    ["production", () => production, { instanceType: "t3.medium", instances: 3, tasks: 3, vcpu: 0.5, gb: 1, retentionDays: 365 }],
  ] as const)("the monthly cost of %s is within 1%% of the figure computed by hand from the table", (_name, plan, env) => {
    const expected = byHand(plan(), env);
    expect(Math.abs(plan().cost.monthly - expected) / expected).toBeLessThan(0.01);
  });

  it("groups the cost per AWS service and per Flipstack service, and they add up to the total", () => {
    const total = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(total(production.cost.byAwsService)).toBeCloseTo(production.cost.monthly, 1);
    expect(total(production.cost.byService)).toBeCloseTo(production.cost.monthly, 1);
    expect(Object.keys(production.cost.byService).sort()).toEqual(["api", "shared", "web"]);
    const nat = production.cost.resources.find((r) => r.type === "aws:ec2/natGateway:NatGateway")!;
    expect(nat.lines.map((l) => l.price?.page)).toEqual(["https://aws.amazon.com/vpc/pricing/", "https://aws.amazon.com/vpc/pricing/"]);
  });

  it("prices a pr-<n> preview at its own compute only: a small fraction of staging", () => {
    const preview = costedPlan("--stack", "pr-42");
    const expected =
      H * price("ec2.t3.small.hour") + 20 * price("ebs.gp3.gbMonth") + 7 * price("cloudwatch.metricMonth") +
      H * (0.25 * price("fargate.x86.vcpuHour") + 0.5 * price("fargate.x86.gbHour")) +
      // Two log groups of its own: the api tasks' and the web instances'.
      2 * (5 * price("logs.ingestGb") + 5 * monthsKept(30) * price("logs.storageGbMonth"));
    expect(preview.cost.monthly).toBeCloseTo(expected, 0);
    expect(preview.cost.resources.map((r) => r.type).sort()).toEqual(["aws:autoscaling/group:Group", "aws:cloudwatch/logGroup:LogGroup", "aws:cloudwatch/logGroup:LogGroup", "aws:ecs/service:Service"]);
    expect(preview.cost.monthly).toBeLessThan(staging.cost.monthly * 0.2);
  });

  it("shows the estimate under the tree and in the Markdown", () => {
    const tree = flipstack("plan", "--stack", "pr-42", "--cost").stdout;
    expect(tree).toMatch(/Monthly cost of pr-42 \(eu-west-1, prices of \d{4}-\d{2}-\d{2}\): \$\d+\.\d\d\/month/);
    expect(tree).toContain("Assumptions (override with --usage <file>):");
    const markdown = flipstack("plan", "--stack", "staging", "--cost", "--format", "markdown").stdout;
    expect(markdown).toContain(`estimated for \`staging\` in eu-west-1`);
    expect(markdown.indexOf("/month** estimated")).toBeLessThan(markdown.indexOf("| Resource type | Count |"));
  });

  it("uses a usage file instead of the defaults, and refuses an unknown key with exit 2", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-usage-"));
    fs.writeFileSync(path.join(dir, "usage.yaml"), "defaults:\n  natGateway: { dataProcessedGb: 1100 }\n");
    const heavy = costedPlan("--stack", "staging", "--usage", path.join(dir, "usage.yaml"));
    expect(heavy.cost.monthly - staging.cost.monthly).toBeCloseTo(1000 * price("natGateway.gb"), 1);
    fs.writeFileSync(path.join(dir, "bad.yaml"), "defaults:\n  natGateway: { gigabytes: 3 }\n");
    const bad = flipstack("plan", "--stack", "staging", "--cost", "--usage", path.join(dir, "bad.yaml"));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("`defaults.natGateway.gigabytes`");
    expect(bad.stdout).toBe("");
  });
});

const resource = (type: string, name: string, inputs: Record<string, unknown>, id = `${name}-id`): PlannedResource => ({
  urn: `urn:pulumi:s::p::${type}::${name}`, type, name, id, parent: null, custom: true, inputs,
  options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, dependsOn: [], ignoreChanges: [], replaceOnChanges: [] },
});
const plan = (...resources: PlannedResource[]): Plan => ({ stack: "s", project: "p", resources, outputs: {}, violations: [] });

describe("estimateCost", () => {
  it("prices an RDS instance by engine and class, twice for Multi-AZ", () => {
    const db = resource("aws:rds/instance:Instance", "db", { engine: "postgres", instanceClass: "db.t4g.small", multiAz: true, allocatedStorage: 50, storageType: "gp3" }, "arn:aws:rds:us-east-1:123456789012:db:db");
    const cost = estimateCost(plan(db));
    expect(cost.region).toBe("us-east-1");
    expect(cost.monthly).toBeCloseTo(2 * H * price("rds.postgres.db.t4g.small.hour", "us-east-1") + 2 * 50 * price("rds.gp3.gbMonth", "us-east-1"), 2);
  });

  it("says which lines it cannot price in a region the table lacks, and which types it does not know", () => {
    const nat = resource("aws:ec2/natGateway:NatGateway", "nat", { subnetId: "subnet-1" }, "arn:aws:ec2:us-west-2:123456789012:natgateway/nat-1");
    const odd = resource("aws:kinesis/stream:Stream", "events", {}, "arn:aws:kinesis:us-west-2:123456789012:stream/events");
    const cost = estimateCost(plan(nat, odd));
    expect(cost.region).toBe("us-west-2");
    expect(cost.complete).toBe(false);
    expect(cost.monthly).toBe(0);
    expect(cost.unpriced.map((u) => u.priceKey)).toEqual(["natGateway.hour", "natGateway.gb"]);
    expect(cost.notEstimated).toEqual(["aws:kinesis/stream:Stream"]);
  });

  it("takes a resource's usage from the usage file by its name", () => {
    const bucket = resource("aws:s3/bucket:Bucket", "archive", {}, "archive-1");
    const withRegion = resource("aws:ec2/subnet:Subnet", "sn", { availabilityZone: "eu-west-1a" });
    const usage = { ...DEFAULT_USAGE, resources: { archive: { storedGb: 2000 } } };
    expect(estimateCost(plan(bucket, withRegion), { usage }).monthly).toBeCloseTo(2000 * price("s3.standard.gbMonth"), 2);
  });

  it("leaves a plan that names no region unpriced rather than guessing one", () => {
    const bare = plan(resource("aws:s3/bucket:Bucket", "b", {}, "b-1"));
    expect(planRegion(bare)).toBeUndefined();
    expect(estimateCost(bare)).toMatchObject({ region: "unknown", monthly: 0, complete: false, unpriced: [expect.objectContaining({ priceKey: "s3.standard.gbMonth" })] });
    expect(estimateCost(bare, { region: "eu-west-1" }).monthly).toBeCloseTo(10 * price("s3.standard.gbMonth"), 2);
  });

  it("every price in the shipped table names its AWS pricing page and date", () => {
    for (const item of Object.values(table.items)) {
      expect(item.page).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(item.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(loadUsage(undefined)).toBe(DEFAULT_USAGE);
  });
});
