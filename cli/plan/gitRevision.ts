import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UsageError } from "../usageError";

export interface RevisionCheckout {
  /** The project folder as it was at the revision. */
  projectDir: string;
  remove(): void;
}

/**
 * Extracts the repository at `revision` into a temporary folder (git archive: no work tree touched, no index
 * changed) and links the current `node_modules`, so the old program runs with the installed SDK.
 */
export function checkoutRevision(projectDir: string, revision: string): RevisionCheckout {
  const git = (...args: string[]) => execFileSync("git", ["-C", projectDir, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  let top: string;
  try {
    top = git("rev-parse", "--show-toplevel");
    git("rev-parse", "--verify", "--quiet", `${revision}^{commit}`);
  } catch {
    throw new UsageError(`cannot read git revision "${revision}" in ${projectDir}; is it a git repository with that commit?`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-rev-"));
  const tar = path.join(dir, "tree.tar");
  execFileSync("git", ["-C", top, "archive", "--format=tar", "-o", tar, revision]);
  execFileSync("tar", ["-xf", tar, "-C", dir]);
  fs.rmSync(tar);
  const modules = path.join(top, "node_modules");
  if (fs.existsSync(modules)) fs.symlinkSync(modules, path.join(dir, "node_modules"), "dir");
  return {
    projectDir: path.join(dir, path.relative(top, fs.realpathSync(projectDir))),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
