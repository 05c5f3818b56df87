import type { Hash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

// Never part of a program's inputs: installed packages (fingerprinted through npm's lockfile instead), build output,
// and hidden folders such as .git.
const SKIPPED_FOLDERS = new Set(["node_modules", "dist", "coverage"]);

/**
 * Adds a project's files to `hash`, by path and content, in a stable order: every file outside node_modules, build
 * output and hidden folders whose name `include` accepts, and `node_modules/.package-lock.json` (what npm installed),
 * so that a cached result keyed by it is stale as soon as any of them changes.
 */
export function addProjectFiles(hash: Hash, projectDir: string, include: (fileName: string) => boolean = () => true): Hash {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (SKIPPED_FOLDERS.has(entry.name) || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && include(entry.name)) files.push(full);
    }
  };
  walk(projectDir);
  const installed = path.join(projectDir, "node_modules", ".package-lock.json");
  if (fs.existsSync(installed)) files.push(installed);
  for (const file of files.sort()) hash.update(path.relative(projectDir, file)).update("\0").update(fs.readFileSync(file));
  return hash;
}

