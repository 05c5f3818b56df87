import { Command } from "commander";
import type * as Context from "../release/context";
import type * as Pipeline from "../release/pipeline";
import type * as Steps from "../release/steps";

// The release machinery (AWS SDK, Automation API, listr2) loads only when a release command runs, so that
// `flipstack plan` starts as fast as it can.
/* eslint-disable @typescript-eslint/no-require-imports */
const load = () => ({
  context: require("../release/context") as typeof Context,
  steps: require("../release/steps") as typeof Steps,
  pipeline: require("../release/pipeline") as typeof Pipeline,
});
/* eslint-enable @typescript-eslint/no-require-imports */

const log = (line: string) => process.stdout.write(`${line}\n`);

interface Flags {
  stack: string;
  service: string;
  cwd?: string;
  wait?: string;
  version?: string;
  ami?: string;
  image?: string;
  url?: string;
  for?: string;
  bake?: string;
  force?: boolean;
  ci?: boolean;
  attempts?: string;
  backoff?: string;
  timeout?: string;
}

type Step = (ctx: Steps.ReleaseContext, flags: Flags) => Promise<unknown>;

function releaseStep(name: string, description: string, example: string, step: Step, extra: (c: Command) => Command = (c) => c): Command {
  const command = new Command(name)
    .description(description)
    .requiredOption("-s, --stack <name>", "stack to release on")
    .requiredOption("--service <name>", "service to release")
    .option("-C, --cwd <dir>", "folder of the Pulumi project (with Pulumi.yaml)")
    .option("--wait <duration>", "wait this long for another update's lock instead of failing (e.g. 10m)");
  return extra(command)
    .addHelpText("after", `\nExample:\n  $ ${example}`)
    .action(async (flags: Flags) => {
      const { context, steps } = load();
      const ctx = await context.releaseContext(flags, log);
      ctx.timing = {
        ...ctx.timing,
        ...(flags.attempts && { verifyAttempts: Number(flags.attempts) }),
        ...(flags.backoff && { verifyBackoffMs: context.parseDuration(flags.backoff) }),
        ...(flags.timeout && { verifyTimeoutMs: context.parseDuration(flags.timeout) }),
      };
      try {
        await step(ctx, flags);
      } finally {
        // Every exit path says which color serves users now, read from the deployed stack.
        const ledger = await steps.readLedger(ctx).catch(() => undefined);
        if (ledger) log(steps.liveLine(flags.service, ledger));
      }
    });
}

// Smoke test bounds: every request has a timeout and the waits between attempts double.
const smokeOptions = (c: Command) =>
  c.option("--url <url>", "request this URL instead of the test listener's")
    .option("--attempts <n>", "smoke test attempts before giving up", "6")
    .option("--backoff <duration>", "wait before the second attempt; doubles each time", "2s")
    .option("--timeout <duration>", "time limit of each request", "5s");

const artefactOptions = (c: Command) =>
  c.requiredOption("--version <id>", "release id (version or commit SHA)")
    .option("--ami <id>", "AMI of the release (services of kind instances)")
    .option("--image <ref>", "image pinned by tag or digest (services of kind containers)");

export function releaseCommand(): Command {
  return new Command("release")
    .description("Release a service blue/green: deploy to the idle slot, verify, promote, bake, retire; or roll back")
    .addHelpText("after", `
Every step reads the deployed stack's release ledger first, changes the stack config and runs \`pulumi up\`
(through the Pulumi CLI and the Automation API); the phase it completes is recorded in the stack, so running a
command again after a crash resumes. Needs the Pulumi CLI and AWS credentials.

Example:
  $ flipstack release run --stack production --service api --version 4a5b6c7 \\
      --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:4a5b6c7 --bake 10m`)
    .addCommand(releaseStep("deploy", "Put a new release in the idle slot, pulumi up, wait until its targets are healthy",
      "flipstack release deploy --stack staging --service web --version 2026.11.5 --ami ami-0123456789abcdef0",
      (ctx, f) => load().steps.deploy(ctx, { version: f.version!, ami: f.ami, image: f.image }), artefactOptions))
    .addCommand(releaseStep("verify", "Smoke-test the idle slot through the test listener (status and version)",
      "flipstack release verify --stack staging --service api",
      (ctx, f) => load().steps.verify(ctx, { url: f.url }), smokeOptions))
    .addCommand(releaseStep("promote", "Make the verified idle slot live (listener rules only)",
      "flipstack release promote --stack production --service api", (ctx) => load().steps.promote(ctx)))
    .addCommand(releaseStep("bake", "Watch the live slot's alarms; on alarm flip back and exit non-zero",
      "flipstack release bake --stack production --service api --for 10m",
      (ctx, f) => load().steps.bake(ctx, load().context.parseDuration(f.for ?? "10m")),
      (c) => c.option("--for <duration>", "how long to watch", "10m")))
    .addCommand(releaseStep("retire", "Remove the old (idle) slot after a clean bake; never the live one",
      "flipstack release retire --stack production --service api",
      (ctx, f) => load().steps.retire(ctx, { force: f.force }),
      (c) => c.option("--force", "retire even though the bake has not finished")))
    .addCommand(releaseStep("rollback", "Flip back to the previous slot, or redeploy the previous release when its slot is gone",
      "flipstack release rollback --stack production --service api",
      (ctx, f) => load().steps.rollback(ctx, { url: f.url }), smokeOptions))
    .addCommand(releaseStep("run", "The whole pipeline: deploy, verify, promote, bake, retire (resumes where it stopped)",
      "flipstack release run --stack staging --service api --version 4a5b6c7 --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:4a5b6c7 --ci",
      (ctx, f) => load().pipeline.runPipeline(ctx, {
        artefact: { version: f.version!, ami: f.ami, image: f.image },
        bakeMs: load().context.parseDuration(f.bake ?? "10m"),
        url: f.url,
        plain: Boolean(f.ci) || !process.stdout.isTTY,
      }),
      (c) => smokeOptions(artefactOptions(c))
        .option("--bake <duration>", "how long to watch alarms after promote", "10m")
        .option("--ci", "plain line output instead of a live step list")))
    .addCommand(statusCommand());
}

function statusCommand(): Command {
  return new Command("status")
    .description("Show each service's live slot, versions, previous version and release phase")
    .requiredOption("-s, --stack <name>", "stack to show")
    .option("-C, --cwd <dir>", "folder of the Pulumi project (with Pulumi.yaml)")
    .addHelpText("after", "\nExample:\n  $ flipstack release status --stack production")
    .action(async (flags: { stack: string; cwd?: string }) => {
      const { context } = load();
      const ctx = await context.releaseContext({ ...flags, service: "" }, log);
      const services = ((await ctx.stack.outputs()).services ?? {}) as Record<string, Record<string, unknown>>;
      for (const [name, ledger] of Object.entries(services)) {
        const versions = ledger.versions as Record<string, string | null>;
        log(`${name}: live ${String(ledger.live)} ${versions[String(ledger.live)] ?? ""}  blue ${versions.blue ?? "-"}  green ${versions.green ?? "-"}  previous ${String(ledger.previousVersion ?? "-")}  phase ${String(ledger.phase ?? "-")}`);
      }
    });
}
