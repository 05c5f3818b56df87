import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "../usageError";
import { readYamlFile } from "./userFiles";

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
  const doc = yamlMapping(readYamlFile(file, "project file"), file);
  if (typeof doc.name !== "string") throw new UsageError(`${file}: "name" is required`);
  const runtime = isObject(doc.runtime) ? doc.runtime.name : doc.runtime;
  if (runtime !== undefined && runtime !== "nodejs") {
    throw new UsageError(`${file}: runtime is ${JSON.stringify(runtime)}; flipstack plans Node.js (TypeScript or JavaScript) programs only, set runtime: nodejs`);
  }
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
  /** The stack file Pulumi would read, when it does not exist (the values are the project's defaults). */
  missingFile?: string;
}

export function readStackConfig(project: PulumiProject, file: string | undefined, stack: string): StackConfig {
  checkStackName(stack);
  const configFile = file ? path.resolve(file) : path.join(project.dir, `Pulumi.${stack}.yaml`);
  if (!file && !fs.existsSync(configFile)) {
    // Pulumi runs a stack without a stack file on project defaults alone; so does the plan (pr-<n> stacks do).
    return { values: { ...project.configDefaults }, secretKeys: [], source: `${project.name} defaults`, missingFile: configFile };
  }
  const doc = yamlMapping(readYamlFile(configFile, "config file"), configFile);
  if (doc.config !== undefined && !isObject(doc.config)) {
    throw new UsageError(`${configFile}: "config" must be a map of keys to values (key: value), got ${describeYaml(doc.config)}`);
  }
  const values: Record<string, unknown> = { ...project.configDefaults };
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries((doc.config ?? {}) as Record<string, unknown>)) {
    const full = namespaced(key, project.name);
    if (containsSecure(value)) secretKeys.push(full);
    values[full] = maskSecure(value);
  }
  return { values, secretKeys, source: configFile };
}

/**
 * A stack's short name as Pulumi accepts it (letters, digits, `-`, `_`, `.`; at most 100). Checked before the
 * name becomes part of a file path, so `--stack` can never read a file outside the project.
 */
export function checkStackName(stack: string): void {
  if (!/^[\w.-]{1,100}$/.test(stack) || /^\.+$/.test(stack)) {
    throw new UsageError(`--stack ${JSON.stringify(stack)} is not a stack name; use letters, digits, "-", "_" and "." (at most 100, no "/"), e.g. staging or pr-42`);
  }
}

/**
 * The program Pulumi.yaml names, resolved as the Node.js language host would (a file, or a folder with an index
 * or a package.json main); a usage error when it is missing or is not TypeScript or JavaScript.
 */
export function resolveProgram(project: PulumiProject): string {
  let resolved: string;
  try {
    resolved = require.resolve(project.main);
  } catch {
    throw new UsageError(`${path.join(project.dir, "Pulumi.yaml")}: main ${path.relative(project.dir, project.main) || "."} does not exist or has no index.ts; point main at the program's entry file or folder`);
  }
  if (!/\.(ts|js|cjs)$/.test(resolved)) {
    throw new UsageError(`${path.join(project.dir, "Pulumi.yaml")}: main ${path.relative(project.dir, resolved)} is not a TypeScript or JavaScript file; flipstack runs Node.js programs`);
  }
  return resolved;
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

function yamlMapping(doc: unknown, file: string): Record<string, unknown> {
  if (doc === null || doc === undefined) return {};
  if (!isObject(doc)) throw new UsageError(`${file}: expected a map of settings (key: value) at the top, got ${describeYaml(doc)}`);
  return doc;
}

function describeYaml(value: unknown): string {
  return Array.isArray(value) ? "a list" : typeof value === "string" ? `the text ${JSON.stringify(value.slice(0, 40))}` : JSON.stringify(value);
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
