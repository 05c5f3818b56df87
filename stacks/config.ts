import { parseCidr, overlaps, subnetLayoutProblem, defaultSubnetPrefixes, vpcPrefixProblem } from "../components/cidr";
import { duplicatePriorityProblems } from "../components/release";
import { amazonSideAsnProblem } from "../components/siteToSiteVpn";
import { fargateSizeProblem } from "../components/fargate";
import { buildProblems } from "./buildConfig";
import { checkSafety, WIDEST_TEST_LISTENER_PREFIX } from "./configChecks";
import { ALL_AT_ONCE, resolveShift, type TrafficShift } from "../components/trafficShift";
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

type Resolved<S> = Omit<S, "healthCheck" | "deregistrationDelaySeconds" | "capacity" | "smokeTest" | "alarms" | "environment" | "shift"> & {
  healthCheck: Required<NonNullable<RawService["healthCheck"]>>;
  deregistrationDelaySeconds: number;
  capacity: { min: number; desired: number; max: number };
  smokeTest: { path: string; expectStatus: number; versionHeader?: string };
  alarms: string[];
  environment: Record<string, string>;
  /** How `release promote` moves users to a new release; allAtOnce unless the config says otherwise. */
  shift: TrafficShift;
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
  checkNotifications(config, problems);
  checkImages(config, problems);
  return config;
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
  for (const key of ["network", "vpn", "loadBalancer", "services", "archive", "previewDomain", "images"] as const) {
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
