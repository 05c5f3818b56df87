/**
 * Flipstack's importable components. Nothing here reads stack config or exports stack outputs: everything
 * environment-specific arrives as args.
 */

// Components, their args and outputs, their defaults and validators. Pure helpers are namespaced, so the package
// root carries no generic names (`size`, `contains`); bucket plumbing stays internal.
export * as cidr from "./cidr";
export * as naming from "./naming";
export * as patterns from "./patterns";
export { credentialIn } from "./credentials";
export { fargateSizeProblem } from "./fargate";
export { LOG_RETENTION_DAYS } from "./logRetention";
export { Network, NETWORK_DEFAULTS, resolveNetworkArgs, validateNetworkArgs } from "./network";
export type { NetworkArgs, NatStrategy } from "./network";
export { SiteToSiteVpn, SITE_TO_SITE_VPN_DEFAULTS, resolveSiteToSiteVpnArgs, validateSiteToSiteVpnArgs } from "./siteToSiteVpn";
export type { SiteToSiteVpnArgs } from "./siteToSiteVpn";
export { DEFAULT_SSL_POLICY, LoadBalancer, LOAD_BALANCER_DEFAULTS, resolveLoadBalancerArgs, validateLoadBalancerArgs } from "./loadBalancer";
export type { LoadBalancerArgs } from "./loadBalancer";
export { COLORS, duplicatePriorityProblems, idleColor, otherColor, releaseLedger, RELEASE_PHASES } from "./release";
export type { Color, Phase, RecordedRelease, Release, ReleaseState } from "./release";
export { serviceLedger } from "./serviceLedger";
export type { ServiceLedgerInputs } from "./serviceLedger";
export { BLUE_GREEN_SERVICE_DEFAULTS, BlueGreenService, HEALTH_CHECK_DEFAULTS, resolveBlueGreenServiceArgs, validateBlueGreenServiceArgs } from "./blueGreenService";
export type { BlueGreenServiceArgs, ContainerCompute, HealthCheck, InstanceCompute } from "./blueGreenService";
export { IMMUTABLE_INSTANCE_GROUP_DEFAULTS, ImmutableInstanceGroup, resolveImmutableInstanceGroupArgs, validateImmutableInstanceGroupArgs } from "./immutableInstanceGroup";
export * from "./trafficShift";
export type { ImmutableInstanceGroupArgs } from "./immutableInstanceGroup";
export { USER_DATA_BUDGET_BYTES } from "./logAgent";
export type { LogGroupRef } from "./logAgent";
export { ContainerCluster, validateContainerClusterArgs } from "./containerCluster";
export type { ContainerClusterArgs } from "./containerCluster";
export { CONTAINER_SERVICE_DEFAULTS, ContainerService, resolveContainerServiceArgs, validateContainerServiceArgs } from "./containerService";
export type { ContainerServiceArgs, OneOffTask } from "./containerService";
export { FILE_ARCHIVE_DEFAULTS, FileArchive, resolveFileArchiveArgs, validateFileArchiveArgs } from "./fileArchive";
export type { FileArchiveArgs } from "./fileArchive";
export { Database, DATABASE_DEFAULTS, POSTGRES_PORT, resolveDatabaseArgs, validateDatabaseArgs } from "./database";
export type { DatabaseArgs } from "./database";
export { ECR_PULL_ACTIONS, IMAGE_REPOSITORY_DEFAULTS, ImageRepository, MIN_KEPT_IMAGES, resolveImageRepositoryArgs, validateImageRepositoryArgs } from "./imageRepository";
export type { ImageRepositoryArgs } from "./imageRepository";
