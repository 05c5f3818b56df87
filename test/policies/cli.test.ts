import { spawnSync } from "node:child_process";
import * as path from "node:path";
import type { Plan } from "../../cli/plan/model";

const root = path.join(__dirname, "..", "..");
const plan = (...args: string[]) => spawnSync(process.execPath, [path.join(root, "bin", "flipstack.js"), "plan", "--format", "json", ...args], { cwd: root, encoding: "utf8" });

describe("flipstack plan with policies", () => {
  it("production has no mandatory violation and exits 0", () => {
    const result = plan("--stack", "production");
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as Plan).violations.filter((v) => v.severity === "mandatory")).toEqual([]);
  });

  it("a seeded mistake exits 3 with a violation naming the rule and the resource", () => {
    const result = plan("--stack", "production", "--set", "loadBalancer.deletionProtection=false");
    expect(result.status).toBe(3);
    // Advisory findings (such as a container without a non-root user) do not change the exit code.
    const violations = (JSON.parse(result.stdout) as Plan).violations.filter((v) => v.severity === "mandatory");
    expect(violations).toEqual([expect.objectContaining({ rule: "elb-6-deletion-protection", severity: "mandatory", urn: expect.stringMatching(/aws:lb\/loadBalancer:LoadBalancer::edge-alb$/) })]);
  });

  it("--no-policy skips the checks", () => {
    const result = plan("--stack", "production", "--set", "loadBalancer.deletionProtection=false", "--no-policy");
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as Plan).violations).toEqual([]);
  });
});
