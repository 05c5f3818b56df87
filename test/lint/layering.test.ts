import { spawnSync } from "node:child_process";
import * as path from "node:path";

const root = path.join(__dirname, "..", "..");

// ESLint loads its flat config through ESM `import()`, which jest's module sandbox does not offer: lint in a child
// Node process instead, every case at once, with the project's own config (nothing is written to disk).
const LINT_CASES = `
const { ESLint } = require("eslint");
const cases = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const eslint = new ESLint({ cwd: process.cwd() });
Promise.all(cases.map(([file, code]) => eslint.lintText(code, { filePath: file })))
  .then((reports) => process.stdout.write(JSON.stringify(reports.map(([r]) => r.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message)))));
`;

function lintAll(cases: ReadonlyArray<[file: string, code: string]>): string[][] {
  const result = spawnSync(process.execPath, ["-e", LINT_CASES], { cwd: root, input: JSON.stringify(cases), encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as string[][];
}

const importing = (from: string) => `import type { Plan } from "${from}";\nexport type Alias = Plan;\n`;

const refused: Array<[file: string, from: string, message: string]> = [
  ["components/wrong.ts", "../stacks/config", "components/ must not import stacks/"],
  ["components/wrong.ts", "../cli/plan/model", "components/ must not import"],
  ["components/wrong.ts", "../policies/harness", "components/ must not import"],
  ["stacks/wrong.ts", "../cli/plan/model", "stacks/ must not import cli/, policies/"],
  ["policies/rules/wrong.ts", "../../cli/plan/model", "policies/ must not import cli/, stacks/"],
  ["policies/wrong.ts", "../stacks/config", "policies/ must not import cli/, stacks/"],
  ["model/wrong.ts", "../cli/plan/awsMocks", "model/ must not import"],
];
const allowed: Array<[file: string, from: string]> = [
  ["policies/rules/fine.ts", "../../model/plan"],
  ["cli/fine.ts", "../policies/harness"],
  ["stacks/fine.ts", "../components/release"],
];

describe("import layering", () => {
  let results: string[][] = [];
  beforeAll(() => {
    results = lintAll([...refused, ...allowed].map(([file, from]) => [file, importing(from)]));
  }, 120000);

  it.each(refused.map((c, i) => [...c, i] as const))("refuses %s importing %s", (_file, _from, message, i) => {
    expect(results[i]).toEqual([expect.stringContaining(message)]);
  });

  it.each(allowed.map((c, i) => [...c, refused.length + i] as const))("allows %s importing %s", (_file, _from, i) => {
    expect(results[i]).toEqual([]);
  });
});
