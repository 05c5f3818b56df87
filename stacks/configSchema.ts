import { z } from "zod";
import { isPublicIpv4, MAX_AVAILABILITY_ZONES, parseCidr, parseIpv4, VPC_PREFIX } from "../components/cidr";
import { isLogRetentionDays, LOG_RETENTION_DAYS } from "../components/logRetention";
import { AMI_ID, ENV_NAME, INSTANCE_TYPE, isLatestTag, PINNED_IMAGE, PORT, RELEASE_ID, SECRET_ARN } from "../components/patterns";
import { COLORS, LISTENER_RULE_PRIORITY, RELEASE_PHASES } from "../components/release";
import { ASN } from "../components/siteToSiteVpn";
import { ENVIRONMENTS } from "../model/environments";
import { CPU_ARCHITECTURES, FARGATE_PLATFORMS, NON_ROOT_USER } from "../components/fargate";
import { ACKNOWLEDGEMENT_MIN_LENGTH } from "./configChecks";
import { SHIFT_STRATEGIES } from "../components/trafficShift";
import { MIN_KEPT_IMAGES } from "../components/imageRepository";

/**
 * The shape of Flipstack's stack config (`flipstack:*` keys in `Pulumi.<stack>.yaml`), as written by people.
 * Optional fields get per-environment defaults in `environments.ts`; cross-field rules live in `config.ts`.
 * This is a contract: keys may be added, never renamed or removed.
 */


const cidr = z.string().refine((v) => parseCidr(v) !== undefined, {
  message: "is not a valid IPv4 CIDR (network address and prefix, host bits zero, e.g. 10.0.0.0/16)",
});

const retentionDays = z.number().refine(isLogRetentionDays, {
  message: `is not a retention CloudWatch Logs accepts; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
});

const positiveInt = (max: number) => z.int().min(1).max(max);

export const networkSchema = z.strictObject({
  cidr,
  availabilityZones: z.int().min(2).max(MAX_AVAILABILITY_ZONES).optional(),
  nat: z.enum(["none", "single", "perAz"]).optional(),
  privateSubnetPrefix: z.int().min(VPC_PREFIX.min).max(VPC_PREFIX.max).optional(),
  publicSubnetPrefix: z.int().min(VPC_PREFIX.min).max(VPC_PREFIX.max).optional(),
  flowLogRetentionDays: retentionDays.optional(),
});

const asn = z.int().min(ASN.min).max(ASN.max);

export const vpnSchema = z.strictObject({
  customerGateway: z.strictObject({
    ip: z.string().refine((v) => parseIpv4(v) !== undefined && isPublicIpv4(v), {
      message: "must be the public IPv4 address of the on-premises VPN device (not private, loopback or link-local)",
    }),
    bgpAsn: asn,
  }),
  /** On-premises networks routed statically; omit for BGP. */
  staticRoutes: z.array(cidr).min(1).optional(),
  amazonSideAsn: asn.optional(),
  tunnelLogRetentionDays: retentionDays.optional(),
  /** SNS topic ARNs notified when a tunnel goes down. */
  alarmActions: z.array(z.string().startsWith("arn:aws:sns:")).optional(),
  protect: z.boolean().optional(),
});

export const loadBalancerSchema = z.strictObject({
  certificateArn: z.string().regex(/^arn:aws[\w-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, {
    message: "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
  }),
  testListenerPort: z.int().min(PORT.min).max(PORT.max).optional(),
  /** Networks (besides the VPN's) allowed to reach the test listener, e.g. the office. */
  officeCidrs: z.array(cidr).optional(),
  deletionProtection: z.boolean().optional(),
  accessLogRetentionDays: positiveInt(3650).optional(),
  idleTimeoutSeconds: positiveInt(4000).optional(),
});

// `pulumi config set --path` may store an all-digit version or generation as a number: accept both spellings.
// A non-integer number is refused rather than converted: YAML reads `1.10` as the number 1.1, and the release would
// silently become "1.1".
const version = z
  .union([z.string(), z.int().transform(String)], {
    error: (issue) => (typeof issue.input === "number" ? "is a number, not text; write the version in quotes (YAML reads an unquoted 1.10 as the number 1.1)" : undefined),
  })
  .pipe(z.string().regex(RELEASE_ID, {
    message: "must be a release id of letters, digits, '.', '_', '+' or '-' (at most 64), e.g. 2026.11.3 or a commit SHA",
  }));
const generation = z.union([z.int().min(0), z.string().regex(/^\d+$/).transform(Number)], {
  error: "must be a whole number of 0 or more (it moves forward by one with each deliberate change of the live release)",
});

export { RELEASE_PHASES } from "../components/release";

// `pulumi config set --path` stores `true` as a boolean; a hand-written stack file may say "true".
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

const amiId = z.string().regex(AMI_ID, { message: "must be an AMI id such as ami-0123456789abcdef0" });

/** A container image pinned to a release: `repo:<tag>` where the tag is not `latest`, or `repo@sha256:<digest>`. */
const image = z
  .string()
  .regex(PINNED_IMAGE, {
    message: "must be an image reference pinned by tag or digest, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:3f2c1ab",
  })
  .refine((v) => !isLatestTag(v), { message: "uses the tag `latest`; pin the image to the release's commit SHA or digest" });

const instanceRelease = z.strictObject({ version, ami: amiId });
/**
 * A container slot runs `image`, or is being built: `build: true` is written by `flipstack release deploy --build`
 * for the one update that builds and pushes the image, and replaced by the pushed digest right after it.
 */
const containerRelease = z.strictObject({
  version,
  image: image.optional(),
  build: flag.optional().describe("Set by `release deploy --build` for the update that builds this slot's image; then replaced by its digest"),
}).refine((slot) => (slot.image === undefined) !== (slot.build !== true), {
  message: "needs exactly one of `image` (a pinned image) or `build: true` (built in this update by `release deploy --build`)",
});

const releaseState = <R extends z.ZodType>(release: R) =>
  z.strictObject({
    live: z.enum(COLORS),
    /** Moves forward with every deliberate change of the live release; see the stale-release guard. */
    generation: generation.optional(),
    blue: release.optional(),
    green: release.optional(),
    /** The release that was live before the current one, for rollback after its slot is retired. */
    previous: release.optional(),
    phase: z.enum(RELEASE_PHASES).optional(),
    /** Releases that were rolled back, oldest first: `flipstack release` deploys one again only with `--retry-failed`. */
    failed: z.array(z.strictObject({ version, reason: z.string().max(500) })).optional(),
    /** Percent of users on the idle slot while traffic shifts to it (phase `shifting`); written by `release promote`. */
    weight: z.union([z.int(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.int().min(0).max(99)).optional(),
  });

const routing = z.strictObject({
  priority: z.int().min(LISTENER_RULE_PRIORITY.min).max(LISTENER_RULE_PRIORITY.max),
  pathPatterns: z.array(z.string().min(1).max(128)).min(1).max(5).optional(),
  hostHeaders: z.array(z.string().min(1).max(128)).min(1).max(5).optional(),
});

const healthCheck = z.strictObject({
  path: z.string().startsWith("/").max(1024).optional(),
  matcher: z.string().regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/).optional(),
  intervalSeconds: z.int().min(5).max(300).optional(),
  timeoutSeconds: z.int().min(2).max(120).optional(),
  healthyThreshold: z.int().min(2).max(10).optional(),
  unhealthyThreshold: z.int().min(2).max(10).optional(),
});

const capacity = z.strictObject({
  min: z.int().min(0).max(1000),
  desired: z.int().min(0).max(1000),
  max: z.int().min(1).max(1000),
});

/** What `flipstack release verify` checks through the test listener. */
const smokeTest = z.strictObject({
  path: z.string().startsWith("/").optional(),
  expectStatus: z.int().min(100).max(599).optional(),
  /** Response header carrying the version; when absent the version must appear in the body. */
  versionHeader: z.string().min(1).optional(),
});

const serviceCommon = {
  port: z.int().min(PORT.min).max(PORT.max),
  routing,
  healthCheck: healthCheck.optional(),
  deregistrationDelaySeconds: z.int().min(0).max(3600).optional(),
  capacity: capacity.optional(),
  smokeTest: smokeTest.optional(),
  /** Extra CloudWatch alarm names that `release bake` watches besides the service's own. */
  alarms: z.array(z.string().min(1)).optional(),
  environment: z.record(z.string().regex(ENV_NAME), z.string()).optional(),
  /**
   * How `release promote` moves users: `allAtOnce` (the default), `canary 10% 5m`, `linear 25% every 2m`, or
   * { strategy, percent, every, steps, stickiness }; checked in config.ts (components/trafficShift.ts).
   */
  shift: z.union([
    z.string(),
    z.strictObject({
      strategy: z.enum(SHIFT_STRATEGIES).optional(),
      percent: z.number().optional(),
      every: z.string().optional(),
      steps: z.array(z.number()).min(1).max(20).optional(),
      stickiness: z.string().optional(),
    }),
  ]).optional(),
};

/** How a container service's image is built (`flipstack release deploy --build`), with `@pulumi/docker`. */
export const buildSchema = z.strictObject({
  context: z.string().min(1).describe("Build context, a folder relative to the project (the folder holding Pulumi.yaml), e.g. `app`"),
  dockerfile: z.string().min(1).optional().describe("Dockerfile, relative to the project; it must be inside the context. @default <context>/Dockerfile"),
  target: z.string().regex(/^[\w.-]+$/, { message: "must be a build stage name" }).optional().describe("Stage of a multi-stage Dockerfile to build. @default the last stage"),
  args: z.record(z.string().regex(ENV_NAME), z.string()).optional().describe("Build arguments (`ARG`); never secrets, which stay in the image's history"),
  platform: z.enum(FARGATE_PLATFORMS).optional().describe("Platform to build for; it must match cpuArchitecture. @default the service's cpuArchitecture"),
});

export const instanceServiceSchema = z.strictObject({
  kind: z.literal("instances"),
  ...serviceCommon,
  instanceType: z.string().regex(INSTANCE_TYPE, { message: "must be an EC2 instance type such as t3.small" }).optional(),
  userData: z.string().optional(),
  /** Accepted here only to be refused with a reason (config.ts): instances run AMIs, which Flipstack does not build. */
  build: z.unknown().optional(),
  release: releaseState(instanceRelease),
});

export const containerServiceSchema = z.strictObject({
  kind: z.literal("containers"),
  ...serviceCommon,
  cpu: z.int().optional(),
  memory: z.int().optional(),
  /** Environment variables filled from SSM parameters or Secrets Manager secrets, by ARN. */
  secrets: z
    .record(
      z.string().regex(ENV_NAME),
      z.string().regex(SECRET_ARN, {
        message: "must be the ARN of an SSM parameter or a Secrets Manager secret (never the secret itself)",
      }),
    )
    .optional(),
  /** User the container runs as (`uid` or `uid:gid`, not root), overriding the image's. @default the image's */
  user: z.string().regex(NON_ROOT_USER, {
    message: "must be a non-root user or uid, optionally with a group, e.g. 1000:1000",
  }).optional(),
  cpuArchitecture: z.enum(CPU_ARCHITECTURES).optional().describe("CPU the Fargate tasks run on. @default X86_64"),
  build: buildSchema.optional(),
  imageRetention: z.int().min(MIN_KEPT_IMAGES).max(10_000).optional()
    .describe("Images the service's repository keeps (newest first); older ones expire. @default 200"),
  release: releaseState(containerRelease),
});

export const serviceSchema = z.discriminatedUnion("kind", [instanceServiceSchema, containerServiceSchema]);

export const serviceNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, {
  message: "service names are lower-case letters, digits and '-', starting with a letter, at most 20 characters",
});

export const environmentSchema = z.enum(ENVIRONMENTS);

const dnsName = z.string().regex(/^(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
  message: "must be a lower-case DNS domain such as preview.example.com",
});

/** The file archive (production and staging). */
export const archiveSchema = z.strictObject({
  infrequentAccessAfterDays: z.int().min(30).optional(),
  glacierAfterDays: z.int().min(31).optional(),
  noncurrentVersionDays: z.int().min(1).optional(),
  accessLogRetentionDays: z.int().min(1).optional(),
  kmsKeyArn: z.string().regex(/^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, { message: "must be a KMS key ARN" }).optional(),
});

/** Central log groups: one per service for application logs. */
export const logsSchema = z.strictObject({
  retentionDays: retentionDays.optional(),
});

/** A pull-request preview (`pr-<number>` stacks): which builds to run, set by CI. */
export const previewSchema = z.strictObject({
  /** Stack whose network and load balancer the preview borrows. @default <organization>/<project>/staging */
  stagingStack: z.string().regex(/^[\w.-]+\/[\w.-]+\/[\w.-]+$/, { message: "must be a full stack name <organization>/<project>/<stack>" }).optional(),
  /** Per service, the pull request's build; services left out run staging's live release. */
  services: z.record(z.string(), z.strictObject({
    version,
    ami: amiId.optional(),
    image: image.optional(),
    build: flag.optional().describe("Build the pull request's image from staging's build settings into staging's repository, tagged pr-<number>-<version>"),
  })).optional(),
});

/** Everything under the `flipstack:` namespace, one property per config key. */
/** Who hears about alarms: subscribers of the environment's alarm topic (SNS protocols, each with its endpoint). */
export const notificationsSchema = z.strictObject({
  subscribers: z.array(z.strictObject({
    protocol: z.enum(["email", "https", "sqs", "lambda", "sms"]),
    endpoint: z.string().min(1).max(2048),
  })).optional(),
});

/** Where container images live: staging owns the repositories, production pulls the digests staging verified. */
export const imagesSchema = z.strictObject({
  // `pulumi config set --path` stores an account id without a leading zero as a number.
  productionAccountId: z.union([z.string(), z.int().transform(String)]).pipe(z.string().regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" })).optional()
    .describe("Staging only: production's AWS account, granted pull access to staging's repositories. @default staging's own account"),
  sourceStack: z.string().regex(/^[\w.-]+\/[\w.-]+\/[\w.-]+$/, { message: "must be a full stack name <organization>/<project>/<stack>" }).optional()
    .describe("Production only: the stack whose image repositories production pulls from. @default <organization>/<project>/staging"),
});

export const rawConfigSchema = z.strictObject({
  environment: environmentSchema.optional(),
  network: networkSchema.optional(),
  vpn: vpnSchema.optional(),
  loadBalancer: loadBalancerSchema.optional(),
  services: z.record(serviceNameSchema, serviceSchema).optional(),
  archive: archiveSchema.optional(),
  logs: logsSchema.optional(),
  notifications: notificationsSchema.optional(),
  /** Domain under which pull-request previews get a host name (`pr-<n>-<service>.<domain>`); staging only. */
  previewDomain: dnsName.optional(),
  preview: previewSchema.optional(),
  images: imagesSchema.optional(),
  /**
   * Production settings deliberately weakened (one NAT gateway, shorter log retention, an unprotected VPN, ...):
   * the setting's key, e.g. `network.nat`, to a written reason. Production refuses such a setting without one.
   */
  acknowledge: z.record(z.string().min(1), z.string().trim().min(ACKNOWLEDGEMENT_MIN_LENGTH, {
    message: `must be a written reason (at least ${ACKNOWLEDGEMENT_MIN_LENGTH} characters: why it is accepted and by whom)`,
  })).optional(),
});

export type RawConfig = z.infer<typeof rawConfigSchema>;
export type Environment = z.infer<typeof environmentSchema>;
export type RawService = z.infer<typeof serviceSchema>;
