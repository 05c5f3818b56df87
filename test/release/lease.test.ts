import { LEASE_TTL_MS, leaseTag, parseLease } from "../../cli/release/lease";
import { runPipeline } from "../../cli/release/pipeline";
import { fixture, release, type Fixture } from "./harness";

const NEW = release("2.0.0");
const TAG = leaseTag("api");
const run = (f: Fixture, takeOver = false) => runPipeline(f.ctx, { artefact: NEW, takeOver, bakeMs: 600_000, verify: {}, plain: true, print: () => undefined });
/** Another run's claim, `ageMs` old on the fixture's clock (which starts at 0). */
const claimedBy = (f: Fixture, version: string, ageMs: number) =>
  f.update((s) => void (s.tags = { [TAG]: `${version} ci@runner-7 ${new Date(f.clock.now() - ageMs).toISOString()}` }));

describe("a second release of the same service while one is in progress", () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(() => f.cleanup());

  it("is refused at its start, naming the run in progress, with nothing changed", async () => {
    claimedBy(f, "1.5.0", 10 * 60_000);
    await expect(run(f)).rejects.toThrow(
      `api: another release is in progress: 1.5.0, started by ci@runner-7 10m 00s ago (stack tag ${TAG}); nothing was changed. Wait for it to finish, or, if that run is gone, run again with \`--take-over\``,
    );
    expect(f.calls()).toEqual([]);
    expect(f.state().tags?.[TAG]).toMatch(/^1\.5\.0 /);
  });

  it("claims the service while it runs and clears the claim when it ends", async () => {
    let during: string | undefined;
    f.clock.onSleep = () => (during ??= f.state().tags?.[TAG]);
    await run(f);
    expect(parseLease(during)).toMatchObject({ version: "2.0.0" });
    expect(f.state().tags?.[TAG]).toBeUndefined();
    expect(f.live()).toBe("blue 2.0.0");
  });

  it("lets the same version resume (a CI retry), and clears the claim of a run that failed", async () => {
    claimedBy(f, "2.0.0", 60_000);
    f.failUp(1);
    await expect(run(f)).rejects.toThrow("pulumi up failed");
    expect(f.state().tags?.[TAG]).toBeUndefined();
    await run(f);
    expect(f.live()).toBe("blue 2.0.0");
  });

  it("takes over a claim older than the lease, or any claim with --take-over", async () => {
    claimedBy(f, "1.5.0", LEASE_TTL_MS);
    await run(f);
    expect(f.logs.some((l) => l.startsWith("run: taking over api from 1.5.0 (ci@runner-7, older than"))).toBe(true);

    const g = await fixture();
    try {
      claimedBy(g, "1.5.0", 60_000);
      await runPipeline(g.ctx, { artefact: NEW, takeOver: true, bakeMs: 600_000, verify: {}, plain: true, print: () => undefined });
      expect(g.live()).toBe("blue 2.0.0");
      expect(g.logs.some((l) => l.startsWith("run: taking over api from 1.5.0 (ci@runner-7, --take-over, within"))).toBe(true);
    } finally {
      await g.cleanup();
    }
  });

  it("on a backend without stack tags, says so once and releases unguarded", async () => {
    f.update((s) => void (s.tagsUnsupported = true));
    await run(f);
    expect(f.live()).toBe("blue 2.0.0");
    expect(f.logs.filter((l) => l.includes("stack tags are not available on this backend"))).toHaveLength(1);
  });
});
