#!/usr/bin/env node
/**
 * Benchmarks the offline plan against the floor it cannot beat (loading the Pulumi SDK and the AWS provider) and
 * how it grows with the number of services. Prints wall time (median of runs) and peak resident memory.
 * Targets: `plan --stack production` (with policies) within 1.0× the floor; staging with 100 services (both slots
 * present) at most 400 MiB peak; at most 25 ms per added service.
 * The first run of a fresh checkout also transpiles the TypeScript (cached in node_modules/.cache afterwards).
 */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const YAML = require("yaml");

const root = path.join(__dirname, "..");
const runs = Number(process.env.BENCH_RUNS ?? 5);
const usageFile = path.join(os.tmpdir(), `flipstack-bench-${process.pid}`);

function measure(args, times = runs) {
  const walls = [];
  let peakKiB = 0;
  for (let i = 0; i < times; i++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, ["--require", path.join(__dirname, "reportUsage.js"), ...args], {
      cwd: root,
      env: { ...process.env, FLIPSTACK_BENCH_USAGE: usageFile, FLIPSTACK_IGNORE_NODE_VERSION: "1" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    walls.push(Number(process.hrtime.bigint() - start) / 1e6);
    peakKiB = Math.max(peakKiB, Number(fs.readFileSync(usageFile, "utf8")));
  }
  walls.sort((a, b) => a - b);
  return { medianMs: walls[Math.floor(walls.length / 2)], peakMiB: peakKiB / 1024 };
}

/** Staging's config with `count` instance services, each with both slots present (two releases deployed). */
function stagingWithServices(count) {
  const doc = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.staging.yaml"), "utf8"));
  const services = {};
  for (let i = 0; i < count; i++) {
    services[`svc${i}`] = {
      kind: "instances",
      port: 8080,
      routing: { priority: 100 + i, hostHeaders: [`svc${i}.staging.example.com`] },
      release: { live: "blue", blue: { version: "2026.11.3", ami: "ami-0a1b2c3d4e5f67890" }, green: { version: "2026.11.4", ami: "ami-0f9e8d7c6b5a43210" } },
    };
  }
  doc.config["flipstack:services"] = services;
  const file = path.join(os.tmpdir(), `flipstack-bench-${process.pid}-${count}.yaml`);
  fs.writeFileSync(file, YAML.stringify(doc));
  return file;
}

const report = (label, m, floor) =>
  console.log(`${label.padEnd(52)} ${m.medianMs.toFixed(0).padStart(6)} ms  ${(m.medianMs / floor.medianMs).toFixed(2)}x floor  peak ${m.peakMiB.toFixed(0)} MiB`);

const floor = measure(["-e", "require('@pulumi/pulumi'); require('@pulumi/aws')"]);
console.log(`runs per command: ${runs} (median wall time)`);
report("load @pulumi/pulumi + @pulumi/aws (floor)", floor, floor);
const stacks = {};
for (const stack of ["staging", "production"]) {
  stacks[stack] = measure(["bin/flipstack.js", "plan", "--stack", stack, "--format", "json"]);
  report(`flipstack plan --stack ${stack} --format json`, stacks[stack], floor);
}

const scale = {};
const scaleRuns = Math.max(1, Math.min(runs, Number(process.env.BENCH_SCALE_RUNS ?? 3)));
for (const count of [1, 50, 100]) {
  const file = stagingWithServices(count);
  scale[count] = measure(["bin/flipstack.js", "plan", "--stack", "staging", "--config", file, "--format", "json", "--no-policy"], scaleRuns);
  fs.rmSync(file, { force: true });
  report(`staging, ${count} service${count === 1 ? "" : "s"} (both slots), --no-policy`, scale[count], floor);
}
fs.rmSync(usageFile, { force: true });

const ratio = stacks.production.medianMs / floor.medianMs;
const perService = (scale[100].medianMs - scale[1].medianMs) / 99;
const checks = [
  [`production plan / floor = ${ratio.toFixed(2)} (target <= 1.00)`, ratio <= 1.0],
  [`peak memory with 100 services = ${scale[100].peakMiB.toFixed(0)} MiB (target <= 400)`, scale[100].peakMiB <= 400],
  [`time per added service = ${perService.toFixed(1)} ms (target <= 25)`, perService <= 25],
];
for (const [line, met] of checks) console.log(`${line}: ${met ? "met" : "NOT MET"}`);
process.exitCode = checks.every(([, met]) => met) ? 0 : 1;
