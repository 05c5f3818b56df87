import { createHash } from "node:crypto";
import { readLedger } from "../../cli/release/applyRelease";
import { EXIT } from "../../cli/release/errors";
import { parseFlags } from "../../cli/release/actions";
import { runPipeline } from "../../cli/release/pipeline";
import { deploy } from "../../cli/release/steps/deploy";
import { fixture, type Fixture } from "./harness";

const REPO = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api";
const digestOf = (tag: string) => `${REPO}@sha256:${createHash("sha256").update(tag).digest("hex")}`;
const BUILD = { version: "2.0.0", build: true };
const slot = (f: Fixture, color: "blue" | "green") => f.state().config["flipstack:services"].api.release[color];

describe("release deploy --build: build and push in the deploy's own update, pinned by digest", () => {
  let f: Fixture;
  beforeEach(async () => (f = await fixture()));
  afterEach(() => f.cleanup());

  it("marks the idle slot for one up, then pins it to the pushed digest; a later up builds nothing", async () => {
    await deploy(f.ctx, BUILD);
    const digest = digestOf("api:2.0.0");
    expect(f.calls()).toEqual([
      "set blue.version=2.0.0", "set blue.build=true", "set phase=deployed", "up",
      `set blue.image=${digest}`, "rm blue.build",
    ]);
    expect(slot(f, "blue")).toEqual({ version: "2.0.0", image: digest });
    expect(f.state().pushed).toEqual(["api:2.0.0"]);
    expect(f.logs).toContain(`deploy: api blue 2.0.0 built and pushed as ${digest}; stack config pinned (set blue.image=${digest}, rm blue.build)`);
    expect(f.live()).toBe("green 1.0.0");
    // Any later update (here the verify step's) runs the recorded digest and pushes nothing.
    await f.ctx.stack.up(() => undefined);
    expect(f.state().pushed).toEqual(["api:2.0.0"]);
    expect((await readLedger(f.ctx)).slots?.blue?.image).toBe(digest);
  });

  it("release run --build builds, verifies and promotes the digest", async () => {
    await runPipeline(f.ctx, { artefact: BUILD, bakeMs: 600_000, verify: {}, plain: true, print: () => undefined });
    expect(f.live()).toBe("blue 2.0.0");
    expect(slot(f, "blue")).toEqual({ version: "2.0.0", image: digestOf("api:2.0.0") });
    expect(f.state().pushed).toEqual(["api:2.0.0"]);
    expect(f.calls().filter((c) => c.includes("build"))).toEqual(["set blue.build=true", "rm blue.build"]);
  });

  it("a build failure leaves users on the live slot, in one line, and takes the build mark back", async () => {
    f.update((s) => void (s.buildFailure = 'failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1'));
    await expect(deploy(f.ctx, BUILD)).rejects.toThrow(
      "deploy: building the image of api 2.0.0 failed: docker:index/image:Image resource 'image-api-blue-2.0.0': failed to solve: " +
        'process "/bin/sh -c npm ci" did not complete successfully: exit code: 1; users stay on green 1.0.0; fix the build and deploy again',
    );
    expect(f.live()).toBe("green 1.0.0");
    expect(slot(f, "blue")).toBeUndefined();
    expect(f.calls()).toEqual(["set blue.version=2.0.0", "set blue.build=true", "set phase=deployed", "up", "rm blue", "rm phase"]);
  });

  it("maps ECR's refusal of an existing tag to a clear message and changes nothing that runs", async () => {
    f.update((s) => void (s.pushed = ["api:2.0.0"]));
    const error = await deploy(f.ctx, BUILD).catch((err: Error) => err);
    expect(error).toMatchObject({ exitCode: EXIT.failed });
    expect((error as Error).message).toBe(
      `deploy: the image tag 2.0.0 already exists in ${REPO} (ECR tags are immutable, and it was pushed by an earlier build); ` +
        "deploy that image with `--image <repo>@sha256:...` or release a new commit; users stay on green 1.0.0",
    );
    expect(f.live()).toBe("green 1.0.0");
    expect(slot(f, "blue")).toBeUndefined();
  });

  it.each([
    ["a version the ledger records (tags are immutable)", { version: "1.0.0", build: true }, {}, "api: 1.0.0 was built before (green runs it); its tag exists"],
    ["the tag latest", { version: "latest", build: true }, {}, "`--version latest` would tag the image `latest`, which moves"],
    ["--build with --image", { version: "2.0.0", build: true, image: `${REPO}:2.0.0` }, {}, "give `--build` or `--image`/`--ami`, not both"],
    ["a stack that builds no images (production)", BUILD, { buildsImages: false }, "api: stack staging builds no images: it runs the very digests staging built and verified"],
  ])("refuses %s before anything changes", async (_, artefact, state, message) => {
    f.update((s) => Object.assign(s, state));
    // The ledger says what the stack builds: deploy it once with the state's setting.
    if ("buildsImages" in state) await f.ctx.stack.up(() => undefined);
    const before = f.calls().length;
    await expect(deploy(f.ctx, artefact)).rejects.toMatchObject({ exitCode: EXIT.refused, message: expect.stringContaining(message) });
    expect(f.calls().slice(before)).toEqual([]);
    expect(f.live()).toBe("green 1.0.0");
  });

  it("reads `--build` from the command line", () => {
    expect(parseFlags({ stack: "staging", service: "api", version: "2.0.0", build: true }).artefact).toEqual(BUILD);
    expect(parseFlags({ stack: "staging", service: "api", version: "2.0.0", image: `${REPO}:2.0.0` }).artefact).not.toHaveProperty("build");
  });

  it("refuses --build for an instances service, naming the way to release it", async () => {
    const web = await fixture({ kind: "instances", port: 8080, routing: { priority: 100 }, release: { live: "blue", blue: { version: "1.0.0", ami: "ami-0a1b2c3d4e5f67890" } } });
    try {
      await expect(deploy(web.ctx, BUILD)).rejects.toMatchObject({ exitCode: EXIT.refused, message: "api runs on instances: `--build` builds container images; give `--ami`" });
      expect(web.calls()).toEqual([]);
    } finally {
      await web.cleanup();
    }
  });
});
