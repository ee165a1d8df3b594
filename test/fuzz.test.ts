/**
 * The seeded fuzzer (test/fuzz/generator.ts) in `bun test`: 10,000 random
 * calls mixing every kind of argument, on every backend this CPU runs. The
 * seed is fixed so a failure replays; FUZZ_SEED picks another. `bun run fuzz`
 * runs the same generator for much longer.
 */
import { expect, test } from "bun:test";
import { fuzz, formatReport } from "./fuzz/generator.ts";
import { backends } from "./helpers.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20240605);
const CALLS = 10_000;

test(`${CALLS} random calls from seed ${SEED}: each right, or the expected error with memory untouched`, () => {
  const report = fuzz(SEED, CALLS);
  if (report.failures.length > 0) console.error(formatReport(report));
  expect(report.failures).toEqual([]);
  expect(report.calls).toBe(CALLS);
  // every backend was forced, "auto" (what a user gets without asking) ran too, and every kind came up both ways
  expect(Object.keys(report.backendsUsed).sort()).toEqual([...backends(), "auto"].sort());
  const outcomes = new Set([...report.counts.values()].flatMap((byOutcome) => [...byOutcome.keys()]));
  expect([...outcomes].sort()).toEqual(["RangeError", "TypeError", "ok"]);
  expect(report.counts.size).toBeGreaterThan(25);
});
