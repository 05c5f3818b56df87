/** Jest runs the TypeScript sources through SWC (no type check: `npm run typecheck` does that). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  // Pulumi's mock runtime keeps state in module globals: one test file per worker process keeps runs apart.
  maxWorkers: 2,
  testTimeout: 60000,
};
