/**
 * Flipstack on an old Node: one line of its own, against its supported range (`engines.node` in package.json),
 * in place of the AWS SDK's nine-line warning that would otherwise open every release command's output.
 */

/** The line to print, or undefined when the Node is supported, the range is not a plain `>=N`, or the user opted out. */
export function nodeSupportNotice(nodeVersion: string, range: string | undefined, env: NodeJS.ProcessEnv = {}): string | undefined {
  if (env.FLIPSTACK_IGNORE_NODE_VERSION) return undefined;
  const minimum = /^>=\s*(\d+)/.exec(range ?? "")?.[1];
  const major = Number(nodeVersion.replace(/^v/, "").split(".")[0]);
  if (!minimum || !(major < Number(minimum))) return undefined;
  return `flipstack: Node ${nodeVersion.replace(/^v/, "")} is not supported (supported: ${range}); it still runs, but upgrade to a maintained LTS release`;
}

/** Silences the AWS SDK's own Node warning (its documented switch) and prints Flipstack's notice, once, on stderr. */
export function prepareNode(proc: Pick<NodeJS.Process, "env" | "version" | "stderr">, range: string | undefined): void {
  proc.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const notice = nodeSupportNotice(proc.version, range, proc.env);
  if (notice) proc.stderr.write(`${notice}\n`);
}
