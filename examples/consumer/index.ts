// A VPC, a load balancer and one container service released blue/green, from Flipstack's components.
import * as pulumi from "@pulumi/pulumi";
import { BlueGreenService, ContainerCluster, LoadBalancer, Network, serviceLedger, type RecordedRelease } from "flipstack";

const config = new pulumi.Config();
// Each service's release state lives at `shop:services.<name>.release`, where `flipstack release` writes it.
const release = config.requireObject<Record<string, { release: RecordedRelease }>>("services").storefront.release;

const network = new Network("shop", {
  cidr: "10.40.0.0/16",
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  nat: "single",
});

const loadBalancer = new LoadBalancer("shop", {
  vpcId: network.vpcId,
  subnetIds: network.publicSubnetIds,
  certificateArn: config.require("certificateArn"),
  testListenerCidrs: ["203.0.113.0/24"],
});

const cluster = new ContainerCluster("shop", { vpcId: network.vpcId, namespaceName: "shop.internal" });

const service = new BlueGreenService("storefront", {
  serviceName: "storefront",
  vpcId: network.vpcId,
  subnetIds: network.privateSubnetIds,
  productionListenerArn: loadBalancer.httpsListenerArn,
  testListenerArn: loadBalancer.testListenerArn,
  loadBalancerSecurityGroupId: loadBalancer.securityGroupId,
  loadBalancerArnSuffix: loadBalancer.arnSuffix,
  port: 3000,
  routing: { priority: 10, pathPatterns: ["/*"] },
  release,
  compute: { kind: "containers", clusterArn: cluster.clusterArn, namespaceId: cluster.namespaceId, desiredCount: 2 },
});

export const url = pulumi.interpolate`https://${loadBalancer.dnsName}`;
export const liveVersion = service.liveVersion;
// The release ledger `flipstack release` reads before every step.
export const services = {
  storefront: serviceLedger({
    service: { kind: "containers", release, routing: { pathPatterns: ["/*"] } },
    blueGreen: service,
    loadBalancerDnsName: loadBalancer.dnsName,
    testListenerPort: loadBalancer.testListenerPort,
  }),
};
