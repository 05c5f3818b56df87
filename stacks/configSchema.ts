import { z } from "zod";
import { cidrProblem, isPublicIpv4, MAX_AVAILABILITY_ZONES, parseIpv4, VPC_PREFIX } from "../components/cidr";
import { isLogRetentionDays, LOG_RETENTION_DAYS } from "../components/logRetention";
import { AMI_ID, DATABASE_NAME, DB_INSTANCE_CLASS, DB_USERNAME, ENV_NAME, INSTANCE_TYPE, isLatestTag, PINNED_IMAGE, PORT, POSTGRES_VERSION, RELEASE_ID, SECRET_ARN } from "../components/patterns";
import { COLORS, LISTENER_RULE_PRIORITY, RELEASE_PHASES } from "../components/release";
import { ASN } from "../components/siteToSiteVpn";
import { ENVIRONMENTS } from "../model/environments";
import { CPU_ARCHITECTURES, FARGATE_PLATFORMS, NON_ROOT_USER } from "../components/fargate";
import { ACKNOWLEDGEMENT_MIN_LENGTH } from "./configChecks";
import { SHIFT_STRATEGIES } from "../components/trafficShift";
import { ENVIRONMENT_DEFAULTS, SERVICE_DEFAULTS, type EnvironmentDefaults } from "./environments";
import { FILE_ARCHIVE_DEFAULTS } from "../components/fileArchive";
import { HEALTH_CHECK_DEFAULTS } from "../components/blueGreenService";
import { USER_DATA_BUDGET_BYTES } from "../components/logAgent";
import { DATABASE_DEFAULTS } from "../components/database";
import { IMAGE_REPOSITORY_DEFAULTS, MIN_KEPT_IMAGES } from "../components/imageRepository";

/**
 * The shape of Flipstack's stack config (`flipstack:*` keys in `Pulumi.<stack>.yaml`), as written by people.
 * Optional fields get per-environment defaults in `environments.ts`; cross-field rules live in `config.ts`.
 * This is a contract: keys may be added, never renamed or removed.
 *
 * Every key carries its documentation (`.meta`): a description, and where it helps the default and how the value is
 * written. The README's config reference is generated from it (`npm run config-docs`; a test fails on drift).
 */

/** What the generated config reference shows for a key; `type` also stops it from listing the key's own fields. */
export interface KeyDoc {
  description: string;
  default?: string;
  type?: string;
}
const doc = <T extends z.ZodType>(schema: T, description: string, more: Omit<KeyDoc, "description"> = {}): T => schema.meta({ description, ...more });

/** `production 3, staging 2, preview 2`: a default that is the environment's (model/environments.ts). */
const perEnvironment = (pick: (d: EnvironmentDefaults) => string | number | boolean) =>
  (Object.keys(ENVIRONMENT_DEFAULTS) as Array<keyof typeof ENVIRONMENT_DEFAULTS>).map((e) => `${e} ${pick(ENVIRONMENT_DEFAULTS[e])}`).join(", ");
const RETENTION = "CloudWatch retention";

const cidr = z.string().superRefine((value, ctx) => {
  const problem = cidrProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const retentionDays = z.number().refine(isLogRetentionDays, {
  message: `is not a retention CloudWatch Logs accepts; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
});

const positiveInt = (max: number) => z.int().min(1).max(max);

export const networkSchema = z.strictObject({
  cidr: doc(cidr, `the VPC's range, /${VPC_PREFIX.min} to /${VPC_PREFIX.max}; must not overlap on-premises networks`, { type: "IPv4 CIDR" }),
  availabilityZones: doc(z.int().min(2).max(MAX_AVAILABILITY_ZONES), "zones the VPC spans; no more than the region has", { default: perEnvironment((d) => d.availabilityZones) }).optional(),
  nat: doc(z.enum(["none", "single", "perAz"]), "NAT gateways for the private subnets (~32 USD/month each plus data)", { default: perEnvironment((d) => `\`${d.nat}\``) }).optional(),
  privateSubnetPrefix: doc(z.int().min(VPC_PREFIX.min).max(VPC_PREFIX.max), "six positions are reserved per tier, so growing the zone count never moves a subnet", { default: "VPC prefix + 3" }).optional(),
  publicSubnetPrefix: doc(z.int().min(VPC_PREFIX.min).max(VPC_PREFIX.max), "the public tier follows the private one on the next boundary of its size", { default: "VPC prefix + 6" }).optional(),
  flowLogRetentionDays: doc(retentionDays, "how long VPC flow logs are kept", { type: RETENTION, default: perEnvironment((d) => d.logRetentionDays) }).optional(),
});

const asn = z.int().min(ASN.min).max(ASN.max);

export const vpnSchema = z.strictObject({
  customerGateway: z.strictObject({
    ip: doc(z.string().refine((v) => parseIpv4(v) !== undefined && isPublicIpv4(v), {
      message: "must be the public IPv4 address of the on-premises VPN device (not private, loopback or link-local)",
    }), "the on-premises device's internet-facing address", { type: "public IPv4" }),
    bgpAsn: doc(asn, "the on-premises side's ASN; must differ from `amazonSideAsn`"),
  }),
  staticRoutes: doc(z.array(cidr).min(1), "on-premises networks routed statically (omit for BGP); must not overlap the VPC", { type: "IPv4 CIDRs", default: "none (BGP)" }).optional(),
  amazonSideAsn: doc(asn, "the virtual private gateway's ASN: 64512–65534 or 4200000000–4294967294", { type: "private ASN", default: String(SERVICE_DEFAULTS.amazonSideAsn) }).optional(),
  tunnelLogRetentionDays: doc(retentionDays, "how long tunnel logs are kept", { type: RETENTION, default: "as flow logs" }).optional(),
  alarmActions: doc(z.array(z.string().startsWith("arn:aws:sns:")), "SNS topics notified when a tunnel goes down, besides the alarm topic", { type: "SNS topic ARNs" }).optional(),
  protect: doc(z.boolean(), "protects the customer gateway and the connection (replacing either is an on-premises outage)", { default: perEnvironment((d) => d.protect) }).optional(),
});

export const loadBalancerSchema = z.strictObject({
  certificateArn: doc(z.string().regex(/^arn:aws[\w-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, {
    message: "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
  }), "the HTTPS listener's certificate, in the stack's region", { type: "ACM certificate ARN" }),
  testListenerPort: doc(z.int().min(PORT.min).max(PORT.max), "the test listener, reachable only from `officeCidrs` and the VPN's `staticRoutes`", { type: "port", default: String(SERVICE_DEFAULTS.testListenerPort) }).optional(),
  officeCidrs: doc(z.array(cidr), "networks besides the VPN's allowed to reach the test listener; at least one of these or VPN static routes is required, none wider than a /8", { type: "IPv4 CIDRs" }).optional(),
  deletionProtection: doc(z.boolean(), "AWS refuses to delete the load balancer while set", { default: perEnvironment((d) => d.deletionProtection) }).optional(),
  accessLogRetentionDays: doc(positiveInt(3650), "access logs expire after this many days", { default: perEnvironment((d) => d.accessLogRetentionDays) }).optional(),
  idleTimeoutSeconds: doc(positiveInt(4000), "seconds a connection may stay idle", { default: String(SERVICE_DEFAULTS.idleTimeoutSeconds) }).optional(),
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

// `pulumi config set --path` stores a schema version as a number; a hand-written "6" is accepted too.
const schemaVersion = z.union([z.int().min(0), z.string().regex(/^\d+$/).transform(Number)], {
  error: "must be a whole number of 0 or more (schema versions count up with each migration)",
});
/** The schema fields of a release (components/schemaRule.ts); written by `flipstack release deploy --schema`. */
const releaseSchema = {
  schema: schemaVersion.optional().describe("The database schema version this release's migration moves to (`release deploy --schema`)."),
  schemaMinimum: schemaVersion.optional().describe("The oldest schema version this release's code runs on, at most `schema` (`--schema-minimum`); defaults to `schema`."),
};
/**
 * A container slot runs `image`, or is being built: `build: true` is written by `flipstack release deploy --build`
 * for the one update that builds and pushes the image, and replaced by the pushed digest right after it.
 */
const containerSlot = z.strictObject({
  version,
  image: image.optional(),
  build: flag.optional().describe("Set by `release deploy --build` for the update that builds this slot's image; then replaced by its digest"),
  ...releaseSchema,
});
const onePinnedOrBuilt = (slot: { image?: string; build?: boolean }) => (slot.image === undefined) !== (slot.build !== true);

const instanceRelease = z.strictObject({ version, ami: amiId, ...releaseSchema });
const containerRelease = containerSlot.refine(onePinnedOrBuilt, {
  message: "needs exactly one of `image` (a pinned image) or `build: true` (built in this update by `release deploy --build`)",
});

/** What the last migration left the database at; written by `flipstack release deploy`, never by hand. */
const migratedSchema = z.strictObject({
  schema: schemaVersion.describe("The schema version the database was last migrated to."),
  minimum: schemaVersion.describe("The oldest release schema that version still serves (the migrating release's `schemaMinimum`)."),
  version: version.describe("The release whose migration it was."),
}).describe("The database schema as the last migration left it; a rollback does not undo it.");

/** A one-off task run with the new release's image before the new slot gets traffic (`release deploy`). */
const migration = z.strictObject({
  command: doc(z.array(z.string().min(1)).min(1), "the command the migration task runs instead of the image's, e.g. `[npm, run, migrate]`; it must be safe to run again", { type: "list of text" }),
  timeout: doc(z.string(), "how long the task may take; a migration still running then is stopped and the deploy fails", { type: "duration (`15m`)", default: "`15m`" }).optional(),
}).describe("A database migration run once per deploy as a one-off ECS task of the new release's image, before the new slot gets traffic. Container services only.");

const SLOT = "`{ version, ami }` or `{ version, image }` (`{ version, build: true }` while `release deploy --build` builds it)";
const releaseState = <R extends z.ZodType>(release: R) =>
  z.strictObject({
    live: doc(z.enum(COLORS), "the slot users reach; must name a present slot"),
    generation: doc(generation, "moves forward with every deliberate change of the live release (the stale-release guard)", { type: "whole number", default: "0" }).optional(),
    blue: doc(release, "the release in the blue slot: images pinned by tag or digest (`latest` is refused); quote a version YAML would read as a number (`1.10`); `schema` and `schemaMinimum` (whole numbers, written by `release deploy --schema N --schema-minimum M`) declare the database schema it migrates to and the oldest it runs on", { type: SLOT }).optional(),
    green: doc(release, "the release in the green slot, as `blue`", { type: SLOT }).optional(),
    previous: doc(release, "the release that was live before the current one, for rollback after its slot is retired; written by `release promote`", { type: SLOT }).optional(),
    phase: doc(z.enum(RELEASE_PHASES), "where a release stands; written by `flipstack release`").optional(),
    failed: doc(z.array(z.strictObject({ version, reason: z.string().max(500) })), "releases that were rolled back, oldest first, which `release` deploys again only with `--retry-failed <version>`; written by `release bake` and `release rollback`", { type: "list of `{ version, reason }`" }).optional(),
    weight: doc(z.union([z.int(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.int().min(0).max(99)), "percent of users on the idle slot during a shift; written by `release promote`; needs both slots", { type: "0–99", default: "0" }).optional(),
    migrated: doc(migratedSchema, "the schema the database was last migrated to, the oldest release schema it serves, and the release that migrated it; written by `release deploy`, never by hand", { type: "`{ schema, minimum, version }`" }).optional(),
  });

const routing = z.strictObject({
  priority: doc(z.int().min(LISTENER_RULE_PRIORITY.min).max(LISTENER_RULE_PRIORITY.max), "the listener rule's priority, unique across services"),
  pathPatterns: doc(z.array(z.string().min(1).max(128)).min(1).max(5), "request paths that are this service's (at least one of these or `hostHeaders`)", { type: "1–5 patterns" }).optional(),
  hostHeaders: doc(z.array(z.string().min(1).max(128)).min(1).max(5), "host names that are this service's; the first is also sent to the test listener", { type: "1–5 host names" }).optional(),
});

const healthCheck = z.strictObject({
  path: doc(z.string().startsWith("/").max(1024), "what the target group requests of each target", { type: "path", default: `\`${HEALTH_CHECK_DEFAULTS.path}\`` }).optional(),
  matcher: doc(z.string().regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/), "status codes that count as healthy", { type: "codes (`200`, `200-299`, `200,302`)", default: `\`${HEALTH_CHECK_DEFAULTS.matcher}\`` }).optional(),
  intervalSeconds: doc(z.int().min(5).max(300), "seconds between checks", { default: String(HEALTH_CHECK_DEFAULTS.intervalSeconds) }).optional(),
  timeoutSeconds: doc(z.int().min(2).max(120), "seconds a check may take; shorter than the interval", { default: String(HEALTH_CHECK_DEFAULTS.timeoutSeconds) }).optional(),
  healthyThreshold: doc(z.int().min(2).max(10), "passes in a row before a target serves", { default: String(HEALTH_CHECK_DEFAULTS.healthyThreshold) }).optional(),
  unhealthyThreshold: doc(z.int().min(2).max(10), "failures in a row before a target stops serving", { default: String(HEALTH_CHECK_DEFAULTS.unhealthyThreshold) }).optional(),
});

const capacity = z.strictObject({
  min: doc(z.int().min(0).max(1000), "fewest instances or tasks per slot; min ≤ desired ≤ max", { default: perEnvironment((d) => d.capacity.min) }),
  desired: doc(z.int().min(0).max(1000), "instances or tasks per slot", { default: perEnvironment((d) => d.capacity.desired) }),
  max: doc(z.int().min(1).max(1000), "most instances or tasks per slot", { default: perEnvironment((d) => d.capacity.max) }),
});

/** What `flipstack release verify` checks through the test listener. */
const smokeTest = z.strictObject({
  path: doc(z.string().startsWith("/"), "what `release verify` requests of the idle slot", { type: "path", default: `\`${SERVICE_DEFAULTS.smokeTest.path}\`` }).optional(),
  expectStatus: doc(z.int().min(100).max(599), "the status the answer must have", { default: String(SERVICE_DEFAULTS.smokeTest.expectStatus) }).optional(),
  versionHeader: doc(z.string().min(1), "response header carrying the version", { type: "header name", default: "the version must appear in the body" }).optional(),
});

const serviceCommon = {
  port: doc(z.int().min(PORT.min).max(PORT.max), "what the application listens on", { type: "port" }),
  routing: doc(routing, "which requests are the service's"),
  healthCheck: doc(healthCheck, "the target group's health check").optional(),
  deregistrationDelaySeconds: doc(z.int().min(0).max(3600), "seconds an old target drains before it is removed", { default: String(SERVICE_DEFAULTS.deregistrationDelaySeconds) }).optional(),
  capacity: doc(capacity, "instances or tasks per slot").optional(),
  smokeTest: doc(smokeTest, "what `release verify` checks through the test listener").optional(),
  alarms: doc(z.array(z.string().min(1)), "extra CloudWatch alarms the bake (and each step of a shift) watches besides the service's own", { type: "alarm names" }).optional(),
  environment: doc(z.record(z.string().regex(ENV_NAME), z.string()), "non-secret variables; a value shaped like a credential (a URL with a password, an AWS access key, a private key, a GitHub, Slack, Stripe or Google key, a JWT) is refused", { type: "name → text" }).optional(),
  // On both kinds so that an instance service is told why it cannot have one (config.ts), not "unknown key".
  migration: migration.optional(),
  /**
   * How `release promote` moves users: `allAtOnce` (the default), `canary 10% 5m`, `linear 25% every 2m`, or
   * { strategy, percent, every, steps, stickiness }; checked in config.ts (components/trafficShift.ts).
   */
  shift: doc(z.union([
    z.string(),
    z.strictObject({
      strategy: z.enum(SHIFT_STRATEGIES).optional(),
      percent: z.number().optional(),
      every: z.string().optional(),
      steps: z.array(z.number()).min(1).max(20).optional(),
      stickiness: z.string().optional(),
    }),
  ]), "how `release promote` moves users; see [Gradual traffic shifting](#gradual-traffic-shifting)", {
    type: "`allAtOnce`, `canary [P%] [for] [D]`, `linear [P%] [every] [D]`, or `{ strategy, percent, every, steps, stickiness }`",
    default: "`allAtOnce`",
  }).optional(),
};

const KIND = "an AMI per release (`instances`), or a container image per release (`containers`)";
const RELEASE = "the service's release state: which slot is live and what each slot runs";

/** How a container service's image is built (`flipstack release deploy --build`), with `@pulumi/docker`. */
export const buildSchema = z.strictObject({
  context: doc(z.string().min(1), "the build context, a folder relative to the project (the folder holding Pulumi.yaml)", { type: "folder" }),
  dockerfile: doc(z.string().min(1), "the Dockerfile, relative to the project; it must be inside the context", { type: "file", default: "`<context>/Dockerfile`" }).optional(),
  target: doc(z.string().regex(/^[\w.-]+$/, { message: "must be a build stage name" }), "the stage of a multi-stage Dockerfile to build", { type: "stage name", default: "the last stage" }).optional(),
  args: doc(z.record(z.string().regex(ENV_NAME), z.string()), "build arguments (`ARG`); never secrets, which stay in the image's history", { type: "name → text" }).optional(),
  platform: doc(z.enum(FARGATE_PLATFORMS), "the platform to build for; it must match `cpuArchitecture`", { default: "the service's `cpuArchitecture`" }).optional(),
});

export const instanceServiceSchema = z.strictObject({
  kind: doc(z.literal("instances"), KIND),
  ...serviceCommon,
  instanceType: doc(z.string().regex(INSTANCE_TYPE, { message: "must be an EC2 instance type such as t3.small" }), "the instances' EC2 type", { type: "EC2 type", default: `\`${SERVICE_DEFAULTS.instanceType}\`` }).optional(),
  userData: doc(z.string(), `a script or cloud-config, run after the log agent's boot script; at most ${USER_DATA_BUDGET_BYTES} bytes (EC2's 16384 less the log agent's share), no credentials`, { type: "text" }).optional(),
  // Accepted here only to be refused with a reason (config.ts): instances run AMIs, which Flipstack does not build.
  build: doc(z.unknown(), "refused: instances run AMIs, which Flipstack does not build", { type: "—" }).optional(),
  release: doc(releaseState(instanceRelease), RELEASE),
});

export const containerServiceSchema = z.strictObject({
  kind: doc(z.literal("containers"), KIND),
  ...serviceCommon,
  cpu: doc(z.int(), "Fargate CPU units; a pair with `memory` Fargate accepts", { type: "Fargate CPU", default: perEnvironment((d) => d.fargate.cpu) }).optional(),
  memory: doc(z.int(), "Fargate memory in MiB; a pair with `cpu` Fargate accepts", { type: "Fargate memory", default: perEnvironment((d) => d.fargate.memory) }).optional(),
  secrets: doc(z
    .record(
      z.string().regex(ENV_NAME),
      z.string().regex(SECRET_ARN, {
        message: "must be the ARN of an SSM parameter or a Secrets Manager secret (never the secret itself)",
      }),
    ), "environment variables filled from SSM parameters or Secrets Manager secrets; never the secret value", { type: "name → SSM/Secrets Manager ARN" })
    .optional(),
  user: doc(z.string().regex(NON_ROOT_USER, {
    message: "must be a non-root user or uid, optionally with a group, e.g. 1000:1000",
  }), "the user the container runs as, overriding the image's; every Linux capability is dropped either way (all but `NET_BIND_SERVICE` for a port below 1024)", { type: "`uid`, `uid:gid` or a name, not root", default: "the image's user" }).optional(),
  cpuArchitecture: doc(z.enum(CPU_ARCHITECTURES), "the CPU the Fargate tasks run on", { default: "`X86_64`" }).optional(),
  build: doc(buildSchema, "how `release deploy --build` builds the image (with `@pulumi/docker`)").optional(),
  imageRetention: doc(z.int().min(MIN_KEPT_IMAGES).max(10_000), "images the service's repository keeps, newest first; older ones expire", { default: String(IMAGE_REPOSITORY_DEFAULTS.keepImages) }).optional(),
  release: doc(releaseState(containerRelease), RELEASE),
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
  infrequentAccessAfterDays: doc(z.int().min(30), "files move to S3 Standard-IA after this many days", { default: String(FILE_ARCHIVE_DEFAULTS.infrequentAccessAfterDays) }).optional(),
  glacierAfterDays: doc(z.int().min(31), "files move to S3 Glacier Flexible Retrieval after this many days", { default: String(FILE_ARCHIVE_DEFAULTS.glacierAfterDays) }).optional(),
  noncurrentVersionDays: doc(z.int().min(1), "replaced or deleted versions expire after this many days", { default: String(FILE_ARCHIVE_DEFAULTS.noncurrentVersionDays) }).optional(),
  accessLogRetentionDays: doc(z.int().min(1), "the archive's access logs expire after this many days", { default: String(FILE_ARCHIVE_DEFAULTS.accessLogRetentionDays) }).optional(),
  kmsKeyArn: doc(z.string().regex(/^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, { message: "must be a KMS key ARN" }), "encrypts the archive with this key", { type: "KMS key ARN", default: "SSE-S3" }).optional(),
});

/**
 * The environment's PostgreSQL database (production and staging; previews use staging's). Defaults per environment
 * in model/environments.ts, the rest in components/database.ts (DATABASE_DEFAULTS).
 */
export const databaseSchema = z.strictObject({
  subnets: doc(z.enum(["private", "public"]), "the subnet tier the database runs in: only `private` is accepted (`public` is refused with the reason)", { default: "`private`" }).optional(),
  engineVersion: doc(z.string().regex(POSTGRES_VERSION, { message: "must be a PostgreSQL major (13 or later) or major.minor, e.g. 16 or 16.4" }),
    "a major (RDS applies minor upgrades) or a pinned major.minor", { type: "PostgreSQL version", default: `\`${DATABASE_DEFAULTS.engineVersion}\`` }).optional(),
  instanceClass: doc(z.string().regex(DB_INSTANCE_CLASS, { message: "must be an RDS instance class such as db.t4g.micro" }), "the RDS instance class", { type: "RDS class", default: perEnvironment((d) => `\`${d.database.instanceClass}\``) }).optional(),
  allocatedStorageGiB: doc(z.int().min(20).max(65536), "initial gp3 storage in GiB", { default: String(DATABASE_DEFAULTS.allocatedStorageGiB) }).optional(),
  maxAllocatedStorageGiB: doc(z.int().min(20).max(65536), "the storage autoscaling ceiling in GiB", { default: String(DATABASE_DEFAULTS.maxAllocatedStorageGiB) }).optional(),
  databaseName: doc(z.string().regex(DATABASE_NAME, { message: "must start with a letter and hold only letters, digits and _" }), "the database created with the instance", { type: "name", default: `\`${DATABASE_DEFAULTS.databaseName}\`` }).optional(),
  masterUsername: doc(z.string().regex(DB_USERNAME, { message: "must start with a letter and hold only letters, digits and _ (at most 16)" }),
    "the master user; its password is generated and rotated by RDS in Secrets Manager, never in config", { type: "name", default: `\`${DATABASE_DEFAULTS.masterUsername}\`` }).optional(),
  backupRetentionDays: doc(z.int().min(0).max(35), "days of automated backups; 0 is refused in production", { default: perEnvironment((d) => d.database.backupRetentionDays) }).optional(),
  multiAz: doc(z.boolean(), "a standby in a second zone", { default: perEnvironment((d) => d.database.multiAz) }).optional(),
  kmsKeyArn: doc(z.string().regex(/^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, { message: "must be a KMS key ARN" }), "encrypts storage with this key", { type: "KMS key ARN", default: "the account's `aws/rds` key" }).optional(),
});

/** Central log groups: one per service for application logs. */
export const logsSchema = z.strictObject({
  retentionDays: doc(retentionDays, "how long each service's central log group keeps application logs", { type: RETENTION, default: perEnvironment((d) => d.logRetentionDays) }).optional(),
});

/** A pull-request preview (`pr-<number>` stacks): which builds to run, set by CI. */
export const previewSchema = z.strictObject({
  stagingStack: doc(z.string().regex(/^[\w.-]+\/[\w.-]+\/[\w.-]+$/, { message: "must be a full stack name <organization>/<project>/<stack>" }), "the stack whose network and load balancer the preview borrows", { type: "`org/project/stack`", default: "`<org>/<project>/staging`" }).optional(),
  services: doc(z.record(z.string(), z.strictObject({
    version,
    ami: amiId.optional(),
    image: image.optional(),
    build: flag.optional().describe("Build the pull request's image from staging's build settings into staging's repository, tagged pr-<number>-<version>"),
  })), "per service, the pull request's build, set by CI; services left out run staging's live release", { type: "name → `{ version, image }`, `{ version, ami }` or `{ version, build: true }`", default: "staging's live release" }).optional(),
});

/** Who hears about alarms: subscribers of the environment's alarm topic (SNS protocols, each with its endpoint). */
export const notificationsSchema = z.strictObject({
  subscribers: doc(z.array(z.strictObject({
    protocol: z.enum(["email", "https", "sqs", "lambda", "sms"]),
    endpoint: z.string().min(1).max(2048),
  })), "subscribers of the environment's alarm topic (SNS, output `alarmTopicArn`), which every slot alarm and VPN tunnel alarm notifies; production refuses an empty list", { type: "list of `{ protocol, endpoint }` (`email`, `https`, `sqs`, `lambda`, `sms`)" }).optional(),
});

/** Where container images live: staging owns the repositories, production pulls the digests staging verified. */
export const imagesSchema = z.strictObject({
  // `pulumi config set --path` stores an account id without a leading zero as a number.
  productionAccountId: doc(z.union([z.string(), z.int().transform(String)]).pipe(z.string().regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" })),
    "staging only: production's AWS account, granted pull access to staging's repositories", { type: "account id", default: "staging's own account" }).optional(),
  sourceStack: doc(z.string().regex(/^[\w.-]+\/[\w.-]+\/[\w.-]+$/, { message: "must be a full stack name <organization>/<project>/<stack>" }),
    "production only: the stack whose image repositories production pulls from", { type: "`org/project/stack`", default: "`<org>/<project>/staging`" }).optional(),
});

/** Everything under the `flipstack:` namespace, one property per config key. */
export const rawConfigSchema = z.strictObject({
  environment: doc(environmentSchema, "for stacks named otherwise than `production`, `staging` or `pr-<number>`", { default: "from the stack name" }).optional(),
  network: doc(networkSchema, "the VPC: its range, zones, NAT gateways and flow logs").optional(),
  vpn: doc(vpnSchema, "the site-to-site VPN to the on-premises network (optional)").optional(),
  loadBalancer: doc(loadBalancerSchema, "the application load balancer: HTTPS listener, test listener, access logs").optional(),
  services: doc(z.record(serviceNameSchema, serviceSchema), "a map from service name (lower-case, at most 20 characters) to its settings").optional(),
  archive: doc(archiveSchema, "the file archive (not in previews)").optional(),
  database: doc(databaseSchema, "the environment's PostgreSQL database, shared by both slots of every service (optional; previews use staging's)").optional(),
  logs: doc(logsSchema, "the central log group of each service").optional(),
  notifications: doc(notificationsSchema, "who hears about alarms").optional(),
  previewDomain: doc(dnsName, "staging only: enables pull-request previews, each at `pr-<n>-<service>.<domain>`; refused in production", { type: "DNS domain" }).optional(),
  preview: doc(previewSchema, "previews only (`pr-<number>` stacks): what they borrow and run, set by CI").optional(),
  images: doc(imagesSchema, "where container images live: staging's repositories, which production pulls from").optional(),
  acknowledge: doc(z.record(z.string().min(1), z.string().trim().min(ACKNOWLEDGEMENT_MIN_LENGTH, {
    message: `must be a written reason (at least ${ACKNOWLEDGEMENT_MIN_LENGTH} characters: why it is accepted and by whom)`,
  })), "production only: accepts a deliberate weakening (the setting's key, e.g. `network.nat`, to why and by whom), see below", { type: `key → written reason (at least ${ACKNOWLEDGEMENT_MIN_LENGTH} characters)` }).optional(),
});

export type RawConfig = z.infer<typeof rawConfigSchema>;
export type Environment = z.infer<typeof environmentSchema>;
export type RawService = z.infer<typeof serviceSchema>;
