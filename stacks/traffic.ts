import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BlueGreenService, ContainerCluster, LoadBalancer, type ContainerCompute, type InstanceCompute, type Network } from "../components";
import type { ImageSource } from "./images";
import type { LoadBalancerSettings, ServiceSettings, StackConfig } from "./config";
import { withSecretRead, type DatabaseConnection } from "./database";

export interface TrafficContext {
  tags: Record<string, string>;
  /** IAM policy JSON letting the services use the file archive. */
  archivePolicy: pulumi.Input<string>;
  /** Central application log group per service. */
  logGroups: Record<string, aws.cloudwatch.LogGroup>;
  /** Where the slot alarms notify (the environment's alarm topic). */
  alarmActions?: pulumi.Input<string>[];
  /** The environment's database, which every slot of every service may reach. */
  database?: DatabaseConnection;
  /** Where each container service's images come from (stacks/images.ts). */
  images: Record<string, ImageSource>;
}

/** The load balancer, the container platform when a service needs it, and one blue/green service per config entry. */
export function buildTraffic(config: StackConfig, network: Network, { tags, archivePolicy, logGroups, alarmActions, database, images }: TrafficContext) {
  const settings = config.loadBalancer;
  if (!settings) return undefined;
  const loadBalancer = new LoadBalancer("edge", {
    vpcId: network.vpcId,
    subnetIds: network.publicSubnetIds,
    certificateArn: settings.certificateArn,
    testListenerPort: settings.testListenerPort,
    testListenerCidrs: testListenerCidrs(config, settings),
    deletionProtection: settings.deletionProtection,
    idleTimeoutSeconds: settings.idleTimeoutSeconds,
    accessLogRetentionDays: settings.accessLogRetentionDays,
    protectAccessLogs: config.protectState,
    targets: { ports: Object.values(config.services).map((s) => s.port), cidr: config.network!.cidr },
    tags,
  });

  const needsContainers = Object.values(config.services).some((s) => s.kind === "containers");
  const cluster = needsContainers
    ? new ContainerCluster("containers", {
        vpcId: network.vpcId,
        namespaceName: `${config.stack}.${pulumi.getProject()}.internal`,
        tags,
      })
    : undefined;

  const services = Object.fromEntries(Object.entries(config.services).map(([name, service]) => [
    name,
    new BlueGreenService(name, {
      serviceName: name,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      productionListenerArn: loadBalancer.httpsListenerArn,
      testListenerArn: loadBalancer.testListenerArn,
      loadBalancerSecurityGroupId: loadBalancer.securityGroupId,
      port: service.port,
      routing: service.routing,
      healthCheck: service.healthCheck,
      deregistrationDelaySeconds: service.deregistrationDelaySeconds,
      release: { live: service.release.live, blue: service.release.blue, green: service.release.green, weight: service.release.weight },
      stickinessSeconds: service.shift.stickinessSeconds,
      compute: withDatabase(computeOf(service, cluster, archivePolicy, logGroups[name], images[name]), database),
      loadBalancerArnSuffix: loadBalancer.arnSuffix,
      alarmActions,
      tags,
    }),
  ]));
  return { loadBalancer, cluster, services };
}

/** The test listener serves the idle color to people on the VPN or in the office, never to the internet. */
function testListenerCidrs(config: StackConfig, settings: LoadBalancerSettings): string[] {
  return [...new Set([...(config.vpn?.staticRoutes ?? []), ...settings.officeCidrs])];
}

function computeOf(service: ServiceSettings, cluster: ContainerCluster | undefined, archivePolicy: pulumi.Input<string>, logGroup: aws.cloudwatch.LogGroup, images?: ImageSource) {
  if (service.kind === "instances") {
    return {
      kind: "instances" as const,
      instanceType: service.instanceType,
      capacity: service.capacity,
      userData: service.userData,
      rolePolicy: archivePolicy,
      logGroup: { name: logGroup.name, arn: logGroup.arn },
    };
  }
  return {
    kind: "containers" as const,
    clusterArn: cluster!.clusterArn,
    namespaceId: cluster!.namespaceId,
    cpu: service.cpu,
    memory: service.memory,
    desiredCount: service.capacity.desired,
    secrets: service.secrets,
    environment: service.environment,
    taskRolePolicy: archivePolicy,
    logGroupName: logGroup.name,
    user: service.user,
    imageRepositoryArn: images?.repositoryArn,
    cpuArchitecture: service.cpuArchitecture,
  };
}

/** The compute with the database's client group joined and, for containers, its endpoint and credential added. */
export function withDatabase<C extends ContainerCompute | InstanceCompute>(compute: C, database: DatabaseConnection | undefined): C {
  if (!database) return compute;
  const joined = { ...compute, securityGroupIds: [...(compute.securityGroupIds ?? []), ...database.securityGroupIds] };
  if (joined.kind === "instances") return { ...joined, rolePolicy: withSecretRead(joined.rolePolicy, database.secretArn) };
  return {
    ...joined,
    environment: { ...joined.environment, ...database.environment },
    secrets: { ...joined.secrets, ...database.secrets },
  };
}
