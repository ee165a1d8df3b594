/**
 * Memory: the full run of test/memory/long-run.ts (10,000,000 addInto calls,
 * 100,000 list API calls, 1,000,000 calls with a fresh `out`), in its own
 * process so that other tests' allocations do not count. Resident memory
 * after a full GC must stay flat after warm-up; the bound is generous (the
 * measured growth is about 1 MiB; the README's figures come from
 * `bun run memory`).
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { BUN } from "./helpers.ts";

const GROWTH_BOUND_MIB = 32;

test(`10M addInto and 100k list calls leave RSS within ${GROWTH_BOUND_MIB} MiB of its size after warm-up`, () => {
  const run = Bun.spawnSync([BUN, join(import.meta.dir, "memory", "long-run.ts"), "--json"], { stderr: "pipe" });
  expect(run.stderr.toString()).toBe("");
  expect(run.exitCode).toBe(0);
  const report = JSON.parse(run.stdout.toString()) as { warmMiB: number; growthMiB: number; phases: { phase: string; calls: number; rssMiB: number }[] };
  expect(report.phases.map((p) => p.calls).slice(1)).toEqual([10_000_000, 100_000, 1_000_000]);
  expect(report.growthMiB).toBeLessThan(GROWTH_BOUND_MIB);
}, 60_000);
