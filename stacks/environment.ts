import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FileArchive, Network, SiteToSiteVpn } from "../components";
import type { NetworkSettings, StackConfig } from "./config";
import { ConfigError } from "./configErrors";
import { serviceLedger } from "../components/serviceLedger";
import { buildDatabase, databaseConnection, databaseShare } from "./database";
import { createAlarmTopic } from "./notifications";
import { previewExport } from "./preview";
import { imageSources, repositoriesExport, withSlotImages } from "./images";
import type { DeployedRelease } from "./staleGuard";
import { buildTraffic } from "./traffic";

/** Composes production or staging from the components and returns its stack outputs. */
export async function buildEnvironment(stackConfig: StackConfig, deployed: Readonly<Record<string, DeployedRelease>> = {}): Promise<Record<string, unknown>> {
  const tags = { "flipstack:stack": stackConfig.stack, "flipstack:environment": stackConfig.environment };
  const images = await imageSources(stackConfig, tags);
  // From here on every container slot names its image: the one configured, or the one this update builds.
  const config = withSlotImages(stackConfig, images, deployed);
  const network = config.network!; // checked by loadStackConfig for every environment but previews
  const zones = await availabilityZones(config.stack, network);
  // Stateful resources: kept when the stack is destroyed, and protected where the environment says so.
  const stateful = { retainOnDelete: true, protect: config.protectState };

  const vpc = new Network("network", {
    cidr: network.cidr,
    availabilityZones: zones,
    nat: network.nat,
    privateSubnetPrefix: network.privateSubnetPrefix,
    publicSubnetPrefix: network.publicSubnetPrefix,
    flowLogRetentionDays: network.flowLogRetentionDays,
    protect: network.protect,
    tags,
  });

  const alarmTopic = createAlarmTopic(config.notifications ?? { subscribers: [] }, tags);

  const vpn = config.vpn && new SiteToSiteVpn("office-vpn", {
    vpcId: vpc.vpcId,
    routeTableIds: vpc.privateRouteTableIdsByZone,
    customerGatewayIp: config.vpn.customerGatewayIp,
    bgpAsn: config.vpn.bgpAsn,
    staticRoutes: config.vpn.staticRoutes,
    amazonSideAsn: config.vpn.amazonSideAsn,
    tunnelLogRetentionDays: config.vpn.tunnelLogRetentionDays,
    alarmActions: [...config.vpn.alarmActions, alarmTopic.arn],
    protect: config.vpn.protect,
    tags,
  });

  const database = buildDatabase(config, vpc, tags);
  const archive = new FileArchive("archive", { ...config.archive, protect: config.protectState, tags });

  // One central log group per service: application logs outlive every release that writes them.
  const logGroups = Object.fromEntries(Object.keys(config.services).map((name) => [name, new aws.cloudwatch.LogGroup(`logs-${name}`, {
    namePrefix: `/flipstack/${config.stack}/${name}-`,
    retentionInDays: config.logRetentionDays,
    tags: { ...tags, "flipstack:service": name },
  }, stateful)]));

  const share = database && databaseShare(database);
  const traffic = buildTraffic(config, vpc, { tags, archivePolicy: archive.readWritePolicy, logGroups, alarmActions: [alarmTopic.arn], images, database: share && databaseConnection(share) });

  return {
    environment: config.environment,
    vpcId: vpc.vpcId,
    vpcCidr: vpc.vpcCidr,
    availabilityZones: vpc.availabilityZones,
    publicSubnetIds: vpc.publicSubnetIds,
    privateSubnetIds: vpc.privateSubnetIds,
    privateRouteTableIds: vpc.privateRouteTableIds,
    ...(vpn && {
      vpn: {
        connectionId: vpn.vpnConnectionId,
        tunnelAddresses: vpn.tunnelAddresses,
        tunnelPresharedKeys: vpn.tunnelPresharedKeys,
        tunnelAlarmNames: vpn.tunnelAlarmNames,
      },
    }),
    archive: { bucketName: archive.bucketName, bucketArn: archive.bucketArn },
    // Where the database is and where its credential lives, never the credential itself.
    ...(database && { database: { endpoint: database.endpoint, ...share } }),
    alarmTopicArn: alarmTopic.arn,
    logGroups: Object.fromEntries(Object.entries(logGroups).map(([name, group]) => [name, group.name])),
    ...(config.environment === "staging" && Object.keys(images).length > 0 && { imageRepositories: repositoriesExport(images) }),
    ...(traffic && {
      loadBalancer: {
        dnsName: traffic.loadBalancer.dnsName,
        zoneId: traffic.loadBalancer.zoneId,
        arnSuffix: traffic.loadBalancer.arnSuffix,
        securityGroupId: traffic.loadBalancer.securityGroupId,
        httpsListenerArn: traffic.loadBalancer.httpsListenerArn,
        testListenerArn: traffic.loadBalancer.testListenerArn,
        testListenerPort: traffic.loadBalancer.testListenerPort,
      },
      ...(traffic.cluster && { containers: { clusterArn: traffic.cluster.clusterArn, namespaceId: traffic.cluster.namespaceId } }),
      services: Object.fromEntries(Object.entries(traffic.services).map(([name, blueGreen]) => [name, serviceLedger({
        service: config.services[name],
        blueGreen,
        loadBalancerDnsName: traffic.loadBalancer.dnsName,
        testListenerPort: traffic.loadBalancer.testListenerPort,
        hosts: config.services[name].routing.hostHeaders ?? [],
        images: images[name],
      })])),
      ...(config.previewDomain && { preview: previewExport(config, config.previewDomain, vpc, traffic, images, share) }),
    }),
  };
}

/** The first N zones of the region, or a config error naming the key when the region has fewer. */
async function availabilityZones(stack: string, network: NetworkSettings): Promise<string[]> {
  const { names } = await aws.getAvailabilityZones({ state: "available" });
  if (names.length < network.availabilityZones) {
    throw new ConfigError(stack, [
      `${pulumi.getProject()}:network.availabilityZones: ${network.availabilityZones} zones requested but the region has ${names.length} (${names.join(", ")}); lower the count`,
    ]);
  }
  return names.slice(0, network.availabilityZones);
}
