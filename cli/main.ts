import * as pulumi from "@pulumi/pulumi";
import { Command } from "commander";
import { dashboardCommand, statusCommand } from "./commands/dashboard";
import { diffCommand } from "./commands/diff";
import { planCommand } from "./commands/plan";
import { releaseCommand } from "./commands/release";
import { ProgramError } from "./plan/runProgram";
import { UsageError } from "./usageError";

export function createCli(): Command {
  return new Command("flipstack")
    .description("Blue/green infrastructure on AWS with Pulumi: plan stacks offline, compare plans, release services")
    .showHelpAfterError()
    .addCommand(planCommand())
    .addCommand(diffCommand())
    .addCommand(releaseCommand())
    .addCommand(statusCommand())
    .addCommand(dashboardCommand());
}

/** Runs the CLI; resolves to the exit code. Errors a user can fix print as one message, without a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await createCli().parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    return reportError(err);
  }
}

export function reportError(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`flipstack: ${err.message}\n`);
    return err.exitCode;
  }
  // The program refused its input (invalid config): Pulumi's own clean-exit error type.
  if (pulumi.RunError.isInstance(err)) {
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  if (err instanceof Error && err.name === "ReleaseError") {
    process.stderr.write(`flipstack: ${err.message}\n`);
    return (err as Error & { exitCode?: number }).exitCode ?? 1;
  }
  if (err instanceof ProgramError) {
    process.stderr.write(`flipstack: ${err.message}\n`);
    return 1;
  }
  if (process.env.FLIPSTACK_DEBUG) throw err;
  process.stderr.write(`flipstack: ${err instanceof Error ? err.message : String(err)}\n(set FLIPSTACK_DEBUG=1 for the stack trace)\n`);
  return 1;
}
