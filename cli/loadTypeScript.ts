/**
 * Lets `require` load TypeScript programs (the project's `main`) without a build step, through the same cached
 * sucrase hook as the `flipstack` command (bin/loadTypeScript.js).
 */
export function loadTypeScript(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("../bin/loadTypeScript.js") as { register(): void }).register();
}
