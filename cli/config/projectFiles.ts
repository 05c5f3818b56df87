import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { UsageError } from "../usageError";

/** A Pulumi project as the CLI finds it: the `Pulumi.yaml` in a folder and the program it names. */
export interface PulumiProject {
  dir: string;
  name: string;
  /** Absolute path of the program, resolved like the language host: `main`, else the project folder. */
  main: string;
  /** Project-level config defaults (`config:` in `Pulumi.yaml`), namespaced keys. */
  configDefaults: Record<string, unknown>;
}

export function readProject(dir: string): PulumiProject {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!file) throw new UsageError(`no Pulumi.yaml in ${dir}; run flipstack in a Pulumi project or pass --cwd <dir>`);
  const doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
  if (typeof doc.name !== "string") throw new UsageError(`${file}: "name" is required`);
  const main = path.resolve(dir, typeof doc.main === "string" ? doc.main : ".");
  const defaults: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries((doc.config ?? {}) as Record<string, unknown>)) {
    // A key is either a plain value or a declaration ({ type, description, default | value }).
    const declared = isObject(spec) && ["type", "description", "default", "value"].some((k) => k in spec);
    const value = declared ? (spec.value ?? spec.default) : spec;
    if (value !== undefined) defaults[namespaced(key, doc.name)] = value;
  }
  return { dir, name: doc.name, main, configDefaults: defaults };
}

/** Stack config as written in `Pulumi.<stack>.yaml`, plus which keys hold encrypted (`secure:`) values. */
export interface StackConfig {
  values: Record<string, unknown>;
  secretKeys: string[];
  /** Where the values came from, for messages. */
  source: string;
}

export function readStackConfig(project: PulumiProject, file: string | undefined, stack: string): StackConfig {
  const configFile = file ? path.resolve(file) : path.join(project.dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(configFile)) {
    if (file) throw new UsageError(`config file ${configFile} does not exist`);
    // Pulumi runs a stack without a stack file on project defaults alone; so does the plan (pr-<n> stacks do).
    return { values: { ...project.configDefaults }, secretKeys: [], source: `${project.name} defaults` };
  }
  const doc = (parseYaml(fs.readFileSync(configFile, "utf8")) ?? {}) as Record<string, unknown>;
  const values: Record<string, unknown> = { ...project.configDefaults };
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries((doc.config ?? {}) as Record<string, unknown>)) {
    const full = namespaced(key, project.name);
    if (containsSecure(value)) secretKeys.push(full);
    values[full] = maskSecure(value);
  }
  return { values, secretKeys, source: configFile };
}

/** `key` → `project:key`; `aws:region` stays as it is. */
export function namespaced(key: string, projectName: string): string {
  return key.includes(":") ? key : `${projectName}:${key}`;
}

/** Config as the runtime receives it: every value a string, structured values as JSON. */
export function toRuntimeConfig(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSecure(value: unknown): boolean {
  return isObject(value) && Object.keys(value).length === 1 && typeof value.secure === "string";
}

function containsSecure(value: unknown): boolean {
  if (isSecure(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecure);
  return isObject(value) && Object.values(value).some(containsSecure);
}

// Encrypted values cannot be read without the stack's secrets provider; the plan shows them masked.
function maskSecure(value: unknown): unknown {
  if (isSecure(value)) return "[secret]";
  if (Array.isArray(value)) return value.map(maskSecure);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecure(v)]));
  return value;
}
