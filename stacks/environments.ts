import { BLUE_GREEN_SERVICE_DEFAULTS } from "../components/blueGreenService";
import { IMMUTABLE_INSTANCE_GROUP_DEFAULTS } from "../components/immutableInstanceGroup";
import { LOAD_BALANCER_DEFAULTS } from "../components/loadBalancer";
import { SITE_TO_SITE_VPN_DEFAULTS } from "../components/siteToSiteVpn";
import type { Environment } from "./configSchema";

/**
 * What each environment gets when its stack config says nothing. Production buys availability (three zones, a NAT
 * gateway per zone, protected stateful resources); staging keeps the same shape at the lowest cost that still
 * exercises it; previews borrow staging's network and run the smallest compute.
 */
export interface EnvironmentDefaults {
  availabilityZones: number;
  nat: "none" | "single" | "perAz";
  logRetentionDays: number;
  /** `protect` on resources whose replacement is an outage or data loss (VPC, VPN, archive, logs). */
  protect: boolean;
  deletionProtection: boolean;
  accessLogRetentionDays: number;
  capacity: { min: number; desired: number; max: number };
  fargate: { cpu: number; memory: number };
}

export const ENVIRONMENT_DEFAULTS: Readonly<Record<Environment, EnvironmentDefaults>> = {
  production: {
    availabilityZones: 3,
    nat: "perAz",
    logRetentionDays: 365,
    protect: true,
    deletionProtection: true,
    accessLogRetentionDays: 365,
    capacity: { min: 2, desired: 3, max: 6 },
    fargate: { cpu: 512, memory: 1024 },
  },
  staging: {
    availabilityZones: 2,
    nat: "single",
    logRetentionDays: 30,
    protect: false,
    deletionProtection: false,
    accessLogRetentionDays: 30,
    capacity: { min: 1, desired: 2, max: 3 },
    fargate: { cpu: 256, memory: 512 },
  },
  preview: {
    availabilityZones: 2,
    nat: "single",
    logRetentionDays: 7,
    protect: false,
    deletionProtection: false,
    accessLogRetentionDays: 7,
    capacity: { min: 1, desired: 1, max: 1 },
    fargate: { cpu: 256, memory: 512 },
  },
};

/**
 * The same in every environment. Release timings (healthy within 15 s of answering, drained in 30 s) and the other
 * component settings are the components' own defaults, taken from them; only the smoke test is the stack's.
 */
export const SERVICE_DEFAULTS = {
  healthCheck: BLUE_GREEN_SERVICE_DEFAULTS.healthCheck,
  deregistrationDelaySeconds: BLUE_GREEN_SERVICE_DEFAULTS.deregistrationDelaySeconds,
  smokeTest: { path: "/", expectStatus: 200 },
  instanceType: IMMUTABLE_INSTANCE_GROUP_DEFAULTS.instanceType,
  testListenerPort: LOAD_BALANCER_DEFAULTS.testListenerPort,
  idleTimeoutSeconds: LOAD_BALANCER_DEFAULTS.idleTimeoutSeconds,
  amazonSideAsn: SITE_TO_SITE_VPN_DEFAULTS.amazonSideAsn,
} as const;

/** `production`, `staging` and `pr-<number>` are recognised by name; any other stack must say which it is. */
export function environmentOfStack(stack: string): Environment | undefined {
  if (stack === "production" || stack === "staging") return stack;
  if (/^pr-\d+$/.test(stack)) return "preview";
  return undefined;
}
