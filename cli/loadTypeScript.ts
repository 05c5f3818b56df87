/**
 * Lets `require` load TypeScript programs (the project's `main`) without a build step. tsx transpiles with esbuild
 * and skips type checking: `npm run typecheck` does that, and the plan must start fast.
 */
let registered = false;

export function loadTypeScript(): void {
  if (registered || require.extensions?.[".ts"]) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("sucrase/register/ts");
  registered = true;
}
