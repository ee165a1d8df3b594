/**
 * The seeded fuzzer (test/fuzz/generator.ts) in `bun test`: 10,000 random
 * calls mixing every kind of argument, on every backend this CPU runs. The
 * seed is fixed so a failure replays; FUZZ_SEED picks another. `bun run fuzz`
 * runs the same generator for much longer.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { fuzz, formatReport } from "./fuzz/generator.ts";
import { BUN, backends } from "./helpers.ts";

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

test(`hostile mode: ${CALLS / 2} random calls from seed ${SEED} with built-ins patched at random between them, in a child process`, () => {
  // A child: under a patch, a bug could crash Bun rather than fail an expectation.
  const run = Bun.spawnSync([BUN, join(import.meta.dir, "fuzz", "long-run.ts"), String(CALLS / 2), String(SEED), "--hostile"], { stdout: "pipe", stderr: "pipe" });
  const output = run.stdout.toString();
  if (run.exitCode !== 0) console.error(output, run.stderr.toString());
  expect(run.signalCode ?? null).toBeNull();
  expect(output).toContain(`seed ${SEED}: ${CALLS / 2} calls in`);
  expect(output).toContain(", 0 failures");
  expect(run.exitCode).toBe(0);
}, 60_000);
