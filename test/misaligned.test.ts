/**
 * Arrays at odd byte addresses: every op on every backend, cached and
 * streaming stores (test/misaligned/child.ts, in its own process so that a
 * crash fails this test instead of ending the run). Streaming stores to an
 * out that was not element-aligned once killed Bun with a segfault.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { BUN } from "./helpers.ts";

test("every op gives the same bits with its arrays 1 to 7 bytes off alignment, and writes nothing around out", () => {
  const run = Bun.spawnSync([BUN, join(import.meta.dir, "misaligned", "child.ts")], { stdout: "pipe", stderr: "pipe" });
  const stderr = run.stderr.toString();
  expect({ exitCode: run.exitCode, signal: run.signalCode ?? null, stderr: run.exitCode === 0 ? "" : stderr.slice(0, 2000) }).toEqual({ exitCode: 0, signal: null, stderr: "" });
  expect(JSON.parse(run.stdout.toString())).toEqual([]);
}, 120_000);
