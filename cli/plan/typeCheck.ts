import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";
import { addProjectFiles } from "./projectFingerprint";
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
  const installedTypeScript = programTypeScriptPackage(main);
  if (!installedTypeScript) return;

  // The cache is looked up before TypeScript is loaded: loading the compiler alone costs a sixth of a second.
  const configFile = findConfigFile(path.dirname(entry));
  const key = cacheKey(projectDir, configFile, installedTypeScript.version);
  const marker = path.join(projectDir, "node_modules", ".cache", "flipstack-typecheck", key);
  if (fs.existsSync(marker)) return;

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const typescript = require(installedTypeScript.dir) as typeof ts;
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

/** The TypeScript the program's own repository installed, without loading it. */
function programTypeScriptPackage(main: string): { dir: string; version: string } | undefined {
  try {
    const manifest = require.resolve("typescript/package.json", { paths: [main] });
    return { dir: path.dirname(manifest), version: (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version };
  } catch {
    return undefined;
  }
}

// As `ts.findConfigFile` does: the nearest tsconfig.json in the folder or a folder above it.
function findConfigFile(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const candidate = path.join(current, "tsconfig.json");
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) return undefined;
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
  const hash = addProjectFiles(createHash("sha256").update(version), projectDir, (name) => /\.(ts|tsx|json)$/.test(name));
  if (configFile) hash.update(configFile).update(fs.readFileSync(configFile));
  return hash.digest("hex");
}
