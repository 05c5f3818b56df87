import { Database, type DatabaseArgs, DATABASE_DEFAULTS, validateDatabaseArgs } from "../../components/database";
import { ofType, one, planOf } from "../harness";

const PRIVATE = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"];
const PUBLIC = ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"];
const base: DatabaseArgs = { vpcId: "vpc-0123456789abcdef0", subnetIds: PRIVATE, publicSubnetIds: PUBLIC };
const plan = (args: Partial<DatabaseArgs> = {}) => planOf(() => {
  const db = new Database("db", { ...base, ...args });
  return { endpoint: db.endpoint, address: db.address, port: db.port, dbName: db.dbName, secretArn: db.masterUserSecretArn };
});
const instanceOf = async (args: Partial<DatabaseArgs> = {}) => one(await plan(args), "aws:rds/instance:Instance", "db-instance");

describe("Database", () => {
  it("runs PostgreSQL 16 encrypted, private, TLS only, with a password RDS generates and rotates", async () => {
    const p = await plan();
    const db = one(p, "aws:rds/instance:Instance", "db-instance");
    expect(db.inputs).toMatchObject({
      engine: "postgres", engineVersion: "16", storageEncrypted: true, publiclyAccessible: false, manageMasterUserPassword: true,
      port: 5432, copyTagsToSnapshot: true, autoMinorVersionUpgrade: true, storageType: "gp3",
    });
    expect(db.inputs.password).toBeUndefined();
    const params = one(p, "aws:rds/parameterGroup:ParameterGroup", "db-params");
    expect(params.inputs).toMatchObject({ family: "postgres16", parameters: [{ name: "rds.force_ssl", value: "1" }] });
    expect(db.inputs.parameterGroupName).toBe(params.id);
  });

  it("puts its subnet group over the private subnets only", async () => {
    const p = await plan();
    expect(one(p, "aws:rds/subnetGroup:SubnetGroup", "db-subnets").inputs.subnetIds).toEqual(PRIVATE);
    await expect(plan({ subnetIds: [PRIVATE[0], PUBLIC[1]] })).rejects.toThrow(/`subnetIds` include public subnets \(subnet-0bbbbbbbbbbbbbbb2\)/);
  });

  it("admits PostgreSQL only from its client group, by group reference and never by CIDR", async () => {
    const p = await plan();
    const [server, client] = [one(p, "aws:ec2/securityGroup:SecurityGroup", "db-sg"), one(p, "aws:ec2/securityGroup:SecurityGroup", "db-client")];
    expect(one(p, "aws:rds/instance:Instance", "db-instance").inputs.vpcSecurityGroupIds).toEqual([server.id]);
    const ingress = ofType(p, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(ingress.map((r) => r.inputs)).toEqual([expect.objectContaining({ securityGroupId: server.id, referencedSecurityGroupId: client.id, fromPort: 5432, toPort: 5432, ipProtocol: "tcp" })]);
    const egress = ofType(p, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
    expect(egress.map((r) => r.inputs)).toEqual([expect.objectContaining({ securityGroupId: client.id, referencedSecurityGroupId: server.id, fromPort: 5432 })]);
    for (const rule of [...ingress, ...egress]) expect(rule.inputs.cidrIpv4).toBeUndefined();
    expect(server.inputs.ingress ?? []).toEqual([]);
  });

  it("is protected, Multi-AZ and deletion-protected when asked, and always kept on destroy with a final snapshot", async () => {
    const prod = await plan({ protect: true, multiAz: true, deletionProtection: true, backupRetentionDays: 30, finalSnapshotIdentifier: "flipstack-production-database-final" });
    const db = one(prod, "aws:rds/instance:Instance", "db-instance");
    expect(db.options).toMatchObject({ protect: true, retainOnDelete: true });
    expect(db.inputs).toMatchObject({ multiAz: true, deletionProtection: true, backupRetentionPeriod: 30, skipFinalSnapshot: false, finalSnapshotIdentifier: "flipstack-production-database-final" });
    const open = one(await plan(), "aws:rds/instance:Instance", "db-instance");
    expect(open.options).toMatchObject({ protect: false, retainOnDelete: true });
    expect(open.inputs).toMatchObject({ multiAz: false, deletionProtection: false, backupRetentionPeriod: DATABASE_DEFAULTS.backupRetentionDays, skipFinalSnapshot: false, finalSnapshotIdentifier: "db-final" });
  });

  it("encrypts with the given KMS key", async () => {
    const key = "arn:aws:kms:eu-west-1:123456789012:key/0b6e1c8e-1111-4222-8333-444455556666";
    expect((await instanceOf({ kmsKeyArn: key })).inputs).toMatchObject({ storageEncrypted: true, kmsKeyId: key });
  });

  it("outputs where to connect and where the credential is, never the credential", async () => {
    const p = await plan();
    expect(p.outputs.endpoint).toMatch(/^db-instance-[0-9a-f]{8}\.c[0-9a-f]{11}\.eu-west-1\.rds\.amazonaws\.com:5432$/);
    expect(p.outputs).toMatchObject({ port: 5432, dbName: "app", address: String(p.outputs.endpoint).replace(/:5432$/, "") });
    expect(p.outputs.secretArn).toMatch(/^arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-/);
    expect(JSON.stringify(p)).not.toMatch(/"(password|masterPassword|passwordWo)"/);
  });

  describe.each<[string, Partial<DatabaseArgs>, string]>([
    ["a single subnet", { subnetIds: [PRIVATE[0]] }, "`subnetIds` list has 1 subnet(s)"],
    ["backups past RDS's limit", { backupRetentionDays: 36 }, "`backupRetentionDays` 36"],
    ["an engine that is not PostgreSQL's", { engineVersion: "8.0" }, "`engineVersion` 8.0"],
    ["too little storage", { allocatedStorageGiB: 10 }, "`allocatedStorageGiB` 10"],
    ["autoscaling below the storage", { allocatedStorageGiB: 50, maxAllocatedStorageGiB: 40 }, "`maxAllocatedStorageGiB` 40"],
    ["a bad snapshot name", { finalSnapshotIdentifier: "final--" }, "`finalSnapshotIdentifier` final--"],
    ["a missing VPC", { vpcId: undefined }, "`vpcId` is missing"],
  ])("refuses %s", (_what, args, message) => {
    it("naming the arg, before creating anything", async () => {
      expect(validateDatabaseArgs({ ...base, ...args }).join(" ")).toContain(message);
      await expect(plan(args)).rejects.toThrow(message);
    });
  });

  it("accepts the defaults", () => {
    expect(validateDatabaseArgs(base)).toEqual([]);
  });
});
