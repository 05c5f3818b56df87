import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { nodeSupportNotice } from "../../cli/nodeSupport";
import { engines, version } from "../../package.json";

const root = path.join(__dirname, "..", "..");
// The CLI as a user runs it: without the opt-out the test setup sets (test/globalSetup.ts).
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== "FLIPSTACK_IGNORE_NODE_VERSION"));
const node = (args: string[]) => spawnSync(process.execPath, args, { cwd: root, env, encoding: "utf8" });

describe("the supported Node range", () => {
  it("is a plain minimum in engines, at least the AWS SDK's next one (22)", () => {
    expect(Number(/^>=(\d+)$/.exec(engines.node)?.[1])).toBeGreaterThanOrEqual(22);
  });

  it.each([
    ["v20.20.2", ">=22", "flipstack: Node 20.20.2 is not supported (supported: >=22); it still runs, but upgrade to a maintained LTS release"],
    ["v22.12.0", ">=22", undefined],
    ["v26.1.0", ">=22", undefined],
    ["v20.20.2", "^20 || ^22", undefined],
  ])("Node %s against %s: %s", (nodeVersion, range, expected) => {
    expect(nodeSupportNotice(nodeVersion, range)).toBe(expected);
  });

  it("is not mentioned when the user opts out", () => {
    expect(nodeSupportNotice("v18.0.0", ">=22", { FLIPSTACK_IGNORE_NODE_VERSION: "1" })).toBeUndefined();
  });
});

describe("the flipstack command on any Node", () => {
  it("--version prints the package's version, and at most Flipstack's one line about Node", () => {
    const result = node([path.join("bin", "flipstack.js"), "--version"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
    const supported = Number(process.versions.node.split(".")[0]) >= 22;
    expect(result.stderr).toBe(supported ? "" : `${nodeSupportNotice(process.version, engines.node)}\n`);
  });

  // The SDK's check, run as a release command's client would run it, for a Node it considers old.
  const sdkCheck = 'require("@aws-sdk/core").emitWarningIfUnsupportedVersion("v20.0.0")';
  it("silences the AWS SDK's own nine-line warning", () => {
    expect(node(["-e", sdkCheck]).stderr).toMatch(/NodeVersionSupportWarning/); // the warning the CLI replaces
    const prepared = node(["-r", "sucrase/register", "-e", `require("./cli/nodeSupport.ts").prepareNode(process, ">=1"); ${sdkCheck}`]);
    expect(prepared.stderr).toBe("");
  });
});
