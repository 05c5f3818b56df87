/**
 * Flipstack's importable components. Nothing here reads stack config or exports stack outputs: everything
 * environment-specific arrives as args.
 */
export * from "./cidr";
export * from "./fargate";
export { Network, validateNetworkArgs } from "./network";
export type { NetworkArgs, NatStrategy } from "./network";
export { SiteToSiteVpn, validateSiteToSiteVpnArgs } from "./siteToSiteVpn";
export type { SiteToSiteVpnArgs } from "./siteToSiteVpn";
