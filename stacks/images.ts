import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ImageRepository } from "../components";
import type { StackConfig } from "./config";
import { ConfigError } from "./configErrors";

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
