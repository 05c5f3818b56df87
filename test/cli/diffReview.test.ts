import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { loadPriceTable } from "../../cli/cost/priceTable";
import { comparePlans, type PlanDiff } from "../../cli/diff/comparePlans";
import { analyzeReplacements, REPLACEMENT_SOURCE, replacementCoverage, type ReplacementReport } from "../../cli/diff/replacements";
import { reviewDiff, type DiffReview } from "../../cli/diff/review";
import type { Plan, PlannedResource } from "../../cli/plan/model";
import { renderDiffMarkdown } from "../../cli/render/diff";
import { GITHUB_COMMENT_LIMIT } from "../../cli/render/review";

const root = path.join(__dirname, "..", "..");
const flipstack = (...args: string[]) => spawnSync(process.execPath, [path.join(root, "bin", "flipstack.js"), ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
type ReviewedDiff = PlanDiff & DiffReview;
const diffJson = (...args: string[]) => {
  const result = flipstack("diff", "--format", "json", ...args);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as ReviewedDiff;
};
const planJson = (...args: string[]) => JSON.parse(flipstack("plan", "--format", "json", ...args).stdout) as Plan;
const prices = loadPriceTable();
const euw1 = (key: string) => prices.items[key].prices["eu-west-1"];
const API_BLUE = ["services.api.release.blue.version=9d8e7f6", "services.api.release.blue.image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:9d8e7f6"];
const names = (report: ReplacementReport, type: string) => report.replacements.filter((r) => r.type === type).map((r) => r.name).sort();

describe("flipstack diff: cost", () => {
  it("a diff that adds a NAT gateway shows its monthly cost, per change and in total", () => {
    const diff = diffJson("--stack", "staging", "--set", "network.nat=perAz");
    const natMonthly = 730 * euw1("natGateway.hour") + 100 * euw1("natGateway.gb");
    const nat = diff.cost.changes.find((c) => c.type === "aws:ec2/natGateway:NatGateway")!;
    expect(nat).toMatchObject({ name: "network-nat-eu-west-1b", before: 0 });
    expect(nat.delta).toBeCloseTo(natMonthly, 2);
    expect(diff.cost.delta).toBeCloseTo(natMonthly + 730 * euw1("publicIpv4.hour"), 2);
    expect(diff.replacements.replacements).toEqual([]);
    const text = flipstack("diff", "--stack", "staging", "--set", "network.nat=perAz").stdout;
    expect(text).toContain(`+ aws:ec2/natGateway:NatGateway network-nat-eu-west-1b  (+$${natMonthly.toFixed(2)}/month)`);
    // Staging's database has no price in the table's region, so the total says it is incomplete.
    expect(text).toMatch(/^Monthly cost: \$[\d,.]+ → \$[\d,.]+ \(\+\$[\d.]+\/month\) \(incomplete: some resources have no price, see the cost section\)$/m);
  });

  it("a diff that only flips the live slot replaces nothing and costs $0", () => {
    const sets = API_BLUE.flatMap((s) => ["--base-set", s, "--set", s]);
    const diff = diffJson("--stack", "production", ...sets, "--set", "services.api.release.live=blue", "--set", "services.api.release.generation=32");
    expect(diff.changed.filter((c) => c.custom).map((c) => c.type)).toEqual(["aws:lb/listenerRule:ListenerRule", "aws:lb/listenerRule:ListenerRule"]);
    expect(diff.replacements).toEqual({ replacements: [], removals: [], unknownTypes: [] });
    expect(diff.cost.delta).toBe(0);
    expect(diff.cost.changes).toEqual([]);
  });
});

describe("flipstack diff: replacements", () => {
  let production: Plan;
  let renumbered: Plan;
  let report: ReplacementReport;
  beforeAll(() => {
    production = planJson("--stack", "production");
    renumbered = planJson("--stack", "production", "--set", "network.cidr=10.11.0.0/16");
    report = analyzeReplacements(comparePlans(production, renumbered), production, renumbered);
  });

  it("a changed network.cidr replaces the VPC, its subnets and everything that refers to them by id", () => {
    const subnets = production.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet").map((r) => r.name).sort();
    expect(names(report, "aws:ec2/vpc:Vpc")).toEqual(["network-vpc"]);
    expect(names(report, "aws:ec2/subnet:Subnet")).toEqual(subnets);
    // Each of these names the VPC or a subnet (directly or through a replaced security group or route table).
    for (const type of ["aws:ec2/routeTable:RouteTable", "aws:ec2/natGateway:NatGateway", "aws:ec2/routeTableAssociation:RouteTableAssociation", "aws:ec2/securityGroup:SecurityGroup", "aws:lb/targetGroup:TargetGroup", "aws:ec2/flowLog:FlowLog", "aws:ec2/vpcEndpoint:VpcEndpoint", "aws:ec2/route:Route"]) {
      expect(names(report, type)).toEqual(production.resources.filter((r) => r.type === type).map((r) => r.name).sort());
    }
    const subnet = report.replacements.find((r) => r.name === "network-private-eu-west-1a" && r.type === "aws:ec2/subnet:Subnet")!;
    expect(subnet).toMatchObject({ certainty: "replace", inputs: ["cidrBlock"] });
    const nat = report.replacements.find((r) => r.type === "aws:ec2/natGateway:NatGateway")!;
    expect(nat.dependsOn).toMatchObject({ through: "subnetId" });
    // What only updates stays an update: the load balancer moves to the new subnets in place.
    expect(names(report, "aws:lb/loadBalancer:LoadBalancer")).toEqual([]);
    expect(names(report, "aws:autoscaling/group:Group")).toEqual([]);
  });

  it("warns that the protected VPC and the live target groups are replaced", () => {
    expect(report.replacements.find((r) => r.name === "network-vpc")!.warnings).toEqual(["protected"]);
    const live = report.replacements.filter((r) => r.warnings.includes("live-traffic")).map((r) => r.name).sort();
    expect(live).toEqual(["api-green", "web-blue"]);
    const text = flipstack("diff", "--stack", "production", "--set", "network.cidr=10.11.0.0/16").stdout;
    expect(text).toMatch(/^WARNING: 3 risky replacements or removals:$/m);
    expect(text).toContain("! network-vpc (aws:ec2/vpc:Vpc) is replaced and protected");
    expect(text).toContain("+- aws:ec2/subnet:Subnet network-public-eu-west-1a  [replaced: `cidrBlock` changed]");
    expect(text).toContain("+- aws:ec2/natGateway:NatGateway network-nat-eu-west-1a  [replaced: refers to replaced network-public-eu-west-1a through `subnetId`]");
  });

  it("the pull-request comment leads with the cost delta, then the replacement warning", () => {
    const markdown = renderDiffMarkdown(comparePlans(production, renumbered), reviewDiff(comparePlans(production, renumbered), production, renumbered));
    const lines = markdown.split("\n");
    expect(lines[0]).toBe("### Flipstack diff: `production`");
    expect(lines[2]).toMatch(/^\*\*\$0\.00\/month\*\* · \$[\d,.]+ → \$[\d,.]+ a month · 0 to add, 0 to change, 0 to remove, \d+ to replace$/);
    // Production's database has no price in the table's region (RDS is priced in us-east-1 only): the comment says so.
    expect(lines[4]).toBe("_The estimate is incomplete: some resources have no price in the table (see Cost details)._");
    expect(lines[6]).toBe("> [!CAUTION]");
    expect(lines[7]).toBe(`> **${report.replacements.length} resources are replaced, not updated** (destroyed and created anew).`);
    expect(lines[8]).toContain("network-vpc (aws:ec2/vpc:Vpc) is replaced and protected");
    expect(markdown).toContain("| ♻️ replace | `aws:ec2/vpc:Vpc` | `network-vpc` | `cidrBlock` | |");
  });

  it("prints how far the replacement knowledge covers the plans' resource types", () => {
    const plans = [production, planJson("--stack", "staging"), planJson("--stack", "pr-42")];
    const coverage = replacementCoverage(plans);
    console.log(`Replacement knowledge (${REPLACEMENT_SOURCE}) covers ${coverage.covered.length} of ${coverage.covered.length + coverage.missing.length} AWS resource types in staging, production and pr-42; not covered: ${coverage.missing.join(", ")}`);
    // What is missing has no CloudFormation resource of its own (S3 bucket settings, managed policy attachments).
    expect(coverage.missing.every((t) => t.startsWith("aws:s3/bucket") || t === "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toBe(true);
    expect(coverage.covered.length).toBeGreaterThanOrEqual(35);
  });
});

const resource = (type: string, name: string, inputs: Record<string, unknown>, options: Partial<PlannedResource["options"]> = {}): PlannedResource => ({
  urn: `urn:pulumi:s::p::${type}::${name}`, type, name, id: `${name}-0123456789`, parent: null, custom: true, inputs,
  options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, dependsOn: [], ignoreChanges: [], replaceOnChanges: [], ...options },
});
const plan = (...resources: PlannedResource[]): Plan => ({ stack: "s", project: "p", resources, outputs: {}, violations: [] });
const analyze = (before: Plan, after: Plan) => analyzeReplacements(comparePlans(before, after), before, after);

describe("analyzeReplacements", () => {
  it("an input CloudFormation updates in place is an update", () => {
    const tg = (path: string) => resource("aws:lb/targetGroup:TargetGroup", "tg", { healthCheck: { path }, port: 80 });
    expect(analyze(plan(tg("/a")), plan(tg("/b"))).replacements).toEqual([]);
  });

  it("honours the replaceOnChanges option and flags conditional replacements", () => {
    const bucket = (days: number) => resource("aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: days }, { replaceOnChanges: ["retentionInDays"] });
    expect(analyze(plan(bucket(7)), plan(bucket(14))).replacements).toEqual([expect.objectContaining({ name: "logs", certainty: "replace", warnings: ["holds-data"] })]);
    const vpc = (tenancy: string) => resource("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16", instanceTenancy: tenancy });
    expect(analyze(plan(vpc("dedicated")), plan(vpc("default"))).replacements).toEqual([expect.objectContaining({ certainty: "may-replace", inputs: ["instanceTenancy"] })]);
  });

  it("warns when a bucket that holds data is removed or replaced", () => {
    const bucket = (name: string) => resource("aws:s3/bucket:Bucket", "archive", { bucket: name }, { protect: true });
    expect(analyze(plan(bucket("a")), plan(bucket("b"))).replacements[0].warnings).toEqual(["protected", "holds-data"]);
    expect(analyze(plan(bucket("a")), plan()).removals).toEqual([expect.objectContaining({ name: "archive", warnings: ["protected", "holds-data"] })]);
  });
});

describe("the pull-request comment of a large diff", () => {
  it("stays under GitHub's comment size limit and says what it left out", () => {
    const many = Array.from({ length: 3000 }, (_, i) => resource("aws:ec2/securityGroup:SecurityGroup", `group-with-a-rather-long-name-${i}`, { vpcId: "vpc-1" }));
    const before = plan();
    const after = { ...plan(...many), resources: many.map((r) => ({ ...r, id: `sg-${r.name}`, inputs: { ...r.inputs, region: "eu-west-1" } })) };
    const diff = comparePlans(before, after);
    const markdown = renderDiffMarkdown(diff, reviewDiff(diff, before, after));
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(markdown).toMatch(/_… \d+ more rows not shown \(comment size limit\); `flipstack diff --format json` lists every change\._/);
    expect(markdown.startsWith("### Flipstack diff: `s`\n\n**$0.00/month**")).toBe(true);
  });
});
