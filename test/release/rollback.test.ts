import { readLedger } from "../../cli/release/applyRelease";
import { EXIT } from "../../cli/release/errors";
import { deploy } from "../../cli/release/steps/deploy";
import { rollback } from "../../cli/release/steps/rollback";
import { fixture, release, type Fixture } from "./harness";

const OLD = release("1.0.0");

describe("release rollback", () => {
  let f: Fixture;
  beforeEach(async () => (f = await fixture()));
  afterEach(() => f.cleanup());

  it("with the old slot still there, flips the listener back in one up", async () => {
    f.reach("promoted");
    await rollback(f.ctx);
    expect(f.calls()).toEqual(["set live=green", "set generation=9", "rm previous", "set phase=rolled-back", "set failed[0].version=2.0.0", "set failed[0].reason=rolled back by `release rollback`", "up"]);
    expect(f.live()).toBe("green 1.0.0");
  });

  it("after retire, redeploys the previous release into the empty slot, verifies it, then flips to it", async () => {
    f.reach("retired");
    await rollback(f.ctx);
    expect(f.calls()).toEqual([
      "set green.version=1.0.0", `set green.image=${OLD.image}`, "set phase=deployed", "up",
      "set phase=verified", "up",
      "set live=green", "set generation=9", "rm previous", "set phase=rolled-back", "set failed[0].version=2.0.0", "set failed[0].reason=rolled back by `release rollback`", "up",
    ]);
    expect(f.live()).toBe("green 1.0.0");
  });

  it("after retire, never flips when the redeployed previous release fails verify", async () => {
    f.reach("retired");
    f.listener.mode = "error";
    await expect(rollback(f.ctx)).rejects.toThrow("verify: green 1.0.0");
    expect(f.live()).toBe("blue 2.0.0");
    // Run again once the release answers: it continues with verify instead of deploying again.
    f.listener.mode = "idle";
    const before = f.calls().length;
    await rollback(f.ctx);
    expect(f.calls().slice(before)).toEqual(["set phase=verified", "up", "set live=green", "set generation=9", "rm previous", "set phase=rolled-back", "set failed[0].version=2.0.0", "set failed[0].reason=rolled back by `release rollback`", "up"]);
    expect(f.live()).toBe("green 1.0.0");
  });

  it("run again after it completed, is refused and changes nothing (it never flips back to the release it rolled back from)", async () => {
    f.reach("promoted");
    await rollback(f.ctx, { reason: "checkout errors" });
    const before = f.calls().length;
    await expect(rollback(f.ctx)).rejects.toMatchObject({
      exitCode: EXIT.refused,
      message: expect.stringContaining("api was already rolled back: green 1.0.0 is live, rolled back from 2.0.0 (checkout errors); rolling back again would put users back on the release that failed. Release a fix"),
    });
    expect(f.calls().slice(before)).toEqual([]);
    expect(f.live()).toBe("green 1.0.0");
  });

  it("with no previous release recorded, is refused and targets nothing", async () => {
    await expect(rollback(f.ctx)).rejects.toMatchObject({ exitCode: EXIT.refused, message: expect.stringContaining("no previous release is recorded") });
    expect(f.calls()).toEqual([]);
    expect(f.live()).toBe("green 1.0.0");
  });

  it("while another release waits in the idle slot, replaces it with the previous release instead of flipping to it", async () => {
    f.reach("retired");
    await deploy(f.ctx, release("3.0.0"));
    await rollback(f.ctx);
    expect(f.live()).toBe("green 1.0.0");
    expect((await readLedger(f.ctx)).versions).toEqual({ blue: "2.0.0", green: "1.0.0" });
  });
});
