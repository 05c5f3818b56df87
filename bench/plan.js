#!/usr/bin/env node
/**
 * Benchmarks the offline plan against the floor it cannot beat: loading the Pulumi SDK and the AWS provider.
 * Target: planning production takes at most 1.5 times that floor. Prints wall time (median of runs) and peak memory.
 * The first run of a fresh checkout also transpiles the TypeScript (cached in node_modules/.cache afterwards).
 */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.join(__dirname, "..");
const runs = Number(process.env.BENCH_RUNS ?? 5);
const usageFile = path.join(os.tmpdir(), `flipstack-bench-${process.pid}`);

function measure(args) {
  const times = [];
  let peakKiB = 0;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, ["--require", path.join(__dirname, "reportUsage.js"), ...args], {
      cwd: root,
      env: { ...process.env, FLIPSTACK_BENCH_USAGE: usageFile },
      stdio: ["ignore", "ignore", "inherit"],
    });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    peakKiB = Math.max(peakKiB, Number(fs.readFileSync(usageFile, "utf8")));
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], peakMiB: peakKiB / 1024 };
}

const baseline = measure(["-e", "require('@pulumi/pulumi'); require('@pulumi/aws')"]);
const rows = [["load @pulumi/pulumi + @pulumi/aws (floor)", baseline]];
for (const stack of ["staging", "production"]) {
  rows.push([`flipstack plan --stack ${stack} --format json`, measure(["bin/flipstack.js", "plan", "--stack", stack, "--format", "json"])]);
}
fs.rmSync(usageFile, { force: true });

console.log(`runs per command: ${runs} (median wall time)`);
for (const [label, m] of rows) {
  console.log(`${label.padEnd(48)} ${m.medianMs.toFixed(0).padStart(6)} ms  ${(m.medianMs / baseline.medianMs).toFixed(2)}x floor  peak ${m.peakMiB.toFixed(0)} MiB`);
}
const production = rows[rows.length - 1][1];
const ratio = production.medianMs / baseline.medianMs;
console.log(`production plan / floor = ${ratio.toFixed(2)} (target <= 1.50): ${ratio <= 1.5 ? "met" : "NOT MET"}`);
process.exitCode = ratio <= 1.5 ? 0 : 1;
