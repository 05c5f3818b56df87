import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import type { Plan } from "../../cli/plan/model";

/**
 * Bad input, as an adversarial user would write it, through the real `flipstack` command and real stack files
 * (copied and changed). Each case: the exit code, the key or flag the message must name, and never a stack trace
 * or a raw Node error.
 */
const root = path.join(__dirname, "..", "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-bad-input-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function flipstack(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "bin", "flipstack.js"), ...args], { cwd: root });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

let made = 0;
function freshDir(): string {
  const dir = path.join(work, String(made++));
  fs.mkdirSync(dir);
  return dir;
}

/** A copy of `Pulumi.<stack>.yaml` with `change` applied to its `config:` map; returns the copy's path. */
type StackYaml = Record<string, unknown>;
interface ServiceYaml {
  kind: string;
  userData?: string;
  release: Record<"blue" | "green", Record<string, string>> & { generation?: number };
}

function stackFile(stack: string, change: (config: StackYaml) => void): string {
  const doc = parse(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")) as { config: StackYaml };
  change(doc.config);
  return writeFile(`Pulumi.${stack}.yaml`, stringify(doc));
}

/** A copy of a stack file with its text edited, for what a parsed document cannot hold (syntax errors, number spellings). */
function stackText(stack: string, edit: (text: string) => string): string {
  const text = fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8");
  const edited = edit(text);
  if (edited === text) throw new Error("the edit changed nothing");
  return writeFile(`Pulumi.${stack}.yaml`, edited);
}

function writeFile(name: string, text: string): string {
  const file = path.join(freshDir(), name);
  fs.writeFileSync(file, text);
  return file;
}

/** A Pulumi project folder of its own, for `--cwd`. */
function project(pulumiYaml: string, files: Record<string, string> = {}): string {
  const dir = freshDir();
  for (const [name, text] of Object.entries({ "Pulumi.yaml": pulumiYaml, ...files })) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const service = (name: string) => (config: StackYaml) => (config["flipstack:services"] as Record<string, ServiceYaml>)[name];
const web = service("web");
const api = service("api");
const aliasBomb = ["a: &a [x, x, x, x, x, x, x, x, x]", ...["b", "c", "d", "e", "f"].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcdef"[i]}`).join(", ")}]`)].join("\n");

type Case = [point: string, description: string, args: () => string[], exit: number, mustSay: string[], check?: (run: Run) => void];

const cases: Case[] = [
  // 1. crashes
  ["1", "--set with an index in the millions", () => ["plan", "--stack", "staging", "--set", "vpn.staticRoutes[5000000]=10.9.0.0/16"], 2, ["--set vpn.staticRoutes[5000000]", "past the end of the list"]],
  ["1", "--set through __proto__", () => ["plan", "--stack", "staging", "--set", "network.__proto__.polluted=1"], 2, ['"__proto__" cannot be a config key']],
  ["1", "--set through constructor.prototype", () => ["plan", "--stack", "staging", "--set", "services.constructor.prototype.x=1"], 2, ['"constructor" cannot be a config key']],
  // 2. exit codes and messages
  ["2", "a YAML syntax error", () => ["plan", "--stack", "staging", "--config", stackText("staging", (t) => t.replace("cidr: 10.20.0.0/16", "cidr: [10.20.0.0/16"))], 2, [":5:", "YAML syntax"]],
  ["2", "a duplicate key", () => ["plan", "--stack", "staging", "--config", stackText("staging", (t) => t.replace("    nat: single", "    nat: single\n    nat: perAz"))], 2, [":8:5:", "Map keys must be unique"]],
  ["2", "an alias bomb", () => ["plan", "--stack", "staging", "--config", stackText("staging", (t) => `${t}\nbomb:\n${aliasBomb.replace(/^/gm, "  ")}\n`)], 2, ["Excessive alias count", "write the values out"]],
  ["2", "a stack file that is a list", () => ["plan", "--stack", "staging", "--config", writeFile("Pulumi.staging.yaml", "- config\n")], 2, ["expected a map of settings"]],
  ["2", "a misspelt --stack", () => ["plan", "--stak", "staging"], 2, ["unknown option '--stak'", "Did you mean --stack?"]],
  ["2", "no --stack", () => ["plan"], 2, ["required option '-s, --stack <name>'"]],
  ["2", "an unknown --format", () => ["plan", "--stack", "staging", "--format", "xml"], 2, ["--format", "Allowed choices are tree, json, markdown"]],
  ["2", "an unknown command", () => ["plna"], 2, ["unknown command 'plna'", "(Did you mean plan?)"]],
  ["2", "--config pointing at a folder", () => ["plan", "--stack", "staging", "--config", work], 2, ["config file", "is a folder"]],
  ["2", "--config pointing at nothing", () => ["plan", "--stack", "staging", "--config", path.join(work, "nope.yaml")], 2, ["does not exist"]],
  ["2", "--out into a missing folder", () => ["plan", "--stack", "staging", "--out", path.join(work, "missing", "plan.json")], 2, ["--out", "does not exist; create it first"]],
  ["2", "--cwd to a project whose main is missing", () => ["plan", "--stack", "dev", "--cwd", project("name: x\nruntime: nodejs\nmain: missing.ts\n")], 2, ["main missing.ts does not exist"]],
  ["2", "--cwd to a project that is not Node.js", () => ["plan", "--stack", "dev", "--cwd", project("name: x\nruntime: python\n", { "__main__.py": "print(1)\n" })], 2, ['runtime is "python"']],
  ["2", "--cwd to a project whose main is not TypeScript", () => ["plan", "--stack", "dev", "--cwd", project("name: x\nruntime: nodejs\nmain: __main__.py\n", { "__main__.py": "print(1)\n" })], 2, ["is not a TypeScript or JavaScript file"]],
  ["2", "a stack name that walks out of the project", () => ["plan", "--stack", "x/../../elsewhere/evil"], 2, ["--stack", "is not a stack name"]],
  ["2", "--base-plan that is a folder", () => ["diff", "--stack", "staging", "--base-plan", work], 2, ["saved plan", "is a folder"]],
  // 3. the right key and the right reason
  ["3", "a fractional generation", () => ["plan", "--stack", "staging", "--config", stackFile("staging", (c) => (web(c).release.generation = 1.5))], 2, ["flipstack:services.web.release.generation: must be a whole number"], (run) => expect(run.stderr).not.toContain("generation.kind")],
  ["3", "an unknown kind", () => ["plan", "--stack", "staging", "--config", stackFile("staging", (c) => (web(c).kind = "lambda"))], 2, ['flipstack:services.web.kind: must be "instances"', 'got "lambda"'], (run) => expect(run.stderr).not.toContain("kind.kind")],
  ["3", "an office CIDR of the whole internet", () => ["plan", "--stack", "staging", "--config", stackFile("staging", (c) => ((c["flipstack:loadBalancer"] as { officeCidrs: string[] }).officeCidrs = ["0.0.0.0/0"]))], 2, ["flipstack:loadBalancer.officeCidrs[0]", "is the whole internet"], (run) => expect(run.stderr).not.toContain("overlaps")],
  ["3", "the test listener on the HTTPS port", () => ["plan", "--stack", "staging", "--set", "loadBalancer.testListenerPort=443"], 2, ["flipstack:loadBalancer.testListenerPort: 443 is taken by the HTTPS listener"]],
  ["3", "user data over EC2's limit", () => ["plan", "--stack", "staging", "--config", stackFile("staging", (c) => (web(c).userData = "#!/bin/sh\n" + "x".repeat(17000)))], 2, ["flipstack:services.web.userData: is 17010 bytes"]],
  ["3", "user data with no room left for the log agent", () => ["plan", "--stack", "staging", "--config", stackFile("staging", (c) => (web(c).userData = "#!/bin/sh\n" + "x".repeat(15000)))], 2, ["flipstack:services.web.userData: is 15010 bytes", "with the log agent's boot script, which leaves 14295"]],
  ["3", "user data that is already multi-part", () => ["plan", "--stack", "staging", "--config", stackFile("staging", (c) => (web(c).userData = "Content-Type: multipart/mixed; boundary=b\n\n--b--\n"))], 2, ["flipstack:services.web.userData: is already a MIME multi-part archive"]],
  ["3", "a desired capacity of zero", () => ["plan", "--stack", "staging", "--set", 'services.web.capacity={"min":0,"desired":0,"max":1}'], 2, ["flipstack:services.web.capacity.desired: is 0"]],
  // 4. nothing changed silently
  ["4", "a version written 1.10", () => ["plan", "--stack", "production", "--config", stackText("production", (t) => t.replace('version: "2026.11.3"', "version: 1.10"))], 2, ["flipstack:services.web.release.blue.version: is a number", "write the version in quotes"]],
  ["4", "an image tag that differs from its version", () => ["plan", "--stack", "staging", "--format", "json", "--set", "services.api.release.green.version=abc1234"], 0, ['flipstack:services.api.release.green.image: has the tag "3f2c1ab" but the version is "abc1234"']],
  ["4", "the same release in both slots", () => ["plan", "--stack", "staging", "--format", "json", "--config", stackFile("staging", (c) => (web(c).release.green = { ...web(c).release.blue }))], 0, ["flipstack:services.web.release: blue and green hold the same release (2026.11.3)"]],
  ["4", "previewDomain in production", () => ["plan", "--stack", "production", "--set", "previewDomain=preview.example.com"], 2, ["flipstack:previewDomain: is for staging only"]],
  ["4", "pr-0", () => ["plan", "--stack", "pr-0"], 2, ['stack "pr-0" is no pull request\'s']],
  ["4", "removing a list entry with null", () => ["plan", "--stack", "production", "--format", "json", "--set", "loadBalancer.officeCidrs[0]=null"], 0, [], (run) => {
    const ingress = (JSON.parse(run.stdout) as Plan).resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.fromPort === 8443);
    expect(ingress.map((r) => r.inputs.cidrIpv4)).toEqual(["192.168.0.0/20"]);
  }],
  ["4", "a container version with dots", () => ["plan", "--stack", "staging", "--format", "json", "--no-policy", "--config", stackFile("staging", (c) => Object.assign(api(c).release.green, { version: "2026.11.3", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:2026.11.3" }))], 0, [], (run) => {
    const services = (JSON.parse(run.stdout) as Plan).resources.filter((r) => r.type === "aws:ecs/service:Service");
    expect(services.map((s) => s.name)).toContain("api-green-2026-11-3-service");
    for (const s of services) expect(s.name).toMatch(/^[\w-]+$/);
  }],
  ["4", "an instance version with +", () => ["plan", "--stack", "staging", "--format", "json", "--no-policy", "--set", "services.web.release.green.version=2026.11.4+build"], 0, [], (run) => {
    const templates = (JSON.parse(run.stdout) as Plan).resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate");
    expect(templates.map((t) => t.inputs.namePrefix)).toContain("web-green-2026.11.4-build-");
    for (const t of templates) expect(String(t.inputs.namePrefix)).toMatch(/^[\w()./-]+$/);
  }],
  // 5. production cannot be weakened quietly
  ["5", "a test listener open to half the internet", () => ["plan", "--stack", "production", "--set", "loadBalancer.officeCidrs[0]=128.0.0.0/1"], 2, ["flipstack:loadBalancer.officeCidrs[0]", "covers 1/2 of all IPv4 addresses"]],
  ["5", "30-day logs in production", () => ["plan", "--stack", "production", "--set", "logs.retentionDays=30"], 2, ["flipstack:logs.retentionDays: 30-day retention", 'flipstack:acknowledge: { "logs.retentionDays"']],
  ["5", "no NAT in production", () => ["plan", "--stack", "production", "--set", "network.nat=none"], 2, ['flipstack:network.nat: "none" leaves the private subnets with no way out']],
  ["5", "an unprotected VPN in production", () => ["plan", "--stack", "production", "--set", "vpn.protect=false"], 2, ["flipstack:vpn.protect: false lets a config change replace the customer gateway"]],
  ["5", "an unprotected VPN, acknowledged", () => ["plan", "--stack", "production", "--format", "json", "--no-policy", "--set", "vpn.protect=false", "--set", 'acknowledge["vpn.protect"]=office moves in March; ops (J. Doe) accepts'], 0, ["flipstack:vpn.protect: false lets", 'acknowledged: "office moves in March'], (run) => {
    const gateway = (JSON.parse(run.stdout) as Plan).resources.find((r) => r.type === "aws:ec2/customerGateway:CustomerGateway")!;
    expect(gateway.options.protect).toBe(false);
  }],
  ["5", "an acknowledgement of nothing", () => ["plan", "--stack", "production", "--set", 'acknowledge["network.nat"]=we accept a single NAT gateway here'], 2, ['flipstack:acknowledge["network.nat"]: acknowledges nothing']],
  ["5", "an acknowledgement without a reason", () => ["plan", "--stack", "production", "--set", "network.nat=single", "--set", 'acknowledge["network.nat"]=ok'], 2, ['flipstack:acknowledge["network.nat"]: must be a written reason']],
  // 6. secrets by value
  ["6", "a database URL with a password", () => ["plan", "--stack", "staging", "--set", "services.api.environment.DATABASE_URL=postgres://app:hunter2@db.internal:5432/app"], 2, ["flipstack:services.api.environment.DATABASE_URL: holds a URL with a password in it", "under `secrets`"], (run) => expect(run.stderr).not.toContain("hunter2")],
  ["6", "an AWS access key in an instance's environment", () => ["plan", "--stack", "staging", "--set", "services.web.environment.S3_KEY=AKIAIOSFODNN7EXAMPLE"], 2, ["flipstack:services.web.environment.S3_KEY: holds an AWS access key id"]],
];

describe("bad input through the real command", () => {
  it.concurrent.each(cases)("point %s: %s", async (_point, _description, args, exit, mustSay, check) => {
    const run = await flipstack(args());
    const said = run.stderr;
    expect({ status: run.status, said }).toMatchObject({ status: exit });
    for (const text of mustSay) expect(said).toContain(text);
    expect(said).not.toMatch(/\n\s+at \S+ \(|Error: |ENOENT|EISDIR|Cannot find module|is not a function|FLIPSTACK_DEBUG/);
    if (exit === 2) expect(run.stdout).toBe("");
    check?.(run);
  }, 120000);

  it("refuses every point of the list at least once", () => {
    expect(new Set(cases.map(([point]) => point))).toEqual(new Set(["1", "2", "3", "4", "5", "6"]));
  });
});
