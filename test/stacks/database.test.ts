import * as path from "node:path";
import type { Plan } from "../../cli/plan/model";
import { planStack } from "../../cli/plan/planStack";
import { loadStackConfig } from "../../stacks/config";
import { configProblems } from "./configProblems";
import { ofType, one } from "../harness";

const root = path.join(__dirname, "..", "..");
const plans = new Map<string, Promise<Plan>>();
const planOfStack = (stack: string) => {
  if (!plans.has(stack)) plans.set(stack, planStack({ cwd: root, stack }));
  return plans.get(stack)!;
};
const containerDefinitions = (p: Plan) => ofType(p, "aws:ecs/taskDefinition:TaskDefinition")
  .map((task) => ({ task, container: JSON.parse(String(task.inputs.containerDefinitions))[0] as { environment: Array<{ name: string; value: string }>; secrets: Array<{ name: string; valueFrom: string }> } }));

const base = {
  network: { cidr: "10.20.0.0/16" },
  notifications: { subscribers: [{ protocol: "email", endpoint: "ops@example.com" }] },
};
const problems = (database: unknown, stack = "production", extra: Record<string, unknown> = {}): readonly string[] => {
  const keys = { ...base, database, ...extra };
  return configProblems(() => loadStackConfig("flipstack", stack, Object.fromEntries(Object.entries(keys).map(([k, v]) => [`flipstack:${k}`, JSON.stringify(v)]))));
};

describe("flipstack:database", () => {
  it("gives production Multi-AZ, 30 days of backups and protection, and staging one instance with 7 days", async () => {
    const production = one(await planOfStack("production"), "aws:rds/instance:Instance", "database-instance");
    expect(production.inputs).toMatchObject({ multiAz: true, deletionProtection: true, backupRetentionPeriod: 30, skipFinalSnapshot: false, finalSnapshotIdentifier: "flipstack-production-database-final" });
    expect(production.options).toMatchObject({ protect: true, retainOnDelete: true });
    const staging = one(await planOfStack("staging"), "aws:rds/instance:Instance", "database-instance");
    expect(staging.inputs).toMatchObject({ multiAz: false, deletionProtection: false, backupRetentionPeriod: 7 });
    expect(staging.options).toMatchObject({ protect: false, retainOnDelete: true });
  });

  it("puts the database in the private subnets", async () => {
    const p = await planOfStack("production");
    const privateIds = ofType(p, "aws:ec2/subnet:Subnet").filter((s) => (s.inputs.tags as Record<string, string>)["flipstack:tier"] === "private").map((s) => s.id);
    expect(one(p, "aws:rds/subnetGroup:SubnetGroup", "database-subnets").inputs.subnetIds).toEqual(privateIds);
    expect(privateIds).toHaveLength(3);
  });

  it.each(["production", "staging"])("%s: every slot joins the client group; every task gets the endpoint and the secret by reference", async (stack) => {
    const p = await planOfStack(stack);
    const client = one(p, "aws:ec2/securityGroup:SecurityGroup", "database-client").id;
    const secretArn = String((p.outputs.database as Record<string, unknown>).masterUserSecretArn);
    const services = ofType(p, "aws:ecs/service:Service");
    const templates = ofType(p, "aws:ec2/launchTemplate:LaunchTemplate");
    expect(services.length + templates.length).toBeGreaterThanOrEqual(stack === "staging" ? 4 : 2);
    for (const service of services) expect((service.inputs.networkConfiguration as { securityGroups: string[] }).securityGroups).toContain(client);
    for (const template of templates) expect((template.inputs.networkInterfaces as Array<{ securityGroups: string[] }>)[0].securityGroups).toContain(client);
    const address = String((p.outputs.database as Record<string, unknown>).address);
    for (const { container } of containerDefinitions(p)) {
      expect(container.environment).toEqual(expect.arrayContaining([
        { name: "DATABASE_HOST", value: address }, { name: "DATABASE_PORT", value: "5432" }, { name: "DATABASE_NAME", value: "app" },
      ]));
      expect(container.secrets).toEqual(expect.arrayContaining([
        { name: "DATABASE_USERNAME", valueFrom: `${secretArn}:username::` }, { name: "DATABASE_PASSWORD", valueFrom: `${secretArn}:password::` },
      ]));
    }
  });

  it("lets each execution role read the database's secret and nothing wider", async () => {
    const p = await planOfStack("production");
    const secretArn = String((p.outputs.database as Record<string, unknown>).masterUserSecretArn);
    const grants = ofType(p, "aws:iam/rolePolicy:RolePolicy").filter((r) => r.name.endsWith("-secrets"));
    expect(grants.length).toBeGreaterThan(0);
    for (const grant of grants) {
      const statement = JSON.parse(String(grant.inputs.policy)).Statement.find((s: { Action: string[] }) => s.Action.includes("secretsmanager:GetSecretValue"));
      expect(statement.Resource).toContain(secretArn);
      expect(statement.Resource.every((arn: string) => !arn.includes("*") && !arn.endsWith("::"))).toBe(true);
    }
  });

  it("lets instance roles read the database's secret beside the archive", async () => {
    const p = await planOfStack("production");
    const secretArn = String((p.outputs.database as Record<string, unknown>).masterUserSecretArn);
    const policy = JSON.parse(String(one(p, "aws:iam/rolePolicy:RolePolicy", "web-blue-2026.11.3-app").inputs.policy));
    expect(policy.Statement).toContainEqual({ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [secretArn] });
    expect(policy.Statement.some((s: { Action: string[] }) => s.Action.includes("s3:GetObject"))).toBe(true);
  });

  it("exports where the database is and where its credential lives, and no secret value anywhere in the plan", async () => {
    const p = await planOfStack("production");
    expect(p.outputs.database).toEqual({
      endpoint: expect.stringMatching(/^database-instance-[0-9a-f]{8}\.c[0-9a-f]{11}\.eu-west-1\.rds\.amazonaws\.com:5432$/),
      address: expect.any(String), port: 5432, dbName: "app",
      masterUserSecretArn: expect.stringMatching(/^arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-/),
      clientSecurityGroupId: expect.stringMatching(/^sg-/),
    });
    const json = JSON.stringify(p);
    expect(one(p, "aws:rds/instance:Instance", "database-instance").inputs).toMatchObject({ manageMasterUserPassword: true });
    expect(json).not.toMatch(/"(password|passwordWo|masterPassword|masterUserPassword)":/);
    // The only values that name the credential are references to it (container definitions are JSON in JSON).
    for (const match of json.replace(/\\"/g, '"').matchAll(/[^"]*password[^"]*/gi)) expect(match[0]).toMatch(/^(:password::|.*:password::|DATABASE_PASSWORD|manageMasterUserPassword)$/);
  });

  it("lets a preview use staging's database through the stack reference and create none", async () => {
    const staging = await planOfStack("staging");
    const share = (staging.outputs.preview as { database: Record<string, unknown> }).database;
    expect(share).toEqual(expect.objectContaining({ clientSecurityGroupId: one(staging, "aws:ec2/securityGroup:SecurityGroup", "database-client").id }));
    const preview = await planOfStack("pr-42");
    expect(ofType(preview, "aws:rds/instance:Instance")).toEqual([]);
    expect(ofType(preview, "aws:ec2/securityGroup:SecurityGroup").filter((g) => g.name.includes("database"))).toEqual([]);
    for (const service of ofType(preview, "aws:ecs/service:Service")) {
      expect((service.inputs.networkConfiguration as { securityGroups: string[] }).securityGroups).toContain(share.clientSecurityGroupId);
    }
    const [{ container }] = containerDefinitions(preview);
    expect(container.environment).toContainEqual({ name: "DATABASE_HOST", value: share.address });
    expect(container.secrets).toContainEqual({ name: "DATABASE_PASSWORD", valueFrom: `${String(share.masterUserSecretArn)}:password::` });
  });

  it("has 0 mandatory violations in production", async () => {
    expect((await planOfStack("production")).violations.filter((v) => v.severity === "mandatory")).toEqual([]);
  });

  describe("refuses bad input before anything runs, naming the key", () => {
    it.each<[string, unknown, string, string | undefined]>([
      ["a database outside the private subnets", { subnets: "public" }, "flipstack:database.subnets: is \"public\"; a database belongs in the private subnets", "staging"],
      ["backup retention 0 in production", { backupRetentionDays: 0 }, "flipstack:database.backupRetentionDays: is 0, which turns off automated backups", undefined],
      ["backups past RDS's limit", { backupRetentionDays: 40 }, "flipstack:database.backupRetentionDays", "staging"],
      ["an engine that is not PostgreSQL 13 or later", { engineVersion: "12" }, "flipstack:database.engineVersion", "staging"],
      ["an autoscaling ceiling below the storage", { allocatedStorageGiB: 100, maxAllocatedStorageGiB: 50 }, "flipstack:database.maxAllocatedStorageGiB: 50 is below allocatedStorageGiB (100)", "staging"],
    ])("%s", (_what, database, message, stack) => {
      expect(problems(database, stack).join("\n")).toContain(message);
    });

    it("asks production for a written reason to run without a standby or with fewer days of backups", () => {
      expect(problems({ multiAz: false, backupRetentionDays: 14 }).join("\n")).toMatch(/database\.multiAz: false runs the database without a standby[\s\S]*database\.backupRetentionDays: 14 days of backups/);
      expect(problems({ multiAz: false }, "production", { acknowledge: { "database.multiAz": "Single instance until launch in March, accepted by the platform lead" } })).toEqual([]);
    });

    it("refuses a service variable the database sets, and a database in a preview's config", () => {
      const api = { kind: "containers", port: 8080, routing: { priority: 200, hostHeaders: ["api.example.com"] }, environment: { DATABASE_HOST: "db.internal" }, release: { live: "green", green: { version: "3f2c1ab", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:3f2c1ab" } } };
      const loadBalancer = { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/9b2e6d41-3c8f-4a7e-b1d0-5e4f7a2c9d83", officeCidrs: ["203.0.113.0/24"] };
      expect(problems({}, "staging", { services: { api }, loadBalancer }).join("\n")).toContain("flipstack:services.api.environment.DATABASE_HOST: is set by flipstack:database");
      expect(problems({}, "pr-7", { network: undefined, notifications: undefined }).join("\n")).toContain("flipstack:database: is not used by a pull-request preview");
    });
  });
});
