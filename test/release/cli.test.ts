import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { answersVersion, deployedApi, FAKE_PULUMI, fixture, server } from "./harness";

const root = path.join(__dirname, "..", "..");
const flipstack = (args: string[], env: NodeJS.ProcessEnv = process.env, cwd = root) =>
  spawnSync(process.execPath, [path.join(root, "bin", "flipstack.js"), ...args], { cwd, env, encoding: "utf8" });

describe("flipstack release on the command line", () => {
  it.each(["deploy", "verify", "promote", "bake", "retire", "rollback", "run", "status"])("release %s --help describes its options and gives an example", (sub) => {
    const result = flipstack(["release", sub, "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("--stack");
    expect(result.stdout).toMatch(/Example:\n\s+\$ flipstack release/);
  });

  it.each(["deploy --service api --version 1 --image r/api:1", "verify --service api", "status"])("without the Pulumi CLI, release %s says so in one line and exits non-zero", (args) => {
    const result = flipstack(["release", ...args.split(" "), "--stack", "staging"], { ...process.env, PATH: path.dirname(process.execPath) });
    expect(result.status).toBe(4);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/needs the Pulumi CLI.*install/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it("every exit path prints which color serves traffic, also when verify fails", async () => {
    const app = await server(answersVersion("9.9.9"));
    const f = await fixture(deployedApi(app.url));
    try {
      const state = f.state();
      (state.config["flipstack:services"] as Record<string, { release: Record<string, unknown> }>).api.release.blue = { version: "2.0.0", image: "registry.example.com/api:2.0.0" };
      f.write(state);
      await f.ctx.stack.up(() => undefined);
      const env = { ...process.env, PATH: `${path.join(FAKE_PULUMI, "bin")}:${process.env.PATH}` };
      const cwd = path.dirname(process.env.FAKE_PULUMI_STATE!);
      expect(fs.existsSync(path.join(cwd, "Pulumi.yaml"))).toBe(true);
      const result = flipstack(["release", "verify", "--stack", "staging", "--service", "api", "--cwd", cwd, "--attempts", "2", "--backoff", "10ms"], env);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("users stay on green");
      expect(result.stdout.trim().split("\n").pop()).toBe("live: api green 1.0.0");
    } finally {
      f.cleanup();
      await app.close();
    }
  }, 120_000);
});
