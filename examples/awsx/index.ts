// A team's existing awsx VPC, with one of Flipstack's blue/green container services put in it: the load balancer in
// the VPC's public subnets, the service's tasks in its private ones.
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { BlueGreenService, ContainerCluster, LoadBalancer } from "flipstack";

const config = new pulumi.Config();
const image = config.require("image");

// Three availability zones (awsx's default), one NAT gateway shared by them to keep the bill small.
const vpc = new awsx.ec2.Vpc("checkout", {
  cidrBlock: "10.50.0.0/16",
  natGateways: { strategy: awsx.ec2.NatGatewayStrategy.Single },
});

const loadBalancer = new LoadBalancer("checkout", {
  vpcId: vpc.vpcId,
  subnetIds: vpc.publicSubnetIds,
  certificateArn: config.require("certificateArn"),
  testListenerCidrs: ["203.0.113.0/24"],
});

const cluster = new ContainerCluster("checkout", { vpcId: vpc.vpcId, namespaceName: "checkout.internal" });

const service = new BlueGreenService("checkout", {
  serviceName: "checkout",
  vpcId: vpc.vpcId,
  subnetIds: vpc.privateSubnetIds,
  productionListenerArn: loadBalancer.httpsListenerArn,
  testListenerArn: loadBalancer.testListenerArn,
  loadBalancerSecurityGroupId: loadBalancer.securityGroupId,
  loadBalancerArnSuffix: loadBalancer.arnSuffix,
  port: 8080,
  routing: { priority: 10, pathPatterns: ["/*"] },
  release: { live: "blue", blue: { version: image.split(":").pop()!, image } },
  compute: { kind: "containers", clusterArn: cluster.clusterArn, namespaceId: cluster.namespaceId, desiredCount: 2 },
});

export const vpcId = vpc.vpcId;
export const publicSubnetIds = vpc.publicSubnetIds;
export const privateSubnetIds = vpc.privateSubnetIds;
export const url = pulumi.interpolate`https://${loadBalancer.dnsName}`;
export const liveVersion = service.liveVersion;
