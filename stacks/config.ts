import { parseCidr, overlaps, subnetLayoutProblem, defaultSubnetPrefixes, vpcPrefixProblem } from "../components/cidr";
import { duplicatePriorityProblems } from "../components/release";
import { amazonSideAsnProblem } from "../components/siteToSiteVpn";
import { fargateSizeProblem } from "../components/fargate";
import { DATABASE_DEFAULTS } from "../components/database";
import { DATABASE_ENVIRONMENT, DATABASE_SECRETS } from "./database";
import { buildProblems } from "./buildConfig";
import { checkSafety, WIDEST_TEST_LISTENER_PREFIX } from "./configChecks";
import { ALL_AT_ONCE, parseDurationSeconds, resolveShift, type TrafficShift } from "../components/trafficShift";
import { ConfigError, describeIssue, configKey, type KeyPath } from "./configErrors";
import { rawConfigSchema, type Environment, type RawConfig, type RawService } from "./configSchema";
import { IMAGE_REPOSITORY_DEFAULTS } from "../components/imageRepository";
import { ENVIRONMENT_DEFAULTS, SERVICE_DEFAULTS, environmentOfStack } from "./environments";

/**
 * Typed, validated stack config with every default resolved. `loadStackConfig` either returns one of these or
 * throws a {@link ConfigError} listing every problem; the program calls it before registering any resource.
 */
export interface StackConfig {
  stack: string;
  environment: Environment;
  network?: NetworkSettings;
  vpn?: VpnSettings;
  loadBalancer?: LoadBalancerSettings;
  services: Record<string, ServiceSettings>;
  /** The file archive; every environment but previews has one. */
  archive?: ArchiveSettings;
  /** The environment's PostgreSQL database, when `flipstack:database` is set (never in previews). */
  database?: DatabaseSettings;
  /** Retention of the central log groups (one per service). */
  logRetentionDays: number;
  /** `protect` on stateful resources (archive, log groups), per environment. */
  protectState: boolean;
  previewDomain?: string;
  preview?: PreviewSettings;
  /** Legal but risky settings, each `namespace:key: what and why`; the program prints them as warnings. */
  warnings: string[];
  /** Subscribers of the environment's alarm topic; previews have no topic of their own. */
  notifications?: NotificationSettings;
  /** Where container images live (see stacks/images.ts). */
  images: ImageSettings;
}

export interface ImageSettings {
  /** Staging: production's account, granted pull access to the repositories; undefined means staging's own. */
  productionAccountId?: string;
  /** Production: the stack owning the repositories; undefined means `<organization>/<project>/staging`. */
  sourceStack?: string;
}

export interface NotificationSettings {
  subscribers: Array<{ protocol: "email" | "https" | "sqs" | "lambda" | "sms"; endpoint: string }>;
}

export interface ArchiveSettings {
  infrequentAccessAfterDays?: number;
  glacierAfterDays?: number;
  noncurrentVersionDays?: number;
  accessLogRetentionDays?: number;
  kmsKeyArn?: string;
}

/** `flipstack:database` with the environment's defaults filled in (the rest are the component's, DATABASE_DEFAULTS). */
export interface DatabaseSettings {
  subnets: "private" | "public";
  engineVersion?: string;
  instanceClass: string;
  allocatedStorageGiB?: number;
  maxAllocatedStorageGiB?: number;
  databaseName?: string;
  masterUsername?: string;
  backupRetentionDays: number;
  multiAz: boolean;
  kmsKeyArn?: string;
}

export interface PreviewSettings {
  /** Full name of the stack whose network and load balancer the preview uses, or undefined for the default. */
  stagingStack?: string;
  services: Record<string, { version: string; ami?: string; image?: string; build?: boolean }>;
}

export interface NetworkSettings {
  cidr: string;
  availabilityZones: number;
  nat: "none" | "single" | "perAz";
  privateSubnetPrefix: number;
  publicSubnetPrefix: number;
  flowLogRetentionDays: number;
  protect: boolean;
}

export interface VpnSettings {
  customerGatewayIp: string;
  bgpAsn: number;
  /** Empty means BGP. */
  staticRoutes: string[];
  amazonSideAsn: number;
  tunnelLogRetentionDays: number;
  alarmActions: string[];
  protect: boolean;
}

export interface LoadBalancerSettings {
  certificateArn: string;
  testListenerPort: number;
  officeCidrs: string[];
  deletionProtection: boolean;
  accessLogRetentionDays: number;
  idleTimeoutSeconds: number;
}

/** A service's migration, resolved: the command and how long its task may run. */
export interface MigrationSettings {
  command: string[];
  timeoutSeconds: number;
}

/** How long a migration task may run when the config does not say. */
const DEFAULT_MIGRATION_TIMEOUT_SECONDS = 15 * 60;

type Resolved<S> = Omit<S, "healthCheck" | "deregistrationDelaySeconds" | "capacity" | "smokeTest" | "alarms" | "environment" | "shift" | "migration"> & {
  healthCheck: Required<NonNullable<RawService["healthCheck"]>>;
  deregistrationDelaySeconds: number;
  capacity: { min: number; desired: number; max: number };
  smokeTest: { path: string; expectStatus: number; versionHeader?: string };
  alarms: string[];
  environment: Record<string, string>;
  /** How `release promote` moves users to a new release; allAtOnce unless the config says otherwise. */
  shift: TrafficShift;
  /** The migration `release deploy` runs before the new slot gets traffic (container services only). */
  migration?: MigrationSettings;
};
export type InstanceServiceSettings = Resolved<Extract<RawService, { kind: "instances" }>> & { instanceType: string };
export type ContainerServiceSettings = Resolved<Extract<RawService, { kind: "containers" }>> & {
  cpu: number;
  memory: number;
  secrets: Record<string, string>;
  imageRetention: number;
};
export type ServiceSettings = InstanceServiceSettings | ContainerServiceSettings;

/** Runtime config as Pulumi hands it to a program: `namespace:key` → string, structured values as JSON. */
export function loadStackConfig(namespace: string, stack: string, runtimeConfig: Readonly<Record<string, string>>, projectDir = process.cwd()): StackConfig {
  const input: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(runtimeConfig)) {
    if (key.startsWith(`${namespace}:`)) input[key.slice(namespace.length + 1)] = parseValue(text);
  }
  const parsed = rawConfigSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(stack, parsed.error.issues.flatMap((issue) => describeIssue(namespace, issue, rawConfigSchema, input)));
  }
  const problems: Problem[] = [];
  const config = resolve(stack, parsed.data, problems);
  for (const [name, service] of Object.entries(parsed.data.services ?? {})) {
    for (const [path, message] of buildProblems(service, projectDir)) problems.push([["services", name, ...path], message]);
  }
  const findings = config && checkSafety(parsed.data, config);
  problems.push(...(findings?.problems ?? []));
  if (problems.length > 0 || !config) {
    throw new ConfigError(stack, problems.map(([path, message]) => `${configKey(namespace, path)}: ${message}`));
  }
  return { ...config, warnings: findings!.warnings.map(([path, message]) => `${configKey(namespace, path)}: ${message}`) };
}

type Problem = [KeyPath, string];

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // a plain string value
  }
}

function resolve(stack: string, raw: RawConfig, problems: Problem[]): StackConfig | undefined {
  const environment = raw.environment ?? environmentOfStack(stack);
  if (!environment) {
    problems.push([["environment"], `stack "${stack}" is not production, staging or pr-<number>; set it to "production", "staging" or "preview"`]);
    return undefined;
  }
  const defaults = ENVIRONMENT_DEFAULTS[environment];
  const network = raw.network && {
    cidr: raw.network.cidr,
    availabilityZones: raw.network.availabilityZones ?? defaults.availabilityZones,
    nat: raw.network.nat ?? defaults.nat,
    privateSubnetPrefix: raw.network.privateSubnetPrefix ?? defaultSubnetPrefixes(parseCidr(raw.network.cidr)!.prefix).privatePrefix,
    publicSubnetPrefix: raw.network.publicSubnetPrefix ?? defaultSubnetPrefixes(parseCidr(raw.network.cidr)!.prefix).publicPrefix,
    flowLogRetentionDays: raw.network.flowLogRetentionDays ?? defaults.logRetentionDays,
    protect: defaults.protect,
  };
  const vpn = raw.vpn && {
    customerGatewayIp: raw.vpn.customerGateway.ip,
    bgpAsn: raw.vpn.customerGateway.bgpAsn,
    staticRoutes: raw.vpn.staticRoutes ?? [],
    amazonSideAsn: raw.vpn.amazonSideAsn ?? SERVICE_DEFAULTS.amazonSideAsn,
    tunnelLogRetentionDays: raw.vpn.tunnelLogRetentionDays ?? defaults.logRetentionDays,
    alarmActions: raw.vpn.alarmActions ?? [],
    protect: raw.vpn.protect ?? defaults.protect,
  };
  const loadBalancer = raw.loadBalancer && {
    certificateArn: raw.loadBalancer.certificateArn,
    testListenerPort: raw.loadBalancer.testListenerPort ?? SERVICE_DEFAULTS.testListenerPort,
    officeCidrs: raw.loadBalancer.officeCidrs ?? [],
    deletionProtection: raw.loadBalancer.deletionProtection ?? defaults.deletionProtection,
    accessLogRetentionDays: raw.loadBalancer.accessLogRetentionDays ?? defaults.accessLogRetentionDays,
    idleTimeoutSeconds: raw.loadBalancer.idleTimeoutSeconds ?? SERVICE_DEFAULTS.idleTimeoutSeconds,
  };
  const services = Object.fromEntries(
    Object.entries(raw.services ?? {}).map(([name, service]) => [name, resolveService(service, environment, (path, message) => problems.push([["services", name, ...path], message]))]),
  );
  const config: StackConfig = {
    stack,
    environment,
    network,
    vpn,
    loadBalancer,
    services,
    archive: environment === "preview" ? undefined : { ...raw.archive },
    database: raw.database && environment !== "preview" ? {
      ...raw.database,
      subnets: raw.database.subnets ?? "private",
      instanceClass: raw.database.instanceClass ?? defaults.database.instanceClass,
      backupRetentionDays: raw.database.backupRetentionDays ?? defaults.database.backupRetentionDays,
      multiAz: raw.database.multiAz ?? defaults.database.multiAz,
    } : undefined,
    logRetentionDays: raw.logs?.retentionDays ?? defaults.logRetentionDays,
    protectState: defaults.protect,
    previewDomain: raw.previewDomain,
    preview: environment === "preview" ? { stagingStack: raw.preview?.stagingStack, services: raw.preview?.services ?? {} } : undefined,
    warnings: [],
    notifications: environment === "preview" ? undefined : { subscribers: raw.notifications?.subscribers ?? [] },
    images: { ...raw.images },
  };
  if (environment === "preview") checkPreview(raw, problems);
  checkNetwork(config, problems);
  checkVpn(config, problems);
  checkServices(config, problems);
  checkDatabase(config, problems);
  checkNotifications(config, problems);
  checkImages(config, problems);
  return config;
}

/** Refusals no acknowledgement lifts: a reachable database, or production data with no backups. */
function checkDatabase({ environment, database, services }: StackConfig, problems: Problem[]): void {
  if (!database) return;
  if (database.subnets !== "private") {
    problems.push([["database", "subnets"], `is "${database.subnets}"; a database belongs in the private subnets, reachable only through its client security group: use "private" (the default)`]);
  }
  if (environment === "production" && database.backupRetentionDays === 0) {
    problems.push([["database", "backupRetentionDays"], `is 0, which turns off automated backups and point-in-time recovery of production data; use ${ENVIRONMENT_DEFAULTS.production.database.backupRetentionDays} (1 to 35)`]);
  }
  // The database's variables are the database's: a service's own value would be silently overwritten.
  for (const [name, service] of Object.entries(services)) {
    const own = service.kind === "containers" ? [["environment", service.environment], ["secrets", service.secrets]] as const : [["environment", service.environment]] as const;
    for (const [key, values] of own) {
      for (const variable of [...DATABASE_ENVIRONMENT, ...DATABASE_SECRETS].filter((v) => Object.hasOwn(values, v))) {
        problems.push([["services", name, key, variable], `is set by flipstack:database (${DATABASE_ENVIRONMENT.join(", ")}, ${DATABASE_SECRETS.join(", ")}); remove it or rename the variable`]);
      }
    }
  }
  const { allocatedStorageGiB = DATABASE_DEFAULTS.allocatedStorageGiB, maxAllocatedStorageGiB = DATABASE_DEFAULTS.maxAllocatedStorageGiB } = database;
  if (maxAllocatedStorageGiB < allocatedStorageGiB) {
    problems.push([["database", "maxAllocatedStorageGiB"], `${maxAllocatedStorageGiB} is below allocatedStorageGiB (${allocatedStorageGiB}); storage autoscaling needs a ceiling at or above the initial size`]);
  }
}

/** An alarm nobody hears about protects nobody: production must tell someone. */
function checkNotifications({ environment, notifications }: StackConfig, problems: Problem[]): void {
  if (environment === "production" && notifications?.subscribers.length === 0) {
    problems.push([["notifications", "subscribers"], 'production needs at least one subscriber to its alarm topic, e.g. [{ protocol: "email", endpoint: "ops@example.com" }]; without one the slot and VPN alarms notify nobody']);
  }
}

function resolveService(service: RawService, environment: Environment, problem: (path: KeyPath, message: string) => void): ServiceSettings {
  const defaults = ENVIRONMENT_DEFAULTS[environment];
  const shift = resolveShift(service.shift);
  for (const [field, message] of shift.problems) problem(field ? ["shift", field] : ["shift"], message);
  const common = {
    healthCheck: { ...SERVICE_DEFAULTS.healthCheck, ...definedOnly(service.healthCheck ?? {}) },
    deregistrationDelaySeconds: service.deregistrationDelaySeconds ?? SERVICE_DEFAULTS.deregistrationDelaySeconds,
    capacity: service.capacity ?? defaults.capacity,
    smokeTest: { ...SERVICE_DEFAULTS.smokeTest, ...definedOnly(service.smokeTest ?? {}) },
    alarms: service.alarms ?? [],
    environment: service.environment ?? {},
    shift: shift.shift ?? ALL_AT_ONCE,
    migration: resolveMigration(service, problem),
  };
  if (service.kind === "instances") {
    return { ...service, ...common, instanceType: service.instanceType ?? SERVICE_DEFAULTS.instanceType };
  }
  return {
    ...service,
    ...common,
    cpu: service.cpu ?? defaults.fargate.cpu,
    memory: service.memory ?? defaults.fargate.memory,
    secrets: service.secrets ?? {},
    imageRetention: service.imageRetention ?? IMAGE_REPOSITORY_DEFAULTS.keepImages,
  };
}

/**
 * An instance service has no image to run a one-off task from, and running the migration on one of the new
 * group's instances (SSM Run Command) would tie the schema to whichever instance answers first: refused, with the
 * way that works.
 */
function resolveMigration(service: RawService, problem: (path: KeyPath, message: string) => void): MigrationSettings | undefined {
  const migration = service.migration;
  if (!migration) return undefined;
  if (service.kind === "instances") {
    problem(["migration"], "is for container services only: a migration runs as a one-off ECS task of the new release's image, and an instance service has no image (its releases are AMIs); run the migration from a container service that uses the same database, and declare the schema on that service's releases");
    return undefined;
  }
  const timeoutSeconds = migration.timeout === undefined ? DEFAULT_MIGRATION_TIMEOUT_SECONDS : parseDurationSeconds(migration.timeout);
  if (timeoutSeconds === undefined || timeoutSeconds < 1) {
    problem(["migration", "timeout"], `${JSON.stringify(migration.timeout)} is not a duration; use a number with a unit, such as 90s, 15m or 1h`);
    return undefined;
  }
  return { command: migration.command, timeoutSeconds };
}

function checkNetwork({ environment, network, vpn, loadBalancer }: StackConfig, problems: Problem[]): void {
  if (!network) {
    if (environment !== "preview") problems.push([["network"], `is required for ${environment} (at least { cidr: "10.0.0.0/16" })`]);
    return;
  }
  const vpc = parseCidr(network.cidr)!;
  const prefix = vpcPrefixProblem(network.cidr);
  if (prefix) {
    problems.push([["network", "cidr"], prefix]);
  } else {
    const layout = subnetLayoutProblem(network.cidr, { privatePrefix: network.privateSubnetPrefix, publicPrefix: network.publicSubnetPrefix });
    if (layout) problems.push([["network", "cidr"], layout]);
  }
  const onPremises: Array<[KeyPath, string]> = [
    ...(vpn?.staticRoutes ?? []).map((c, i): [KeyPath, string] => [["vpn", "staticRoutes", i], c]),
    ...(loadBalancer?.officeCidrs ?? []).map((c, i): [KeyPath, string] => [["loadBalancer", "officeCidrs", i], c]),
  ];
  for (const [path, cidr] of onPremises) {
    // A network wider than any office is refused for that reason (configChecks.ts), not for the overlap it implies.
    if (parseCidr(cidr)!.prefix >= WIDEST_TEST_LISTENER_PREFIX && overlaps(parseCidr(cidr)!, vpc)) {
      problems.push([path, `"${cidr}" overlaps the VPC ${network.cidr}; traffic to it would stay inside the VPC — pick a VPC CIDR that does not collide with the on-premises network`]);
    }
  }
}

// A preview borrows staging's network, load balancer and service settings; it owns only its builds.
function checkPreview(raw: RawConfig, problems: Problem[]): void {
  for (const key of ["network", "vpn", "loadBalancer", "services", "archive", "database", "previewDomain", "images"] as const) {
    if (raw[key] !== undefined) problems.push([[key], "is not used by a pull-request preview, which borrows staging's; remove it (set builds under preview.services)"]);
  }
}

// Staging owns the repositories and grants production; production names where it pulls from.
function checkImages({ environment, images }: StackConfig, problems: Problem[]): void {
  if (images.productionAccountId !== undefined && environment !== "staging") {
    problems.push([["images", "productionAccountId"], "is staging's setting (the account its repositories let pull); remove it here"]);
  }
  if (images.sourceStack !== undefined && environment !== "production") {
    problems.push([["images", "sourceStack"], "is production's setting (the stack whose repositories it pulls from); remove it here"]);
  }
}

function checkVpn({ vpn }: StackConfig, problems: Problem[]): void {
  if (!vpn) return;
  const amazon = vpn.amazonSideAsn;
  const amazonSide = amazonSideAsnProblem(amazon);
  if (amazonSide) problems.push([["vpn", "amazonSideAsn"], amazonSide]);
  if (vpn.bgpAsn === amazon) {
    problems.push([["vpn", "customerGateway", "bgpAsn"], `${vpn.bgpAsn} equals the Amazon side ASN; BGP needs different ASNs on each side`]);
  }
}

function checkServices({ services, loadBalancer, vpn, environment }: StackConfig, problems: Problem[]): void {
  const names = Object.keys(services);
  if (names.length > 0 && !loadBalancer && environment !== "preview") {
    problems.push([["loadBalancer"], "is required when services are configured (at least { certificateArn: ... })"]);
  }
  if (loadBalancer && loadBalancer.officeCidrs.length === 0 && !vpn?.staticRoutes.length) {
    problems.push([["loadBalancer", "officeCidrs"], "needs at least one CIDR (or VPN static routes): the test listener serves unverified releases and must not be open to the world"]);
  }
  for (const { service, message } of duplicatePriorityProblems(names.map((name) => ({ name, priority: services[name].routing.priority })))) {
    problems.push([["services", service, "routing", "priority"], message]);
  }
  for (const name of names) {
    const service = services[name];
    const at = (...path: KeyPath) => ["services", name, ...path];
    const { release, routing, capacity, healthCheck } = service;
    if (!release[release.live]) {
      problems.push([at("release", "live"), `is "${release.live}" but there is no ${release.live} slot; add release.${release.live} or set live to the present slot`]);
    }
    const idle = release.live === "blue" ? "green" : "blue";
    if ((release.weight ?? 0) > 0 && !release[idle]) {
      problems.push([at("release", "weight"), `is ${release.weight} but the idle slot ${idle} is empty; a shift needs both slots: deploy into ${idle} first or remove release.weight`]);
    }
    if (!routing.pathPatterns && !routing.hostHeaders) {
      problems.push([at("routing"), "needs pathPatterns, hostHeaders or both, so the listener rule matches something"]);
    }
    if (!(capacity.min <= capacity.desired && capacity.desired <= capacity.max)) {
      problems.push([at("capacity"), `needs min <= desired <= max, got ${capacity.min} / ${capacity.desired} / ${capacity.max}`]);
    }
    if (healthCheck.timeoutSeconds >= healthCheck.intervalSeconds) {
      problems.push([at("healthCheck", "timeoutSeconds"), `${healthCheck.timeoutSeconds} must be shorter than intervalSeconds (${healthCheck.intervalSeconds})`]);
    }
    if (service.kind === "containers") {
      const size = fargateSizeProblem(service.cpu, service.memory);
      if (size) problems.push([at("memory"), size]);
    }
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
