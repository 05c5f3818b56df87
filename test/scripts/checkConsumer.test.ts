import * as fs from "node:fs";
import * as path from "node:path";
import { peerVersions, readmeCommands } from "../../scripts/check-consumer";

const root = path.join(__dirname, "..", "..");

describe("npm run check-consumer", () => {
  it("runs the commands of the consumer README's sh block, comments dropped", () => {
    const commands = readmeCommands(fs.readFileSync(path.join(root, "examples", "consumer", "README.md"), "utf8"));
    expect(commands).toEqual(["npm pack ../.. && mv flipstack-*.tgz flipstack.tgz", "npm install", "npx flipstack plan --stack dev"]);
  });

  it("installs the lower bound of each peer range for the lowest end, the newest the registry has for the other", () => {
    const peers = { "@pulumi/aws": ">=7.2.0 <8", "@pulumi/pulumi": ">=3.248.0 <4" };
    expect(peerVersions(peers, "lowest")).toEqual(["@pulumi/aws@7.2.0", "@pulumi/pulumi@3.248.0"]);
    const newest = (name: string, range: string) => `${name === "@pulumi/aws" ? "7.48.0" : "3.276.0"} for ${range}`;
    expect(peerVersions(peers, "newest", newest)).toEqual(["@pulumi/aws@7.48.0 for >=7.2.0 <8", "@pulumi/pulumi@3.276.0 for >=3.248.0 <4"]);
  });

  it("refuses a peer range without a lower bound", () => {
    expect(() => peerVersions({ "@pulumi/pulumi": "^3.248.0" }, "lowest")).toThrow(/write it as ">=<lowest> <next major>"/);
  });

  it("checks the ranges this package declares", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { peerDependencies: Record<string, string>; dependencies: Record<string, string> };
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(["@pulumi/aws", "@pulumi/pulumi"]);
    // A regular dependency on either would install a second copy beside a consumer's own.
    expect(pkg.dependencies["@pulumi/pulumi"]).toBeUndefined();
    expect(pkg.dependencies["@pulumi/aws"]).toBeUndefined();
  });
});
