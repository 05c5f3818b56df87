import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { EXIT } from "../../cli/release/errors";
import { deploy } from "../../cli/release/steps/deploy";
import { FAKE_PULUMI_ROOT, fixture, release, type Fixture } from "./harness";

const NEW = release("2.0.0");

describe("a concurrent update holds the stack", () => {
  let f: Fixture;
  beforeEach(async () => (f = await fixture()));
  afterEach(() => f.cleanup());

  it("fails with one clear line, exit 5, and never runs `pulumi cancel`", async () => {
    f.update((s) => void (s.lockedUps = -1));
    const failure = deploy(f.ctx, NEW);
    await expect(failure).rejects.toMatchObject({ exitCode: EXIT.locked });
    await expect(failure).rejects.toThrow(
      "deploy: stack staging is locked by another update; let it finish, then run this command again, or add `--wait 15m` to wait for it (flipstack never cancels another update)",
    );
    expect(f.argv().some((args) => args.includes("cancel"))).toBe(false);
    expect(f.live()).toBe("green 1.0.0");
  });

  it("with --wait, polls until the other update finishes, then applies", async () => {
    f.update((s) => void (s.lockedUps = 2));
    await deploy({ ...f.ctx, timing: { ...f.ctx.timing, lockWaitMs: 60_000 } }, NEW);
    expect(f.clock.sleeps).toEqual([10_000, 10_000]);
    expect(f.logs).toContain("deploy: stack staging is locked by another update; waiting for it (1m 00s left)");
    expect(f.calls()).toEqual(["set blue.version=2.0.0", `set blue.image=${NEW.image}`, "set phase=deployed", "up", "up", "up"]);
    expect(f.state().outputs.services?.api.idleVersion).toBe("2.0.0");
  });

  it("with --wait, gives up after the wait and says so", async () => {
    f.update((s) => void (s.lockedUps = -1));
    await expect(deploy({ ...f.ctx, timing: { ...f.ctx.timing, lockWaitMs: 25_000 } }, NEW)).rejects.toThrow("is still locked by another update after 25.0 s");
    expect(f.clock.sleeps).toEqual([10_000, 10_000, 5_000]);
  });

  it("with --wait, plans again from the stack the other update left: its new live slot is never overwritten", async () => {
    f.update((s) => void (s.lockedUps = -1));
    // While we wait, another run promotes 1.5.0 into blue: the slot our deploy had planned to use.
    f.clock.onSleep = () => {
      const ours = f.state().config;
      f.update((s) => {
        s.lockedUps = 0;
        Object.assign(s.config["flipstack:services"].api.release, {
          live: "blue", generation: 8, blue: release("1.5.0"), previous: release("1.0.0"), phase: "promoted",
        });
      });
      execFileSync(process.execPath, [path.join(FAKE_PULUMI_ROOT, "bin", "pulumi"), "up", "--stack", "staging"], { env: { ...process.env, ...f.env } });
      f.update((s) => void (s.config = ours)); // our checkout never saw the other run's config
    };
    await expect(deploy({ ...f.ctx, timing: { ...f.ctx.timing, lockWaitMs: 60_000 } }, NEW)).rejects.toThrow(
      "green still holds 1.0.0, the rollback target of blue 1.5.0",
    );
    expect(f.live()).toBe("blue 1.5.0");
    expect(f.state().outputs.services?.api.idleVersion).toBe("1.0.0");
  });
});
