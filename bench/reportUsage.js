// Preloaded into each benchmarked process: writes its peak resident memory (KiB) where the benchmark asked.
process.on("exit", () => {
  require("node:fs").writeFileSync(process.env.FLIPSTACK_BENCH_USAGE, String(process.resourceUsage().maxRSS));
});
