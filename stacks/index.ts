/**
 * The Pulumi program that `pulumi up` (and `flipstack plan`) runs for every Flipstack stack. The config is read
 * and checked before anything else, so an invalid config never registers a resource.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import { buildEnvironment } from "./environment";

export = async () => {
  const config = loadStackConfig(pulumi.getProject(), pulumi.getStack(), pulumi.runtime.allConfig());
  return buildEnvironment(config);
};
