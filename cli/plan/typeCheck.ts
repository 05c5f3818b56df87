import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";
import { ProgramError } from "./runProgram";

/**
 * Type-checks a TypeScript program the way `pulumi up` does (ts-node checks every file the program loads), with the
 * TypeScript and `tsconfig.json` of the program's own repository. A program that passed is remembered by the content
 * of its files, its tsconfig and its installed packages, so repeated plans of an unchanged program skip the check.
 * A JavaScript program, or one whose repository has no TypeScript, is not checked.
 */
export function typeCheckProgram(projectDir: string, main: string): void {
  const entry = entryFile(main);
  if (!entry?.endsWith(".ts")) return;
  const typescript = programTypeScript(main);
  if (!typescript) return;

  const configFile = typescript.findConfigFile(path.dirname(entry), (f) => typescript.sys.fileExists(f));
  const key = cacheKey(projectDir, configFile, typescript.version);
  const marker = path.join(projectDir, "node_modules", ".cache", "flipstack-typecheck", key);
  if (fs.existsSync(marker)) return;

  const options = compilerOptions(typescript, configFile);
  const program = typescript.createProgram([entry], { ...options, noEmit: true });
  const diagnostics = typescript.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) {
    const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => projectDir, getNewLine: () => "\n" };
    throw new ProgramError(
      `the program does not type-check (as \`pulumi up\` would refuse it):\n${typescript.formatDiagnostics(diagnostics, host).trimEnd()}\n` +
        "(plan without the check: flipstack plan --no-typecheck)",
    );
  }
  try {
    fs.mkdirSync(path.dirname(marker), { recursive: true });
    fs.writeFileSync(marker, "");
  } catch {
    // a read-only checkout still plans, just without the cache
  }
}

function entryFile(main: string): string | undefined {
  if (fs.existsSync(main) && fs.statSync(main).isFile()) return main;
  for (const candidate of [path.join(main, "index.ts"), `${main}.ts`]) if (fs.existsSync(candidate)) return candidate;
  return undefined;
}

function programTypeScript(main: string): typeof ts | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve("typescript", { paths: [main] })) as typeof ts;
  } catch {
    return undefined;
  }
}

function compilerOptions(typescript: typeof ts, configFile: string | undefined): ts.CompilerOptions {
  // Without a tsconfig.json, Pulumi's defaults for TypeScript programs.
  if (!configFile) return { strict: true, target: typescript.ScriptTarget.ES2020, module: typescript.ModuleKind.CommonJS, esModuleInterop: true, skipLibCheck: true };
  const read = typescript.readConfigFile(configFile, (f) => typescript.sys.readFile(f));
  return typescript.parseJsonConfigFileContent(read.config, typescript.sys, path.dirname(configFile)).options;
}

// Every TypeScript file of the project (outside node_modules), the tsconfig, and what npm installed.
function cacheKey(projectDir: string, configFile: string | undefined, version: string): string {
  const hash = createHash("sha256").update(version);
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (["node_modules", "dist", "coverage"].includes(entry.name) || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx|json)$/.test(entry.name)) files.push(full);
    }
  };
  walk(projectDir);
  if (configFile) files.push(configFile);
  const installed = path.join(projectDir, "node_modules", ".package-lock.json");
  if (fs.existsSync(installed)) files.push(installed);
  for (const file of files.sort()) hash.update(file).update(fs.readFileSync(file));
  return hash.digest("hex");
}
