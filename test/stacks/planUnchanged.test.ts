import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The shipped stacks plan exactly as captured in test/fixtures/plans (JSON of `flipstack plan --format json`):
 * every child name, URN, planned input, option, output and violation. Restructuring the code must not move any
 * of them, because a changed name or input replaces live infrastructure.
 *
 * When a change means to alter a plan, recapture the stack it alters and review the fixture's diff with the change:
 *   npx flipstack plan --stack production --format json --out test/fixtures/plans/production.json
 */
const root = path.join(__dirname, "..", "..");

describe.each(["staging", "production", "pr-42"])("the %s plan", (stack) => {
  it("is unchanged from the captured plan", () => {
    const result = spawnSync(process.execPath, [path.join(root, "bin", "flipstack.js"), "plan", "--stack", stack, "--format", "json"], { cwd: root, encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const captured = JSON.parse(fs.readFileSync(path.join(root, "test", "fixtures", "plans", `${stack}.json`), "utf8"));
    expect(JSON.parse(result.stdout)).toEqual(captured);
  });
});
