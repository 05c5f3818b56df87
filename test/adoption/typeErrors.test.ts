import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { planStack } from "../../cli/plan/planStack";
import { REQUIRED_ARGS } from "../../components/requiredArgs";

const root = path.join(__dirname, "..", "..");
// A cold check of @pulumi/aws's declarations takes a while on a busy machine.
jest.setTimeout(300_000);
let dir: string;

/** A consumer project beside this repository's components, with `body` as its program. */
function project(body: string): void {
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: platform\nruntime: nodejs\nmain: index.ts\n");
  fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: eu-west-1\n");
  fs.writeFileSync(path.join(dir, "index.ts"), `import { LoadBalancer, Network } from "../../components";\n${body}\nexport const used = [LoadBalancer, Network].length;\n`);
}
const network = (extra = "") => `const network = new Network("shop", { cidr: "10.40.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"]${extra} });`;
const loadBalancer = (args: string) => `new LoadBalancer("shop", { vpcId: network.vpcId, subnetIds: network.publicSubnetIds, ${args} });`;
const certificate = 'certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/7a1d2c3b"';

beforeEach(() => {
  // Inside the repository (gitignored), so the program resolves @pulumi/aws from its node_modules.
  fs.mkdirSync(path.join(root, ".flipstack"), { recursive: true });
  dir = fs.mkdtempSync(path.join(root, ".flipstack", "types-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("a consumer's TypeScript program with type errors", () => {
  it("is refused for a missing required arg", async () => {
    project(`${network()}\n${loadBalancer(certificate)}`);
    await expect(planStack({ cwd: dir, stack: "dev", typeCheck: true })).rejects.toThrow(/error TS2345: .*Property 'testListenerCidrs' is missing/s);
  });

  it("plans with --no-typecheck, where the component names the missing arg itself", async () => {
    project(`${network()}\n${loadBalancer(certificate)}`);
    await expect(planStack({ cwd: dir, stack: "dev", typeCheck: false })).rejects.toThrow('LoadBalancer "shop": The required arg `testListenerCidrs` is missing.');
  });

  it("remembers a program that passed, and refuses it once an optional arg is misspelled, naming file, line and arg", async () => {
    project(`${network()}\nexport const vpc = network.vpcId;`);
    await planStack({ cwd: dir, stack: "dev", typeCheck: true });
    expect(fs.readdirSync(path.join(dir, "node_modules", ".cache", "flipstack-typecheck"))).toHaveLength(1);
    project(`${network(', natt: "single"')}\nexport const vpc = network.vpcId;`);
    await expect(planStack({ cwd: dir, stack: "dev", typeCheck: true })).rejects.toThrow(
      /index\.ts\(2,\d+\): error TS2561: Object literal may only specify known properties, but 'natt' does not exist in type 'NetworkArgs'\. Did you mean to write 'nat'\?/,
    );
  });
});

describe("the required args each component checks at run time", () => {
  // The lists in components/requiredArgs.ts, against the non-optional properties of each `XArgs` interface.
  const program = ts.createProgram([path.join(root, "components", "index.ts")], { strict: true });
  const checker = program.getTypeChecker();
  const fromTypes: Record<string, string[]> = {};
  for (const file of program.getSourceFiles().filter((f) => f.fileName.startsWith(path.join(root, "components")))) {
    ts.forEachChild(file, (node) => {
      if (!ts.isInterfaceDeclaration(node) || !/^\w+Args$/.test(node.name.text)) return;
      const required = checker.getTypeAtLocation(node).getProperties().filter((p) => !(p.flags & ts.SymbolFlags.Optional));
      if (required.length > 0) fromTypes[node.name.text.replace(/Args$/, "")] = required.map((p) => p.name);
    });
  }

  it.each(Object.keys(fromTypes))("are the required properties of %sArgs", (component) => {
    expect([...(REQUIRED_ARGS as Record<string, readonly string[]>)[component]].sort()).toEqual(fromTypes[component].sort());
  });

  it("cover every component with required args", () => {
    expect(Object.keys(REQUIRED_ARGS).sort()).toEqual(Object.keys(fromTypes).sort());
  });
});
