/** Jest runs the TypeScript sources through sucrase (no type check: `npm run typecheck` does that). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "\\.ts$": "@sucrase/jest-plugin" },
  setupFiles: ["<rootDir>/test/setupEnv.js"],
  // Pulumi's mock runtime keeps state in module globals: each test file gets its own worker module registry.
  maxWorkers: 2,
  testTimeout: 60000,
};
