import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { planStack } from "../../cli/plan/planStack";
import type { Plan } from "../../cli/plan/model";
import { evaluatePlan } from "../../policies/harness";
import { ofType, one } from "../harness";

const root = path.join(__dirname, "..", "..");
const IMAGE = "docker:index/image:Image";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const REPO = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api";
const DIGEST = /^123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/api@sha256:[0-9a-f]{64}$/;
// `release deploy --build` marks the idle slot for the one update that builds it.
const BUILD_BLUE = ['services.api.release.blue={"version":"4a5b6c7","build":true}'];
const imageOf = (p: Plan, name: string) => JSON.parse(String(one(p, TASK, name).inputs.containerDefinitions))[0].image as string;
const withDeployed = (services: Record<string, unknown>) => (name: string) => (name === "organization/flipstack/staging" ? { services } : undefined);

describe("images built by the update that deploys their slot", () => {
  it("builds the marked slot's image from the service's context, tagged with the version, and pins the slot to its digest", async () => {
    const p = await planStack({ cwd: root, stack: "staging", sets: BUILD_BLUE });
    const images = ofType(p, IMAGE);
    expect(images).toHaveLength(1);
    expect(images[0].name).toBe("image-api-blue-4a5b6c7");
    expect(images[0].inputs).toMatchObject({
      imageName: `${REPO}:4a5b6c7`,
      build: { context: "examples/api", dockerfile: "examples/api/Dockerfile", platform: "linux/amd64" },
      registry: { server: "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com", username: "AWS" },
      buildOnPreview: false,
    });
    expect(images[0].options.retainOnDelete).toBe(true);
    expect(imageOf(p, "api-blue-4a5b6c7-task")).toMatch(DIGEST);
    const ledger = (p.outputs.services as Record<string, { slots: Record<string, { image: string }> }>).api;
    expect(ledger.slots.blue.image).toBe(imageOf(p, "api-blue-4a5b6c7-task"));
    expect(ledger.slots.green.image).toBe(`${REPO}:3f2c1ab`);
    expect((await evaluatePlan(p)).filter((v) => v.rule === "flipstack-image-digest" && v.urn.includes("api-blue-4a5b6c7"))).toEqual([]);
  });

  it("never builds again a slot the deployed stack already runs: it keeps the recorded digest", async () => {
    const digest = `${REPO}@sha256:${"d".repeat(64)}`;
    const deployed = { api: { liveVersion: "3f2c1ab", generation: 33, slots: { blue: { version: "4a5b6c7", image: digest } } } };
    const p = await planStack({ cwd: root, stack: "staging", sets: BUILD_BLUE, stackOutputs: withDeployed(deployed) });
    expect(ofType(p, IMAGE)).toEqual([]);
    expect(imageOf(p, "api-blue-4a5b6c7-task")).toBe(digest);
  });

  it("builds nothing for slots that name their image, whatever the build settings say", async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-context-"));
    fs.writeFileSync(path.join(other, "Dockerfile"), "FROM scratch\n");
    try {
      const before = await planStack({ cwd: root, stack: "staging" });
      const after = await planStack({ cwd: root, stack: "staging", sets: [`services.api.build.context=${other}`] });
      expect([...ofType(before, IMAGE), ...ofType(after, IMAGE)]).toEqual([]);
      const tasks = (p: Plan) => ofType(p, TASK).map((t) => [t.name, t.inputs]);
      expect(tasks(after)).toEqual(tasks(before));
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it("a preview builds the pull request's image once into staging's repository, tagged pr-<number>-<version>", async () => {
    const sets = ['preview.services.api={"version":"4a5b6c7","build":true}'];
    const p = await planStack({ cwd: root, stack: "pr-42", sets });
    expect(ofType(p, "aws:ecr/repository:Repository")).toEqual([]);
    expect(ofType(p, IMAGE).map((i) => i.inputs.imageName)).toEqual([`${REPO}:pr-42-4a5b6c7`]);
    expect(imageOf(p, "preview-api-blue-4a5b6c7-task")).toMatch(DIGEST);
    // The same commit again (a rerun of the workflow): the preview keeps the digest it runs.
    const digest = `${REPO}@sha256:${"e".repeat(64)}`;
    const deployed = (name: string) => (name === "organization/flipstack/pr-42" ? { services: { api: { slots: { blue: { version: "4a5b6c7", image: digest } } } } } : undefined);
    const again = await planStack({ cwd: root, stack: "pr-42", sets, stackOutputs: deployed });
    expect(ofType(again, IMAGE)).toEqual([]);
    expect(imageOf(again, "preview-api-blue-4a5b6c7-task")).toBe(digest);
  });

  it("refuses a build in production, which runs the digests staging verified", async () => {
    await expect(planStack({ cwd: root, stack: "production", sets: ['services.api.release.blue={"version":"4a5b6c7","build":true}'] }))
      .rejects.toThrow("flipstack:services.api.release: a slot is marked `build: true`, but production builds no images");
  });

  it("refuses a slot that names an image and asks for a build", async () => {
    await expect(planStack({ cwd: root, stack: "staging", sets: [`services.api.release.blue={"version":"4a5b6c7","build":true,"image":"${REPO}:4a5b6c7"}`] }))
      .rejects.toThrow("flipstack:services.api.release.blue");
  });
});
