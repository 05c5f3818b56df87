import { LOG_RETENTION_DAYS } from "../../components/logRetention";
import { list, record, resourceRule, stackRule, type StackResource } from "./define";

const BUCKET = "aws:s3/bucket:Bucket";
const byBucket = (resources: readonly StackResource[], type: string, bucketId: unknown) =>
  resources.filter((r) => r.type === type && r.props.bucket === bucketId);
/** Buckets whose settings resources can be matched (their id is known: always offline, after creation for real). */
const buckets = (resources: readonly StackResource[]) => resources.filter((r) => r.type === BUCKET && r.props.id !== undefined);
const isArchive = (bucket: StackResource) => bucket.urn.includes("flipstack:storage:FileArchive$aws:s3/bucket:Bucket::") && bucket.name.endsWith("-bucket");

export const storageRules = [
  stackRule("s3-1-block-public-access", "S3.1/S3.8: Buckets block all public access", "mandatory", (resources) =>
    buckets(resources).filter((b) => {
      const block = byBucket(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", b.props.id)[0]?.props ?? {};
      return !["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => block[k] === true);
    }).map((b) => [b.urn, `bucket ${b.name} must block all four kinds of public access`])),
  stackRule("s3-5-tls-only", "S3.5: Buckets require TLS (deny aws:SecureTransport false)", "mandatory", (resources) =>
    buckets(resources).filter((b) => !byBucket(resources, "aws:s3/bucketPolicy:BucketPolicy", b.props.id)
      .some((p) => /"aws:SecureTransport":\s*"false"/.test(String(p.props.policy))))
      .map((b) => [b.urn, `bucket ${b.name} must deny requests without TLS`])),
  stackRule("s3-9-archive-access-logs", "S3.9: The file archive logs server access", "mandatory", (resources) =>
    buckets(resources).filter(isArchive).filter((b) => byBucket(resources, "aws:s3/bucketLogging:BucketLogging", b.props.id).length === 0)
      .map((b) => [b.urn, `archive bucket ${b.name} must log server access`])),
  stackRule("archive-versioned-encrypted", "Flipstack: the file archive is versioned and encrypted", "mandatory", (resources) =>
    buckets(resources).filter(isArchive).flatMap((b): Array<[string, string]> => {
      const versioning = byBucket(resources, "aws:s3/bucketVersioning:BucketVersioning", b.props.id)[0];
      const encryption = byBucket(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", b.props.id)[0];
      return [
        ...(record(versioning?.props.versioningConfiguration).status === "Enabled" ? [] : [[b.urn, `archive bucket ${b.name} must have versioning enabled`] as [string, string]]),
        ...(list(encryption?.props.rules).length > 0 ? [] : [[b.urn, `archive bucket ${b.name} must be encrypted at rest`] as [string, string]]),
      ];
    })),
  resourceRule("cloudwatch-log-retention", "CloudWatch: log groups have a retention CloudWatch accepts", "mandatory", ["aws:cloudwatch/logGroup:LogGroup"], (props) =>
    (LOG_RETENTION_DAYS as readonly number[]).includes(Number(props.retentionInDays))
      ? undefined
      : `retentionInDays ${String(props.retentionInDays ?? "(never expire)")} must be one of ${LOG_RETENTION_DAYS.join(", ")}`),
];
