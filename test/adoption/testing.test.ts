import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as path from "node:path";
import { planProgram, planProject, resourceNamed, resourcesOf } from "../../cli/testing";

const root = path.join(__dirname, "..", "..");
// Two VPCs without flow logs: the policy pack's EC2.6 rule is mandatory for both.
const twoVpcs = () => {
  new aws.ec2.Vpc("platform-vpc", { cidrBlock: "10.0.0.0/16" });
  new aws.ec2.Vpc("sandbox-vpc", { cidrBlock: "10.1.0.0/16" });
};
const region = { "aws:region": "eu-west-1" };

describe("flipstack/testing", () => {
  it("plans a program function with the policy pack, and honours exceptions given with a reason", async () => {
    const plan = await planProgram(twoVpcs, { config: region });
    expect(resourcesOf(plan, "aws:ec2/vpc:Vpc").map((vpc) => vpc.inputs.cidrBlock)).toEqual(["10.0.0.0/16", "10.1.0.0/16"]);
    expect(plan.violations.filter((v) => v.rule === "ec2-6-flow-logs")).toHaveLength(2);

    const excepted = await planProgram(twoVpcs, { config: region, suppressions: [{ rule: "ec2-6-flow-logs", resources: ["platform-vpc"], severity: "off", reason: "central flow logs" }] });
    expect(excepted.violations.filter((v) => v.rule === "ec2-6-flow-logs").map((v) => v.urn.split("::").pop())).toEqual(["sandbox-vpc"]);
    expect(excepted.suppressed).toEqual([expect.objectContaining({ rule: "ec2-6-flow-logs", reason: "central flow logs" })]);
  });

  it("skips the policy pack when asked and still needs a region, as pulumi up does", async () => {
    expect((await planProgram(twoVpcs, { config: region, policy: false })).violations).toEqual([]);
    await expect(planProgram(twoVpcs)).rejects.toThrow(/aws:region is not set/);
  });

  it("takes bare config keys as the project's and values as JSON", async () => {
    const plan = await planProgram(
      () => {
        const config = new pulumi.Config();
        new aws.ec2.Vpc(config.require("name"), { cidrBlock: config.requireObject<{ cidr: string }>("network").cidr });
      },
      { project: "shop", config: { ...region, name: "shop-vpc", network: { cidr: "10.9.0.0/16" } }, policy: false },
    );
    expect(resourceNamed(plan, "shop-vpc").inputs.cidrBlock).toBe("10.9.0.0/16");
    expect(() => resourceNamed(plan, "other")).toThrow(/no planned resource is named "other"; planned: .*shop-vpc/);
  });

  // Jest keeps its own module registry, so a program file runs once per test file: one that exports its program as a
  // function (as the shipped stacks do) plans afresh each time. (Under `node --test`, see examples/consumer.)
  it("plans a program file that exports a function, each time afresh, and a project's stack as flipstack plan does", async () => {
    fs.mkdirSync(path.join(root, ".flipstack"), { recursive: true });
    const dir = fs.mkdtempSync(path.join(root, ".flipstack", "testing-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: platform\nruntime: nodejs\nmain: index.ts\n");
      fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: eu-west-1\n");
      fs.writeFileSync(path.join(dir, "index.ts"), 'import * as aws from "@pulumi/aws";\nexport = () => {\n  new aws.s3.Bucket("files");\n};\n');
      const program = path.join(dir, "index.ts");
      for (let i = 0; i < 2; i++) expect(resourcesOf(await planProgram(program, { config: region, policy: false }), "aws:s3/bucket:Bucket")).toHaveLength(1);
      const stack = await planProject({ cwd: dir, stack: "dev" });
      expect(stack.project).toBe("platform");
      expect(resourcesOf(stack, "aws:s3/bucket:Bucket")).toHaveLength(1);
      expect(stack.violations.length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
