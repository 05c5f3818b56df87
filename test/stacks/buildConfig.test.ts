import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadStackConfig } from "../../stacks/config";
import { configProblems, LOAD_BALANCER as loadBalancer, NETWORK as network } from "./configProblems";
const api = (extra: Record<string, unknown>) => ({
  kind: "containers", port: 8080, routing: { priority: 200, hostHeaders: ["api.example.com"] },
  release: { live: "green", green: { version: "3f2c1ab", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:3f2c1ab" } }, ...extra,
});
const web = (extra: Record<string, unknown>) => ({
  kind: "instances", port: 8080, routing: { priority: 100, hostHeaders: ["www.example.com"] },
  release: { live: "blue", blue: { version: "2026.11.3", ami: "ami-0a1b2c3d4e5f67890" } }, ...extra,
});

// A project folder with an `app` build context holding a Dockerfile, and a Dockerfile beside the context.
let project: string;
beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-build-"));
  fs.mkdirSync(path.join(project, "app"));
  fs.writeFileSync(path.join(project, "app", "Dockerfile"), "FROM scratch\n");
  fs.writeFileSync(path.join(project, "Dockerfile.outside"), "FROM scratch\n");
});
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

const load = (services: Record<string, unknown>) =>
  loadStackConfig("flipstack", "staging", {
    "aws:region": "eu-west-1",
    "flipstack:network": JSON.stringify(network),
    "flipstack:loadBalancer": JSON.stringify(loadBalancer),
    "flipstack:services": JSON.stringify(services),
  }, project);
const problems = (services: Record<string, unknown>) => configProblems(() => load(services));

describe("services.<name>.build", () => {
  it("accepts a context holding a Dockerfile, with a target, args and the platform of the tasks", () => {
    const build = { context: "app", dockerfile: "app/Dockerfile", target: "runtime", args: { NODE_ENV: "production" }, platform: "linux/amd64" };
    expect(load({ api: api({ build }) }).services.api).toMatchObject({ build });
    expect(problems({ api: api({ cpuArchitecture: "ARM64", build: { context: "app", platform: "linux/arm64" } }) })).toEqual([]);
  });

  it.each([
    ["a context that does not exist", { build: { context: "missing" } }, 'flipstack:services.api.build.context: "missing" is not a folder'],
    ["a context without a Dockerfile", { build: { context: "." , dockerfile: "nowhere/Dockerfile" } }, "flipstack:services.api.build.dockerfile: no Dockerfile at nowhere/Dockerfile"],
    ["a Dockerfile outside the context", { build: { context: "app", dockerfile: "Dockerfile.outside" } }, 'flipstack:services.api.build.dockerfile: "Dockerfile.outside" is outside the build context "app"'],
    ["a platform Fargate cannot run", { build: { context: "app", platform: "windows/amd64" } }, "flipstack:services.api.build.platform"],
    ["a platform the tasks' CPU cannot run", { build: { context: "app", platform: "linux/arm64" } }, "flipstack:services.api.build.platform: linux/arm64 images do not run on the service's X86_64 Fargate tasks; build for linux/amd64"],
    ["a build argument that is not a variable name", { build: { context: "app", args: { "1x": "y" } } }, "flipstack:services.api.build.args"],
  ])("refuses %s, naming the key", (_, extra, message) => {
    expect(problems({ api: api(extra) }).join("\n")).toContain(message);
  });

  it("refuses a build for an `instances` service, which runs an AMI", () => {
    expect(problems({ web: web({ build: { context: "app" } }) })).toEqual([
      "flipstack:services.web.build: is for container services: an `instances` service runs an AMI, which Flipstack does not build; remove it and release with `--ami`",
    ]);
  });
});
