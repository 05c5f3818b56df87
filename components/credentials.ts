/**
 * Credentials recognised by their value, wherever they are written: a plain value ends up in the task definition
 * or launch template (readable by anyone who can describe them) and in every plan and pull-request comment.
 * Deliberately narrow shapes, so that ordinary settings never match.
 */
const CREDENTIAL_SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i, "a URL with a password in it"],
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/, "an AWS access key id"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
  [/\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})/, "a GitHub token"],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, "a Slack token"],
  [/\b[sr]k_live_[A-Za-z0-9]{16,}/, "a Stripe live key"],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, "a Google API key"],
  [/\beyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/, "a signed token (JWT)"],
];

/** What kind of credential `value` holds, or undefined when it looks like none. */
export function credentialIn(value: string): string | undefined {
  return CREDENTIAL_SHAPES.find(([shape]) => shape.test(value))?.[1];
}
