import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A policy statement for a bucket, given the bucket's ARN; values may be outputs (an account's ARN, say). */
export type BucketStatement = (bucketArn: pulumi.Output<string>) => Record<string, unknown>;

export interface PrivateBucketOptions {
  /** Objects older than this are deleted; for log buckets. @default never */
  readonly expireAfterDays?: number;
  /** Extra lifecycle rules (transitions, noncurrent versions). @default none */
  readonly lifecycleRules?: readonly aws.types.input.s3.BucketLifecycleConfigurationRule[];
  /** SSE-KMS with this key instead of SSE-S3 (AES-256). Log delivery services need SSE-S3. @default SSE-S3 */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Statements added to the TLS-only bucket policy (log delivery, for example). @default none */
  readonly statements?: readonly BucketStatement[];
  readonly tags?: Readonly<Record<string, string>>;
  /** Options for the bucket itself (`protect`, `retainOnDelete`); its settings follow the bucket. */
  readonly bucketOptions?: pulumi.CustomResourceOptions;
}

export interface PrivateBucket {
  bucket: aws.s3.Bucket;
  /** The bucket policy: resources that need its grants in place (log writers) depend on it. */
  policy: aws.s3.BucketPolicy;
}

/**
 * An auto-named S3 bucket nobody outside the account can reach: public access blocked, ACLs disabled (bucket owner
 * enforced), encrypted at rest, TLS required by policy, and optionally expiring. Shared by every bucket Flipstack
 * creates so that they are hardened alike (S3.1, S3.5, S3.8 and encryption at rest).
 */
export function createPrivateBucket(name: string, parent: pulumi.Resource, options: PrivateBucketOptions = {}): PrivateBucket {
  const opts = { parent };
  const bucket = new aws.s3.Bucket(name, { forceDestroy: false, tags: options.tags }, { ...opts, ...options.bucketOptions });
  const access = new aws.s3.BucketPublicAccessBlock(name, {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  }, opts);
  new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
  new aws.s3.BucketServerSideEncryptionConfiguration(name, {
    bucket: bucket.id,
    rules: [{
      applyServerSideEncryptionByDefault: options.kmsKeyArn
        ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: options.kmsKeyArn }
        : { sseAlgorithm: "AES256" },
      bucketKeyEnabled: options.kmsKeyArn !== undefined,
    }],
  }, opts);

  const rules = [
    ...(options.expireAfterDays === undefined ? [] : [{
      id: "expire",
      status: "Enabled",
      filter: {},
      expiration: { days: options.expireAfterDays },
    }]),
    ...(options.lifecycleRules ?? []),
  ];
  if (rules.length > 0) new aws.s3.BucketLifecycleConfiguration(name, { bucket: bucket.id, rules }, opts);

  const policy = new aws.s3.BucketPolicy(name, {
    bucket: bucket.id,
    policy: pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        ...(options.statements ?? []).map((statement) => statement(bucket.arn)),
      ],
    }),
  }, { ...opts, dependsOn: [access] }); // a policy put before the access block could briefly be public
  return { bucket, policy };
}
