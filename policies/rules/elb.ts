import { environmentDefaultsOf, environmentOf, list, record, resourceRule } from "./define";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";

export const elbRules = [
  resourceRule("elb-1-http-redirects-to-https", "ELB.1: HTTP listeners only redirect to HTTPS", "mandatory", [LISTENER], (props) => {
    if (props.protocol !== "HTTP") return undefined;
    const actions = list(props.defaultActions).map(record);
    const redirect = record(actions[0]?.redirect);
    return actions.length === 1 && actions[0].type === "redirect" && redirect.protocol === "HTTPS"
      ? undefined
      : "HTTP listener must have a single default action redirecting to HTTPS";
  }),
  resourceRule("elb-4-drop-invalid-headers", "ELB.4: Application load balancers drop invalid HTTP headers", "mandatory", [LB], (props) =>
    props.dropInvalidHeaderFields === true ? undefined : "dropInvalidHeaderFields must be true"),
  resourceRule("elb-5-access-logs", "ELB.5: Load balancer access logging is enabled", "mandatory", [LB], (props) =>
    record(props.accessLogs).enabled === true ? undefined : "access logs must be enabled (accessLogs.enabled)"),
  resourceRule("elb-6-deletion-protection", "ELB.6: Load balancers of environments that protect their resources have deletion protection", "mandatory", [LB], (props) =>
    environmentDefaultsOf(props)?.deletionProtection === true && props.enableDeletionProtection !== true
      ? `a load balancer in ${String(environmentOf(props))} (an environment with deletion protection) must set enableDeletionProtection`
      : undefined),
  resourceRule("elb-12-desync-mitigation", "ELB.12: Desync mitigation mode is defensive or strictest", "advisory", [LB], (props) =>
    props.desyncMitigationMode === "monitor" ? "desyncMitigationMode must be defensive (the default) or strictest" : undefined),
  resourceRule("elb-13-multiple-zones", "ELB.13: Load balancers span at least two availability zones", "mandatory", [LB], (props) =>
    Array.isArray(props.subnets) && props.subnets.length < 2 ? `load balancer is in ${props.subnets.length} subnet(s); give at least two, in different zones` : undefined),
  resourceRule("elb-17-tls13-policy", "ELB.17: HTTPS listeners use a TLS 1.3 security policy", "mandatory", [LISTENER], (props) =>
    props.protocol === "HTTPS" && !String(props.sslPolicy ?? "").startsWith("ELBSecurityPolicy-TLS13")
      ? `sslPolicy ${String(props.sslPolicy ?? "(default)")} is not a TLS 1.3 policy`
      : undefined),
];
