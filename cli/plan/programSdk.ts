import type * as pulumi from "@pulumi/pulumi";

export type PulumiSdk = typeof pulumi;

/**
 * The `@pulumi/pulumi` the program itself loads, resolved from the program (file or folder) as Node would for its own
 * `import`. The mocks must come from that copy: a repository on a newer SDK than this package's own install would
 * otherwise get answers built by one copy's protocol classes and read by another's (`resp.getUnknown is not a
 * function`). A program that cannot resolve the SDK gets this package's copy.
 */
export function programSdk(programPath: string): PulumiSdk {
  let resolved: string;
  try {
    resolved = require.resolve("@pulumi/pulumi", { paths: [programPath] });
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@pulumi/pulumi") as PulumiSdk;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolved) as PulumiSdk;
}
