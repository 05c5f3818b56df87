import { StackLockedError, UpFailedError } from "../release/workspace";

/**
 * One line a person can act on, for anything a read or an action can throw: the dashboard shows it in place of a
 * stack trace. Release errors already are such lines; the AWS SDK's and Node's are translated here.
 */
export function problemLine(err: unknown): string {
  if (err instanceof StackLockedError) return `the stack is locked by another update (${err.detail.replace(/\s+/g, " ").trim()})`;
  if (err instanceof UpFailedError) return `pulumi up failed: ${err.message}`;
  const error = err instanceof Error ? err : new Error(String(err));
  if (error.name === "CredentialsProviderError" || /Could not load credentials/i.test(error.message)) {
    return "no AWS credentials: start the dashboard with AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY set";
  }
  if (error.name === "ExpiredTokenException" || /security token .* expired/i.test(error.message)) {
    return "the AWS credentials have expired: refresh them (e.g. `aws sso login`) and the page recovers by itself";
  }
  return error.message.split("\n").find((line) => line.trim())?.trim() ?? error.name;
}
