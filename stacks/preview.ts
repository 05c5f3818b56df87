import * as pulumi from "@pulumi/pulumi";
import { ALL_AT_ONCE, BlueGreenService, type HealthCheck, type Network, type Release } from "../components";
import type { StackConfig } from "./config";
import { PREVIEW_PRIORITY_BASE, PREVIEW_PRIORITY_SLOTS } from "../components/listenerPriorities";
import { ConfigError } from "./configErrors";
import { ENVIRONMENT_DEFAULTS } from "./environments";
import { serviceLedger } from "../components/serviceLedger";
import { slotImage, type BuildSettings, type ImageSource, type SharedRepository } from "./images";
import type { DeployedRelease } from "./staleGuard";
import { withDatabase, type buildTraffic } from "./traffic";
import { databaseConnection, type DatabaseShare } from "./database";

/** What staging shares with pull-request previews (its `preview` output). */
export interface PreviewShare {
  domain: string;
  vpcId: string;
  privateSubnetIds: string[];
  httpsListenerArn: string;
  testListenerArn: string;
  testListenerPort: number;
  loadBalancerSecurityGroupId: string;
  loadBalancerArnSuffix: string;
  loadBalancerDnsName: string;
  clusterArn?: string;
  /** Staging's database, which previews use rather than create one (absent when staging has none). */
  database?: { address: string; port: number; dbName: string; masterUserSecretArn: string; clientSecurityGroupId: string };
  services: Record<string, {
    kind: "instances" | "containers";
    port: number;
    healthCheck: HealthCheck;
    instanceType?: string;
    live: Release;
    /** Staging's image repository of a container service: previews build into it and never own one. */
    repository?: SharedRepository;
    /** How staging builds the service's image, which a preview's `build: true` builds from the pull request. */
    build?: BuildSettings;
  }>;
}

type Traffic = NonNullable<ReturnType<typeof buildTraffic>>;

/** The `preview` output of staging: everything a `pr-<number>` stack borrows. */
export function previewExport(config: StackConfig, domain: string, network: Network, traffic: Traffic, images: Record<string, ImageSource>, database?: DatabaseShare): pulumi.Output<PreviewShare> {
  return pulumi.output({
    domain,
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    httpsListenerArn: traffic.loadBalancer.httpsListenerArn,
    testListenerArn: traffic.loadBalancer.testListenerArn,
    testListenerPort: traffic.loadBalancer.testListenerPort,
    loadBalancerSecurityGroupId: traffic.loadBalancer.securityGroupId,
    loadBalancerArnSuffix: traffic.loadBalancer.arnSuffix,
    loadBalancerDnsName: traffic.loadBalancer.dnsName,
    clusterArn: traffic.cluster?.clusterArn,
    ...(database && { database }),
    services: Object.fromEntries(Object.entries(config.services).map(([name, s]) => [name, {
      kind: s.kind,
      port: s.port,
      healthCheck: s.healthCheck,
      ...(s.kind === "instances" && { instanceType: s.instanceType }),
      live: s.release[s.release.live]!,
      ...(images[name] && { repository: { url: images[name].repositoryUrl, arn: images[name].repositoryArn } }),
      ...(s.kind === "containers" && s.build && { build: { ...s.build, ...(s.cpuArchitecture && { cpuArchitecture: s.cpuArchitecture }) } }),
    }])),
  }) as pulumi.Output<PreviewShare>;
}

/**
 * Listener rule priority of a preview's service: unique for every pull request and service index, as long as
 * open pull requests' numbers do not differ by a multiple of 4000.
 */
export function previewPriority(pullRequest: number, serviceIndex: number): number {
  return PREVIEW_PRIORITY_BASE + ((pullRequest * 10 + serviceIndex) % PREVIEW_PRIORITY_SLOTS);
}

/**
 * A `pr-<number>` stack: no network, load balancer or VPN of its own. It reads staging's `preview` output and adds,
 * per previewed service, one target group, one host rule `pr-<number>-<service>.<domain>` on staging's HTTPS
 * listener and the smallest compute for the pull request's build. Destroying it touches nothing of staging.
 */
export async function buildPreview(config: StackConfig, deployed: Readonly<Record<string, DeployedRelease>> = {}): Promise<Record<string, unknown>> {
  const preview = config.preview!;
  const stagingName = preview.stagingStack ?? `${pulumi.getOrganization()}/${pulumi.getProject()}/staging`;
  const staging = new pulumi.StackReference("staging", { name: stagingName });
  const share = (await staging.getOutputDetails("preview")).value as PreviewShare | undefined;
  const key = (path: string) => `${pulumi.getProject()}:${path}`;
  if (!share) {
    throw new ConfigError(config.stack, [`${key("preview.stagingStack")}: ${stagingName} shares no preview settings; set ${key("previewDomain")} in its config and deploy it`]);
  }
  const problems = Object.keys(preview.services)
    .filter((name) => !share.services[name])
    .map((name) => `${key(`preview.services.${name}`)}: staging has no service "${name}"; previewable: ${Object.keys(share.services).join(", ")}`);
  const pullRequest = Number(/(\d+)$/.exec(config.stack)?.[1] ?? 0);
  const tags = { "flipstack:stack": config.stack, "flipstack:environment": "preview" };
  const smallest = ENVIRONMENT_DEFAULTS.preview;

  const services = Object.entries(share.services).map(([name, settings], index) => {
    const wanted = preview.services[name] ?? settings.live;
    const artefact = settings.kind === "instances" ? "ami" : "image";
    const building = settings.kind === "containers" && preview.services[name]?.build === true && !wanted.image;
    if (building && (!settings.repository || !settings.build)) {
      problems.push(`${key(`preview.services.${name}.build`)}: staging shares no ${settings.repository ? "build settings" : "image repository"} for "${name}"; set services.${name}.build in staging and deploy it, or give the pull request's image`);
    } else if (!building && !wanted[artefact]) {
      problems.push(`${key(`preview.services.${name}.${artefact}`)}: "${name}" runs ${settings.kind}; give the pull request's ${artefact}`);
    }
    // The pull request's image, built once into staging's repository; a rerun for the same commit reuses its digest.
    const build: Release = building && problems.length === 0
      ? { version: wanted.version, image: slotImage({
          service: name, color: "blue", version: wanted.version, tag: `${config.stack}-${wanted.version}`, build: settings.build!,
          source: { repositoryUrl: settings.repository!.url, repositoryArn: settings.repository!.arn, builds: true },
        }, deployed[name]?.slots?.blue ?? undefined) }
      : stripped(wanted);
    const host = `pr-${pullRequest}-${name}.${share.domain}`;
    return { name, settings, build, host, priority: previewPriority(pullRequest, index) };
  });
  if (problems.length > 0) throw new ConfigError(config.stack, problems);

  const outputs = services.map(({ name, settings, build, host, priority }) => {
    const service = new BlueGreenService(`preview-${name}`, {
      serviceName: name,
      vpcId: share.vpcId,
      subnetIds: share.privateSubnetIds,
      productionListenerArn: share.httpsListenerArn,
      testListenerArn: share.testListenerArn,
      loadBalancerSecurityGroupId: share.loadBalancerSecurityGroupId,
      port: settings.port,
      routing: { priority, hostHeaders: [host] },
      healthCheck: settings.healthCheck,
      release: { live: "blue", blue: build },
      // Staging's database, shared: a preview creates none (see README, "Data and logs").
      compute: withDatabase(settings.kind === "instances"
        ? { kind: "instances" as const, instanceType: settings.instanceType, capacity: smallest.capacity }
        : { kind: "containers" as const, clusterArn: share.clusterArn!, cpu: smallest.fargate.cpu, memory: smallest.fargate.memory, desiredCount: 1, imageRepositoryArn: settings.repository?.arn }, databaseConnection(share.database)),
      tags,
    });
    const ledger = serviceLedger({
      service: { kind: settings.kind, release: { live: "blue", blue: build }, routing: {}, smokeTest: { path: "/", expectStatus: 200 }, alarms: [], shift: ALL_AT_ONCE },
      blueGreen: service,
      loadBalancerDnsName: share.loadBalancerDnsName,
      testListenerPort: share.testListenerPort,
      hosts: [host],
      // A preview builds the pull request's image into staging's repository; it owns none.
      images: settings.repository && { repositoryUrl: settings.repository.url, builds: true },
    });
    return [name, ledger] as const;
  });
  return { environment: "preview", pullRequest, stagingStack: stagingName, services: Object.fromEntries(outputs) };
}

/** A preview's release as the components take it: version and artefact, without the build mark. */
function stripped(release: { version: string; ami?: string; image?: string }): Release {
  return { version: release.version, ...(release.ami !== undefined && { ami: release.ami }), ...(release.image !== undefined && { image: release.image }) };
}
