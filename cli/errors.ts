/**
 * Every exit code of the `flipstack` command, and the errors that carry one. CI branches on these: an invalid
 * input or a refusal (2) needs a person, a lock (5) can be retried later, a failed release step (1) has already left
 * users on a verified slot. `cli/main.ts` turns each error into one line on stderr and its exit code.
 */
export const EXIT = {
  /** Done (planned, compared, released). */
  ok: 0,
  /** Anything else failed; for a release step, users stay on (or were returned to) a verified slot. */
  failed: 1,
  /** `flipstack diff --exit-code` found a change. */
  changed: 1,
  /** Invalid usage or config (the message names the flag or config key and the fix); nothing was changed. */
  invalid: 2,
  /** A release precondition does not hold (wrong phase, missing slot); nothing was changed. */
  refused: 2,
  /** A mandatory policy or AWS constraint fails in the plan. */
  policy: 3,
  /** The release commands cannot run the Pulumi CLI. */
  noPulumi: 4,
  /** Another update holds the stack's lock. */
  locked: 5,
} as const;

/** An error `cli/main.ts` prints as one line, without a stack trace, and exits with `exitCode`. */
abstract class ExitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A mistake in how flipstack was called or configured: printed as one clean message, never a stack trace. */
export class UsageError extends ExitError {
  constructor(message: string, exitCode: number = EXIT.invalid) {
    super(message, exitCode);
  }
}

/** A release step that failed or was refused. */
export class ReleaseError extends ExitError {
  constructor(message: string, exitCode: number = EXIT.failed) {
    super(message, exitCode);
  }
}

/** A precondition that does not hold (wrong phase, missing slot): nothing was changed. */
export const refused = (message: string) => new ReleaseError(message, EXIT.refused);
