/** Backend selection: detection, forcing, the environment variable, and realm isolation. */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { CATALOG, OPS, type DType, type Op } from "../src/catalog.ts";
import { AUTO_PREFERENCES, kernelBackend } from "../src/dispatch.ts";
import * as nano from "../src/index.ts";
import { native } from "../src/native.ts";
import { BACKENDS, BUN } from "./helpers.ts";

const ROOT = join(import.meta.dir, "..");

test("the best runnable backend is active by default, scalar is always there", () => {
  const runnable = nano.backends();
  expect(runnable.length).toBeGreaterThan(0);
  expect(nano.backend()).toBe(runnable[0]!);
  expect(runnable.at(-1)).toBe("scalar");
  // best first, in the catalog's order
  expect(runnable).toEqual(BACKENDS.filter((name) => runnable.includes(name)));
});

test("the runnable list follows what detection saw", () => {
  const cpu = nano.cpuFeatures();
  const runnable = nano.backends();
  if (process.arch === "x64") {
    expect(cpu.sse2).toBe(true);
    expect(runnable.includes("sse")).toBe(true);
    expect(runnable.includes("avx2")).toBe(cpu.avx2! && cpu.avx! && cpu.os_ymm!);
    expect(runnable.includes("avx512")).toBe(cpu.avx512f! && cpu.avx2! && cpu.os_ymm! && cpu.os_zmm!);
  }
  if (process.arch === "arm64") {
    expect(cpu.neon).toBe(true);
    expect(runnable[0]).toBe("neon");
  }
});

test("setBackend forces a backend and 'auto' restores the best", () => {
  for (const name of nano.backends()) {
    nano.setBackend(name);
    expect(nano.backend()).toBe(name);
  }
  nano.setBackend("auto");
  expect(nano.backend()).toBe(nano.backends()[0]!);
});

test("auto takes an op's kernels from another backend only where AUTO_PREFERENCES says; a forced backend runs its own", () => {
  const pairs = OPS.flatMap((op) => CATALOG.ops[op].dtypes.map((dtype) => [op, dtype] as const));
  const expected = (op: Op, dtype: DType) => {
    for (const rule of AUTO_PREFERENCES) {
      if (rule.vendor !== native.cpuVendor || (rule.family !== undefined && rule.family !== native.cpuFamily)) continue;
      if (rule.on === nano.backend() && nano.backends().includes(rule.use) && rule.ops.includes(op) && rule.dtypes.includes(dtype)) return rule.use;
    }
    return nano.backend();
  };
  nano.setBackend("auto");
  for (const [op, dtype] of pairs) expect(kernelBackend(op, dtype)).toBe(expected(op, dtype));
  for (const name of nano.backends()) {
    nano.setBackend(name);
    for (const [op, dtype] of pairs) expect(kernelBackend(op, dtype)).toBe(name);
  }
  nano.setBackend("auto");
  expect(nano.info().backends.preferred).toEqual(Object.fromEntries(pairs.filter(([op, dtype]) => expected(op, dtype) !== nano.backend()).map(([op, dtype]) => [`${op} ${dtype}`, expected(op, dtype)])));
  expect(["unknown", "intel", "amd"]).toContain(native.cpuVendor);
  if (process.arch !== "x64") expect(native.cpuVendor).toBe("unknown");
  if (process.arch !== "x64") expect(native.cpuFamily).toBe(0);
  else expect(native.cpuFamily).toBeGreaterThan(0);
});

test("setBackend rejects unknown and unrunnable names, listing the valid ones", () => {
  const valid = `${nano.backends().map((name) => `"${name}"`).join(", ")} or "auto"`;
  expect(() => nano.setBackend("avx9000" as never)).toThrow(new RangeError(`setBackend: unknown backend "avx9000". Valid on this CPU: ${valid}`));
  expect(() => nano.setBackend(7 as never)).toThrow(TypeError);
  for (const name of BACKENDS.filter((name) => !nano.backends().includes(name))) {
    expect(() => nano.setBackend(name)).toThrow(new RangeError(`setBackend: backend "${name}" cannot run on this CPU. Valid on this CPU: ${valid}`));
  }
  expect(nano.backend()).toBe(nano.backends()[0]!);
});

function runWithEnv(backend: string, script: string) {
  return Bun.spawnSync([BUN, "-e", script], { cwd: ROOT, env: { ...process.env, NANO_SIMD_BACKEND: backend }, stderr: "pipe" });
}

test("NANO_SIMD_BACKEND picks the backend at import", () => {
  for (const name of nano.backends()) {
    const run = runWithEnv(name, `const n = await import("./src/index.ts"); console.log(n.backend(), n.addInto(new Float32Array([1]), new Float32Array([2]), new Float32Array(1))[0]);`);
    expect(run.stdout.toString().trim()).toBe(`${name} 3`);
  }
});

test("NANO_SIMD_BACKEND with an unknown name fails the import, listing valid names", () => {
  const run = runWithEnv("fastest", `await import("./src/index.ts");`);
  expect(run.exitCode).not.toBe(0);
  expect(run.stderr.toString()).toContain(`NANO_SIMD_BACKEND: unknown backend "fastest". Valid on this CPU: ${nano.backends().map((n) => `"${n}"`).join(", ")} or "auto"`);
});

test("a Worker that forces a backend does not change this realm's backend", async () => {
  const forced = nano.backends().at(-1)!; // scalar
  const worker = new Worker(join(import.meta.dir, "fixtures", "force-backend-worker.ts"));
  const reply = await new Promise<{ backend: string; sum: number[] }>((resolve, reject) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => reject(event);
    worker.postMessage(forced);
  });
  worker.terminate();
  expect(reply).toEqual({ backend: forced, sum: [11, 22] });
  expect(nano.backend()).toBe(nano.backends()[0]!);
});
