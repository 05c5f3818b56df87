// A VPC, a load balancer and one container service released blue/green, from Flipstack's components.
import * as pulumi from "@pulumi/pulumi";
import { BlueGreenService, ContainerCluster, LoadBalancer, Network } from "flipstack";

const config = new pulumi.Config();
const version = config.require("image").split(":").pop()!;

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
  release: { live: "blue", blue: { version, image: config.require("image") } },
  compute: { kind: "containers", clusterArn: cluster.clusterArn, namespaceId: cluster.namespaceId, desiredCount: 2 },
});

export const url = pulumi.interpolate`https://${loadBalancer.dnsName}`;
export const liveVersion = service.liveVersion;
