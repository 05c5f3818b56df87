import * as pulumi from "@pulumi/pulumi";
import { Command, CommanderError } from "commander";
import { version } from "../package.json";
import { dashboardCommand, statusCommand } from "./commands/dashboard";
import { diffCommand } from "./commands/diff";
import { planCommand } from "./commands/plan";
import { releaseCommand } from "./commands/release";
import { ProgramError } from "./plan/runProgram";
import { EXIT, UsageError } from "./errors";

export function createCli(): Command {
  const cli = new Command("flipstack")
    .description("Blue/green infrastructure on AWS with Pulumi: plan stacks offline, compare plans, release services")
    .version(version, "-V, --version", "print Flipstack's version")
    // Program options only before a command: `release deploy --version <release>` is the release's version.
    .enablePositionalOptions()
    .addCommand(planCommand())
    .addCommand(diffCommand())
    .addCommand(releaseCommand())
    .addCommand(statusCommand())
    .addCommand(dashboardCommand());
  forEachCommand(cli, usageErrorsExitTwo);
  return cli;
}

function forEachCommand(command: Command, fn: (command: Command) => void): void {
  fn(command);
  for (const sub of command.commands) forEachCommand(sub, fn);
}

/**
 * Usage errors (unknown option or command, missing or invalid value) print one line and a pointer to the help,
 * then exit 2 like every other input error. A required option is checked after unknown options, so `--stak`
 * gets "did you mean --stack?" rather than "--stack not specified".
 */
function usageErrorsExitTwo(command: Command): void {
  command.exitOverride().showHelpAfterError(`(run \`${commandPath(command)} --help\` for usage)`);
  const required = command.options.filter((o) => o.mandatory);
  for (const option of required) option.makeOptionMandatory(false);
  if (required.length === 0) return;
  command.hook("preAction", (_, action) => {
    if (action !== command) return;
    const missing = required.find((o) => command.getOptionValue(o.attributeName()) === undefined);
    if (missing) command.error(`error: required option '${missing.flags}' not specified`, { code: "commander.missingMandatoryOptionValue", exitCode: 2 });
  });
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** Runs the CLI; resolves to the exit code. Errors a user can fix print as one message, without a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await createCli().parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (err) {
    return reportError(err);
  }
}

export function reportError(err: unknown): number {
  // Commander has printed its message already; help and --version are not errors.
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  if (err instanceof UsageError) {
    process.stderr.write(`flipstack: ${err.message}\n`);
    return err.exitCode;
  }
  // The program refused its input (invalid config): Pulumi's own clean-exit error type.
  if (pulumi.RunError.isInstance(err)) {
    process.stderr.write(`${err.message}\n`);
    return EXIT.invalid;
  }
  if (err instanceof Error && err.name === "ReleaseError") {
    process.stderr.write(`flipstack: ${err.message}\n`);
    return (err as Error & { exitCode?: number }).exitCode ?? EXIT.failed;
  }
  if (err instanceof ProgramError) {
    process.stderr.write(`flipstack: ${err.message}\n`);
    return EXIT.failed;
  }
  if (process.env.FLIPSTACK_DEBUG) throw err;
  process.stderr.write(`flipstack: ${err instanceof Error ? err.message : String(err)}\n(set FLIPSTACK_DEBUG=1 for the stack trace)\n`);
  return EXIT.failed;
}
