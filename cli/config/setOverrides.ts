import { UsageError } from "../usageError";
import { namespaced } from "./projectFiles";

type PathSegment = string | number;

/**
 * Applies `--set key.path=value` overrides the way `pulumi config set --path` writes them: the first segment is
 * the config key (namespaced to the project unless it names one), the rest walks into its object, creating
 * objects and arrays as needed. The value is parsed as JSON when it is valid JSON, else taken as a string;
 * `null` removes the key, as `pulumi config rm --path` would.
 * Returns a new map; the input is left untouched.
 */
export function applySetOverrides(
  values: Record<string, unknown>,
  overrides: readonly string[],
  projectName: string,
): Record<string, unknown> {
  const result = structuredClone(values);
  for (const override of overrides) {
    const eq = override.indexOf("=");
    if (eq <= 0) throw new UsageError(`--set ${override}: expected <key.path>=<value>, e.g. --set network.nat=single`);
    const [key, ...path] = parseKeyPath(override.slice(0, eq), override);
    const full = namespaced(String(key), projectName);
    const value = parseValue(override.slice(eq + 1));
    if (path.length === 0) {
      if (value === null) delete result[full];
      else result[full] = value;
    } else {
      if (result[full] === undefined) result[full] = typeof path[0] === "number" ? [] : {};
      setIn(result[full], path, value, override);
    }
  }
  return result;
}

/** `a.b[0]["c.d"]` → ["a", "b", 0, "c.d"]; a `namespace:key` first segment keeps its colon. */
export function parseKeyPath(text: string, override = text): PathSegment[] {
  const segments: PathSegment[] = [];
  const pattern = /\.?([^.[\]]+)|\[(\d+)\]|\["([^"]+)"\]/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while (consumed < text.length && (match = pattern.exec(text)) !== null) {
    segments.push(match[2] !== undefined ? Number(match[2]) : (match[1] ?? match[3]));
    consumed = pattern.lastIndex;
  }
  if (consumed !== text.length || segments.length === 0 || typeof segments[0] !== "string") {
    throw new UsageError(`--set ${override}: "${text}" is not a valid config path (use key.child[0]["dotted.key"])`);
  }
  return segments;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function setIn(container: unknown, path: PathSegment[], value: unknown, override: string): void {
  let node = container;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (typeof node !== "object" || node === null || (typeof segment === "number") !== Array.isArray(node)) {
      throw new UsageError(`--set ${override}: cannot set ${typeof segment === "number" ? "an index" : "a key"} inside a ${describe(node)}`);
    }
    const record = node as Record<PathSegment, unknown>;
    if (i === path.length - 1) {
      if (value === null) delete record[segment];
      else record[segment] = value;
    } else {
      if (record[segment] === undefined) record[segment] = typeof path[i + 1] === "number" ? [] : {};
      node = record[segment];
    }
  }
}

function describe(node: unknown): string {
  return Array.isArray(node) ? "list" : node === null ? "null" : typeof node === "object" ? "object" : typeof node;
}
