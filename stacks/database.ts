import * as pulumi from "@pulumi/pulumi";
import { Database, type Network } from "../components";
import type { StackConfig } from "./config";

/** Environment variables every slot gets from the database: where to connect. */
export const DATABASE_ENVIRONMENT = ["DATABASE_HOST", "DATABASE_PORT", "DATABASE_NAME"] as const;
/** Environment variables ECS fills from the database's Secrets Manager secret: who to connect as. */
export const DATABASE_SECRETS = ["DATABASE_USERNAME", "DATABASE_PASSWORD"] as const;

/** What a slot needs to reach the database; staging exports it (`database` output) for its previews. */
export interface DatabaseShare {
  address: pulumi.Input<string>;
  port: pulumi.Input<number>;
  dbName: pulumi.Input<string>;
  masterUserSecretArn: pulumi.Input<string>;
  clientSecurityGroupId: pulumi.Input<string>;
}

/** What the slots of every service receive: the client group to join, the endpoint, the credential by reference. */
export interface DatabaseConnection {
  securityGroupIds: pulumi.Input<string>[];
  /** The RDS-managed master user secret (its ARN), which instance roles may read. */
  secretArn: pulumi.Output<string>;
  environment: Record<string, pulumi.Input<string>>;
  secrets: Record<string, pulumi.Input<string>>;
}

/** The environment's database, from `flipstack:database`; kept on destroy, protected where state is. */
export function buildDatabase(config: StackConfig, network: Network, tags: Record<string, string>): Database | undefined {
  const settings = config.database;
  if (!settings) return undefined;
  return new Database("database", {
    vpcId: network.vpcId,
    // Private only: the config refuses any other tier (config.ts), and the public ids let the component refuse them.
    subnetIds: network.privateSubnetIds,
    publicSubnetIds: network.publicSubnetIds,
    engineVersion: settings.engineVersion,
    instanceClass: settings.instanceClass,
    allocatedStorageGiB: settings.allocatedStorageGiB,
    maxAllocatedStorageGiB: settings.maxAllocatedStorageGiB,
    databaseName: settings.databaseName,
    masterUsername: settings.masterUsername,
    backupRetentionDays: settings.backupRetentionDays,
    multiAz: settings.multiAz,
    deletionProtection: config.protectState,
    protect: config.protectState,
    // Unique per stack: staging and production may share an account and region.
    finalSnapshotIdentifier: `${pulumi.getProject()}-${config.stack}-database-final`.replace(/[^A-Za-z0-9-]/g, "-").replace(/-+/g, "-"),
    kmsKeyArn: settings.kmsKeyArn,
    tags,
  });
}

export function databaseShare(database: Database): DatabaseShare {
  return {
    address: database.address,
    port: database.port,
    dbName: database.dbName,
    masterUserSecretArn: database.masterUserSecretArn,
    clientSecurityGroupId: database.clientSecurityGroupId,
  };
}

/**
 * Environment variables and secrets for a slot. The credential stays in Secrets Manager: ECS reads the JSON keys
 * `username` and `password` of the RDS-managed secret when a task starts, and the task definition holds only its ARN.
 */
export function databaseConnection(share: DatabaseShare | undefined): DatabaseConnection | undefined {
  if (!share) return undefined;
  const arn = pulumi.output(share.masterUserSecretArn);
  return {
    securityGroupIds: [share.clientSecurityGroupId],
    secretArn: arn,
    environment: { DATABASE_HOST: share.address, DATABASE_PORT: pulumi.output(share.port).apply(String), DATABASE_NAME: share.dbName },
    secrets: { DATABASE_USERNAME: pulumi.interpolate`${arn}:username::`, DATABASE_PASSWORD: pulumi.interpolate`${arn}:password::` },
  };
}

/** An instance role's policy JSON with reading the database's secret added: instances fetch it themselves. */
export function withSecretRead(policy: pulumi.Input<string> | undefined, secretArn: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.all([policy, secretArn]).apply(([text, arn]) => {
    const document = text ? (JSON.parse(text) as { Version?: string; Statement?: unknown[] }) : {};
    return JSON.stringify({
      Version: document.Version ?? "2012-10-17",
      Statement: [...(document.Statement ?? []), { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [arn] }],
    });
  });
}
