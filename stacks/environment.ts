import * as aws from "@pulumi/aws";
import { Network, SiteToSiteVpn } from "../components";
import type { NetworkSettings, StackConfig } from "./config";
import { ConfigError } from "./configErrors";

/** Composes one environment from the components and returns its stack outputs. */
export async function buildEnvironment(config: StackConfig): Promise<Record<string, unknown>> {
  if (!config.network) return {};
  const zones = await availabilityZones(config.stack, config.network);
  const tags = { "flipstack:stack": config.stack, "flipstack:environment": config.environment };

  const network = new Network("network", {
    cidr: config.network.cidr,
    availabilityZones: zones,
    nat: config.network.nat,
    privateSubnetPrefix: config.network.privateSubnetPrefix,
    publicSubnetPrefix: config.network.publicSubnetPrefix,
    flowLogRetentionDays: config.network.flowLogRetentionDays,
    protect: config.network.protect,
    tags,
  });

  const vpn = config.vpn && new SiteToSiteVpn("office-vpn", {
    vpcId: network.vpcId,
    routeTableIds: network.privateRouteTableIdsByZone,
    customerGatewayIp: config.vpn.customerGatewayIp,
    bgpAsn: config.vpn.bgpAsn,
    staticRoutes: config.vpn.staticRoutes,
    amazonSideAsn: config.vpn.amazonSideAsn,
    tunnelLogRetentionDays: config.vpn.tunnelLogRetentionDays,
    alarmActions: config.vpn.alarmActions,
    protect: config.vpn.protect,
    tags,
  });

  return {
    environment: config.environment,
    vpcId: network.vpcId,
    vpcCidr: network.vpcCidr,
    availabilityZones: network.availabilityZones,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    privateRouteTableIds: network.privateRouteTableIds,
    ...(vpn && {
      vpn: {
        connectionId: vpn.vpnConnectionId,
        tunnelAddresses: vpn.tunnelAddresses,
        tunnelPresharedKeys: vpn.tunnelPresharedKeys,
        tunnelAlarmNames: vpn.tunnelAlarmNames,
      },
    }),
  };
}

/** The first N zones of the region, or a config error naming the key when the region has fewer. */
async function availabilityZones(stack: string, network: NetworkSettings): Promise<string[]> {
  const { names } = await aws.getAvailabilityZones({ state: "available" });
  if (names.length < network.availabilityZones) {
    throw new ConfigError(stack, [
      `flipstack:network.availabilityZones: ${network.availabilityZones} zones requested but the region has ${names.length} (${names.join(", ")}); lower the count`,
    ]);
  }
  return names.slice(0, network.availabilityZones);
}
