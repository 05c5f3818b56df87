import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PlanDiff } from "../../cli/diff/comparePlans";

const root = path.join(__dirname, "..", "..");
const flipstack = (...args: string[]) => spawnSync(process.execPath, [path.join(root, "bin", "flipstack.js"), ...args], { cwd: root, encoding: "utf8" });

describe("flipstack plan and diff with image repositories and builds (offline, no Docker engine)", () => {
  it("plan --stack staging shows one repository per container service and no image build for slots that hold a release", () => {
    const result = flipstack("plan", "--stack", "staging");
    expect(result.status).toBe(0);
    expect(result.stdout.match(/aws:ecr\/repository:Repository \S+/g)).toEqual(["aws:ecr/repository:Repository images-api-repository"]);
    expect(result.stdout).not.toContain("docker:index/image:Image");
  });

  it("diff --set services.api.build.context=<another folder> changes nothing that runs today", () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-other-context-"));
    fs.writeFileSync(path.join(other, "Dockerfile"), "FROM scratch\n");
    try {
      const result = flipstack("diff", "--stack", "staging", "--set", `services.api.build.context=${other}`, "--format", "json");
      expect(result.stderr).toBe("");
      const diff = JSON.parse(result.stdout) as PlanDiff;
      expect([...diff.added, ...diff.removed, ...diff.changed]).toEqual([]);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it("diff shows a build as one image added with the slot's new compute", () => {
    const result = flipstack("diff", "--stack", "staging", "--set", 'services.api.release.blue={"version":"4a5b6c7","build":true}', "--format", "json");
    const diff = JSON.parse(result.stdout) as PlanDiff;
    expect(diff.added.filter((r) => r.type === "docker:index/image:Image").map((r) => r.urn.split("::").pop())).toEqual(["image-api-blue-4a5b6c7"]);
    expect(diff.added.some((r) => r.urn.endsWith("api-blue-4a5b6c7-task"))).toBe(true);
    expect(diff.removed.some((r) => r.urn.endsWith("api-blue-9d8e7f6-task"))).toBe(true);
  });
});
