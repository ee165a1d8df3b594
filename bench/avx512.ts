/**
 * `bun bench/avx512.ts [op] [dtype]`: every wide backend this CPU runs, on
 * the same arrays, interleaved: each round times every backend once (each
 * in its own process), and per size the lowest median of 5 rounds is kept.
 * Sizes: 4,096 aligned and misaligned by one element, 65,536, 1M and 5M
 * (streaming stores from the library's threshold: `bun run info`). Prints
 * ns per call and each backend's time relative to the fastest. Default:
 * add f32.
 */
import { inputCount, shapeOf, type Op } from "../src/catalog.ts";
import * as nano from "../src/index.ts";

type FloatArray = Float32Array | Float64Array;
const [op = "add", dtype = "f32"] = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const CASES: [label: string, n: number, misalign: number][] = [
  ["4,096", 4096, 0],
  ["4,096 misaligned by 1", 4096, 1],
  ["65,536", 65_536, 0],
  ["1M", 1 << 20, 0],
  ["5M", 5_000_000, 0],
];

if (process.argv.includes("--worker")) {
  nano.setBackend(process.argv[process.argv.indexOf("--worker") + 1] as Parameters<typeof nano.setBackend>[0]);
  const into = (nano as unknown as Record<string, (...args: unknown[]) => FloatArray>)[`${op}Into`]!;
  const Floats = dtype === "f64" ? Float64Array : Float32Array;
  const results: number[] = [];
  for (const [, n, misalign] of CASES) {
    // Views that start `misalign` elements into a 64-byte aligned allocation.
    const view = () => new Floats(n + 16).fill(1.5).subarray(misalign, misalign + n);
    const args = Array.from({ length: inputCount(shapeOf(op as Op)) + 1 }, () => view());
    const calls = Math.max(3, Math.floor(2e8 / n / 8));
    const medians: number[] = [];
    into(...args);
    for (let s = 0; s < 7; s++) {
      const t0 = Bun.nanoseconds();
      for (let i = 0; i < calls; i++) into(...args);
      medians.push((Bun.nanoseconds() - t0) / calls);
    }
    medians.sort((x, y) => x - y);
    results.push(medians[3]!);
  }
  console.log(JSON.stringify(results));
  process.exit(0);
}

const wide = nano.backends().filter((name) => name !== "scalar");
const best = new Map<string, number[]>();
for (let round = 0; round < 5; round++) {
  for (const backend of wide) {
    const run = Bun.spawnSync([process.execPath, import.meta.path, op, dtype, "--worker", backend], { stderr: "inherit", env: { ...process.env, NANO_SIMD_BACKEND: "" } });
    const times = JSON.parse(run.stdout.toString()) as number[];
    best.set(backend, times.map((t, i) => Math.min(t, best.get(backend)?.[i] ?? Infinity)));
  }
}
console.log(`${op}Into ${dtype}, ns per call, lowest median of 5 interleaved rounds (relative to the fastest backend)`);
CASES.forEach(([label], i) => {
  const fastest = Math.min(...wide.map((name) => best.get(name)![i]!));
  console.log(`${label.padEnd(22)} ${wide.map((name) => `${name} ${best.get(name)![i]!.toFixed(0).padStart(8)} (${(best.get(name)![i]! / fastest).toFixed(2)})`).join("   ")}`);
});
