import { BLUE_GREEN_SERVICE_DEFAULTS } from "../components/blueGreenService";
import { IMMUTABLE_INSTANCE_GROUP_DEFAULTS } from "../components/immutableInstanceGroup";
import { LOAD_BALANCER_DEFAULTS } from "../components/loadBalancer";
import { SITE_TO_SITE_VPN_DEFAULTS } from "../components/siteToSiteVpn";
import type { Environment } from "./configSchema";

export { ENVIRONMENT_DEFAULTS } from "../model/environments";
export type { EnvironmentDefaults } from "../model/environments";

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
