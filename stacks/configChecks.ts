import { parseCidr } from "../components/cidr";
import { credentialIn } from "../components/credentials";
import { USER_DATA_BUDGET_BYTES } from "../components/logAgent";
import type { StackConfig } from "./config";
import { configKey, type KeyPath } from "./configErrors";
import type { RawConfig } from "./configSchema";
import { checkSchemas } from "./schemaChecks";
import { ENVIRONMENT_DEFAULTS } from "../model/environments";

/**
 * Checks of a resolved config that protect the environment rather than satisfy AWS: input that AWS would accept
 * but that exposes releases or credentials, weakens production, or is silently ignored. Problems refuse the
 * config; warnings are printed and the plan goes on.
 */
export interface CheckFindings {
  problems: Array<[KeyPath, string]>;
  warnings: Array<[KeyPath, string]>;
}

/** Shortest prefix a test-listener source may have: anything wider is a sizeable part of the internet. */
export const WIDEST_TEST_LISTENER_PREFIX = 8;
/** Production keeps logs at least a year (AWS Foundational Security Best Practices, CloudWatch.16). */
export const PRODUCTION_LOG_RETENTION_DAYS = 365;
/** Days of automated database backups production keeps (its environment default). */
const PRODUCTION_BACKUP_RETENTION_DAYS = ENVIRONMENT_DEFAULTS.production.database.backupRetentionDays;
/** A written acknowledgement is a sentence, not a checkbox. */
export const ACKNOWLEDGEMENT_MIN_LENGTH = 20;

export function checkSafety(raw: RawConfig, config: StackConfig): CheckFindings {
  const findings: CheckFindings = { problems: [], warnings: [] };
  checkStackName(config, findings);
  checkTestListenerSources(config, findings);
  checkServiceInputs(config, findings);
  checkReleases(config, findings);
  checkSchemas(config, findings);
  checkNat(config, findings);
  checkProduction(raw, config, findings);
  return findings;
}

/** `["network", "nat"]` → `network.nat`, the spelling acknowledgements use. */
export function dottedKey(path: KeyPath): string {
  return configKey("", path).slice(1);
}

function checkStackName({ stack, environment }: StackConfig, { problems }: CheckFindings): void {
  // pr-0 and pr-007 are no pull request's stack; pr-007 would also share pr-7's host names.
  if (environment === "preview" && /^pr-\d+$/.test(stack) && !/^pr-[1-9]\d*$/.test(stack)) {
    problems.push([["environment"], `stack "${stack}" is no pull request's: numbers start at 1 and have no leading zero; name the stack pr-<number of the pull request>`]);
  }
}

// The test listener serves releases nobody has verified yet: only the office and the VPN may reach it.
function checkTestListenerSources({ vpn, loadBalancer }: StackConfig, { problems }: CheckFindings): void {
  if (!loadBalancer) return;
  const sources: Array<[KeyPath, string]> = [
    ...(vpn?.staticRoutes ?? []).map((c, i): [KeyPath, string] => [["vpn", "staticRoutes", i], c]),
    ...loadBalancer.officeCidrs.map((c, i): [KeyPath, string] => [["loadBalancer", "officeCidrs", i], c]),
  ];
  for (const [path, cidr] of sources) {
    const prefix = parseCidr(cidr)?.prefix;
    if (prefix === undefined || prefix >= WIDEST_TEST_LISTENER_PREFIX) continue;
    const what = prefix === 0 ? "is the whole internet" : `covers 1/${2 ** prefix} of all IPv4 addresses`;
    problems.push([path, `"${cidr}" ${what}, and the test listener (unverified releases) would be open to it; list the office's or on-premises network itself (a /${WIDEST_TEST_LISTENER_PREFIX} or narrower)`]);
  }
}

function checkServiceInputs({ services, loadBalancer }: StackConfig, { problems }: CheckFindings): void {
  if (loadBalancer && [80, 443].includes(loadBalancer.testListenerPort)) {
    problems.push([["loadBalancer", "testListenerPort"], `${loadBalancer.testListenerPort} is taken by the ${loadBalancer.testListenerPort === 443 ? "HTTPS" : "HTTP"} listener; pick another port, e.g. 8443`]);
  }
  for (const [name, service] of Object.entries(services)) {
    const at = (...path: KeyPath): KeyPath => ["services", name, ...path];
    if (service.capacity.desired < 1) {
      problems.push([at("capacity", "desired"), "is 0; a release waits until that many targets are healthy, so use at least 1"]);
    }
    const where = service.kind === "containers" ? "a Secrets Manager secret or SSM parameter and reference its ARN under `secrets`" : "an SSM SecureString parameter and read it at boot";
    for (const [variable, value] of Object.entries(service.environment)) {
      const credential = credentialIn(value);
      if (credential) problems.push([at("environment", variable), `holds ${credential}, which would be readable in the ${service.kind === "containers" ? "task definition" : "launch template"} and every plan; put it in ${where}`]);
    }
    if (service.kind === "instances" && service.userData !== undefined) {
      const bytes = Buffer.byteLength(service.userData, "utf8");
      // EC2 accepts 16 KiB (before base64); the log agent's boot script takes the rest.
      if (bytes > USER_DATA_BUDGET_BYTES) {
        problems.push([at("userData"), `is ${bytes} bytes; EC2 accepts 16384 with the log agent's boot script, which leaves ${USER_DATA_BUDGET_BYTES}: fetch larger scripts from S3 or bake them into the AMI`]);
      }
      if (/^\s*content-type:\s*multipart\//i.test(service.userData)) {
        problems.push([at("userData"), "is already a MIME multi-part archive; Flipstack adds the log agent as a part of its own, so give the script or cloud-config itself"]);
      }
      const credential = credentialIn(service.userData);
      if (credential) problems.push([at("userData"), `holds ${credential}, readable by anyone who can describe the launch template; put it in ${where}`]);
    }
  }
}

function checkReleases({ services }: StackConfig, { warnings }: CheckFindings): void {
  for (const [name, service] of Object.entries(services)) {
    const { blue, green } = service.release as { blue?: { version: string; ami?: string; image?: string }; green?: typeof blue };
    for (const [color, slot] of [["blue", blue], ["green", green]] as const) {
      const tag = slot?.image && !slot.image.includes("@") ? slot.image.slice(slot.image.lastIndexOf(":") + 1) : undefined;
      if (slot && tag !== undefined && tag !== slot.version) {
        warnings.push([["services", name, "release", color, "image"], `has the tag "${tag}" but the version is "${slot.version}"; release status and the smoke test would report a version that is not what runs — use the same id for both`]);
      }
    }
    if (blue && green && (blue.version === green.version || (blue.image ?? blue.ami) === (green.image ?? green.ami))) {
      warnings.push([["services", name, "release"], `blue and green hold the same release (${blue.version}); flipping between them changes nothing and there is nothing to roll back to — deploy the new release to one slot only`]);
    }
  }
}

function checkNat({ environment, network, services }: StackConfig, { problems, warnings }: CheckFindings): void {
  if (network?.nat !== "none" || Object.keys(services).length === 0) return;
  const message = "leaves the private subnets with no way out: containers cannot pull their images and instances cannot reach SSM";
  if (environment === "production") problems.push([["network", "nat"], `"none" ${message}; use "perAz"`]);
  else warnings.push([["network", "nat"], `"none" ${message}; use "single" unless the subnets have VPC endpoints for ECR, S3, SSM and CloudWatch Logs`]);
}

/**
 * Production settings that weaken availability, protection or audit. Each is refused unless
 * `acknowledge` holds the key with a written reason; an acknowledgement that acknowledges nothing is refused too,
 * so none stays behind after the setting is restored.
 */
function checkProduction(raw: RawConfig, config: StackConfig, { problems, warnings }: CheckFindings): void {
  const acknowledged = raw.acknowledge ?? {};
  if (config.environment !== "production") {
    for (const key of Object.keys(acknowledged)) problems.push([["acknowledge", key], "only production settings need an acknowledgement; remove it"]);
    return;
  }
  if (raw.previewDomain !== undefined) {
    problems.push([["previewDomain"], "is for staging only: pull-request previews would run unreviewed code behind production's load balancer; remove it"]);
  }
  const weakened = productionWeakenings(config);
  for (const [path, why] of weakened) {
    const key = dottedKey(path);
    // Acknowledged weakenings stay visible in every plan and pull-request comment.
    if (acknowledged[key] !== undefined) warnings.push([path, `${why}; acknowledged: ${JSON.stringify(acknowledged[key])}`]);
    else problems.push([path, `${why}; restore the production setting, or acknowledge it with a written reason: flipstack:acknowledge: { "${key}": "<why it is accepted, and by whom>" }`]);
  }
  const keys = new Set(weakened.map(([path]) => dottedKey(path)));
  for (const key of Object.keys(acknowledged).filter((k) => !keys.has(k))) {
    problems.push([["acknowledge", key], `acknowledges nothing: ${key} does not weaken production (or is not a setting); remove it`]);
  }
}

// Deletion protection off is no weakening to acknowledge: the policy pack refuses it in production (ELB.6).
function productionWeakenings({ network, vpn, loadBalancer, services, logRetentionDays, archive, database }: StackConfig): Array<[KeyPath, string]> {
  const found: Array<[KeyPath, string]> = [];
  const retention = (path: KeyPath, days: number | undefined) => {
    if (days !== undefined && days < PRODUCTION_LOG_RETENTION_DAYS) found.push([path, `${days}-day retention is shorter than the ${PRODUCTION_LOG_RETENTION_DAYS} days audits expect`]);
  };
  if (network?.nat === "single") found.push([["network", "nat"], `"single" is one NAT gateway for every zone: when its zone fails, every private subnet loses its way out`]);
  if (network && network.availabilityZones < 3) found.push([["network", "availabilityZones"], `${network.availabilityZones} zones leave no spare when a zone fails`]);
  retention(["network", "flowLogRetentionDays"], network?.flowLogRetentionDays);
  retention(["vpn", "tunnelLogRetentionDays"], vpn?.tunnelLogRetentionDays);
  retention(["loadBalancer", "accessLogRetentionDays"], loadBalancer?.accessLogRetentionDays);
  retention(["archive", "accessLogRetentionDays"], archive?.accessLogRetentionDays);
  retention(["logs", "retentionDays"], logRetentionDays);
  if (vpn && !vpn.protect) found.push([["vpn", "protect"], "false lets a config change replace the customer gateway and VPN connection, an outage for the office"]);
  if (database && !database.multiAz) found.push([["database", "multiAz"], "false runs the database without a standby: a zone or host failure is an outage until RDS replaces the instance"]);
  // 0 is refused outright (config.ts); fewer days than production's default is a weakening to acknowledge.
  if (database && database.backupRetentionDays > 0 && database.backupRetentionDays < PRODUCTION_BACKUP_RETENTION_DAYS) {
    found.push([["database", "backupRetentionDays"], `${database.backupRetentionDays} days of backups is less than the ${PRODUCTION_BACKUP_RETENTION_DAYS} production keeps`]);
  }
  for (const [name, service] of Object.entries(services)) {
    if (service.capacity.min < 2) found.push([["services", name, "capacity", "min"], `${service.capacity.min} lets the service run on one target, so a crash is an outage`]);
  }
  return found;
}
