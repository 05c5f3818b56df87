/**
 * Writes the README's config reference from the stack config schema (stacks/configSchema.ts), where every key
 * carries its description, default and written form. `npm run config-docs` rewrites the block between the markers;
 * test/docs/configDocs.test.ts fails when the README and the schema disagree.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { z } from "zod";
import { containerServiceSchema, instanceServiceSchema, rawConfigSchema, type KeyDoc } from "../stacks/configSchema";

export const README = path.join(__dirname, "..", "README.md");
export const BEGIN = "<!-- config reference: generated from stacks/configSchema.ts by `npm run config-docs`; edit the schema, not this -->";
export const END = "<!-- end of the generated config reference -->";

/** One row of a table: a key relative to its section, and what the schema says of it. */
export interface KeyRow {
  key: string;
  type: string;
  default: string;
  description: string;
}

type Schema = z.ZodType;
/** Zod's definition of a schema: its kind (`def.type`) and what that kind holds. */
const defOf = (schema: Schema) => (schema as unknown as { def: { type: string } & Record<string, unknown> }).def;
/** An object schema, as far as the reference reads it. */
type ObjectSchema = { shape: Record<string, Schema> };

/** The schema under `.optional()` and `.default()`, whether it was optional, and its docs (on the wrapper or inside). */
function unwrap(schema: Schema): { inner: Schema; optional: boolean; doc: Partial<KeyDoc> } {
  let inner = schema;
  let optional = false;
  let doc: Partial<KeyDoc> = { ...(schema.meta() as Partial<KeyDoc> | undefined) };
  while (defOf(inner).type === "optional" || defOf(inner).type === "default") {
    optional = true;
    inner = defOf(inner).innerType as Schema;
    doc = { ...(inner.meta() as Partial<KeyDoc> | undefined), ...doc };
  }
  return { inner, optional, doc };
}

const SAFE = Number.MAX_SAFE_INTEGER;

/** How a value is written, from its schema alone (a key's `type` doc says it better where the schema cannot). */
export function writtenForm(schema: Schema): string {
  const { inner } = unwrap(schema);
  const def = defOf(inner);
  switch (def.type) {
    case "string":
      return "text";
    case "boolean":
      return "boolean";
    case "number": {
      const { minValue: min, maxValue: max } = inner as unknown as { minValue: number; maxValue: number };
      const hasMin = Number.isFinite(min) && Math.abs(min) < SAFE;
      const hasMax = Number.isFinite(max) && Math.abs(max) < SAFE;
      if (hasMin && hasMax) return `${min}–${max}`;
      if (hasMin) return `${min} or more`;
      return "number";
    }
    case "enum":
      return (inner as unknown as { options: string[] }).options.map((o) => `\`${o}\``).join(" \\| ");
    case "literal":
      return (def.values as unknown[]).map((v) => `\`${String(v)}\``).join(" \\| ");
    case "array":
      return `list of ${writtenForm(def.element as Schema)}`;
    case "record":
      return `name → ${writtenForm(def.valueType as Schema)}`;
    case "pipe":
      return writtenForm(def.in as Schema);
    case "union":
      return (def.options as Schema[]).map(writtenForm).join(" or ");
    default:
      return def.type;
  }
}

/** Every documented key of an object schema, nested objects flattened to `a.b` (a key with a `type` doc is one row). */
export function keyRows(object: ObjectSchema, prefix = ""): KeyRow[] {
  return Object.entries(object.shape).flatMap(([name, field]) => {
    const { inner, optional, doc } = unwrap(field);
    const key = `${prefix}${name}`;
    if (!doc.type && defOf(inner).type === "object") return keyRows(inner as unknown as ObjectSchema, `${key}.`);
    return [{ key, type: doc.type ?? writtenForm(inner), default: doc.default ?? (optional ? "none" : "required"), description: doc.description ?? "" }];
  });
}

/** A service's keys: those of both kinds once, the others marked with the one kind they belong to. */
export function serviceRows(): KeyRow[] {
  const instances = keyRows(instanceServiceSchema as unknown as ObjectSchema);
  const containers = keyRows(containerServiceSchema as unknown as ObjectSchema);
  const merged = new Map<string, KeyRow>();
  for (const [kind, rows, other] of [["instances", instances, containers], ["containers", containers, instances]] as const) {
    for (const row of rows) {
      const twin = other.find((r) => r.key === row.key);
      const seen = merged.get(row.key);
      if (seen) {
        if (seen.type !== row.type) seen.type = `${seen.type} \\| ${row.type}`;
        continue;
      }
      merged.set(row.key, twin ? { ...row } : { ...row, description: `\`${kind}\` only; ${row.description}` });
    }
  }
  return [...merged.values()];
}

const cell = (text: string) => text.replace(/\n/g, " ");
const table = (rows: readonly KeyRow[]) => [
  "| key | type | default | notes |",
  "| --- | --- | --- | --- |",
  ...rows.map((r) => `| \`${r.key}\` | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.description)} |`),
];

/** The whole generated reference: a table per config object, then the single keys. */
export function configReference(): string {
  const out: string[] = [];
  const single: KeyRow[] = [];
  for (const [name, field] of Object.entries((rawConfigSchema as unknown as ObjectSchema).shape)) {
    const { inner, doc } = unwrap(field);
    const heading = `### \`flipstack:${name}\``;
    if (name === "services") {
      out.push(heading, "", `${capitalise(doc.description ?? "")}:`, "", ...table(serviceRows()), "");
    } else if (defOf(inner).type === "object") {
      out.push(heading, "", `${capitalise(doc.description ?? "")}.`, "", ...table(keyRows(inner as unknown as ObjectSchema)), "");
    } else {
      single.push({ key: `flipstack:${name}`, type: doc.type ?? writtenForm(inner), default: doc.default ?? "none", description: doc.description ?? "" });
    }
  }
  out.push("### Other keys", "", ...table(single));
  return [BEGIN, "", ...out, "", END].join("\n");
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The README with its generated block replaced by `reference`. */
export function withReference(readme: string, reference: string): string {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no generated config reference block (${BEGIN} ... ${END})`);
  return readme.slice(0, begin) + reference + readme.slice(end + END.length);
}

if (require.main === module) {
  const readme = fs.readFileSync(README, "utf8");
  const next = withReference(readme, configReference());
  fs.writeFileSync(README, next);
  process.stdout.write(next === readme ? "README.md config reference is up to date\n" : "README.md config reference rewritten from stacks/configSchema.ts\n");
}
