/**
 * x86-64 dispatch on CPUs this machine is not: zig-out/bin/nsimd-detect (the
 * library's own detection and dispatch, zig/detect_main.zig) runs under
 * `qemu-x86_64 -cpu <model>`, must pick the right backend, and must be able
 * to run every backend it calls runnable there. qemu does not emulate
 * AVX-512; the host's own run of the suite covers that path.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { missingTools, zigBuild } from "./tools.ts";

const ROOT = join(import.meta.dir, "..");
const DETECT = join(ROOT, "zig-out", "bin", "nsimd-detect");

/** CPU model, what it has, and the backend dispatch must choose. */
const MODELS = [
  { model: "core2duo", has: "SSE2-SSSE3, no SSE4", backend: "sse", runnable: "sse,scalar" },
  { model: "Westmere", has: "SSE4.2, no AVX", backend: "sse", runnable: "sse,scalar" },
  { model: "Haswell", has: "AVX2, no AVX-512", backend: "avx2", runnable: "avx2,sse,scalar" },
] as const;

/** The next wider backend each model must not get: forcing it must fault. */
const TOO_WIDE = [
  { model: "core2duo", backend: "avx2" },
  { model: "Westmere", backend: "avx2" },
  { model: "Haswell", backend: "avx512" },
] as const;

const skip = missingTools("x86-64 dispatch under qemu CPU models (test/qemu-dispatch.test.ts)", "qemu-x86_64").length > 0;
// nsimd-detect is an x86-64 Linux program whatever architecture the tests run on.
if (!skip) zigBuild("detect", "-Dtarget=x86_64-linux");

function underQemu(model: string, ...args: string[]) {
  const run = Bun.spawnSync(["qemu-x86_64", "-cpu", model, DETECT, ...args], { stdout: "pipe", stderr: "pipe" });
  // "backend: sse" -> { backend: "sse" }
  const report = Object.fromEntries(run.stdout.toString().split("\n").filter(Boolean).map((line) => line.split(": ")));
  return { ...run, report };
}

test.skipIf(skip).each(MODELS)("qemu -cpu $model ($has): dispatch picks $backend, and every runnable backend runs", ({ model, backend, runnable }) => {
  const run = underQemu(model);
  expect(run.exitCode).toBe(0);
  expect(run.report.backend).toBe(backend);
  expect(run.report.runnable).toBe(runnable);
  // Each runnable backend computed every op at every length 0..70 bit for bit.
  expect(run.report.ran).toBe(runnable);
  console.log(`qemu-x86_64 -cpu ${model}: ${run.report.features} -> ${backend}`);
});

test.skipIf(skip).each(TOO_WIDE)("qemu -cpu $model really lacks $backend: forcing it dies with SIGILL", ({ model, backend }) => {
  const run = underQemu(model, "--force", backend);
  expect(run.signalCode).toBe("SIGILL");
  // Detection still said what it says without --force.
  expect(run.report.backend).toBe(MODELS.find((row) => row.model === model)!.backend);
});
