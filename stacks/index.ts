/**
 * The Pulumi program that `pulumi up` (and `flipstack plan`) runs for every Flipstack stack. The config is read
 * and checked before anything else, so an invalid config never registers a resource; then the deployed stack's
 * release ledger is compared with it, so a stale checkout cannot move live traffic.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import { ConfigError } from "./configErrors";
import { buildEnvironment } from "./environment";
import { buildPreview } from "./preview";
import { deployedReleases, staleReleaseProblems } from "./staleGuard";

/** Where Pulumi.yaml is: Pulumi's root directory, or (under the offline plan's mocks, which set none) the current folder. */
function projectDir(): string {
  const root = pulumi.runtime.getRootDirectory();
  return path.isAbsolute(root) && fs.existsSync(path.join(root, "Pulumi.yaml")) ? root : process.cwd();
}

export = async () => {
  const config = loadStackConfig(pulumi.getProject(), pulumi.getStack(), pulumi.runtime.allConfig(), projectDir());
  for (const warning of config.warnings) void pulumi.log.warn(warning);
  const deployed = await deployedReleases();
  const stale = staleReleaseProblems(config, deployed);
  if (stale.length > 0) throw new ConfigError(config.stack, stale);
  return config.environment === "preview" ? buildPreview(config, deployed) : buildEnvironment(config, deployed);
};
