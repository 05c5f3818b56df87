import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";

/**
 * Every problem in a stack config at once, each as `flipstack:<key path>: <what is wrong and how to fix it>`.
 * A `pulumi.RunError`, so `pulumi up` prints the message without a stack trace and `flipstack plan` exits 2.
 */
export class ConfigError extends pulumi.RunError {
  constructor(
    readonly stack: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid config for stack "${stack}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` + problems.map((p) => `  ${p}`).join("\n"));
    this.name = "ConfigError";
  }
}

export type KeyPath = ReadonlyArray<PropertyKey>;

/** `["network", "cidr"]` → `flipstack:network.cidr`; `["vpn", "staticRoutes", 0]` → `flipstack:vpn.staticRoutes[0]`. */
export function configKey(namespace: string, path: KeyPath): string {
  const [head, ...rest] = path;
  const segment = (s: PropertyKey) => (typeof s === "number" ? `[${s}]` : String(s).includes(".") ? `[${JSON.stringify(String(s))}]` : `.${String(s)}`);
  return `${namespace}:${String(head ?? "")}` + rest.map(segment).join("");
}

/** One readable sentence per zod issue. `schema` and `input` let unknown keys suggest what was meant. */
export function describeIssue(namespace: string, issue: z.core.$ZodIssue, schema: z.ZodType, input: unknown): string[] {
  const key = (path: KeyPath) => configKey(namespace, path);
  const got = (value: unknown) => (value === undefined ? "nothing" : JSON.stringify(value));
  const inputValue = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = allowedKeysAt(schema, issue.path, input);
      return issue.keys.map((k) => {
        const guess = closest(k, allowed);
        const hint = guess ? `did you mean "${guess}"?` : allowed.length ? `allowed keys: ${allowed.join(", ")}` : "remove it";
        return `${key([...issue.path, k])}: unknown key; ${hint}`;
      });
    }
    case "invalid_type":
      return inputValue === undefined
        ? [`${key(issue.path)}: is required (${issue.expected === "object" ? "a map of settings" : `a ${issue.expected}`})`]
        : [`${key(issue.path)}: expected ${issue.expected === "int" ? "a whole number" : `a ${issue.expected}`}, got ${got(inputValue)}`];
    case "invalid_value":
      return [`${key(issue.path)}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${got(inputValue)}`];
    case "too_small":
    case "too_big": {
      // A message the schema wrote itself says more than the bound alone.
      if (!/^Too (small|big)/.test(issue.message)) return [`${key(issue.path)}: ${issue.message}, got ${got(inputValue)}`];
      const bound = issue.code === "too_small" ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
      const what = issue.origin === "array" ? `needs ${bound} entries` : issue.origin === "string" ? `must be ${bound} characters` : `must be ${bound}`;
      return [`${key(issue.path)}: ${what}, got ${got(inputValue)}`];
    }
    case "invalid_union": {
      // A discriminated union without a known `kind`: zod's path already ends at the discriminator.
      if ("discriminator" in issue && issue.discriminator === "kind") {
        const kind = (inputValue as Record<string, unknown> | undefined)?.kind;
        return [`${key(issue.path)}: must be "instances" (an AMI per release) or "containers" (an image per release), got ${got(kind)}`];
      }
      return [`${key(issue.path)}: ${issue.message === "Invalid input" ? "has the wrong type" : issue.message}, got ${got(inputValue)}`];
    }
    case "invalid_key":
      return [`${key(issue.path)}: ${got(inputValue)} ${issue.issues[0]?.message ?? "is not a valid name"}`];
    default:
      return [`${key(issue.path)}: ${got(inputValue)} ${issue.message}`];
  }
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  in?: z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The keys an object schema accepts at `path` (walking optionals, records, arrays and the `kind` union). */
export function allowedKeysAt(schema: z.ZodType, path: KeyPath, input: unknown): string[] {
  let node: z.ZodType | undefined = schema;
  let value = input;
  for (let i = 0; i <= path.length && node; ) {
    const def = defOf(node);
    if (def.type === "optional" || def.type === "default" || def.type === "nullable") {
      node = def.innerType;
    } else if (def.type === "pipe") {
      node = def.in;
    } else if (def.type === "union") {
      const kind = (value as Record<string, unknown> | undefined)?.[def.discriminator ?? "kind"];
      node = def.options?.find((o) => (defOf(o).shape?.kind as unknown as { _zod: { def: { values: unknown[] } } })?._zod.def.values?.includes(kind)) ?? def.options?.[0];
    } else if (i === path.length) {
      break;
    } else {
      const segment = path[i++];
      value = (value as Record<PropertyKey, unknown> | undefined)?.[segment];
      node = def.type === "object" ? def.shape?.[String(segment)] : def.type === "record" ? def.valueType : def.type === "array" ? def.element : undefined;
    }
  }
  return node && defOf(node).type === "object" ? Object.keys(defOf(node).shape ?? {}) : [];
}

/** The allowed key nearest to a misspelt one (edit distance at most 2, or a case-only difference). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, candidate);
    if (distance <= 2 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
