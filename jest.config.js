/** Jest runs the TypeScript sources through sucrase (no type check: `npm run typecheck` does that). */
// Plans in tests (and the commands they spawn: workers and children inherit this process's environment) skip the
// type check `flipstack plan` runs by default: `npm test` type-checks the whole repository first, and a cold check
// takes longer than a test may. The tests of the check itself turn it on explicitly.
process.env.FLIPSTACK_NO_TYPECHECK = "1";

module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "\\.ts$": "@sucrase/jest-plugin" },
  // Pulumi's mock runtime keeps state in module globals: each test file gets its own worker module registry.
  maxWorkers: 2,
  testTimeout: 60000,
  globalSetup: "<rootDir>/test/globalSetup.ts",
};
