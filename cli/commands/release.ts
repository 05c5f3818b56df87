import { Command } from "commander";
import type * as Actions from "../release/actions";
import type { ReleaseEnvironment } from "../release/environment";

// The release machinery (Automation API, AWS SDK, listr2) loads only when a release command runs, so that
// `flipstack plan` starts as fast as it can.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const actions = () => require("../release/actions") as typeof Actions;

const EXIT_CODES = `
Exit codes: 0 done; 1 a step failed (users stay on, or were returned to, a verified slot); 2 refused (usage, or
the release is not in the phase the step needs; nothing changed); 4 no Pulumi CLI; 5 the stack is locked by another
update. Every command ends with the line \`live: <service> <color> <version>\`.`;

/** `--stack`, `--service`, `--cwd` and `--wait`, shared by every command that changes one service. */
function serviceCommand(name: string, description: string, examples: string[]): Command {
  return new Command(name)
    .description(description)
    .requiredOption("-s, --stack <name>", "stack to release on (production, staging, ...)")
    .requiredOption("--service <name>", "service to release, as named under flipstack:services")
    .option("-C, --cwd <dir>", "folder of the Pulumi project (with Pulumi.yaml); default: the current folder")
    .option("--wait <duration>", "when another update holds the stack, wait this long for it (e.g. 15m) instead of failing")
    .option("--clear-stale-lock", "clear a lock left by a crashed `pulumi up` on this machine (its process gone); never a live update's")
    .option("--allow-checkout-changes", "promote or roll back although the checkout changes more than the listener rules (applied in the same update; listed first)")
    .addHelpText("after", `\nExample${examples.length > 1 ? "s" : ""}:\n${examples.map((e) => `  $ ${e}`).join("\n")}`);
}

const artefactOptions = (command: Command) =>
  command
    .requiredOption("--version <id>", "release id: a version or commit SHA")
    .option("--ami <id>", "AMI of the release (services of kind instances)")
    .option("--image <ref>", "image pinned by tag or digest (services of kind containers)")
    .option("--schema <n>", "database schema version the release's migration moves to (checked against the live release)")
    .option("--schema-minimum <n>", "oldest schema version the release's code runs on (default: --schema)")
    .option("--build", "build the image from services.<name>.build, push it tagged with --version and pin the slot to its digest (containers; needs a Docker engine)")
    .option("--health-timeout <duration>", "how long to wait for every target of the new slot to be healthy", "10m")
    .option("--retry-failed <version>", "release this version although it was rolled back before (it must equal --version)");

const smokeTestOptions = (command: Command) =>
  command
    .option("--url <url>", "request this URL instead of the test listener's (sent with its own Host header)")
    .option("--path <path>", "path to request (default: the service's smokeTest.path)")
    .option("--expect-status <code>", "expected HTTP status (default: the service's smokeTest.expectStatus)")
    .option("--attempts <n>", "requests before giving up", "6")
    .option("--backoff <duration>", "wait after the first failed request; doubles each time, up to 30s", "2s")
    .option("--timeout <duration>", "time limit of each request", "5s");

export function releaseCommand(env?: ReleaseEnvironment): Command {
  const step = (name: Actions.ActionName) => (flags: Actions.ReleaseFlags) => actions().runServiceAction(name, flags, env);
  return new Command("release")
    .description("Release a service blue/green: deploy to the idle slot, verify, promote, bake, retire; or roll back")
    .addHelpText(
      "after",
      `
Every step reads the deployed stack's release ledger first, writes the service's release config with
\`pulumi config set --path\`, runs \`pulumi up\` and records the phase it completed in the stack, so the same
command run again after a crash resumes. Needs the Pulumi CLI and AWS credentials.
${EXIT_CODES}

Example:
  $ flipstack release run --stack production --service api --version 4a5b6c7 \\
      --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:4a5b6c7 --bake 10m`,
    )
    .addCommand(
      artefactOptions(serviceCommand("deploy", "Put a new release into the idle slot, pulumi up, run the service's migration (a one-off task), and wait until all its targets are healthy; users stay on the live slot", [
        "flipstack release deploy --stack staging --service web --version 2026.11.5 --ami ami-0123456789abcdef0",
        "flipstack release deploy --stack production --service api --version 4a5b6c7 --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:4a5b6c7",
        "flipstack release deploy --stack production --service api --version 5d6e7f8 --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:5d6e7f8 --schema 7 --schema-minimum 6",
        "flipstack release deploy --stack staging --service api --version 4a5b6c7 --build",
      ])).action(step("deploy")),
    )
    .addCommand(
      smokeTestOptions(serviceCommand("verify", "Smoke-test the idle slot through the test listener: status and version (header or body), with bounded retries; records `verified`", [
        "flipstack release verify --stack staging --service api",
        "flipstack release verify --stack staging --service api --url https://api.staging.example.com:8443/version --attempts 3",
      ])).action(step("verify")),
    )
    .addCommand(
      serviceCommand("promote", "Make the verified idle slot live (listener rules only); with the service's canary or linear `shift`, in weighted steps each watched for alarms (weight back to 0 and exit 1 on ALARM); refused unless verify passed; rerun to resume a shift", [
        "flipstack release promote --stack production --service api",
      ]).action(step("promote")),
    )
    .addCommand(
      serviceCommand("bake", "Watch the live slot's CloudWatch alarms; on ALARM flip back to the previous slot and exit 1", [
        "flipstack release bake --stack production --service api --for 10m",
      ])
        .option("--for <duration>", "how long to watch", "10m")
        .action(step("bake")),
    )
    .addCommand(
      serviceCommand("retire", "Remove the old (idle) slot after a clean bake; never the live one", [
        "flipstack release retire --stack production --service api",
      ])
        .option("--force", "retire even though the live release has not finished its bake")
        .action(step("retire")),
    )
    .addCommand(
      smokeTestOptions(serviceCommand("rollback", "Flip back to the previous release's slot (during a shift: the new slot's weight back to 0); after retire, redeploy it, verify it and flip to it", [
        "flipstack release rollback --stack production --service api",
      ]))
        .option("--health-timeout <duration>", "when redeploying: how long to wait for healthy targets", "10m")
        .option("--reason <text>", "why, recorded with the release rolled back from (default: `release rollback`)")
        .action(step("rollback")),
    )
    .addCommand(
      smokeTestOptions(artefactOptions(serviceCommand("run", "The whole release: deploy, verify, promote, bake, retire, with elapsed times; rerun to resume", [
        "flipstack release run --stack staging --service api --version 4a5b6c7 --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:4a5b6c7 --ci",
        "flipstack release run --stack production --service web --version 2026.11.5 --ami ami-0123456789abcdef0 --bake 30m --wait 15m",
      ])))
        .option("--bake <duration>", "how long to watch alarms after promote", "10m")
        .option("--ci", "plain lines instead of a live step list (the default without a terminal)")
        .option("--take-over", "start although another run of this service holds it (its stack tag says who and since when): for a run that is gone")
        .action(step("run")),
    )
    .addCommand(
      new Command("sync")
        .description("Write every service's release config into the stack file from the deployed stack (no pulumi up): for a checkout that lags behind, and for CI before it commits the stack file")
        .requiredOption("-s, --stack <name>", "stack to read")
        .option("-C, --cwd <dir>", "folder of the Pulumi project (with Pulumi.yaml)")
        .addHelpText("after", "\nExample:\n  $ flipstack release sync --stack production")
        .action((flags: { stack: string; cwd?: string }) => actions().runSync(flags, env)),
    )
    .addCommand(
      new Command("status")
        .description("Show each service's live slot, versions, previous version, phase and generation (and each slot's share during a shift)")
        .requiredOption("-s, --stack <name>", "stack to show")
        .option("-C, --cwd <dir>", "folder of the Pulumi project (with Pulumi.yaml)")
        .addHelpText("after", "\nExample:\n  $ flipstack release status --stack production")
        .action((flags: { stack: string; cwd?: string }) => actions().runStatus(flags, env)),
    );
}
