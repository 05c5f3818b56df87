import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { withDefaults } from "./defaults";
import { createPrivateBucket } from "./privateBucket";

export interface FileArchiveArgs {
  /** Days before current objects move to S3 Standard-IA (at least 30, S3's minimum). @default 30 */
  readonly infrequentAccessAfterDays?: number;
  /** Days before current objects move to Glacier Instant Retrieval. @default 180 */
  readonly glacierAfterDays?: number;
  /** Days a replaced or deleted object version is kept. @default 365 */
  readonly noncurrentVersionDays?: number;
  /** Days server access logs are kept. @default 365 */
  readonly accessLogRetentionDays?: number;
  /** Encrypt with this KMS key instead of SSE-S3 (AES-256). @default SSE-S3 */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Protect the archive bucket from deletion (`protect`); it is always kept when the stack is destroyed. @default false */
  readonly protect?: boolean;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** What each optional arg is when left out. */
export const FILE_ARCHIVE_DEFAULTS = {
  infrequentAccessAfterDays: 30,
  glacierAfterDays: 180,
  noncurrentVersionDays: 365,
  accessLogRetentionDays: 365,
  protect: false,
  tags: {},
} as const satisfies Partial<FileArchiveArgs>;

/** The args with every default filled in: what the validator checks and the constructor builds. */
export const resolveFileArchiveArgs = (args: FileArchiveArgs) => withDefaults(args, FILE_ARCHIVE_DEFAULTS);

/** Why these args cannot build an archive, or an empty list. Runs before any resource is created. */
export function validateFileArchiveArgs(args: FileArchiveArgs): string[] {
  const problems: string[] = [];
  const resolved = resolveFileArchiveArgs(args);
  const ia = resolved.infrequentAccessAfterDays;
  const glacier = resolved.glacierAfterDays;
  if (!Number.isInteger(ia) || ia < 30) problems.push(`The \`infrequentAccessAfterDays\` ${ia} must be 30 or more (S3's minimum for Standard-IA).`);
  if (!Number.isInteger(glacier) || glacier <= ia) problems.push(`The \`glacierAfterDays\` ${glacier} must be later than \`infrequentAccessAfterDays\` (${ia}).`);
  for (const key of ["noncurrentVersionDays", "accessLogRetentionDays"] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 1) problems.push(`The \`${key}\` ${value} must be a whole number of days, 1 or more.`);
  }
  return problems;
}

/**
 * The environment's file archive: a versioned, encrypted, private S3 bucket that only TLS requests reach, moving
 * to cheaper storage as it ages, with server access logs in a second private bucket. Kept when the stack is
 * destroyed (`retainOnDelete`): its data outlives any release. Services get access through {@link readWritePolicy}.
 *
 * Costs money: S3 storage per GB-month by class, requests, lifecycle transitions, and the access logs' storage.
 */
export class FileArchive extends pulumi.ComponentResource {
  /** Name of the archive bucket. */
  public readonly bucketName: pulumi.Output<string>;
  /** ARN of the archive bucket. */
  public readonly bucketArn: pulumi.Output<string>;
  /** Bucket that receives the archive's server access logs. */
  public readonly accessLogBucketName: pulumi.Output<string>;
  /** IAM policy JSON allowing to list, read, write and delete objects (not versions), for application roles. */
  public readonly readWritePolicy: pulumi.Output<string>;

  constructor(name: string, args: FileArchiveArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateFileArchiveArgs(args);
    if (problems.length > 0) throw new pulumi.RunError(`FileArchive "${name}": ${problems.join(" ")}`);
    super("flipstack:storage:FileArchive", name, {}, opts);
    const resolved = resolveFileArchiveArgs(args);
    const tags = resolved.tags;
    const kept = { retainOnDelete: true, protect: resolved.protect };

    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const logs = createPrivateBucket(`${name}-access-logs`, this, {
      expireAfterDays: resolved.accessLogRetentionDays,
      tags,
      bucketOptions: kept,
      statements: [(arn) => ({
        Sid: "AllowServerAccessLogs",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: pulumi.interpolate`${arn}/*`,
        // Confused-deputy protection: S3 writes here only for this account's buckets.
        Condition: { StringEquals: { "aws:SourceAccount": account } },
      })],
    });

    const archive = createPrivateBucket(`${name}-bucket`, this, {
      kmsKeyArn: args.kmsKeyArn,
      tags,
      bucketOptions: kept,
      lifecycleRules: [{
        id: "age-out",
        status: "Enabled",
        filter: {},
        transitions: [
          { days: resolved.infrequentAccessAfterDays, storageClass: "STANDARD_IA" },
          { days: resolved.glacierAfterDays, storageClass: "GLACIER_IR" },
        ],
        noncurrentVersionExpiration: { noncurrentDays: resolved.noncurrentVersionDays },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      }],
    });
    new aws.s3.BucketVersioning(`${name}-bucket`, {
      bucket: archive.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    }, { parent: this });
    new aws.s3.BucketLogging(`${name}-bucket`, {
      bucket: archive.bucket.id,
      targetBucket: logs.bucket.id,
      targetPrefix: "archive/",
    }, { parent: this, dependsOn: [logs.policy] });

    this.bucketName = archive.bucket.bucket;
    this.bucketArn = archive.bucket.arn;
    this.accessLogBucketName = logs.bucket.bucket;
    this.readWritePolicy = archive.bucket.arn.apply((arn) => JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:ListBucket"], Resource: arn },
        { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${arn}/*` },
      ],
    }));
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      accessLogBucketName: this.accessLogBucketName,
      readWritePolicy: this.readWritePolicy,
    });
  }
}
