/**
 * `bun run bench:math [--quick]`: the math functions side by side in one run,
 * on the same inputs: nano-simd on every backend this CPU runs, a JS
 * `Math.*` loop into a Float32Array, and NumPy's float32 ufuncs with `out=`
 * (sigmoid: `1/(1+np.exp(-x))` as four ufuncs with out=; skipped with a note
 * without python3 + NumPy). n = 65,536 and 5,000,000 (--quick: 65,536).
 *
 * Accuracy beside speed: each peer's largest distance, in float32 ULPs, from
 * nano-simd's result, which is the correctly rounded one (checked on all 2^32
 * inputs: bench/results/accuracy.txt). A distance of d ULPs from the correctly
 * rounded value is an error of at most d + 0.5 ULPs from the exact value.
 *
 * "slow lanes": how many of the n results the fastest backend sent to its
 * float128 slow path (native.mathSlowLanes), i.e. how rare that path is.
 *
 * Inputs: uniform in [-10, 10] (log: (0, 1000]), as in the NumPy
 * figures. Per cell, the lowest of 3 medians (bench/timing.ts). Results:
 * terminal and bench/results/math.json (--quick: math-quick.json,
 * git-ignored). Timings are never asserted.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { MATH_OPS, apiName } from "../src/catalog.ts";
import * as nano from "../src/index.ts";
import { native } from "../src/native.ts";
import { JS_LOOPS } from "./js-loops.ts";
import { printTable, time } from "./timing.ts";

const quick = process.argv.includes("--quick");
const SIZES = quick ? [65_536] : [65_536, 5_000_000];
/** The math functions, from the catalog (the ops with a ULP contract). */
const FUNCTIONS = MATH_OPS;
type Fn = (typeof FUNCTIONS)[number];

const NANO = Object.fromEntries(FUNCTIONS.map((fn) => [fn, (nano as unknown as Record<string, unknown>)[apiName(fn)]])) as Record<Fn, (a: Float32Array, out: Float32Array) => Float32Array>;

/** Deterministic inputs: uniform in [-10, 10], or (0, 1000] for log. */
function inputFor(fn: Fn, n: number): Float32Array {
  const a = new Float32Array(n);
  let seed = 42;
  for (let i = 0; i < n; i++) {
    // Math.imul: a plain `seed * 1103515245` exceeds 2^53 and loses its low
    // bits, which collapsed 5M inputs to 12,901 distinct values.
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const u = seed / 2 ** 32;
    a[i] = fn === "log" ? u * 1000 + 1e-3 : u * 20 - 10;
  }
  return a;
}

/** Float32 bits as integers ordered like the values, so a difference counts ULPs. */
function ordered(bits: number): number {
  return bits & 0x8000_0000 ? -(bits & 0x7fff_ffff) : bits;
}

/** The largest distance in ULPs between `got` and the correctly rounded `exact` (Infinity for a NaN mismatch). */
function maxUlps(exact: Float32Array, got: Float32Array): number {
  const e = new Uint32Array(exact.buffer, exact.byteOffset, exact.length);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  let worst = 0;
  for (let i = 0; i < exact.length; i++) {
    if (Number.isNaN(exact[i]!) !== Number.isNaN(got[i]!)) return Infinity;
    if (Number.isNaN(exact[i]!)) continue;
    worst = Math.max(worst, Math.abs(ordered(e[i]!) - ordered(g[i]!)));
  }
  return worst;
}

/** NumPy's ns per element and outputs for every function at size n, or a reason it could not run. */
function runNumpy(n: number, dir: string): { times: Map<Fn, number>; outputs: Map<Fn, Float32Array> } | string {
  for (const fn of FUNCTIONS) writeFileSync(join(dir, `${fn}.in`), inputFor(fn, n));
  const script = `
import sys, time, numpy as np
d, fns = sys.argv[1], sys.argv[2].split(",")
t = None
def sigmoid(x, out):
    np.negative(x, out=t); np.exp(t, out=t); np.add(t, 1, out=t); np.divide(1, t, out=out)
ufuncs = {"exp": np.exp, "log": np.log, "tanh": np.tanh, "sigmoid": sigmoid, "sin": np.sin, "cos": np.cos}
for name in fns:
    x = np.fromfile(f"{d}/{name}.in", dtype=np.float32)
    o = np.empty_like(x); t = np.empty_like(x)
    calls = max(3, int(2e7 // x.size))
    best = 1e30
    for r in range(5):
        s = time.perf_counter_ns()
        for c in range(calls): ufuncs[name](x, out=o)
        best = min(best, (time.perf_counter_ns() - s) / calls)
    o.tofile(f"{d}/{name}.numpy")
    print(name, best / x.size)
`;
  let result;
  try {
    result = Bun.spawnSync(["python3", "-c", script, dir, FUNCTIONS.join(",")]);
  } catch {
    return "python3 not found (Debian: apt-get install python3-numpy)";
  }
  if (result.exitCode !== 0) return `python3 + NumPy did not run (${result.stderr.toString().trim().split("\n").pop()}); Debian: apt-get install python3-numpy`;
  const times = new Map<Fn, number>();
  const outputs = new Map<Fn, Float32Array>();
  for (const line of result.stdout.toString().trim().split("\n")) {
    const [name, ns] = line.split(" ") as [Fn, string];
    times.set(name, Number(ns));
    outputs.set(name, new Float32Array(readFileSync(join(dir, `${name}.numpy`)).buffer.slice(0)));
  }
  return { times, outputs };
}

const backends = nano.backends();
const dir = mkdtempSync(join(tmpdir(), "nano-simd-math-"));
const rows: string[][] = [["function", "n", ...backends.map((b) => `nano-simd ${b}`), "JS loop", "NumPy out=", "JS / ours", "NumPy / ours", "JS max ULPs", "NumPy max ULPs", "slow lanes"]];
const results: Record<string, unknown>[] = [];
let numpyNote = "";
try {
  for (const n of SIZES) {
    const numpy = runNumpy(n, dir);
    if (typeof numpy === "string") numpyNote = numpy;
    for (const fn of FUNCTIONS) {
      const a = inputFor(fn, n);
      const out = new Float32Array(n);
      const perBackend: Record<string, number> = {};
      for (const backend of backends) {
        nano.setBackend(backend);
        perBackend[backend] = time(() => NANO[fn](a, out)) / n;
      }
      nano.setBackend(backends[0]!);
      const slowBefore = native.mathSlowLanes(backends[0]!);
      const exact = NANO[fn](a, new Float32Array(n));
      const slowLanes = native.mathSlowLanes(backends[0]!) - slowBefore;
      nano.setBackend("auto");
      const jsOut = new Float32Array(n);
      const js = time(() => JS_LOOPS[fn]([a], jsOut)) / n;
      const jsUlps = maxUlps(exact, jsOut);
      const best = perBackend[backends[0]!]!;
      const np = typeof numpy === "string" ? undefined : numpy.times.get(fn);
      const npUlps = typeof numpy === "string" ? undefined : maxUlps(exact, numpy.outputs.get(fn)!);
      results.push({ function: fn, n, nsPerElement: perBackend, js, numpy: np ?? null, jsMaxUlps: jsUlps, numpyMaxUlps: npUlps ?? null, slowLanes });
      rows.push([
        fn,
        n.toLocaleString("en-US"),
        ...backends.map((b) => perBackend[b]!.toFixed(3)),
        js.toFixed(3),
        np === undefined ? "-" : np.toFixed(3),
        (js / best).toFixed(1),
        np === undefined ? "-" : (np / best).toFixed(2),
        String(jsUlps),
        npUlps === undefined ? "-" : String(npUlps),
        String(slowLanes),
      ]);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`-- math functions, ns per element (${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Bun ${Bun.version})`);
console.log("   max ULPs: largest distance from nano-simd's correctly rounded result on these inputs; nano-simd's own error is <= 0.5 ULP on all 2^32 inputs");
printTable(rows);
if (numpyNote) console.log(`NumPy skipped: ${numpyNote}`);
const resultsDir = join(import.meta.dir, "results");
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, quick ? "math-quick.json" : "math.json"), `${JSON.stringify({ date: new Date().toISOString(), cpu: cpus()[0]?.model, cores: cpus().length, bun: Bun.version, results }, null, 2)}\n`);
