import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { withDefaults } from "./defaults";
import { DATABASE_NAME, DB_INSTANCE_CLASS, DB_USERNAME, isWhole, POSTGRES_VERSION } from "./patterns";
import { missingArgs, REQUIRED_ARGS } from "./requiredArgs";

export interface DatabaseArgs {
  /** VPC of the database and of its security groups. */
  readonly vpcId: pulumi.Input<string>;
  /** The network's private subnets, in at least two availability zones (RDS requires two for a subnet group). */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The network's public subnets, given so that none of them can end up in `subnetIds`: a database in a subnet
   * with a route to the internet gateway is one security group mistake away from the internet. @default not checked
   */
  readonly publicSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * PostgreSQL version: a major (`16`, RDS then runs its current default minor and upgrades minors itself) or a
   * pinned `16.x`. @default "16"
   */
  readonly engineVersion?: string;
  /** RDS instance class. @default "db.t4g.micro" */
  readonly instanceClass?: string;
  /** Initial gp3 storage in GiB (gp3's minimum is 20). @default 20 */
  readonly allocatedStorageGiB?: number;
  /** Storage autoscaling ceiling in GiB, at least `allocatedStorageGiB`. @default 100 */
  readonly maxAllocatedStorageGiB?: number;
  /** Name of the database created with the instance. @default "app" */
  readonly databaseName?: string;
  /** Master user name; its password is generated and rotated by RDS in Secrets Manager. @default "app_admin" */
  readonly masterUsername?: string;
  /** Days of automated backups (point-in-time recovery), 1 to 35; 0 turns backups off. @default 7 */
  readonly backupRetentionDays?: number;
  /** A standby in a second availability zone, promoted automatically when the primary fails. @default false */
  readonly multiAz?: boolean;
  /** RDS refuses to delete the instance until this is turned off. @default false */
  readonly deletionProtection?: boolean;
  /** Pulumi refuses to delete or replace the instance (`protect`); it is always kept on destroy. @default false */
  readonly protect?: boolean;
  /**
   * Identifier of the snapshot RDS takes when the instance is deleted; unique in the account and region.
   * @default `<name>-final`
   */
  readonly finalSnapshotIdentifier?: string;
  /** Encrypt storage with this KMS key instead of the account's `aws/rds` key. @default aws/rds */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Tags for every resource (copied to snapshots). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** PostgreSQL's port. A different port hides nothing from a client the security group already admits. */
export const POSTGRES_PORT = 5432;

/** What each optional arg is when left out. */
export const DATABASE_DEFAULTS = {
  // PostgreSQL 16: community support until November 2028, standard RDS support until 2029, and the newest major
  // that every widely used extension (PostGIS, pgvector, pg_partman, TimescaleDB's Apache build) ships for on RDS.
  // A major without a minor lets RDS apply minor releases (security fixes) in the maintenance window.
  engineVersion: "16",
  instanceClass: "db.t4g.micro",
  allocatedStorageGiB: 20,
  maxAllocatedStorageGiB: 100,
  databaseName: "app",
  masterUsername: "app_admin",
  backupRetentionDays: 7,
  multiAz: false,
  deletionProtection: false,
  protect: false,
  tags: {},
} as const satisfies Partial<DatabaseArgs>;

/** The args with every default filled in: what the validator checks and the constructor builds. */
export const resolveDatabaseArgs = (args: DatabaseArgs) => withDefaults(args, DATABASE_DEFAULTS);

// RDS: a letter first, letters, digits and single hyphens, no hyphen at the end, at most 255 characters.
const SNAPSHOT_ID = /^(?=.{1,255}$)[A-Za-z](-?[A-Za-z0-9])*$/;

/** `<name>-final`, the snapshot taken when the instance is deleted. */
const finalSnapshotIdentifierOf = (name: string, args: DatabaseArgs) => args.finalSnapshotIdentifier ?? `${name}-final`;

/** Why these args cannot build a database, or an empty list. Runs before any resource is created. */
export function validateDatabaseArgs(args: DatabaseArgs, name = "database"): string[] {
  const missing = missingArgs(args, REQUIRED_ARGS.Database);
  if (missing.length > 0) return missing;
  const problems: string[] = [];
  const resolved = resolveDatabaseArgs(args);
  if (!POSTGRES_VERSION.test(resolved.engineVersion)) problems.push(`The \`engineVersion\` ${resolved.engineVersion} is not a PostgreSQL major (13 or later) or major.minor, e.g. 16 or 16.4.`);
  if (!DB_INSTANCE_CLASS.test(resolved.instanceClass)) problems.push(`The \`instanceClass\` ${resolved.instanceClass} is not an RDS instance class such as db.t4g.micro.`);
  const storage = resolved.allocatedStorageGiB;
  if (!isWhole(storage, 20, 65536)) problems.push(`The \`allocatedStorageGiB\` ${storage} must be a whole number from 20 (gp3's minimum) to 65536.`);
  if (!isWhole(resolved.maxAllocatedStorageGiB, storage, 65536)) problems.push(`The \`maxAllocatedStorageGiB\` ${resolved.maxAllocatedStorageGiB} must be a whole number from \`allocatedStorageGiB\` (${storage}) to 65536.`);
  if (!DATABASE_NAME.test(resolved.databaseName)) problems.push(`The \`databaseName\` ${resolved.databaseName} must start with a letter and hold only letters, digits and _ (at most 63).`);
  if (!DB_USERNAME.test(resolved.masterUsername)) problems.push(`The \`masterUsername\` ${resolved.masterUsername} must start with a letter and hold only letters, digits and _ (at most 16).`);
  if (!isWhole(resolved.backupRetentionDays, 0, 35)) problems.push(`The \`backupRetentionDays\` ${resolved.backupRetentionDays} must be a whole number of days from 0 to 35 (RDS's limit).`);
  const snapshot = finalSnapshotIdentifierOf(name, args);
  if (!SNAPSHOT_ID.test(snapshot)) problems.push(`The \`finalSnapshotIdentifier\` ${snapshot} must start with a letter and hold only letters, digits and single hyphens, not ending with one.`);
  problems.push(...subnetProblems(args.subnetIds, args.publicSubnetIds));
  return problems;
}

/**
 * Why these subnets cannot hold the database, or an empty list. Ids not known yet (a network's outputs) are
 * skipped: the stack config names the subnet tier, and the policy pack checks the planned subnet group's subnets.
 */
function subnetProblems(subnetIds: unknown, publicSubnetIds: unknown): string[] {
  if (!Array.isArray(subnetIds) || !subnetIds.every((id) => typeof id === "string")) return [];
  const problems: string[] = [];
  if (subnetIds.length < 2) problems.push(`The \`subnetIds\` list has ${subnetIds.length} subnet(s); an RDS subnet group needs private subnets in at least two availability zones.`);
  const publicIds = Array.isArray(publicSubnetIds) ? new Set(publicSubnetIds.filter((id) => typeof id === "string")) : new Set();
  const exposed = subnetIds.filter((id) => publicIds.has(id));
  if (exposed.length > 0) problems.push(`The \`subnetIds\` include public subnets (${exposed.join(", ")}); give the network's private subnets only.`);
  return problems;
}

/**
 * An RDS PostgreSQL instance that every release of the environment shares: in the private subnets only, never
 * publicly accessible, storage encrypted, TLS required (`rds.force_ssl`), automated backups, minor versions upgraded
 * by RDS, and a master password that RDS generates and rotates in Secrets Manager (it appears in no config, input
 * or output; {@link masterUserSecretArn} is where to read it). The database's security group admits PostgreSQL only
 * from its **client** security group, which each slot's compute joins; no CIDR reaches it. The instance, its subnet
 * group, parameter group and security group are kept when the stack is destroyed; the instance takes a final snapshot.
 *
 * Costs money: instance hours (twice with `multiAz`), gp3 storage per GB-month, backup storage beyond the database's
 * size, and Secrets Manager's monthly fee for the master secret. Performance Insights is on at its free 7-day
 * retention; Enhanced Monitoring is off (it bills CloudWatch Logs ingestion every few seconds and needs its own role).
 */
export class Database extends pulumi.ComponentResource {
  /** `address:port` of the primary. */
  public readonly endpoint: pulumi.Output<string>;
  /** Host name of the primary (follows a Multi-AZ failover). */
  public readonly address: pulumi.Output<string>;
  /** PostgreSQL port. */
  public readonly port: pulumi.Output<number>;
  /** Name of the database created with the instance. */
  public readonly dbName: pulumi.Output<string>;
  /** ARN of the Secrets Manager secret holding the master user's `username` and `password` (JSON keys). */
  public readonly masterUserSecretArn: pulumi.Output<string>;
  /** The group that slots join to reach the database. */
  public readonly clientSecurityGroupId: pulumi.Output<string>;
  /** The database's own security group. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** ARN of the RDS instance. */
  public readonly instanceArn: pulumi.Output<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateDatabaseArgs(args, name);
    if (problems.length > 0) throw new pulumi.RunError(`Database "${name}": ${problems.join(" ")}`);
    super("flipstack:data:Database", name, {}, opts);
    const resolved = resolveDatabaseArgs(args);
    const tags = { ...resolved.tags };
    // Kept on destroy: RDS refuses to delete a subnet group or security group its retained instance still uses.
    const kept = { parent: this, retainOnDelete: true };

    const { database, client } = this.createSecurityGroups(name, args.vpcId, tags);
    const subnets = new aws.rds.SubnetGroup(`${name}-subnets`, {
      description: `${name}: private subnets only`,
      subnetIds: args.subnetIds,
      tags,
    }, kept);
    const major = resolved.engineVersion.split(".")[0];
    // A new major needs a new family: auto-naming lets the new group exist beside the old one during the upgrade.
    const parameters = new aws.rds.ParameterGroup(`${name}-params`, {
      family: `postgres${major}`,
      description: `${name}: PostgreSQL ${major}, TLS required`,
      parameters: [{ name: "rds.force_ssl", value: "1" }],
      tags,
    }, kept);

    const instance = new aws.rds.Instance(`${name}-instance`, {
      engine: "postgres",
      engineVersion: resolved.engineVersion,
      instanceClass: resolved.instanceClass,
      allocatedStorage: resolved.allocatedStorageGiB,
      maxAllocatedStorage: resolved.maxAllocatedStorageGiB,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: args.kmsKeyArn,
      dbName: resolved.databaseName,
      username: resolved.masterUsername,
      // RDS creates the password, keeps it in Secrets Manager and rotates it (every 7 days by default).
      manageMasterUserPassword: true,
      port: POSTGRES_PORT,
      dbSubnetGroupName: subnets.name,
      parameterGroupName: parameters.name,
      vpcSecurityGroupIds: [database.id],
      publiclyAccessible: false,
      multiAz: resolved.multiAz,
      backupRetentionPeriod: resolved.backupRetentionDays,
      // Automated backups outlive the instance until their retention ends: a mistaken delete stays recoverable.
      deleteAutomatedBackups: false,
      copyTagsToSnapshot: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: finalSnapshotIdentifierOf(name, args),
      deletionProtection: resolved.deletionProtection,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      performanceInsightsEnabled: true,
      performanceInsightsRetentionPeriod: 7, // the free tier
      tags,
    }, { ...kept, protect: resolved.protect });

    this.endpoint = instance.endpoint;
    this.address = instance.address;
    this.port = instance.port;
    this.dbName = instance.dbName;
    this.masterUserSecretArn = instance.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn);
    this.clientSecurityGroupId = client.id;
    this.securityGroupId = database.id;
    this.instanceArn = instance.arn;
    this.registerOutputs({
      endpoint: this.endpoint,
      address: this.address,
      port: this.port,
      dbName: this.dbName,
      masterUserSecretArn: this.masterUserSecretArn,
      clientSecurityGroupId: this.clientSecurityGroupId,
      securityGroupId: this.securityGroupId,
      instanceArn: this.instanceArn,
    });
  }

  /**
   * The database's group admits PostgreSQL from the client group only; the client group may open PostgreSQL
   * connections to the database's group only (slot groups allow nothing but HTTPS out). Neither has inline rules,
   * so the provider removes AWS's default allow-all egress.
   */
  private createSecurityGroups(name: string, vpcId: pulumi.Input<string>, tags: Record<string, string>) {
    const parent = { parent: this };
    const database = new aws.ec2.SecurityGroup(`${name}-sg`, {
      vpcId,
      description: `${name}: PostgreSQL from the ${name}-client group only`,
      tags,
    }, { ...parent, retainOnDelete: true });
    const client = new aws.ec2.SecurityGroup(`${name}-client`, {
      vpcId,
      description: `${name} clients: joined by every slot that uses the database`,
      tags,
    }, parent);
    new aws.vpc.SecurityGroupIngressRule(`${name}-from-clients`, {
      securityGroupId: database.id,
      description: "PostgreSQL from the database's clients",
      ipProtocol: "tcp",
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      referencedSecurityGroupId: client.id,
      tags,
    }, parent);
    new aws.vpc.SecurityGroupEgressRule(`${name}-client-out`, {
      securityGroupId: client.id,
      description: "PostgreSQL to the database",
      ipProtocol: "tcp",
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      referencedSecurityGroupId: database.id,
      tags,
    }, parent);
    return { database, client };
  }
}
