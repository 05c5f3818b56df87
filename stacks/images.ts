import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { COLORS, ImageRepository, type Color } from "../components";
import { PLATFORM_OF } from "../components/fargate";
import type { ServiceSettings, StackConfig } from "./config";
import { ConfigError } from "./configErrors";
import type { DeployedRelease } from "./staleGuard";

/** Where one container service's images come from, and whether this stack builds (pushes) them. */
export interface ImageSource {
  repositoryUrl: pulumi.Input<string>;
  repositoryArn: pulumi.Input<string>;
  /** Only the stack that owns the repository builds into it; the others run digests it pushed. */
  builds: boolean;
}

/** What staging exports as `imageRepositories.<service>`, for production (and previews, through `preview`). */
export interface SharedRepository {
  url: string;
  arn: string;
}

/**
 * Build once, run everywhere: staging owns one repository per container service, where images are first built,
 * deployed and verified; production reads them through a stack reference and is granted pull access (also across
 * accounts), so it runs the very digest staging verified and never builds one of its own.
 */
export async function imageSources(config: StackConfig, tags: Record<string, string>): Promise<Record<string, ImageSource>> {
  const containerServices = Object.entries(config.services).filter(([, s]) => s.kind === "containers").map(([name]) => name);
  if (containerServices.length === 0) return {};
  return config.environment === "staging" ? ownRepositories(config, containerServices, tags) : sharedRepositories(config, containerServices);
}

function ownRepositories(config: StackConfig, services: string[], tags: Record<string, string>): Record<string, ImageSource> {
  const pullAccount = config.images.productionAccountId ?? aws.getCallerIdentityOutput().accountId;
  return Object.fromEntries(services.map((name) => {
    const service = config.services[name];
    const repository = new ImageRepository(`images-${name}`, {
      repositoryName: name,
      keepImages: service.kind === "containers" ? service.imageRetention : undefined,
      pullAccountIds: [pullAccount],
      // Production's slots pull from here: the repository (with its images) survives a destroy of staging.
      protect: config.protectState,
      tags: { ...tags, "flipstack:service": name },
    });
    return [name, { repositoryUrl: repository.repositoryUrl, repositoryArn: repository.repositoryArn, builds: true }];
  }));
}

async function sharedRepositories(config: StackConfig, services: string[]): Promise<Record<string, ImageSource>> {
  const key = (path: string) => `${pulumi.getProject()}:${path}`;
  const sourceName = config.images.sourceStack ?? `${pulumi.getOrganization()}/${pulumi.getProject()}/staging`;
  const source = new pulumi.StackReference("images-source", { name: sourceName });
  const shared = ((await source.getOutputDetails("imageRepositories")).value ?? {}) as Record<string, SharedRepository>;
  const missing = services.filter((name) => !shared[name]);
  if (missing.length > 0) {
    throw new ConfigError(config.stack, missing.map((name) =>
      `${key("images.sourceStack")}: ${sourceName} exports no image repository for "${name}"; deploy it (with "${name}" as a container service) first`));
  }
  return Object.fromEntries(services.map((name) => [name, { repositoryUrl: shared[name].url, repositoryArn: shared[name].arn, builds: false }]));
}

/** Staging's `imageRepositories` output. */
export function repositoriesExport(sources: Record<string, ImageSource>) {
  return Object.fromEntries(Object.entries(sources).map(([name, s]) => [name, { url: s.repositoryUrl, arn: s.repositoryArn }]));
}

/** A slot as the deployed stack's ledger records it (`services.<name>.slots.<color>`). */
export interface DeployedSlot {
  version: string;
  image?: string;
}

/** What one update builds for one slot: the image and how. */
export interface SlotBuild {
  service: string;
  color: Color;
  version: string;
  /** The image tag: the version (previews prefix their stack, so a merged commit can still be tagged later). */
  tag: string;
  build: BuildSettings;
  source: ImageSource;
}

/**
 * The image each slot runs: the one it names, or for a slot marked `build: true` (by `release deploy --build`,
 * for one update only) the digest pushed by this update. A slot whose release the deployed stack already runs is
 * never built again: it keeps the digest the stack recorded, so no later `pulumi up` (another config change, an
 * edited build context) can re-tag, re-push or change what a slot runs.
 */
export function slotImage(build: SlotBuild, deployed: DeployedSlot | undefined): pulumi.Input<string> {
  if (deployed?.version === build.version && deployed.image) return deployed.image;
  return buildImage(build).repoDigest;
}

/** Refusals before anything is built: only the repository's owner builds, and only from configured settings. */
function buildRefusals(config: StackConfig, service: string, source: ImageSource | undefined, settings: BuildSettings | undefined): string[] {
  const key = `${pulumi.getProject()}:services.${service}`;
  if (!source?.builds) {
    return [`${key}.release: a slot is marked \`build: true\`, but ${config.stack} builds no images: it runs the digests staging built and verified; deploy with \`--image <repo>@sha256:...\` from \`flipstack release status --stack staging\``];
  }
  if (!settings) return [`${key}.build: a slot is marked \`build: true\` but the service has no build settings; set ${key}.build.context (e.g. the folder holding its Dockerfile)`];
  return [];
}

function buildImage({ service, color, version, tag, build, source }: SlotBuild): docker.Image {
  const url = pulumi.output(source.repositoryUrl);
  const token = aws.ecr.getAuthorizationTokenOutput({ registryId: url.apply((u) => u.split(".")[0]) });
  return new docker.Image(`image-${service}-${color}-${version}`, {
    imageName: pulumi.interpolate`${url}:${tag}`,
    build: {
      context: build.context,
      dockerfile: build.dockerfile ?? path.join(build.context, "Dockerfile"),
      target: build.target,
      args: build.args,
      platform: build.platform ?? PLATFORM_OF[build.cpuArchitecture ?? "X86_64"],
    },
    registry: { server: token.proxyEndpoint, username: token.userName, password: pulumi.secret(token.password) },
    // A preview (`pulumi preview`) must not build: only the update that deploys the slot pushes its image.
    buildOnPreview: false,
  }, {
    // The pushed image outlives this resource: the next update forgets it (the slot then names its digest), and
    // the repository's lifecycle policy, not Pulumi, decides when the image goes.
    retainOnDelete: true,
  });
}

/** A container service's build settings, with the CPU its tasks run on. */
export type BuildSettings = NonNullable<Extract<ServiceSettings, { kind: "containers" }>["build"]> & { cpuArchitecture?: "X86_64" | "ARM64" };

/**
 * The config with every slot marked `build: true` given its image (built now, or the digest the deployed stack
 * recorded), so components and the ledger see only slots that name an image. Throws a config error naming the key
 * when this stack cannot build.
 */
export function withSlotImages(config: StackConfig, sources: Record<string, ImageSource>, deployed: Readonly<Record<string, DeployedRelease>>): StackConfig {
  const problems: string[] = [];
  const services = Object.fromEntries(Object.entries(config.services).map(([name, service]) => {
    if (service.kind !== "containers") return [name, service];
    const building = COLORS.filter((color) => service.release[color]?.build === true && service.release[color]?.image === undefined);
    if (building.length === 0) return [name, service];
    const settings = service.build && { ...service.build, cpuArchitecture: service.cpuArchitecture };
    const refusals = buildRefusals(config, name, sources[name], settings);
    problems.push(...refusals);
    if (refusals.length > 0) return [name, service];
    const release = { ...service.release };
    for (const color of building) {
      const version = release[color]!.version;
      const image = slotImage({ service: name, color, version, tag: version, build: settings!, source: sources[name] }, deployed[name]?.slots?.[color] ?? undefined);
      // The digest is an output until pushed; the release state carries it to the task definition and the ledger.
      release[color] = { version, image: image as string };
    }
    return [name, { ...service, release }];
  }));
  if (problems.length > 0) throw new ConfigError(config.stack, problems);
  return { ...config, services };
}
