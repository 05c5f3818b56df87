/**
 * Flipstack's importable components. Nothing here reads stack config or exports stack outputs: everything
 * environment-specific arrives as args.
 */
export * from "./cidr";
export * from "./fargate";
export * from "./logRetention";
export * from "./naming";
export { Network, validateNetworkArgs } from "./network";
export type { NetworkArgs, NatStrategy } from "./network";
export { SiteToSiteVpn, validateSiteToSiteVpnArgs } from "./siteToSiteVpn";
export type { SiteToSiteVpnArgs } from "./siteToSiteVpn";
export { LoadBalancer, validateLoadBalancerArgs } from "./loadBalancer";
export type { LoadBalancerArgs } from "./loadBalancer";
export { BlueGreenService, COLORS, duplicatePriorityProblems, idleColor, validateBlueGreenServiceArgs } from "./blueGreenService";
export type { BlueGreenServiceArgs, Color, ContainerCompute, HealthCheck, InstanceCompute, Release, ReleaseState } from "./blueGreenService";
export * from "./trafficShift";
export { ImmutableInstanceGroup, validateImmutableInstanceGroupArgs } from "./immutableInstanceGroup";
export type { ImmutableInstanceGroupArgs } from "./immutableInstanceGroup";
export { ContainerCluster, validateContainerClusterArgs } from "./containerCluster";
export type { ContainerClusterArgs } from "./containerCluster";
export { ContainerService, validateContainerServiceArgs } from "./containerService";
export type { ContainerServiceArgs } from "./containerService";
export { FileArchive, validateFileArchiveArgs } from "./fileArchive";
export type { FileArchiveArgs } from "./fileArchive";
export { createPrivateBucket } from "./privateBucket";
export type { PrivateBucket, PrivateBucketOptions } from "./privateBucket";
