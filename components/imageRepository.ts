import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { withDefaults } from "./defaults";
import { missingArgs, REQUIRED_ARGS } from "./requiredArgs";

export interface ImageRepositoryArgs {
  /** ECR repository name, e.g. the service's name (lower case, `/` separates namespaces). */
  readonly repositoryName: string;
  /**
   * Images kept: the lifecycle policy expires only images older than the newest this many. At least
   * {@link MIN_KEPT_IMAGES}. @default 200
   */
  readonly keepImages?: number;
  /** Encrypt with this KMS key instead of AES-256 (ECR's own keys). @default AES-256 */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Other AWS accounts (12 digits) that may pull images, e.g. production's when it is a separate account. @default none */
  readonly pullAccountIds?: readonly pulumi.Input<string>[];
  /** Protect the repository from deletion (`protect`); it is always kept when the stack is destroyed. @default false */
  readonly protect?: boolean;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Fewest images a lifecycle policy may keep: room for two slots, the rollback target and builds never deployed. */
export const MIN_KEPT_IMAGES = 10;

/** What each optional arg is when left out. */
export const IMAGE_REPOSITORY_DEFAULTS = {
  keepImages: 200,
  pullAccountIds: [],
  protect: false,
  tags: {},
} as const satisfies Partial<ImageRepositoryArgs>;

/** The args with every default filled in: what the validator checks and the constructor builds. */
export const resolveImageRepositoryArgs = (args: ImageRepositoryArgs) => withDefaults(args, IMAGE_REPOSITORY_DEFAULTS);

// ECR's rule: lower-case segments of letters, digits, `.`, `_`, `-`, joined by `/`, 2 to 256 characters.
const REPOSITORY_NAME = /^(?=.{2,256}$)[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/** Why these args cannot build the repository, or an empty list. Runs before any resource is created. */
export function validateImageRepositoryArgs(args: ImageRepositoryArgs): string[] {
  const missing = missingArgs(args, REQUIRED_ARGS.ImageRepository);
  if (missing.length > 0) return missing;
  const problems: string[] = [];
  const { repositoryName, keepImages, pullAccountIds } = resolveImageRepositoryArgs(args);
  if (!REPOSITORY_NAME.test(repositoryName)) {
    problems.push(`The \`repositoryName\` ${JSON.stringify(repositoryName)} is not an ECR repository name; use lower-case letters, digits, '.', '_', '-' and '/'.`);
  }
  if (!Number.isInteger(keepImages) || keepImages < MIN_KEPT_IMAGES || keepImages > 10_000) {
    problems.push(`The \`keepImages\` ${keepImages} must be a whole number from ${MIN_KEPT_IMAGES} to 10000; fewer could expire an image a slot or a rollback still needs.`);
  }
  for (const account of pullAccountIds) {
    if (typeof account === "string" && !/^\d{12}$/.test(account)) problems.push(`The \`pullAccountIds\` entry ${JSON.stringify(account)} is not a 12-digit AWS account id.`);
  }
  return problems;
}

/** The lifecycle policy document: expire every image but the newest `keep`, tagged or not. */
export function lifecyclePolicyDocument(keep: number): string {
  return JSON.stringify({
    rules: [{
      rulePriority: 1,
      description: `keep the newest ${keep} images`,
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
      action: { type: "expire" },
    }],
  });
}

/** ECR actions a pulling account (or task execution role) needs, and nothing that writes. */
export const ECR_PULL_ACTIONS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"] as const;

/**
 * One service's container image repository, shared by every release of the service: tags are immutable (a release's
 * tag can never point at other code), every push is scanned, images are encrypted at rest, and a lifecycle policy
 * keeps the newest `keepImages`. Other accounts listed in `pullAccountIds` may pull. Kept when the stack is
 * destroyed (`retainOnDelete`): the images outlive any release, and rollback may need one.
 *
 * Costs money: ECR storage per GB-month (the lifecycle policy bounds it), and data transfer out of the region.
 */
export class ImageRepository extends pulumi.ComponentResource {
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: what images are tagged and pinned with. */
  public readonly repositoryUrl: pulumi.Output<string>;
  /** ARN of the repository, for IAM policies that pull from it alone. */
  public readonly repositoryArn: pulumi.Output<string>;
  /** Name of the repository. */
  public readonly repositoryName: pulumi.Output<string>;
  /** Account id of the registry holding the repository. */
  public readonly registryId: pulumi.Output<string>;

  constructor(name: string, args: ImageRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateImageRepositoryArgs(args);
    if (problems.length > 0) throw new pulumi.RunError(`ImageRepository "${name}": ${problems.join(" ")}`);
    super("flipstack:images:ImageRepository", name, {}, opts);
    const resolved = resolveImageRepositoryArgs(args);
    const kept = { parent: this, retainOnDelete: true, protect: resolved.protect };

    const repository = new aws.ecr.Repository(`${name}-repository`, {
      name: resolved.repositoryName,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [args.kmsKeyArn === undefined ? { encryptionType: "AES256" } : { encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
      // Deleting a repository that still holds images fails: images a slot may still run are never deleted by accident.
      forceDelete: false,
      tags: resolved.tags,
    }, kept);

    // Why this never expires an image a slot runs: releases are sequential, each pushes a newer image than every
    // slot holds, and at most two slots (and the previous release) run, so those are always among the newest
    // `keepImages` (at least MIN_KEPT_IMAGES) as counted by push time.
    new aws.ecr.LifecyclePolicy(`${name}-lifecycle`, {
      repository: repository.name,
      policy: lifecyclePolicyDocument(resolved.keepImages),
    }, kept);

    if (resolved.pullAccountIds.length > 0) {
      new aws.ecr.RepositoryPolicy(`${name}-pull`, {
        repository: repository.name,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [{
            Sid: "PullFromOtherEnvironments",
            Effect: "Allow",
            Principal: { AWS: resolved.pullAccountIds.map((account) => pulumi.interpolate`arn:aws:iam::${account}:root`) },
            Action: [...ECR_PULL_ACTIONS],
          }],
        }),
      }, kept);
    }

    this.repositoryUrl = repository.repositoryUrl;
    this.repositoryArn = repository.arn;
    this.repositoryName = repository.name;
    this.registryId = repository.registryId;
    this.registerOutputs({
      repositoryUrl: this.repositoryUrl,
      repositoryArn: this.repositoryArn,
      repositoryName: this.repositoryName,
      registryId: this.registryId,
    });
  }
}
