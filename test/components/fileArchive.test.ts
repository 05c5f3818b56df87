import { FileArchive, type FileArchiveArgs } from "../../components/fileArchive";
import { ofType, one, planOf } from "../harness";

const plan = (args: FileArchiveArgs = {}) =>
  planOf(() => {
    const archive = new FileArchive("files", args);
    return { policy: archive.readWritePolicy, bucket: archive.bucketName };
  });

describe("FileArchive", () => {
  it("keeps both buckets when the stack is destroyed, and protects them only when asked", async () => {
    const open = await plan();
    const buckets = ofType(open, "aws:s3/bucket:Bucket");
    expect(buckets.map((b) => b.name).sort()).toEqual(["files-access-logs", "files-bucket"]);
    expect(buckets.every((b) => b.options.retainOnDelete && !b.options.protect)).toBe(true);
    expect(ofType(await plan({ protect: true }), "aws:s3/bucket:Bucket").every((b) => b.options.protect)).toBe(true);
  });

  it("versions the archive and encrypts it with AES-256 unless a KMS key is given", async () => {
    const p = await plan();
    expect(one(p, "aws:s3/bucketVersioning:BucketVersioning", "files-bucket").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
    const sse = one(p, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "files-bucket");
    expect(sse.inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }]);
    const kms = await plan({ kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/0b6e1c8e-1111-4222-8333-444455556666" });
    const rule = (one(kms, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "files-bucket").inputs.rules as Array<Record<string, unknown>>)[0];
    expect(rule).toMatchObject({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true });
  });

  it("blocks every form of public access and disables ACLs on both buckets", async () => {
    const p = await plan();
    for (const name of ["files-bucket", "files-access-logs"]) {
      expect(one(p, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name).inputs).toMatchObject({
        blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
      });
      expect(one(p, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", name).inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    }
  });

  it("denies requests without TLS", async () => {
    const policy = JSON.parse(String(one(await plan(), "aws:s3/bucketPolicy:BucketPolicy", "files-bucket").inputs.policy));
    expect(policy.Statement).toContainEqual(expect.objectContaining({
      Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } },
    }));
  });

  it("moves objects to cheaper storage as they age and expires old versions", async () => {
    const lifecycle = one(await plan({ glacierAfterDays: 365 }), "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "files-bucket");
    const [rule] = lifecycle.inputs.rules as Array<Record<string, unknown>>;
    expect(rule.transitions).toEqual([{ days: 30, storageClass: "STANDARD_IA" }, { days: 365, storageClass: "GLACIER_IR" }]);
    expect(rule.noncurrentVersionExpiration).toEqual({ noncurrentDays: 365 });
  });

  it("logs server access to the log bucket, which S3's log delivery may write to", async () => {
    const p = await plan({ accessLogRetentionDays: 90 });
    const logging = one(p, "aws:s3/bucketLogging:BucketLogging", "files-bucket");
    expect(logging.inputs.targetBucket).toMatch(/^files-access-logs-/);
    expect(logging.options.dependsOn).toEqual([one(p, "aws:s3/bucketPolicy:BucketPolicy", "files-access-logs").urn]);
    const policy = JSON.parse(String(one(p, "aws:s3/bucketPolicy:BucketPolicy", "files-access-logs").inputs.policy));
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject" }));
    const [expiry] = one(p, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "files-access-logs").inputs.rules as Array<Record<string, unknown>>;
    expect(expiry.expiration).toEqual({ days: 90 });
  });

  it("offers services a policy to read and write objects in the archive only", async () => {
    const p = await plan();
    const policy = JSON.parse(String(p.outputs.policy));
    const bucketArn = `arn:aws:s3:::${String(p.outputs.bucket)}`;
    expect(policy.Statement).toEqual([
      { Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArn },
      { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${bucketArn}/*` },
    ]);
  });

  it.each([
    [{ infrequentAccessAfterDays: 10 }, "must be 30 or more"],
    [{ glacierAfterDays: 20 }, "must be later than"],
    [{ noncurrentVersionDays: 0 }, "`noncurrentVersionDays` 0"],
  ])("rejects %j before creating anything", async (args, message) => {
    await expect(plan(args)).rejects.toThrow(message);
  });
});
