import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Plan } from "../../cli/plan/model";

const root = path.join(__dirname, "..", "..");
const flipstack = (...args: string[]) => spawnSync(process.execPath, [path.join(root, "bin", "flipstack.js"), ...args], { cwd: root, encoding: "utf8" });
const planJson = (...args: string[]) => {
  const result = flipstack("plan", "--format", "json", ...args);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Plan;
};
const count = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type).length;

describe("flipstack plan (the real command)", () => {
  let production: Plan;
  let productionText: string;
  beforeAll(() => {
    const result = flipstack("plan", "--stack", "production", "--format", "json");
    productionText = result.stdout;
    production = JSON.parse(result.stdout) as Plan;
  });

  it("prints JSON per the contract", () => {
    expect(Object.keys(production).sort()).toEqual(["outputs", "project", "region", "resources", "stack", "violations"]);
    expect(production).toMatchObject({ stack: "production", project: "flipstack", region: "eu-west-1" });
    for (const r of production.resources) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(["urn", "type", "name", "parent", "custom", "inputs", "options"]));
      expect(typeof r.options.protect).toBe("boolean");
      expect(typeof r.options.retainOnDelete).toBe("boolean");
    }
    expect(production.resources.filter((r) => r.parent === null).map((r) => r.type)).toContain("pulumi:pulumi:Stack");
  });

  it("plans production's network and VPN as the acceptance asks", () => {
    const subnets = production.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet");
    expect(count(production, "aws:ec2/vpc:Vpc")).toBe(1);
    expect(subnets.filter((s) => s.name.includes("-public-"))).toHaveLength(3);
    expect(subnets.filter((s) => s.name.includes("-private-"))).toHaveLength(3);
    expect(new Set(subnets.map((s) => s.inputs.availabilityZone)).size).toBe(3);
    expect(count(production, "aws:ec2/natGateway:NatGateway")).toBe(3);
    expect(count(production, "aws:ec2/flowLog:FlowLog")).toBe(1);
    expect(count(production, "aws:ec2/vpnGateway:VpnGateway")).toBe(1);
    expect(count(production, "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation")).toBe(3);
    const alarms = production.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.inputs.metricName === "TunnelState");
    expect(alarms).toHaveLength(2);
    const vpn = production.resources.find((r) => r.type === "aws:ec2/vpnConnection:VpnConnection")!;
    expect(vpn.inputs.staticRoutesOnly).toBe(true);
    expect(vpn.options.protect).toBe(true);
    expect(production.resources.find((r) => r.type === "aws:ec2/customerGateway:CustomerGateway")!.options.protect).toBe(true);
  });

  it("plans the load balancer with HTTPS, a redirecting HTTP listener and the test listener", () => {
    const listeners = production.resources.filter((r) => r.type === "aws:lb/listener:Listener");
    expect(listeners.map((l) => [l.inputs.port, l.inputs.protocol]).sort()).toEqual([[443, "HTTPS"], [80, "HTTP"], [8443, "HTTPS"]].sort());
  });

  it("never shows a secret", () => {
    expect(productionText).not.toContain("offline_");
    expect(productionText).toContain("[secret]");
  });

  it("writes a whole large plan into a pipe before exiting", () => {
    // A slow reader on the other end of a pipe: writes are asynchronous and an early exit would truncate them.
    const command = `"${process.execPath}" bin/flipstack.js plan --stack production --format json | (sleep 1; cat)`;
    const result = spawnSync("sh", ["-c", command], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(result.stdout.length).toBe(productionText.length);
    expect(result.stdout).toBe(productionText);
  });

  it("is deterministic", () => {
    expect(flipstack("plan", "--stack", "production", "--format", "json").stdout).toBe(productionText);
  });

  it("applies --set to staging: three zones, a NAT gateway per zone", () => {
    expect(count(planJson("--stack", "staging", "--set", "network.availabilityZones=3", "--set", "network.nat=perAz"), "aws:ec2/natGateway:NatGateway")).toBe(3);
  });

  it("applies --set network.nat=none to staging: no NAT gateway, and a warning naming the key", () => {
    const result = flipstack("plan", "--format", "json", "--stack", "staging", "--set", "network.nat=none");
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^warning: \[runtime\] flipstack:network\.nat: "none" leaves the private subnets with no way out[^\n]*\n$/);
    expect(count(JSON.parse(result.stdout) as Plan, "aws:ec2/natGateway:NatGateway")).toBe(0);
  });

  it("plans staging with two zones and one NAT gateway", () => {
    const staging = planJson("--stack", "staging");
    expect(count(staging, "aws:ec2/natGateway:NatGateway")).toBe(1);
    expect(new Set(staging.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet").map((s) => s.inputs.availabilityZone)).size).toBe(2);
  });

  it("plans pr-42 on staging's load balancer, without a network of its own", () => {
    const preview = planJson("--stack", "pr-42");
    expect(count(preview, "aws:ec2/vpc:Vpc")).toBe(0);
    expect(count(preview, "aws:lb/loadBalancer:LoadBalancer")).toBe(0);
    expect(JSON.stringify(preview.resources.filter((r) => r.type === "aws:lb/listenerRule:ListenerRule").map((r) => r.inputs.conditions))).toContain("pr-42");
  });

  it("prints a tree with options and the release status by default, and Markdown on request", () => {
    const tree = flipstack("plan", "--stack", "production").stdout;
    expect(tree).toContain("aws:ec2/vpc:Vpc network-vpc  [protect]");
    expect(tree).toMatch(/Releases:\n\s+web\s+live blue 2026\.11\.3/);
    const markdown = flipstack("plan", "--stack", "production", "--format", "markdown").stdout;
    expect(markdown).toContain("| Resource type | Count |");
    expect(markdown).toContain("#### Releases");
  });

  it.each([
    [["--set", "network.cidr=10.0.0.0/33"], 'flipstack:network.cidr: "10.0.0.0/33" is not a valid IPv4 CIDR'],
    [["--set", 'vpn.customerGateway.bgpAsn="x"'], "flipstack:vpn.customerGateway.bgpAsn: expected a number"],
    [["--set", "network.bogus=1"], "flipstack:network.bogus: unknown key"],
    [["--set", "vpn.staticRoutes[0]=10.10.4.0/24"], "flipstack:vpn.staticRoutes[0]: \"10.10.4.0/24\" overlaps the VPC"],
    [["--set", "services.api.release.live=blue"], "flipstack:services.api.release.live"],
  ])("refuses a broken config %j with exit 2, the key named, no stack trace and nothing planned", (sets, message) => {
    const result = flipstack("plan", "--stack", "production", ...(sets as string[]));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe("");
  });

  it("uses --config instead of the stack file", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-config-")), "custom.yaml");
    fs.writeFileSync(file, "config:\n  aws:region: us-east-1\n  flipstack:network:\n    cidr: 10.50.0.0/16\n    availabilityZones: 4\n");
    const plan = planJson("--stack", "staging", "--config", file);
    expect(plan.resources.find((r) => r.type === "aws:ec2/vpc:Vpc")!.inputs.cidrBlock).toBe("10.50.0.0/16");
    expect(new Set(plan.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet").map((s) => s.inputs.availabilityZone))).toEqual(new Set(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"]));
  });

  it("exits 2 when the folder has no Pulumi project", () => {
    const result = flipstack("plan", "--stack", "staging", "--cwd", fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-empty-")));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no Pulumi\.yaml in .*--cwd/);
  });

  it("exits 2 naming the missing stack file when a mistyped --stack leaves the program without a region", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-nostack-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\nmain: index.ts\n");
    fs.writeFileSync(path.join(dir, "index.ts"), "export {};\n");
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: eu-west-1\n");
    const result = spawnSync(process.execPath, [path.join(root, "bin", "flipstack.js"), "plan", "--stack", "deb"], { cwd: dir, encoding: "utf8", env: { ...process.env, AWS_REGION: "", AWS_DEFAULT_REGION: "" } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Pulumi.deb.yaml does not exist and the project sets no aws:region: check --stack deb");
    expect(result.stdout).toBe("");
  });
});
