/**
 * Lets `require` load TypeScript programs (the project's `main`) without a build step. sucrase only strips types
 * and hooks `.ts` files alone; type checking is `npm run typecheck`'s job, and the plan must start fast.
 */
let registered = false;

export function loadTypeScript(): void {
  if (registered || require.extensions?.[".ts"]) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("sucrase/register/ts");
  registered = true;
}
