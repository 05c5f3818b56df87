import { spawnSync } from "node:child_process";
import * as path from "node:path";
import type { Plan, Violation } from "../../cli/plan/model";
import { planStack } from "../../cli/plan/planStack";
import { evaluatePlan } from "../../policies/harness";

const root = path.join(__dirname, "..", "..");
const fixture = path.join(__dirname, "..", "fixtures", "twoRegions");
const mandatory = (violations: Violation[]) => violations.filter((v) => v.severity === "mandatory");
const named = (violations: Violation[], rule: string) => violations.filter((v) => v.rule === rule).map((v) => v.urn.split("::").pop());

describe("region-aware checks on a shipped stack, through the CLI", () => {
  const plan = (...args: string[]) => spawnSync(process.execPath, [path.join(root, "bin", "flipstack.js"), "plan", "--format", "json", "--stack", "staging", ...args], { cwd: root, encoding: "utf8" });

  it("records the default provider's region from aws:region", () => {
    const result = plan("--no-policy");
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as Plan).region).toBe("eu-west-1");
  });

  it("fails staging moved to another region than its certificate's, naming both listeners", () => {
    const result = plan("--set", "aws:region=us-east-1");
    expect(result.status).toBe(3);
    const parsed = JSON.parse(result.stdout) as Plan;
    expect(parsed.region).toBe("us-east-1");
    expect(named(parsed.violations, "aws-certificate-region").sort()).toEqual(["edge-https", "edge-test"]);
    expect(parsed.violations.find((v) => v.rule === "aws-certificate-region")!.message).toMatch(/certificate is in eu-west-1, the load balancer in us-east-1/);
  }, 60_000);
});

describe("a consumer program with a second region on an explicit provider", () => {
  it("passes when each copy names its own region's zones, certificate and network", async () => {
    const plan = await planStack({ cwd: fixture, stack: "good" });
    expect(plan.resources.filter((r) => r.options.provider?.includes("pulumi:providers:aws::us-east::")).length).toBeGreaterThan(20);
    expect(mandatory(await evaluatePlan(plan))).toEqual([]);
  });

  describe("when the standby is copied from the primary", () => {
    let violations: Violation[];
    beforeAll(async () => {
      violations = await evaluatePlan(await planStack({ cwd: fixture, stack: "copied" }));
    });

    it("finds the primary's zones in the standby's subnets", () => {
      expect(named(violations, "aws-availability-zones").sort()).toEqual(["standby-private-eu-west-1a", "standby-private-eu-west-1b", "standby-public-eu-west-1a", "standby-public-eu-west-1b"]);
      expect(violations.find((v) => v.rule === "aws-availability-zones")!.message).toMatch(/not one of us-east-1's/);
    });

    it("finds the primary's certificate on the standby's listeners, and not on the primary's", () => {
      expect(named(violations, "aws-certificate-region").sort()).toEqual(["standby-https", "standby-test"]);
    });

    it("finds the standby's instances placed in the primary's subnets: another region and another VPC", () => {
      expect(new Set(named(violations, "aws-same-region"))).toEqual(new Set(["standby-web-blue-2026.12.1-asg"]));
      expect(violations.find((v) => v.rule === "aws-same-region")!.message).toMatch(/`vpcZoneIdentifiers` references primary-private-eu-west-1a in eu-west-1/);
      expect(named(violations, "aws-same-vpc")).toEqual(["standby-web-blue-2026.12.1-asg"]);
    });
  });
});
