/** info() and `bun run info` report what the loader and dispatcher really did. */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { BUN } from "./helpers.ts";
import * as nano from "../src/index.ts";

const ROOT = join(import.meta.dir, "..");

test("info() describes the library, the CPU and the dispatch decision", () => {
  const report = nano.info();
  expect(report.platform).toBe(`${process.platform}-${process.arch}`);
  expect(report.backends.runnable).toEqual(nano.backends());
  expect(report.backends.active).toBe(nano.backend());
  expect(report.backends.chosenBy).toBe("auto");
  expect(report.cpu.features).toEqual(nano.cpuFeatures());
  expect(report.library.symbols).toContain(`nsimd_add_f32_${nano.backend()}`);
  expect(report.library.compiledBackends).toEqual(expect.arrayContaining(nano.backends()));
  nano.setBackend("scalar");
  try {
    expect(nano.info().backends).toMatchObject({ active: "scalar", chosenBy: "setBackend", lanes: { f32: 1, f64: 1 } });
  } finally {
    nano.setBackend("auto");
  }
});

test("`bun run info` (bun src/info.ts) prints the active backend and why", () => {
  // The file itself rather than `bun run info`, whose nested `bun` would be the
  // host's Bun, not the one under test (e.g. Bun for aarch64 under qemu).
  const run = Bun.spawnSync([BUN, join(ROOT, "src", "info.ts")], { cwd: ROOT, env: { ...process.env, NANO_SIMD_BACKEND: "scalar" } });
  const output = run.stdout.toString();
  expect(run.exitCode).toBe(0);
  expect(output).toContain("active       scalar (1 float32 or 1 float64 per instruction), forced by NANO_SIMD_BACKEND");
  expect(output).toContain(`runnable     ${nano.backends().join(" > ")}`);
  expect(output).toContain("nsimd_add_f32_scalar");
});
