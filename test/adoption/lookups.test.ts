import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { LoadBalancer } from "../../components";
import { planStack } from "../../cli/plan/planStack";
import { lookupName, lookupToken } from "../../cli/plan/lookups";
import { ofType, one, planOf } from "../harness";

// Lookups run only once the plan has set its mocks: the program is a function.
const exportAll = (values: () => Record<string, pulumi.Input<unknown>>) => async () => values();

describe("data-source lookups in a consumer's program", () => {
  it("brings an existing VPC with getVpc and getSubnets, awaited or as outputs", async () => {
    const plan = await planOf(async () => {
      const vpc = await aws.ec2.getVpc({ tags: { Name: "platform" } });
      const subnets = aws.ec2.getSubnetsOutput({ filters: [{ name: "vpc-id", values: [vpc.id] }], tags: { Tier: "public" } });
      new LoadBalancer("shop", { vpcId: vpc.id, subnetIds: subnets.ids, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x", testListenerCidrs: ["10.0.0.0/8"] });
      return { vpcId: vpc.id, cidr: vpc.cidrBlock, subnetIds: subnets.ids };
    });
    expect(plan.outputs.vpcId).toMatch(/^vpc-0[0-9a-f]{16}$/);
    expect(plan.outputs.cidr).toBe("10.0.0.0/16");
    const subnetIds = plan.outputs.subnetIds as string[];
    expect(subnetIds).toHaveLength(3);
    expect(new Set(subnetIds).size).toBe(3);
    expect(one(plan, "aws:lb/loadBalancer:LoadBalancer", "shop-alb").inputs.subnets).toEqual(subnetIds);
    expect(ofType(plan, "aws:ec2/securityGroup:SecurityGroup")[0].inputs.vpcId).toBe(plan.outputs.vpcId);
  });

  it("answers the lookups infrastructure programs use most with realistic values", async () => {
    const plan = await planOf(
      exportAll(() => ({
        ami: aws.ec2.getAmiOutput({ owners: ["amazon"], mostRecent: true, filters: [{ name: "name", values: ["al2023-ami-2023.*-x86_64"] }] }).id,
        certificate: aws.acm.getCertificateOutput({ domain: "shop.example.com", statuses: ["ISSUED"] }).arn,
        zone: aws.route53.getZoneOutput({ name: "example.com" }),
        account: aws.getCallerIdentityOutput().accountId,
        region: aws.getRegionOutput().name,
        partition: aws.getPartitionOutput().partition,
        zones: aws.getAvailabilityZonesOutput({ state: "available" }).names,
        ecr: aws.ecr.getAuthorizationTokenOutput(),
        subnet: aws.ec2.getSubnetOutput({ id: "subnet-0a1b2c3d4e5f60718" }),
        parameter: aws.ssm.getParameterOutput({ name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" }).value,
        policy: aws.iam.getPolicyDocumentOutput({ statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::shop/*"] }] }).json,
      })),
      { region: "eu-central-1" },
    );
    const o = plan.outputs as Record<string, never>;
    expect(o.ami).toMatch(/^ami-0[0-9a-f]{16}$/);
    expect(o.certificate).toMatch(/^arn:aws:acm:eu-central-1:123456789012:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(o.zone).toMatchObject({ name: "example.com.", zoneId: expect.stringMatching(/^Z0[0-9A-F]{19}$/), privateZone: false });
    expect([o.account, o.region, o.partition]).toEqual(["123456789012", "eu-central-1", "aws"]);
    expect(o.zones).toEqual(["eu-central-1a", "eu-central-1b", "eu-central-1c"]);
    const ecr = o.ecr as { authorizationToken: string; password: string; proxyEndpoint: string; userName: string };
    expect(Buffer.from(ecr.authorizationToken, "base64").toString()).toBe(`AWS:${ecr.password}`);
    expect(ecr.proxyEndpoint).toBe("https://123456789012.dkr.ecr.eu-central-1.amazonaws.com");
    expect(o.subnet).toMatchObject({ id: "subnet-0a1b2c3d4e5f60718", availabilityZone: expect.stringMatching(/^eu-central-1[abc]$/) });
    expect(o.parameter).toMatch(/^ami-0[0-9a-f]{16}$/);
    expect(JSON.parse(o.policy)).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::shop/*" }] });
  });

  it("gives the same lookup the same answer and different lookups different ones", async () => {
    const program = exportAll(() => ({ a: aws.ec2.getVpcOutput({ tags: { Name: "a" } }).id, b: aws.ec2.getVpcOutput({ tags: { Name: "b" } }).id }));
    const [first, second] = [await planOf(program), await planOf(program)];
    expect(first.outputs).toEqual(second.outputs);
    expect(first.outputs.a).not.toBe(first.outputs.b);
  });

  it("names an unanswered lookup and how to answer it", async () => {
    const program = async () => ({ v: (await aws.rds.getEngineVersion({ engine: "postgres" })).version });
    await expect(planOf(program)).rejects.toThrow(
      'the offline plan has no answer for data source aws.rds.getEngineVersion ("aws:rds/getEngineVersion:getEngineVersion"); add its result under "aws.rds.getEngineVersion" in flipstack.lookups.yaml',
    );
  });

  it("takes the program's own answers, merged over the plan's, and per argument", async () => {
    const plan = await planOf(
      exportAll(() => ({
        engine: aws.rds.getEngineVersionOutput({ engine: "postgres" }).version,
        vpc: aws.ec2.getVpcOutput({ tags: { Name: "platform" } }),
        prod: aws.ec2.getVpcOutput({ tags: { Name: "production" } }).id,
      })),
      {
        lookups: {
          "aws.rds.getEngineVersion": { version: "16.4" },
          "aws:ec2/getVpc:getVpc": [
            { when: { tags: { Name: "production" } }, result: { id: "vpc-0123456789abcdef0" } },
            { result: { cidrBlock: "10.20.0.0/16" } },
          ],
        },
      },
    );
    expect(plan.outputs.engine).toBe("16.4");
    expect(plan.outputs.vpc).toMatchObject({ cidrBlock: "10.20.0.0/16", id: expect.stringMatching(/^vpc-0/), enableDnsSupport: true });
    expect(plan.outputs.prod).toBe("vpc-0123456789abcdef0");
  });

  it("reads flipstack.lookups.yaml beside Pulumi.yaml", async () => {
    fs.mkdirSync(path.join(__dirname, "..", "..", ".flipstack"), { recursive: true });
    const dir = fs.mkdtempSync(path.join(__dirname, "..", "..", ".flipstack", "lookups-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: platform\nruntime: nodejs\nmain: index.ts\n");
      fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: eu-west-1\n");
      fs.writeFileSync(path.join(dir, "flipstack.lookups.yaml"), "aws.rds.getEngineVersion:\n  version: '16.4'\n");
      fs.writeFileSync(path.join(dir, "index.ts"), 'import * as aws from "@pulumi/aws";\nexport const engine = aws.rds.getEngineVersionOutput({ engine: "postgres" }).version;\n');
      expect((await planStack({ cwd: dir, stack: "dev" })).outputs.engine).toBe("16.4");
      // The same program with no answer, through the command: an output's failed lookup reaches the SDK as an
      // unhandled rejection, which the command reports like any other error.
      fs.writeFileSync(path.join(dir, "flipstack.lookups.yaml"), "");
      const cli = spawnSync(process.execPath, [path.join(__dirname, "..", "..", "bin", "flipstack.js"), "plan", "--stack", "dev"], { cwd: dir, encoding: "utf8" });
      expect(cli.status).toBe(1);
      expect(cli.stderr).toContain('flipstack: the offline plan has no answer for data source aws.rds.getEngineVersion ("aws:rds/getEngineVersion:getEngineVersion")');
      fs.writeFileSync(path.join(dir, "flipstack.lookups.yaml"), "- not a map\n");
      await expect(planStack({ cwd: dir, stack: "dev" })).rejects.toThrow("flipstack.lookups.yaml: flipstack.lookups.yaml must map data-source names");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ["aws.ec2.getVpc", "aws:ec2/getVpc:getVpc"],
    ["aws.getCallerIdentity", "aws:index/getCallerIdentity:getCallerIdentity"],
    ["aws:ecr/getImage:getImage", "aws:ecr/getImage:getImage"],
  ])("calls %s by its token %s", (name, token) => {
    expect(lookupToken(name)).toBe(token);
    if (!name.includes(":")) expect(lookupName(token)).toBe(name);
  });
});
