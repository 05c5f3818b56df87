import * as fs from "node:fs";
import * as path from "node:path";
import { PLATFORM_OF } from "../components/fargate";
import type { KeyPath } from "./configErrors";
import type { RawService } from "./configSchema";

/**
 * Why a service's `build` settings cannot build its image, as [key, message] pairs. Paths are relative to the
 * project folder (where Pulumi.yaml is), as `pulumi up` runs the program there.
 */
export function buildProblems(service: RawService, projectDir: string): Array<[KeyPath, string]> {
  if (service.build === undefined) return [];
  if (service.kind === "instances") {
    return [[["build"], "is for container services: an `instances` service runs an AMI, which Flipstack does not build; remove it and release with `--ami`"]];
  }
  const build = service.build!;
  const problems: Array<[KeyPath, string]> = [];
  const context = path.resolve(projectDir, build.context);
  if (!isDirectory(context)) {
    problems.push([["build", "context"], `"${build.context}" is not a folder (looked for ${context}); give the build context relative to the project folder`]);
  } else {
    const dockerfile = path.resolve(projectDir, build.dockerfile ?? path.join(build.context, "Dockerfile"));
    const key: KeyPath = build.dockerfile === undefined ? ["build", "context"] : ["build", "dockerfile"];
    if (path.relative(context, dockerfile).startsWith("..")) {
      problems.push([key, `"${build.dockerfile}" is outside the build context "${build.context}"; Docker sends only the context to the builder, so move the Dockerfile into it`]);
    } else if (!fs.existsSync(dockerfile)) {
      problems.push([key, `no Dockerfile at ${path.relative(projectDir, dockerfile)}; add one, or name it with build.dockerfile`]);
    }
  }
  const architecture = service.cpuArchitecture ?? "X86_64";
  if (build.platform !== undefined && build.platform !== PLATFORM_OF[architecture]) {
    problems.push([["build", "platform"], `${build.platform} images do not run on the service's ${architecture} Fargate tasks; build for ${PLATFORM_OF[architecture]}, or set cpuArchitecture to ${architecture === "X86_64" ? "ARM64" : "X86_64"}`]);
  }
  return problems;
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
