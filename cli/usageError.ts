/**
 * A mistake in how flipstack was called or configured: printed as one clean message, never a stack trace.
 * `exitCode` follows the CLI's contract (2: invalid input).
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = "UsageError";
  }
}
