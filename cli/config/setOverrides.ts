import { UsageError } from "../usageError";
import { namespaced } from "./projectFiles";

type PathSegment = string | number;

/** Keys that would reach an object's prototype instead of its own properties. */
const FORBIDDEN_KEYS = new Set(["__proto__", "prototype", "constructor"]);

/**
 * Applies `--set key.path=value` overrides the way `pulumi config set --path` writes them: the first segment is
 * the config key (namespaced to the project unless it names one), the rest walks into its object, creating
 * objects and arrays as needed. The value is parsed as JSON when it is valid JSON, else taken as a string;
 * `null` removes the key (or the list entry, closing the gap), as `pulumi config rm --path` would. A list index
 * replaces an entry or appends one right after the last: a gap would leave holes in the list.
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
  const forbidden = segments.find((s) => typeof s === "string" && FORBIDDEN_KEYS.has(s));
  if (forbidden !== undefined) throw new UsageError(`--set ${override}: "${forbidden}" cannot be a config key; name the setting itself`);
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
    const last = i === path.length - 1;
    if (Array.isArray(node)) checkIndex(node, segment as number, last && value === null, override);
    if (last) {
      if (value === null && Array.isArray(node)) node.splice(segment as number, 1);
      else if (value === null) delete record[segment];
      else record[segment] = value;
    } else {
      if (record[segment] === undefined) record[segment] = typeof path[i + 1] === "number" ? [] : {};
      node = record[segment];
    }
  }
}

// Writing far past the end would build a sparse list (an index in the millions exhausts memory).
function checkIndex(list: unknown[], index: number, removing: boolean, override: string): void {
  const highest = removing ? list.length - 1 : list.length;
  if (index <= highest) return;
  const entries = `${list.length} entr${list.length === 1 ? "y" : "ies"}`;
  throw new UsageError(removing || highest < 0
    ? `--set ${override}: index ${index} is not in the list (${entries}); nothing to remove`
    : `--set ${override}: index ${index} is past the end of the list (${entries}); use an index from 0 to ${highest} (${highest} appends)`);
}

function describe(node: unknown): string {
  return Array.isArray(node) ? "list" : node === null ? "null" : typeof node === "object" ? "object" : typeof node;
}
