import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The layering (see ARCHITECTURE.md): components know nothing of stacks, the CLI or policies; stacks compose
 * components and never reach into the CLI; the policy pack runs inside `pulumi preview`, so it imports neither the
 * CLI nor the stacks, only components' helpers and the shared model/.
 */
const layer = (folder, forbidden, why) => ({
  files: [`${folder}/**/*.ts`],
  rules: {
    "no-restricted-imports": ["error", {
      patterns: [{ regex: `(^|/)(${forbidden.join("|")})(/|$)`, message: `${folder}/ must not import ${forbidden.map((f) => `${f}/`).join(", ")}: ${why}` }],
    }],
  },
});

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "docs/api/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      eqeqeq: ["error", "smart"],
    },
  },
  layer("components", ["stacks", "cli", "policies", "model"], "components are the importable library and get everything environment-specific as args"),
  layer("model", ["stacks", "cli", "policies"], "the shared model is plain data that the CLI and the policy pack both import"),
  layer("stacks", ["cli", "policies"], "the program composes components; the CLI runs it, not the other way round"),
  layer("policies", ["cli", "stacks"], "the pack runs inside `pulumi preview`; share code through components/ or model/"),
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", exports: "writable", process: "readonly", console: "readonly", __dirname: "readonly", Buffer: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The dashboard's page script runs in the browser.
    files: ["cli/dashboard/assets/**/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: { document: "readonly", window: "readonly", EventSource: "readonly", fetch: "readonly", FormData: "readonly", URLSearchParams: "readonly", setInterval: "readonly" },
    },
  },
);
