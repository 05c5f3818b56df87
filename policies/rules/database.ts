import { environmentDefaultsOf, environmentOf, flipstackTag, list, resourceRule, stackRule } from "./define";

const INSTANCE = "aws:rds/instance:Instance";
/** FSBP RDS.11's default `backupRetentionMinimum`. */
const MIN_BACKUP_DAYS = 7;

/**
 * AWS Foundational Security Best Practices for RDS instances that Flipstack's database meets, plus its own rule
 * that the subnet group holds no public subnet. Not covered: RDS.6 (Enhanced Monitoring bills CloudWatch Logs every
 * few seconds; Performance Insights is on instead), RDS.9 (log exports), RDS.10 (IAM authentication, the services use
 * the managed secret) and RDS.23 (a non-default port hides nothing from a client its security group already admits).
 * Production-ness is what the resource's environment kind promises (its `flipstack:environment` tag), never its name.
 */
export const databaseRules = [
  resourceRule("rds-2-not-public", "RDS.2: Database instances are not publicly accessible", "mandatory", [INSTANCE], (props) =>
    props.publiclyAccessible === true ? "publiclyAccessible must be false: the database is reached from its client security group only" : undefined),
  resourceRule("rds-3-encrypted", "RDS.3: Database instances encrypt their storage", "mandatory", [INSTANCE], (props) =>
    props.storageEncrypted === true ? undefined : "storageEncrypted must be true (encryption cannot be added after creation)"),
  // Advisory: production may run a single instance with a written acknowledgement (flipstack:acknowledge database.multiAz).
  resourceRule("rds-5-multi-az", "RDS.5: Databases of environments that buy availability (production) are Multi-AZ", "advisory", [INSTANCE], (props) =>
    environmentDefaultsOf(props)?.database.multiAz === true && props.multiAz !== true
      ? `a database in ${String(environmentOf(props))} must set multiAz: without a standby a zone failure is an outage`
      : undefined),
  resourceRule("rds-8-deletion-protection", "RDS.8: Databases of environments with deletion protection have it on", "mandatory", [INSTANCE], (props) =>
    environmentDefaultsOf(props)?.deletionProtection === true && props.deletionProtection !== true
      ? `a database in ${String(environmentOf(props))} (an environment with deletion protection) must set deletionProtection`
      : undefined),
  resourceRule("rds-11-backups", `RDS.11: Database instances keep automated backups for ${MIN_BACKUP_DAYS} days or more`, "mandatory", [INSTANCE], (props) =>
    props.backupRetentionPeriod !== undefined && Number(props.backupRetentionPeriod) < MIN_BACKUP_DAYS
      ? `backupRetentionPeriod ${String(props.backupRetentionPeriod)} must be at least ${MIN_BACKUP_DAYS} days`
      : undefined),
  resourceRule("rds-13-auto-minor-upgrades", "RDS.13: Database instances upgrade minor versions automatically", "mandatory", [INSTANCE], (props) =>
    props.autoMinorVersionUpgrade === false ? "autoMinorVersionUpgrade must not be false: minor versions carry the security fixes" : undefined),
  resourceRule("rds-17-copy-tags-to-snapshots", "RDS.17: Database instances copy their tags to snapshots", "advisory", [INSTANCE], (props) =>
    props.copyTagsToSnapshot === true ? undefined : "copyTagsToSnapshot should be true, so snapshots keep their environment and owner"),
  stackRule("flipstack-database-private-subnets", "Flipstack: database subnet groups hold private subnets only", "mandatory", (resources) => {
    const publicIds = new Set(resources
      .filter((r) => r.type === "aws:ec2/subnet:Subnet" && (flipstackTag(r.props, "tier") === "public" || r.props.mapPublicIpOnLaunch === true))
      .map((r) => r.props.id));
    return resources.filter((r) => r.type === "aws:rds/subnetGroup:SubnetGroup")
      .flatMap((group): Array<[string, string]> => {
        const exposed = list(group.props.subnetIds).filter((id) => publicIds.has(id));
        return exposed.length > 0 ? [[group.urn, `subnet group ${group.name} holds public subnets (${exposed.join(", ")}); give it the private subnets only`]] : [];
      });
  }),
];
