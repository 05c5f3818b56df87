import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Plan } from "../../cli/plan/model";
import { serviceLedger } from "../../cli/release/ledger";
import { allRules } from "../../policies/rules";

const root = path.join(__dirname, "..", "..");
const run = (command: string, args: string[], cwd: string) => execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

interface PackResult { filename: string; files: Array<{ path: string }> }

describe("the packed package in another repository", () => {
  let work: string;
  let app: string;
  let packed: PackResult;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-consumer-"));
    // npm pack runs `prepare`, which builds dist/ exactly as a publish or a git install would.
    [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], root)) as PackResult[];
    app = path.join(work, "app");
    // What `npm run check-consumer` may have left in the example folder is not part of the example.
    const leftover = /[/\\](node_modules|package-lock\.json|[^/\\]*\.tgz)$/;
    fs.cpSync(path.join(root, "examples", "consumer"), app, { recursive: true, filter: (source) => !leftover.test(source) });
    const installed = path.join(app, "node_modules", "flipstack");
    fs.mkdirSync(installed, { recursive: true });
    run("tar", ["-xzf", path.join(work, packed.filename), "-C", installed, "--strip-components=1"], work);
    // The package's own dependencies come from this repository's install: the test needs no network.
    for (const dependency of ["@pulumi", "commander", "yaml", "zod", "pirates", "sucrase", "@aws-sdk", "listr2"]) {
      fs.symlinkSync(path.join(root, "node_modules", dependency), path.join(app, "node_modules", dependency), "dir");
    }
  }, 180_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it("ships the built components and the CLI, but no tests, stacks or stack files", () => {
    const files = packed.files.map((f) => f.path);
    expect(files).toContain("dist/components/index.js");
    expect(files).toContain("dist/components/index.d.ts");
    expect(files).toContain("bin/flipstack.js");
    expect(files).toContain("bin/testing.js");
    expect(files).toContain("dist/cli/testing.d.ts");
    expect(files.filter((f) => /^(test|stacks|examples)\//.test(f) || /^Pulumi\./.test(f))).toEqual([]);
  });

  it("type-checks a program importing the components with tsc --strict", () => {
    expect(() => run(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], app)).not.toThrow();
  });

  it("plans the program offline with the packed flipstack command: network, load balancer and one blue/green container service", () => {
    const output = run(process.execPath, [path.join(app, "node_modules", "flipstack", "bin", "flipstack.js"), "plan", "--stack", "dev", "--format", "json"], app);
    const plan = JSON.parse(output) as Plan;
    const count = (type: string) => plan.resources.filter((r) => r.type === type).length;
    expect(plan.project).toBe("shop");
    expect(count("aws:ec2/vpc:Vpc")).toBe(1);
    expect(count("aws:lb/loadBalancer:LoadBalancer")).toBe(1);
    expect(count("aws:lb/targetGroup:TargetGroup")).toBe(1);
    expect(count("aws:ecs/service:Service")).toBe(1);
    expect(plan.outputs.liveVersion).toBe("5e6f7a8");
    // The ledger `flipstack release` reads before every step, exactly as it parses a deployed stack's outputs.
    expect(serviceLedger(plan.outputs, "dev", "storefront")).toMatchObject({ kind: "containers", live: "blue", liveVersion: "5e6f7a8", idle: null, smokeTest: { path: "/", expectStatus: 200 } });
  }, 60_000);

  it("runs the example's own tests, which plan it through flipstack/testing", () => {
    const output = run(process.execPath, ["--test"], app);
    expect(output).toMatch(/# pass 2\b/);
    expect(output).toMatch(/# fail 0\b/);
  }, 120_000);

  it("types flipstack/testing for TypeScript tests, and rejects a wrong call", () => {
    const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
    // tsc prints its errors on stdout: "" when the file type-checks.
    const typeErrors = (code: string) => {
      fs.writeFileSync(path.join(app, "typed.ts"), code);
      fs.writeFileSync(path.join(app, "tsconfig.typed.json"), JSON.stringify({ extends: "./tsconfig.json", files: ["typed.ts"] }));
      try {
        return run(process.execPath, [tsc, "-p", "tsconfig.typed.json"], app);
      } catch (err) {
        return String((err as { stdout?: string }).stdout);
      }
    };
    const right = `import { planProgram, resourcesOf, type Plan } from "flipstack/testing";
export async function services(): Promise<number> {
  const plan: Plan = await planProgram("index.ts", { project: "shop", config: { "aws:region": "eu-west-1", services: {} }, policy: false });
  return resourcesOf(plan, "aws:ecs/service:Service").length;
}
`;
    expect(typeErrors(right)).toBe("");
    expect(typeErrors(right.replace('planProgram("index.ts"', "planProgram(42"))).toMatch(/typed\.ts.*error TS2345/);
    expect(typeErrors('import { PolicyPack } from "@pulumi/policy";\nimport { allRules } from "flipstack/policies";\nnew PolicyPack("platform", { policies: allRules });\n')).toBe("");
  }, 60_000);

  it("gives a pack of the consumer's own the policy pack's rules through flipstack/policies", () => {
    const names = JSON.parse(run(process.execPath, ["-e", 'process.stdout.write(JSON.stringify(require("flipstack/policies").allRules.map((r) => r.name)))'], app)) as string[];
    expect(names).toEqual(allRules.map((r) => r.name));
    expect(names).toContain("ec2-6-flow-logs");
  });
});
