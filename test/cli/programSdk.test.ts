import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { programSdk } from "../../cli/plan/programSdk";

describe("the Pulumi SDK the plan runs with", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-sdk-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is the copy the program resolves from its own folder, not the one beside the CLI", () => {
    const sdk = path.join(dir, "node_modules", "@pulumi", "pulumi");
    fs.mkdirSync(sdk, { recursive: true });
    fs.writeFileSync(path.join(sdk, "package.json"), JSON.stringify({ name: "@pulumi/pulumi", version: "3.999.0", main: "index.js" }));
    fs.writeFileSync(path.join(sdk, "index.js"), "exports.copy = 'the program\\'s';");
    fs.writeFileSync(path.join(dir, "index.ts"), "");
    expect((programSdk(path.join(dir, "index.ts")) as unknown as { copy: string }).copy).toBe("the program's");
  });

  it("falls back to this package's copy for a program that cannot resolve one", () => {
    // os.tmpdir() has no node_modules above it.
    expect(programSdk(path.join(dir, "index.ts"))).toBe(pulumi);
  });
});
