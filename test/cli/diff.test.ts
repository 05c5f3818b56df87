import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { comparePlans, diffValues, type PlanDiff } from "../../cli/diff/comparePlans";
import type { Plan, PlannedResource } from "../../cli/plan/model";

const root = path.join(__dirname, "..", "..");
const flipstack = (...args: string[]) => spawnSync(process.execPath, [path.join(root, "bin", "flipstack.js"), ...args], { cwd: root, encoding: "utf8" });
const diffJson = (...args: string[]) => {
  const result = flipstack("diff", "--format", "json", ...args);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as PlanDiff;
};
const API_BLUE = ["services.api.release.blue.version=9d8e7f6", "services.api.release.blue.image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:9d8e7f6"];
const both = (sets: string[]) => sets.flatMap((s) => ["--base-set", s, "--set", s]);

const resource = (urn: string, inputs: Record<string, unknown>): PlannedResource => ({
  urn, type: "aws:lb/listenerRule:ListenerRule", name: urn, parent: null, custom: true, inputs,
  options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, dependsOn: [], ignoreChanges: [], replaceOnChanges: [] },
});
const plan = (...resources: PlannedResource[]): Plan => ({ stack: "s", project: "p", resources, outputs: {}, violations: [] });

describe("comparePlans", () => {
  it("lists added, removed and changed resources with the changed input paths", () => {
    const diff = comparePlans(
      plan(resource("a", { actions: [{ targetGroupArn: "green" }], priority: 1 }), resource("gone", {})),
      plan(resource("a", { actions: [{ targetGroupArn: "blue" }], priority: 1 }), resource("new", {})),
    );
    expect(diff.added.map((r) => r.urn)).toEqual(["new"]);
    expect(diff.removed.map((r) => r.urn)).toEqual(["gone"]);
    expect(diff.changed).toEqual([expect.objectContaining({ urn: "a", changes: [{ path: "actions[0].targetGroupArn", before: "green", after: "blue" }] })]);
  });

  it("diffValues reports keys that appear or disappear", () => {
    expect(diffValues({ a: 1 }, { b: 2 })).toEqual([{ path: "a", before: 1, after: undefined }, { path: "b", before: undefined, after: 2 }]);
  });
});

describe("flipstack diff (the real command)", () => {
  it("a flip of api's live slot touches listener rules only", () => {
    const diff = diffJson("--stack", "production", ...both(API_BLUE), "--set", "services.api.release.live=blue", "--set", "services.api.release.generation=32");
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    const aws = diff.changed.filter((c) => c.custom);
    expect(aws.map((c) => c.type)).toEqual(["aws:lb/listenerRule:ListenerRule", "aws:lb/listenerRule:ListenerRule"]);
    expect(aws.flatMap((c) => c.changes.map((x) => x.path))).toEqual(["actions[0].targetGroupArn", "actions[0].targetGroupArn"]);
  });

  it("two successive steps of a shift change the production rule's weights and nothing else in AWS", () => {
    const shift = 'services.api.shift={"strategy":"linear","percent":25,"every":"2m","stickiness":"1h"}';
    const step = (weight: number) => [`services.api.release.weight=${weight}`, `services.api.release.generation=${33 + weight / 25}`, "services.api.release.phase=shifting"];
    const diff = diffJson("--stack", "staging", ...both([shift]), ...step(25).flatMap((s) => ["--base-set", s]), ...step(50).flatMap((s) => ["--set", s]));
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    const aws = diff.changed.filter((c) => c.custom);
    expect(aws.map((c) => c.name)).toEqual(["api-live"]);
    expect(aws[0].changes).toEqual([
      { path: "actions[0].forward.targetGroups[0].weight", before: 75, after: 50 },
      { path: "actions[0].forward.targetGroups[1].weight", before: 25, after: 50 },
    ]);
    const tree = flipstack("plan", "--stack", "staging", "--set", shift, ...step(50).flatMap((s) => ["--set", s]));
    expect(tree.stdout).toMatch(/api\s+live green 3f2c1ab 50% \/ blue 9d8e7f6 50%/);
  });

  it("a new release in the idle slot adds its target group and compute and changes nothing under the live slot", () => {
    const diff = diffJson("--stack", "production", ...API_BLUE.flatMap((s) => ["--set", s]));
    expect(diff.removed).toEqual([]);
    expect(diff.changed.filter((c) => c.custom)).toEqual([]);
    const added = diff.added.filter((r) => r.custom).map((r) => r.name);
    expect(added).toEqual(expect.arrayContaining(["api-blue", "api-test", "api-blue-9d8e7f6-service", "api-blue-9d8e7f6-task"]));
    expect(added.some((n) => n.includes("green"))).toBe(false);
  });

  it("retiring the idle slot removes exactly its target group, compute, alarms and test rule", () => {
    const diff = diffJson("--stack", "staging", "--set", "services.web.release.green=null");
    expect(diff.added).toEqual([]);
    expect(diff.changed.filter((c) => c.custom)).toEqual([]);
    const removed = diff.removed.filter((r) => r.custom).map((r) => r.name);
    expect(removed).toContain("web-green");
    expect(removed).toContain("web-test");
    expect(removed.every((n) => n.startsWith("web-green") || n === "web-test")).toBe(true);
  });

  it("--exit-code exits 1 with changes and 0 without; --base-plan compares with a saved plan", () => {
    const saved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-diff-")), "staging.json");
    fs.writeFileSync(saved, flipstack("plan", "--stack", "staging", "--format", "json").stdout);
    expect(flipstack("diff", "--stack", "staging", "--base-plan", saved, "--exit-code").status).toBe(0);
    const changed = flipstack("diff", "--stack", "staging", "--base-plan", saved, "--set", "network.nat=perAz", "--exit-code");
    expect(changed.status).toBe(1);
    expect(changed.stdout).toMatch(/\+ aws:ec2\/natGateway:NatGateway network-nat-eu-west-1b/);
  });

  it("--base-rev compares with the same stack at a git revision", () => {
    const result = flipstack("diff", "--stack", "staging", "--base-rev", "HEAD", "--format", "markdown");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("### Flipstack diff: `staging`");
  });
});
