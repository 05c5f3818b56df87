import * as fs from "node:fs";
import * as path from "node:path";
import { awsMocks } from "../../cli/plan/awsMocks";
import type { Plan, PlannedResource } from "../../cli/plan/model";
import { planStack } from "../../cli/plan/planStack";

const root = path.join(__dirname, "..", "..");
// A cold type check of @pulumi/aws's and @pulumi/awsx's declarations takes a while on a busy machine.
jest.setTimeout(300_000);

/**
 * examples/awsx as another repository would have it, inside this one (gitignored) so that @pulumi/* and awsx resolve
 * from this install, with `flipstack` installed as a package that is this repository's components (its own package.json
 * keeps `flipstack` from resolving to this repository itself, as Node resolves a package's own name inside it).
 */
function exampleProject(): string {
  fs.mkdirSync(path.join(root, ".flipstack"), { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, ".flipstack", "awsx-"));
  for (const file of ["index.ts", "package.json", "Pulumi.yaml", "Pulumi.dev.yaml", "tsconfig.json"]) {
    fs.copyFileSync(path.join(root, "examples", "awsx", file), path.join(dir, file));
  }
  const installed = path.join(dir, "node_modules", "flipstack");
  fs.mkdirSync(installed, { recursive: true });
  const components = path.join(root, "components", "index");
  fs.writeFileSync(path.join(installed, "package.json"), JSON.stringify({ name: "flipstack", main: "index.js", types: "index.d.ts" }));
  fs.writeFileSync(path.join(installed, "index.js"), `module.exports = require(${JSON.stringify(`${components}.ts`)});\n`);
  fs.writeFileSync(path.join(installed, "index.d.ts"), `export * from ${JSON.stringify(components)};\n`);
  return dir;
}

const VPC_ID = /^vpc-0[0-9a-f]{16}$/;
const SUBNET_ID = /^subnet-0[0-9a-f]{16}$/;
const ofType = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);

describe("the awsx example: an awsx VPC with a Flipstack blue/green service in it", () => {
  let dir: string;
  let plan: Plan;
  let vpcId: string;
  let privateSubnetIds: string[];
  let publicSubnetIds: string[];

  beforeAll(async () => {
    dir = exampleProject();
    // The same entry `flipstack plan --stack dev` runs, type check included (as `pulumi up` would).
    plan = await planStack({ cwd: dir, stack: "dev", typeCheck: true });
    ({ vpcId, privateSubnetIds, publicSubnetIds } = plan.outputs as { vpcId: string; privateSubnetIds: string[]; publicSubnetIds: string[] });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("plans offline: the awsx VPC is one node without children, Flipstack's resources are all there", () => {
    const [vpc] = ofType(plan, "awsx:ec2:Vpc");
    expect(vpc).toMatchObject({ name: "checkout", custom: false, inputs: { cidrBlock: "10.50.0.0/16", natGateways: { strategy: "Single" } } });
    expect(plan.resources.filter((r) => r.parent === vpc.urn)).toEqual([]);
    expect(ofType(plan, "aws:ec2/vpc:Vpc")).toEqual([]);
    expect(ofType(plan, "aws:lb/loadBalancer:LoadBalancer")).toHaveLength(1);
    expect(ofType(plan, "aws:lb/targetGroup:TargetGroup")).toHaveLength(1);
    expect(ofType(plan, "aws:ecs/service:Service")).toHaveLength(1);
    expect(plan.outputs.liveVersion).toBe("9a8b7c6");
  });

  it("exports the VPC id and subnet ids the plan answers for awsx:ec2:Vpc", async () => {
    // Asked of the mocks directly, for the same component: the ids the program got are the plan's answer.
    const mocks = awsMocks({ region: "eu-west-1" });
    const answer = (await mocks.newResource({ type: "awsx:ec2:Vpc", name: "checkout", inputs: { cidrBlock: "10.50.0.0/16", natGateways: { strategy: "Single" } }, custom: false })).state;
    expect(vpcId).toMatch(VPC_ID);
    expect(vpcId).toBe(answer.vpcId);
    expect(privateSubnetIds).toEqual(answer.privateSubnetIds);
    expect(publicSubnetIds).toEqual(answer.publicSubnetIds);
    // awsx's default: three zones, a private and a public subnet in each, all different.
    expect(new Set([...privateSubnetIds, ...publicSubnetIds]).size).toBe(6);
  });

  it("puts the load balancer in the VPC's public subnets", () => {
    const [loadBalancer] = ofType(plan, "aws:lb/loadBalancer:LoadBalancer");
    expect(publicSubnetIds).toEqual([expect.stringMatching(SUBNET_ID), expect.stringMatching(SUBNET_ID), expect.stringMatching(SUBNET_ID)]);
    expect(loadBalancer.inputs.subnets).toEqual(publicSubnetIds);
  });

  it("gives the service's target group and every security group the awsx VPC's id", () => {
    const [targetGroup] = ofType(plan, "aws:lb/targetGroup:TargetGroup");
    expect(vpcId).toMatch(VPC_ID);
    expect(targetGroup.inputs.vpcId).toBe(vpcId);
    const groups = ofType(plan, "aws:ec2/securityGroup:SecurityGroup");
    expect(groups.length).toBeGreaterThanOrEqual(2);
    for (const group of groups) expect([group.name, group.inputs.vpcId]).toEqual([group.name, vpcId]);
  });

  it("runs the service's tasks in the VPC's private subnets", () => {
    const [service] = ofType(plan, "aws:ecs/service:Service") as [PlannedResource];
    expect(privateSubnetIds).toEqual([expect.stringMatching(SUBNET_ID), expect.stringMatching(SUBNET_ID), expect.stringMatching(SUBNET_ID)]);
    expect((service.inputs.networkConfiguration as { subnets: string[] }).subnets).toEqual(privateSubnetIds);
  });
});

describe("the awsx example's type check", () => {
  it("sees awsx's and Flipstack's types: awsx's subnet resources where Flipstack takes subnet ids are refused", async () => {
    const dir = exampleProject();
    try {
      const program = path.join(dir, "index.ts");
      const source = fs.readFileSync(program, "utf8");
      expect(source).toContain("subnetIds: vpc.privateSubnetIds,");
      fs.writeFileSync(program, source.replace("subnetIds: vpc.privateSubnetIds,", "subnetIds: vpc.privateSubnets,"));
      const line = source.split("\n").findIndex((l) => l.includes("subnetIds: vpc.privateSubnetIds,")) + 1;
      await expect(planStack({ cwd: dir, stack: "dev", typeCheck: true })).rejects.toThrow(
        `index.ts(${line},3): error TS2322: Type 'Output<Subnet[]>' is not assignable to type 'Input<Input<string>[]>'`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
