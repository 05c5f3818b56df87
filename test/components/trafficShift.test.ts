import fc from "fast-check";
import { parseDurationSeconds, resolveShift, shiftWatchSeconds, shiftWeights, stepsAfter } from "../../components/trafficShift";

describe("resolveShift", () => {
  it("gives every canary and linear percentage steps that increase from 1–99 to exactly 100", () => {
    fc.assert(
      fc.property(fc.constantFrom("canary", "linear"), fc.integer({ min: 1, max: 99 }), (strategy, percent) => {
        const { shift, problems } = resolveShift(`${strategy} ${percent}%`);
        expect(problems).toEqual([]);
        const steps = shift!.steps;
        expect(steps[0]).toBe(percent);
        expect(steps[steps.length - 1]).toBe(100);
        expect(steps.slice(0, -1).every((p) => p >= 1 && p <= 99)).toBe(true);
        expect(steps.every((p, i) => i === 0 || p > steps[i - 1])).toBe(true);
      }),
    );
  });

  it("refuses every percentage outside 1–99", () => {
    fc.assert(
      fc.property(fc.constantFrom("canary", "linear"), fc.oneof(fc.integer({ min: 100, max: 10_000 }), fc.constant(0)), (strategy, percent) => {
        expect(resolveShift(`${strategy} ${percent}%`).problems).toEqual([["percent", expect.stringContaining("outside 1–99")]]);
      }),
    );
  });

  it.each([
    ["canary", 300],
    ["linear", 360],
    ["linear 10% every 1m", 540],
    ["allAtOnce", 0],
  ])("%s watches its steps for %i seconds before the last one", (text, seconds) => {
    expect(shiftWatchSeconds(resolveShift(text).shift!)).toBe(seconds);
  });
});

describe("shiftWeights", () => {
  it("are valid ALB weights that add up to 100 and keep the live slot in the action until the flip", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 }), (weight) => {
        const { live, idle } = shiftWeights(weight);
        expect(live + idle).toBe(100);
        expect(live).toBeGreaterThanOrEqual(1);
        expect([live, idle].every((w) => w >= 0 && w <= 999)).toBe(true);
      }),
    );
  });
});

describe("stepsAfter", () => {
  it.each([
    [0, [25, 50, 75, 100]],
    [50, [75, 100]],
    [60, [75, 100]],
  ])("from %i%% of a linear 25%% shift leaves %j", (weight, steps) => {
    expect(stepsAfter({ steps: [25, 50, 75, 100] }, weight)).toEqual(steps);
  });
});

describe("parseDurationSeconds", () => {
  it.each([
    ["90s", 90],
    ["5m", 300],
    ["1h30m", 5400],
    ["7d", 604_800],
    ["5", undefined],
    ["five minutes", undefined],
    ["5m ", 300],
    ["m5", undefined],
  ])("%j is %s", (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });
});
