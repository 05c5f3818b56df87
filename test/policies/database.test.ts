import { Database, Network } from "../../components";
import { evaluatePlan } from "../../policies/harness";
import { one, planOf } from "../harness";

const PRODUCTION = { "flipstack:environment": "production" };
const RULES = ["rds-2-not-public", "rds-3-encrypted", "rds-5-multi-az", "rds-8-deletion-protection", "rds-11-backups", "rds-13-auto-minor-upgrades", "rds-17-copy-tags-to-snapshots"];
const production = () => planOf(() => {
  const net = new Network("net", { cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], protect: true, tags: PRODUCTION });
  new Database("db", { vpcId: net.vpcId, subnetIds: net.privateSubnetIds, multiAz: true, deletionProtection: true, protect: true, backupRetentionDays: 30, tags: PRODUCTION });
});
const fired = async (plan: Awaited<ReturnType<typeof production>>) => (await evaluatePlan(plan)).filter((v) => RULES.includes(v.rule) || v.rule.includes("database") || v.rule === "flipstack-stateful-retained");

describe("database policies", () => {
  it("pass a production database built by the component", async () => {
    expect(await fired(await production())).toEqual([]);
  });

  it("fail a public, unencrypted, single-zone, unprotected production database without backups or minor upgrades", async () => {
    const plan = await production();
    const db = one(plan, "aws:rds/instance:Instance", "db-instance");
    Object.assign(db.inputs, { publiclyAccessible: true, storageEncrypted: false, multiAz: false, deletionProtection: false, backupRetentionPeriod: 0, autoMinorVersionUpgrade: false, copyTagsToSnapshot: false });
    db.options.protect = false;
    const violations = await fired(plan);
    expect(violations.map((v) => [v.rule, v.severity]).sort()).toEqual([
      ["flipstack-stateful-retained", "mandatory"],
      ["rds-11-backups", "mandatory"],
      ["rds-13-auto-minor-upgrades", "mandatory"],
      ["rds-17-copy-tags-to-snapshots", "advisory"],
      ["rds-2-not-public", "mandatory"],
      ["rds-3-encrypted", "mandatory"],
      ["rds-5-multi-az", "advisory"],
      ["rds-8-deletion-protection", "mandatory"],
    ]);
    expect(violations.every((v) => v.urn === db.urn)).toBe(true);
  });

  it("ask nothing of staging's single instance without deletion protection", async () => {
    const plan = await planOf(() => new Database("db", { vpcId: "vpc-1", subnetIds: ["subnet-1", "subnet-2"], tags: { "flipstack:environment": "staging" } }));
    expect(await fired(plan)).toEqual([]);
  });

  it("fail a subnet group over public subnets, which the component cannot see before the ids exist", async () => {
    const plan = await planOf(() => {
      const net = new Network("net", { cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"] });
      new Database("db", { vpcId: net.vpcId, subnetIds: net.publicSubnetIds });
    });
    const violations = (await evaluatePlan(plan)).filter((v) => v.rule === "flipstack-database-private-subnets");
    expect(violations).toEqual([expect.objectContaining({ severity: "mandatory", urn: one(plan, "aws:rds/subnetGroup:SubnetGroup", "db-subnets").urn, message: expect.stringMatching(/^subnet group db-subnets holds public subnets \(subnet-/) })]);
  });
});
