/**
 * Child process of `bun run bench`: times one implementation at the given
 * sizes with mitata and prints one JSON line per size:
 *   {"name", "n", "median", "min", "samples"}   (nanoseconds per call)
 * Usage: bun bench/measure.ts <name> <cpu-budget-ms> <n> [<n> ...]
 */
import { measure } from "mitata";
import { IMPLEMENTATIONS } from "./implementations.ts";

const [name = "", budgetMs = "300", ...sizes] = process.argv.slice(2);
const setup = IMPLEMENTATIONS[name];
if (!setup) throw new Error(`unknown implementation "${name}"; known: ${Object.keys(IMPLEMENTATIONS).join(", ")}`);

for (const n of sizes.map(Number)) {
  const run = setup(n);
  const stats = await measure(run, { min_cpu_time: Number(budgetMs) * 1e6, min_samples: 8 });
  console.log(JSON.stringify({ name, n, median: stats.p50, min: stats.min, samples: stats.samples.length }));
}
