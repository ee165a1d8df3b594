/**
 * `bun run fuzz [calls] [seed]`: the fuzzer of `bun test` (test/fuzz/generator.ts)
 * for longer, 200,000 calls by default, from a fresh random seed unless one is
 * given. Prints the seed first (to replay a failure: `bun run fuzz CALLS SEED`),
 * then every kind of call it tried and how each ended. Exits 1 on any failure.
 */
import { formatReport, fuzz } from "./generator.ts";

const calls = Number(process.argv[2] ?? 200_000);
const seed = Number(process.argv[3] ?? Math.floor(Math.random() * 2 ** 31));
if (!Number.isSafeInteger(calls) || calls < 1 || !Number.isSafeInteger(seed)) {
  throw new Error("usage: bun run fuzz [calls] [seed]");
}
console.log(`nano-simd fuzz: seed ${seed}, ${calls} calls`);
const report = fuzz(seed, calls);
console.log(formatReport(report));
process.exit(report.failures.length === 0 ? 0 : 1);
