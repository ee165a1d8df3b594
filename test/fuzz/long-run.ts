/**
 * `bun run fuzz [calls] [seed] [--hostile]`: the fuzzer of `bun test` (test/fuzz/generator.ts)
 * for longer, 200,000 calls by default, from a fresh random seed unless one is
 * given. Prints the seed first (to replay a failure: `bun run fuzz CALLS SEED`),
 * then every kind of call it tried and how each ended. Exits 1 on any failure.
 * `--hostile` patches built-ins at random between calls (test/hostile/patches.ts).
 */
import { formatReport, fuzz } from "./generator.ts";

const hostile = process.argv.includes("--hostile");
const positional = process.argv.slice(2).filter((arg) => arg !== "--hostile");
const calls = Number(positional[0] ?? 200_000);
const seed = Number(positional[1] ?? Math.floor(Math.random() * 2 ** 31));
if (!Number.isSafeInteger(calls) || calls < 1 || !Number.isSafeInteger(seed)) {
  throw new Error("usage: bun run fuzz [calls] [seed] [--hostile]");
}
console.log(`nano-simd fuzz: seed ${seed}, ${calls} calls${hostile ? ", built-ins patched at random between calls" : ""}`);
const report = fuzz(seed, calls, 20, hostile);
console.log(formatReport(report));
process.exit(report.failures.length === 0 ? 0 : 1);
