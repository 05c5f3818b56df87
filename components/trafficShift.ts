/**
 * How a service's users move to a new release: all at once (one listener change), or in steps, each step a
 * weighted forward action on the production rule that the release command watches before the next one.
 * Pure helpers, shared by the component (weights), the stack config (validation) and the release command (steps).
 */

export const SHIFT_STRATEGIES = ["allAtOnce", "canary", "linear"] as const;
export type ShiftStrategy = (typeof SHIFT_STRATEGIES)[number];

/** A resolved shift: every percentage and duration known. */
export interface TrafficShift {
  readonly strategy: ShiftStrategy;
  /** Percent of users on the new release after each step, increasing, ending with 100 (`[100]` for allAtOnce). */
  readonly steps: readonly number[];
  /** How long each step before 100% is watched before the next one. 0 for allAtOnce. */
  readonly stepSeconds: number;
  /** Forward-action target group stickiness during a shift, so a user stays on one release. @default none */
  readonly stickinessSeconds?: number;
}

/** A shift as people write it in the stack config (`services.<name>.shift`), in its object form. */
export interface ShiftSpec {
  /** @default "canary" when `steps` or `percent` is given, else "allAtOnce" */
  readonly strategy?: ShiftStrategy;
  /** canary: the first step's percentage; linear: the increment. 1–99. @default 10 (canary), 25 (linear) */
  readonly percent?: number;
  /** How long each step is watched, e.g. `5m`, `90s`. @default 5m (canary), 2m (linear) */
  readonly every?: string;
  /** Explicit percentages for a multi-step canary, e.g. `[5, 25, 100]`: increasing, each 1–99 except the last, 100. */
  readonly steps?: readonly number[];
  /** Keep a user on one release during a shift for this long (ALB allows 1s to 7 days), e.g. `1h`. @default off */
  readonly stickiness?: string;
}

export const SHIFT_DEFAULTS = {
  canary: { percent: 10, stepSeconds: 300 },
  linear: { percent: 25, stepSeconds: 120 },
} as const;

export const ALL_AT_ONCE: TrafficShift = { strategy: "allAtOnce", steps: [100], stepSeconds: 0 };

/** The longest stickiness an ALB forward action accepts: 7 days. */
export const MAX_STICKINESS_SECONDS = 604_800;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** `90s`, `5m`, `1h30m`, `1d` in whole seconds; undefined when it is not such a duration (a unit is required). */
export function parseDurationSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+)([smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== trimmed) return undefined;
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS], 0);
}

/** A problem with one field of a shift: the field (`percent`, `every`, ... or `""` for the whole value) and why. */
export type ShiftProblem = readonly [field: string, message: string];

const SHORTHAND_HELP = "write `allAtOnce`, `canary 10% 5m` or `linear 25% every 2m` (or the object form { strategy, percent, every, steps, stickiness })";

/**
 * The shift a config value asks for, or the problems with it. One line covers the common cases:
 * `allAtOnce`, `canary`, `canary 10% 5m`, `canary 10% for 5m`, `linear 25% every 2m`.
 */
export function resolveShift(value: string | ShiftSpec | undefined): { shift?: TrafficShift; problems: ShiftProblem[] } {
  if (value === undefined) return { shift: ALL_AT_ONCE, problems: [] };
  const spec = typeof value === "string" ? parseShorthand(value) : value;
  if (spec === undefined) return { problems: [["", `${JSON.stringify(value)} is not a shift; ${SHORTHAND_HELP}`]] };
  const problems: ShiftProblem[] = [];
  const strategy = spec.strategy ?? (spec.steps || spec.percent !== undefined ? "canary" : "allAtOnce");
  const stickinessSeconds = spec.stickiness === undefined ? undefined : checkStickiness(spec.stickiness, problems);
  if (strategy === "allAtOnce") {
    for (const field of ["percent", "every", "steps", "stickiness"] as const) {
      if (spec[field] !== undefined) problems.push([field, "has no effect with strategy allAtOnce; remove it or choose canary or linear"]);
    }
    return problems.length ? { problems } : { shift: ALL_AT_ONCE, problems };
  }
  const defaults = SHIFT_DEFAULTS[strategy];
  let stepSeconds: number = defaults.stepSeconds;
  if (spec.every !== undefined) {
    const seconds = parseDurationSeconds(spec.every);
    if (seconds === undefined || seconds < 1) problems.push(["every", `${JSON.stringify(spec.every)} is not a duration; use a number with a unit, such as 90s, 5m or 1h`]);
    else stepSeconds = seconds;
  }
  const steps = spec.steps ? checkSteps(strategy, spec, problems) : percentSteps(strategy, spec.percent ?? defaults.percent, problems);
  if (problems.length > 0 || !steps) return { problems };
  return { shift: { strategy, steps, stepSeconds, ...(stickinessSeconds !== undefined && { stickinessSeconds }) }, problems };
}

function parseShorthand(text: string): ShiftSpec | undefined {
  const [strategy, ...rest] = text.trim().split(/\s+/);
  if (!(SHIFT_STRATEGIES as readonly string[]).includes(strategy)) return undefined;
  const spec: { strategy: ShiftStrategy; percent?: number; every?: string } = { strategy: strategy as ShiftStrategy };
  for (const token of rest) {
    const percent = /^(\d+)%$/.exec(token);
    if (percent && spec.percent === undefined) spec.percent = Number(percent[1]);
    else if ((token === "for" || token === "every") && spec.every === undefined) continue;
    else if (/^\d/.test(token) && spec.every === undefined) spec.every = token;
    else return undefined;
  }
  return spec;
}

function percentSteps(strategy: "canary" | "linear", percent: number, problems: ShiftProblem[]): number[] | undefined {
  if (!Number.isInteger(percent) || percent < 1 || percent > 99) {
    problems.push(["percent", `${percent}% is outside 1–99; a step must leave some users on each slot (100% is the last step, always)`]);
    return undefined;
  }
  if (strategy === "canary") return [percent, 100];
  const steps: number[] = [];
  for (let p = percent; p < 100; p += percent) steps.push(p);
  return [...steps, 100];
}

function checkSteps(strategy: "canary" | "linear", spec: ShiftSpec, problems: ShiftProblem[]): number[] | undefined {
  const steps = [...spec.steps!];
  if (strategy === "linear") problems.push(["steps", "lists the percentages of a canary; a linear shift takes `percent` (the increment) instead"]);
  if (spec.percent !== undefined) problems.push(["percent", "conflicts with `steps`; give one of them"]);
  const outside = steps.slice(0, -1).filter((p) => !Number.isInteger(p) || p < 1 || p > 99);
  if (outside.length > 0) problems.push(["steps", `${outside.join(", ")} outside 1–99; every step but the last leaves some users on each slot`]);
  if (steps.some((p, i) => i > 0 && p <= steps[i - 1])) problems.push(["steps", `${steps.join(", ")} does not increase; each step moves more users than the one before`]);
  if (steps[steps.length - 1] !== 100) problems.push(["steps", `ends at ${steps[steps.length - 1]}%; the last step is 100 (every user on the new release)`]);
  if (steps.length < 2) problems.push(["steps", "needs at least one step before 100; for a single switch use strategy allAtOnce"]);
  return problems.length ? undefined : steps;
}

function checkStickiness(text: string, problems: ShiftProblem[]): number | undefined {
  const seconds = parseDurationSeconds(text);
  if (seconds === undefined || seconds < 1 || seconds > MAX_STICKINESS_SECONDS) {
    problems.push(["stickiness", `${JSON.stringify(text)} must be a duration from 1s to 7d (what an ALB forward action accepts), such as 1h`]);
    return undefined;
  }
  return seconds;
}

/** How long a shift watches its steps before the last one moves everyone: what a full shift adds to a release. */
export const shiftWatchSeconds = (shift: Pick<TrafficShift, "steps" | "stepSeconds">) => (shift.steps.length - 1) * shift.stepSeconds;

/** The steps still to take from `weight` (percent already on the new release). */
export const stepsAfter = (shift: Pick<TrafficShift, "steps">, weight: number) => shift.steps.filter((p) => p > weight);

/**
 * ALB target group weights of the live and the new slot while `weight` percent of users are on the new one.
 * Percentages are valid ALB weights (0–999), and the live slot keeps a weight of at least 1 until the last step.
 */
export const shiftWeights = (weight: number) => ({ live: 100 - weight, idle: weight });
