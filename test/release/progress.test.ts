import type { ReleaseContext } from "../../cli/release/context";
import { formatDuration, parseDuration } from "../../cli/release/duration";
import { lineSplitter, runSteps } from "../../cli/release/progress";

describe("release progress output", () => {
  const context = () => {
    let now = 0;
    const ctx = { clock: { now: () => now, sleep: async (ms: number) => void (now += ms) }, log: () => undefined } as unknown as ReleaseContext;
    return ctx;
  };

  it("prints plain lines with elapsed times, the steps' own lines indented, and stops at the first failure", async () => {
    const ctx = context();
    const lines: string[] = [];
    const steps = [
      { title: "deploy", action: async () => { ctx.log("deploy: pulumi up"); await ctx.clock.sleep(72_500); } },
      { title: "verify", action: async () => { await ctx.clock.sleep(1_200); throw new Error("status 500"); } },
      { title: "promote", action: async () => lines.push("promote ran") },
    ];
    await expect(runSteps(ctx, steps, { plain: true, print: (l) => lines.push(l) })).rejects.toThrow("status 500");
    expect(lines).toEqual(["▶ deploy", "  deploy: pulumi up", "✔ deploy (1m 13s)", "▶ verify", "✖ verify (1.2 s)"]);
  });

  it("gives the steps' lines back to the command once the steps are done", async () => {
    const ctx = context();
    const original = ctx.log;
    await runSteps(ctx, [{ title: "deploy", action: async () => undefined }], { plain: true, print: () => undefined });
    expect(ctx.log).toBe(original);
  });

  it("turns streamed pulumi output into whole lines", () => {
    const lines: string[] = [];
    const splitter = lineSplitter((l) => lines.push(l));
    ["Updat", "ing (staging)\r\n\n   + aws:lb:TargetGroup", " api-blue created\nDuration: 1s"].forEach((c) => splitter.write(c));
    splitter.flush();
    expect(lines).toEqual(["Updating (staging)", "   + aws:lb:TargetGroup api-blue created", "Duration: 1s"]);
  });

  it.each([
    ["90s", 90_000],
    ["10m", 600_000],
    ["1h30m", 5_400_000],
    ["250ms", 250],
    ["0", 0],
  ])("reads the duration %s", (text, ms) => {
    expect(parseDuration(text, "--for")).toBe(ms);
  });

  it.each(["10", "10 m", "ten minutes", "-5s", ""])("refuses %j, which has no unit or is not a duration", (text) => {
    expect(() => parseDuration(text, "--for")).toThrow("`--for`");
  });

  it("formats elapsed times for people", () => {
    expect([400, 12_000, 65_000, 600_000].map(formatDuration)).toEqual(["0.4 s", "12.0 s", "1m 05s", "10m 00s"]);
  });
});
