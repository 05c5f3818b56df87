import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Plan } from "../../cli/plan/model";
import { applySuppressions } from "../../cli/plan/suppressions";

const root = path.join(__dirname, "..", "..");
let dir: string;
const plan = (...args: string[]) => spawnSync(process.execPath, [path.join(root, "bin", "flipstack.js"), "plan", "--stack", "dev", ...args], { cwd: dir, encoding: "utf8" });

beforeEach(() => {
  // Inside the repository (gitignored), so the program resolves @pulumi/aws from its node_modules.
  fs.mkdirSync(path.join(root, ".flipstack"), { recursive: true });
  dir = fs.mkdtempSync(path.join(root, ".flipstack", "policy-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: platform\nruntime: nodejs\nmain: index.ts\n");
  fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: eu-west-1\n");
  // The consumer's own VPCs, without flow logs: EC2.6 is mandatory.
  fs.writeFileSync(path.join(dir, "index.ts"), 'import * as aws from "@pulumi/aws";\nnew aws.ec2.Vpc("platform-vpc", { cidrBlock: "10.0.0.0/16" });\nnew aws.ec2.Vpc("sandbox-vpc", { cidrBlock: "10.1.0.0/16" });\n');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const writePolicy = (yaml: string) => fs.writeFileSync(path.join(dir, "flipstack.policy.yaml"), yaml);
const flowLogViolations = (p: Plan) => p.violations.filter((v) => v.rule === "ec2-6-flow-logs");

describe("policy exceptions in flipstack.policy.yaml", () => {
  it("fails the consumer's own VPCs without an exception", () => {
    const result = plan("--format", "json");
    expect(result.status).toBe(3);
    expect(flowLogViolations(JSON.parse(result.stdout) as Plan)).toHaveLength(2);
  });

  it("turns a rule off for one named resource and shows the reason; the other still fails", () => {
    writePolicy("suppressions:\n  - rule: ec2-6-flow-logs\n    resources: [platform-vpc]\n    reason: Flow logs of this VPC go to the central security account\n");
    const result = plan("--format", "json");
    const json = JSON.parse(result.stdout) as Plan;
    expect(result.status).toBe(3);
    expect(flowLogViolations(json).map((v) => v.urn.split("::").pop())).toEqual(["sandbox-vpc"]);
    expect(json.suppressed).toEqual([expect.objectContaining({ rule: "ec2-6-flow-logs", severity: "mandatory", now: "off", reason: "Flow logs of this VPC go to the central security account" })]);
    expect(plan().stdout).toContain("ec2-6-flow-logs mandatory → off (platform-vpc): Flow logs of this VPC go to the central security account");
  });

  it("lowers a rule to advisory for every resource, so the plan passes", () => {
    writePolicy("suppressions:\n  - rule: ec2-6-flow-logs\n    severity: advisory\n    reason: Sandbox account, flow logs not required\n");
    const result = plan("--format", "json");
    expect(result.status).toBe(0);
    expect(flowLogViolations(JSON.parse(result.stdout) as Plan).map((v) => v.severity)).toEqual(["advisory", "advisory"]);
  });

  it("refuses an exception without a reason (exit 2, naming the entry)", () => {
    writePolicy("suppressions:\n  - rule: ec2-6-flow-logs\n");
    const result = plan();
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("flipstack: flipstack.policy.yaml: suppressions.0.reason:");
  });
});

describe("applySuppressions", () => {
  const violation = { rule: "elb-5-access-logs", severity: "mandatory" as const, urn: "urn:pulumi:s::p::aws:lb/loadBalancer:LoadBalancer::edge", message: "no logs" };
  it("matches a resource by its full URN as well as its name, and only the named rule", () => {
    const byUrn = applySuppressions([violation, { ...violation, rule: "elb-6-deletion-protection" }], [{ rule: "elb-5-access-logs", resources: [violation.urn], severity: "off", reason: "r" }]);
    expect(byUrn.violations.map((v) => v.rule)).toEqual(["elb-6-deletion-protection"]);
    expect(byUrn.suppressed.map((v) => v.rule)).toEqual(["elb-5-access-logs"]);
  });
});
