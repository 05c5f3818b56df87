import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { UsageError } from "../usageError";

/** Anchors and aliases a config file may use before it counts as an alias bomb (billions of nodes from a few lines). */
const MAX_ALIASES = 100;

/**
 * Reads a YAML (or JSON) file the user wrote. Every syntax error, duplicate key and alias bomb becomes one line
 * `<file>:<line>:<column>: <what is wrong>`, thrown together as a {@link UsageError} (exit 2); a missing file or a
 * folder is named as such rather than surfacing as a raw Node error.
 */
export function readYamlFile(file: string, what = "file"): unknown {
  const text = readTextFile(file, what);
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new UsageError(doc.errors.map((e) => `${at(file, e.linePos?.[0])}: ${yamlProblem(e.code, e.message)}`).join("\n"));
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    // toJS throws only for alias abuse (too many, or an alias before its anchor).
    throw new UsageError(`${file}: ${err instanceof Error ? err.message : String(err)}; write the values out instead of expanding aliases`);
  }
}

/** The text of a file, or a usage error saying why it cannot be read (missing, a folder, unreadable). */
export function readTextFile(file: string, what = "file"): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UsageError(`${what} ${file} does not exist`);
  }
  if (!stat.isFile()) throw new UsageError(`${what} ${file} is a folder, not a file; name the file itself`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`${what} ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

function at(file: string, pos: { line: number; col: number } | undefined): string {
  return pos ? `${file}:${pos.line}:${pos.col}` : file;
}

function yamlProblem(code: string, message: string): string {
  // The library appends " at line N, column M:" and a code excerpt; the position is already in front.
  const text = message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  if (code === "DUPLICATE_KEY") return `${text}; a key written twice would silently keep only the last value, remove one`;
  return `${text} (YAML syntax)`;
}

/** Refuses an output path whose folder is missing, before any work is done, rather than after planning. */
export function checkOutputFile(file: string, flag: string): void {
  const dir = path.dirname(path.resolve(file));
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new UsageError(`${flag} ${file}: the folder ${dir} does not exist; create it first or write elsewhere`);
  }
  if (!stat.isDirectory()) throw new UsageError(`${flag} ${file}: ${dir} is not a folder`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError(`${flag} ${file} is a folder; name the file to write`);
}
