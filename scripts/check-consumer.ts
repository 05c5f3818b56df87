/**
 * Proves one end of the supported Pulumi range in a repository of its own: runs the commands of
 * examples/consumer/README.md exactly as written (pack this package, install it, plan), then installs
 * `@pulumi/pulumi` and `@pulumi/aws` at the lowest or the newest version this package's `peerDependencies`
 * allow, type-checks the example and plans it again. Needs the npm registry (CI runs it for both ends).
 *
 *   npm run check-consumer -- lowest
 *   npm run check-consumer -- newest
 */
import { execSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.join(__dirname, "..");
const example = path.join(root, "examples", "consumer");
/** What `npm install` and `npm pack` leave in the example folder (all ignored by git). */
const LEFTOVERS = ["node_modules", "package-lock.json", "flipstack.tgz"];

interface PlanJson {
  resources: Array<{ type: string }>;
  outputs: Record<string, unknown>;
}

/** The shell commands of the README's first `sh` block, comments dropped. */
export function readmeCommands(readme: string): string[] {
  const block = /```sh\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error("examples/consumer/README.md has no ```sh block of commands");
  return block[1].split("\n").map((line) => line.replace(/\s+#.*$/, "").trim()).filter((line) => line && !line.startsWith("#"));
}

/**
 * `name@version` to install for one end of each peer range (ranges are written `>=low <next-major`). The newest is
 * asked of the registry by exact version: npm's cached metadata can be older than the registry's.
 */
export function peerVersions(peers: Record<string, string>, end: "lowest" | "newest", newest = newestInRange): string[] {
  return Object.entries(peers).map(([name, range]) => {
    if (end === "newest") return `${name}@${newest(name, range)}`;
    const low = />=\s*(\d+\.\d+\.\d+)/.exec(range);
    if (!low) throw new Error(`peerDependencies.${name} is "${range}"; write it as ">=<lowest> <next major>"`);
    return `${name}@${low[1]}`;
  });
}

function newestInRange(name: string, range: string): string {
  const found = JSON.parse(execSync(`npm view --prefer-online "${name}@${range}" version --json`, { encoding: "utf8" })) as string | string[];
  const numeric = (version: string) => version.split(".").map(Number);
  const byVersion = (a: string, b: string) => numeric(a).reduce((order, part, i) => order || part - numeric(b)[i], 0);
  return [found].flat().sort(byVersion).pop()!;
}

function sh(command: string): string {
  process.stderr.write(`$ ${command}\n`);
  return execSync(command, { cwd: example, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 });
}

function check(end: "lowest" | "newest"): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { peerDependencies: Record<string, string> };
  for (const leftover of LEFTOVERS) fs.rmSync(path.join(example, leftover), { recursive: true, force: true });
  try {
    const commands = readmeCommands(fs.readFileSync(path.join(example, "README.md"), "utf8"));
    for (const command of commands) process.stderr.write(sh(command).slice(0, 2000));

    sh(`npm install --no-save --prefer-online --no-audit --no-fund ${peerVersions(pkg.peerDependencies, end).map((v) => `"${v}"`).join(" ")}`);
    const version = (name: string) => (JSON.parse(fs.readFileSync(path.join(example, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
    const nested = path.join(example, "node_modules", "flipstack", "node_modules", "@pulumi", "pulumi");
    if (fs.existsSync(nested)) throw new Error("flipstack brought its own copy of @pulumi/pulumi; it must use the program's");
    sh(`node node_modules/typescript/bin/tsc -p tsconfig.json`);
    for (const command of commands.filter((c) => c.startsWith("npx flipstack"))) sh(command);
    const plan = JSON.parse(sh("npx flipstack plan --stack dev --format json")) as PlanJson;
    const count = (type: string) => plan.resources.filter((r) => r.type === type).length;
    if (count("aws:ecs/service:Service") !== 1 || count("aws:lb/loadBalancer:LoadBalancer") !== 1 || plan.outputs.liveVersion !== "5e6f7a8") {
      throw new Error(`the consumer plan is not the expected shop stack: ${plan.resources.length} resources, outputs ${JSON.stringify(plan.outputs)}`);
    }
    process.stdout.write(
      `consumer example (${end}): @pulumi/pulumi ${version("@pulumi/pulumi")}, @pulumi/aws ${version("@pulumi/aws")}, ` +
        `node ${process.version}: type-checks and plans ${plan.resources.length} resources\n`,
    );
  } finally {
    if (!process.env.KEEP_CONSUMER) for (const leftover of LEFTOVERS) fs.rmSync(path.join(example, leftover), { recursive: true, force: true });
  }
}

if (require.main === module) {
  const end = process.argv[2];
  if (end !== "lowest" && end !== "newest") {
    process.stderr.write("usage: npm run check-consumer -- lowest|newest\n");
    process.exit(2);
  }
  check(end);
}
