import { readLedger } from "../../cli/release/applyRelease";
import { EXIT } from "../../cli/release/errors";
import { runPipeline } from "../../cli/release/pipeline";
import { deploy } from "../../cli/release/steps/deploy";
import { promote } from "../../cli/release/steps/promote";
import { retire } from "../../cli/release/steps/retire";
import { rollback } from "../../cli/release/steps/rollback";
import { fixture, release, type Fixture } from "./harness";

const NEW = release("2.0.0");
const api = (f: Fixture) => f.state().config["flipstack:services"].api.release;

describe("release guards", () => {
  let f: Fixture;
  beforeEach(async () => (f = await fixture()));
  afterEach(() => f.cleanup());

  it("promote refuses a slot that has not passed verify, and changes nothing", async () => {
    f.reach("deployed");
    await expect(promote(f.ctx)).rejects.toMatchObject({ exitCode: EXIT.refused });
    expect(f.calls()).toEqual([]);
    expect(f.live()).toBe("green 1.0.0");
  });

  it.each([
    ["promoted", "blue 2.0.0", "green"],
    ["deployed", "green 1.0.0", "blue"],
  ] as const)("retire --force when %s removes the idle slot and never the live one", async (stage, live, removed) => {
    f.reach(stage);
    await retire(f.ctx, { force: true });
    expect(f.live()).toBe(live);
    const [liveColor] = live.split(" ") as ["blue" | "green"];
    expect(api(f)[liveColor]).toEqual(release(live.split(" ")[1]));
    expect(api(f)[removed]).toBeUndefined();
  });

  it("retire refuses to remove the way back before the bake", async () => {
    f.reach("promoted");
    await expect(retire(f.ctx)).rejects.toThrow("green (1.0.0) is the way back until blue 2.0.0 has baked (phase promoted)");
    expect(api(f).green).toEqual(release("1.0.0"));
  });

  it("retire removes the slot the deployed stack says is idle, even when the checkout says otherwise", async () => {
    f.reach("retired");
    await deploy(f.ctx, release("3.0.0"));
    // A stale checkout that still has green live: retiring "green" would take down what users are on.
    f.update((s) => Object.assign(s.config["flipstack:services"].api.release, { live: "green", generation: 7 }));
    await retire(f.ctx, { force: true });
    expect(f.live()).toBe("blue 2.0.0");
    expect(api(f)).toMatchObject({ live: "blue", generation: 8, blue: release("2.0.0") });
    expect(api(f).green).toBeUndefined();
  });

  it("promote from a stale checkout makes live exactly the release that passed verify, not the checkout's", async () => {
    f.reach("verified");
    // A fresh clone whose stack file was committed before this release: blue holds an older, never verified build.
    f.update((s) => Object.assign(s.config["flipstack:services"].api.release, { blue: release("1.9.9"), phase: undefined }));
    await promote(f.ctx);
    // The checkout's release config is first taken from the deployed stack (before the preview), then flipped.
    expect(f.calls()).toEqual([
      "set blue.version=2.0.0", `set blue.image=${NEW.image}`, "set phase=verified",
      "set live=blue", "set generation=8", "set previous.version=1.0.0", `set previous.image=${release("1.0.0").image}`, "set phase=promoted", "up",
    ]);
    expect(f.live()).toBe("blue 2.0.0");
  });

  it("deploy refuses to replace the rollback target while the new release is still baking", async () => {
    f.reach("promoted");
    await expect(deploy(f.ctx, release("3.0.0"))).rejects.toThrow("green still holds 1.0.0, the rollback target of blue 2.0.0, which has not finished its bake");
    expect(api(f).green).toEqual(release("1.0.0"));
  });

  it.each([
    [{ version: "2.0.0", ami: "ami-0123456789abcdef0" }, "api runs containers: give `--image`, not `--ami`"],
    [{ version: "2.0.0" }, "give exactly one of `--ami <id>` or `--image <ref>`"],
  ])("deploy refuses a wrong artefact before writing anything: %j", async (artefact, message) => {
    await expect(deploy(f.ctx, artefact)).rejects.toMatchObject({ exitCode: EXIT.refused, message });
    expect(f.calls()).toEqual([]);
  });

  it("a service the stack does not have is refused with the ones it has", async () => {
    await expect(deploy({ ...f.ctx, service: "apl" }, NEW)).rejects.toThrow('stack staging has no service "apl" (deployed services: api)');
  });

  it("a ledger without artefacts (an older program) is completed from the checkout where the versions agree", async () => {
    f.update((s) => void (s.withoutArtefacts = true));
    await runPipeline(f.ctx, { artefact: NEW, bakeMs: 0, verify: {}, plain: true, print: () => undefined });
    expect(f.live()).toBe("blue 2.0.0");
  });

  it("a ledger without artefacts and a checkout that disagrees is refused rather than guessed", async () => {
    f.update((s) => {
      s.withoutArtefacts = true;
      s.outputs = {};
    });
    // Redeploy the ledger without artefacts, then make the checkout disagree with it.
    await f.ctx.stack.up(() => undefined);
    f.update((s) => void (s.config["flipstack:services"].api.release.green = release("0.9.0")));
    await expect(deploy(f.ctx, NEW)).rejects.toThrow("cannot tell which image the deployed green release 1.0.0 runs");
    expect((await readLedger(f.ctx)).liveVersion).toBe("1.0.0");
  });
});

describe("promote and rollback change the listener rules only", () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(() => f.cleanup());

  it("refuses a promote whose checkout would change more than the listener rules, naming what, and changes nothing", async () => {
    f.reach("verified");
    // Another checkout's edits: the same update would rebuild the idle slot's service and change the VPC.
    f.update((s) => void (s.checkoutChanges = [
      { op: "replace", type: "aws:ecs/service:Service", name: "api-blue-2.0.0-service" },
      { op: "update", type: "aws:ec2/vpc:Vpc", name: "staging-vpc" },
      { op: "update", type: "flipstack:traffic:BlueGreenService", name: "api" },
    ]));
    await expect(promote(f.ctx)).rejects.toThrow(
      "promote: api: this checkout would change more than the listener rules: replace aws:ecs/service:Service api-blue-2.0.0-service, update aws:ec2/vpc:Vpc staging-vpc; nothing was changed. " +
        "Apply those changes on their own first (review them with `pulumi preview --stack staging`), promote from a checkout that matches the deployed stack, " +
        "or accept them in the same update with `--allow-checkout-changes`",
    );
    expect(f.calls()).toEqual([]);
    expect(f.live()).toBe("green 1.0.0");

    // Accepted by name: the flip goes ahead, and says what else its update applies.
    f.ctx.allowCheckoutChanges = true;
    await promote(f.ctx);
    expect(f.live()).toBe("blue 2.0.0");
    expect(f.logs).toContain("promote: --allow-checkout-changes: the same update also applies replace aws:ecs/service:Service api-blue-2.0.0-service, update aws:ec2/vpc:Vpc staging-vpc");
  });

  it("promotes once the checkout matches the deployed stack (components moving with the release state do not count)", async () => {
    f.reach("verified");
    f.update((s) => void (s.checkoutChanges = [{ op: "update", type: "flipstack:traffic:BlueGreenService", name: "api" }]));
    await promote(f.ctx);
    expect(f.live()).toBe("blue 2.0.0");
  });

  it("refuses a manual rollback the same way", async () => {
    f.reach("promoted");
    f.update((s) => void (s.checkoutChanges = [{ op: "create", type: "aws:s3/bucket:Bucket", name: "scratch" }]));
    await expect(rollback(f.ctx)).rejects.toThrow("rollback: api: this checkout would change more than the listener rules: create aws:s3/bucket:Bucket scratch; nothing was changed.");
    expect(f.live()).toBe("blue 2.0.0");
  });
});
