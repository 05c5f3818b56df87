/**
 * Exit codes of `flipstack release`. CI branches on them: a refusal (2) needs a person, a lock (5) can be retried
 * later, a failed step (1) has already left users on a verified slot (the closing `live:` line says which).
 */
export const EXIT = { failed: 1, refused: 2, noPulumi: 4, locked: 5 } as const;

/**
 * A release step that failed or was refused. `cli/main.ts` prints it as one line, without a stack trace, and exits
 * with `exitCode`.
 */
export class ReleaseError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = "ReleaseError";
  }
}

/** A precondition that does not hold (wrong phase, missing slot): nothing was changed. */
export const refused = (message: string) => new ReleaseError(message, EXIT.refused);
