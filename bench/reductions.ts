/**
 * `bun bench/reductions.ts [--quick] [--runs=N] [--before=<library>]`: the reductions
 * and distances family, side by side in one run, ns per call (lower is
 * better):
 *
 * 1. every reduction in float32 and float64 at n = 65,536 and 5,000,000
 *    (--quick: 65,536): nano-simd (best backend), a JS loop, NumPy; at 5M
 *    also the read-only bandwidth probe (zig/bandwidth_probe.zig, one or two
 *    streams of the same bytes), and the reduction as a fraction of it;
 * 2. dot, cosine, sqeuclidean at n = 768 (an embedding): nano-simd against
 *    SimSIMD (npm `simsimd`, N-API) in this same Bun process;
 * 3. one query against 10,000 rows of 768: dotRowsInto against 10,000
 *    SimSIMD `inner` calls and a JS loop.
 *
 * --runs=N repeats the whole measurement N times and keeps each cell's
 * lowest time (on a shared machine one run's cells carry other jobs' noise).
 *
 * --before=<library> adds a before/after comparison of the kernels: the
 * same export of that library (e.g. one built from an older commit) and of
 * this one, each called bare through bun:ffi, timed one right after the
 * other for every case.
 *
 * SimSIMD, NumPy and the probe are optional: a note says so where they
 * cannot load. Results: terminal and bench/results/reductions.json
 * (--quick: reductions-quick.json, git-ignored). Timings are never asserted.
 */
import { dlopen, type FFIFunction } from "bun:ffi";
import { createRequire } from "node:module";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { shapeOf, type Op } from "../src/catalog.ts";
import { kernelSymbol, native, type NativeKernel } from "../src/native.ts";
import * as nano from "../src/index.ts";
import { printTable, time } from "./timing.ts";

type FloatArray = Float32Array | Float64Array;
const quick = process.argv.includes("--quick");
const SIZES = quick ? [65_536] : [65_536, 5_000_000];
const ARRAY = { f32: Float32Array, f64: Float64Array } as const;
type DType = keyof typeof ARRAY;

function filled(dtype: DType, n: number, seed: number): FloatArray {
  const values = new ARRAY[dtype](n);
  for (let i = 0; i < n; i++) values[i] = ((i * 7 + seed * 13) % 101) / 37 - 1.3;
  return values;
}

/** The plain JavaScript loops: a single accumulator, as people write them. */
const JS: Record<string, (a: FloatArray, b: FloatArray) => number> = {
  sum: (a) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]!; return s; },
  dot: (a, b) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!; return s; },
  min: (a) => { let m = Infinity; for (let i = 0; i < a.length; i++) m = Math.min(m, a[i]!); return m; },
  max: (a) => { let m = -Infinity; for (let i = 0; i < a.length; i++) m = Math.max(m, a[i]!); return m; },
  argmin: (a) => { let k = 0; for (let i = 1; i < a.length; i++) if (a[i]! < a[k]!) k = i; return k; },
  argmax: (a) => { let k = 0; for (let i = 1; i < a.length; i++) if (a[i]! > a[k]!) k = i; return k; },
  norm: (a) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!; return Math.sqrt(s); },
  sqeuclidean: (a, b) => { let s = 0; for (let i = 0; i < a.length; i++) { const d = a[i]! - b[i]!; s += d * d; } return s; },
  euclidean: (a, b) => { let s = 0; for (let i = 0; i < a.length; i++) { const d = a[i]! - b[i]!; s += d * d; } return Math.sqrt(s); },
  cosine: (a, b) => { let ab = 0, aa = 0, bb = 0; for (let i = 0; i < a.length; i++) { ab += a[i]! * b[i]!; aa += a[i]! * a[i]!; bb += b[i]! * b[i]!; } return 1 - ab / Math.sqrt(aa * bb); },
};
const OPS = Object.keys(JS) as (keyof typeof nano & keyof typeof JS)[];
const NANO = nano as unknown as Record<string, (a: FloatArray, b: FloatArray) => number>;

type Row = { section: string; op: string; dtype: string; n: number; impl: string; ns: number };
const rows: Row[] = [];
const backend = nano.backend();

// Before/after: the same export of two libraries, bare bun:ffi calls.
const SHAPE_ARGS: Record<string, FFIFunction> = {
  reduce: { args: ["buffer", "u32", "buffer"], returns: "i32" },
  index: { args: ["buffer", "u32", "buffer"], returns: "i32" },
  reduce2: { args: ["buffer", "buffer", "u32", "buffer"], returns: "i32" },
  rows: { args: ["buffer", "buffer", "buffer", "u32", "u32"], returns: "i32" },
};
const beforePath = process.argv.find((arg) => arg.startsWith("--before="))?.slice("--before=".length);
if (beforePath && !existsSync(beforePath)) throw new Error(`--before: ${beforePath} does not exist`);
/** The kernel of `op` in the library at `path`: both libraries bound the same way, by this bench. */
function bareKernel(path: string, op: Op, dtype: DType): NativeKernel {
  const symbol = kernelSymbol(op, dtype, backend);
  const bound = dlopen(resolve(path), { [symbol]: SHAPE_ARGS[shapeOf(op)]! }).symbols;
  return bound[symbol] as unknown as NativeKernel;
}
const result = new Float64Array(1);
type Invoke = (kernel: NativeKernel) => unknown;
/**
 * Times the bare kernels of both libraries, one right after the other
 * (before first). Two identical `call`s, written twice at each use, so that
 * each kernel has a call site of its own: through one shared function the
 * second kernel would be called from a site JSC has already seen call
 * another function (polymorphic), a handicap for whichever is timed second.
 */
function beforeAfter(section: string, name: string, dtype: DType, n: number, callBefore: Invoke, callAfter: Invoke): void {
  if (!beforePath) return;
  const op = name.replace(/Into$/, "") as Op; // the catalog's op of an API name: dotRowsInto -> dotRows
  const before = bareKernel(beforePath, op, dtype);
  const after = bareKernel(native.path, op, dtype);
  rows.push({ section, op: name, dtype, n, impl: "before", ns: time(() => callBefore(before)) });
  rows.push({ section, op: name, dtype, n, impl: "after", ns: time(() => callAfter(after)) });
}

// The read-only bandwidth probe: one or two streams of the bytes a reduction reads.
const probePath = join(import.meta.dir, "..", "zig-out", "lib", "libnano_simd_probe.so");
if (!quick) Bun.spawnSync([join(import.meta.dir, "..", "node_modules", ".bin", "zig"), "build", "probe"], { cwd: join(import.meta.dir, ".."), stderr: "inherit" });
const readProbe = !quick && existsSync(probePath)
  ? dlopen(probePath, { nsimd_probe_read: { args: ["buffer", "buffer", "u32", "bool"], returns: "u64" } }).symbols.nsimd_probe_read
  : null;
if (!quick && !readProbe) console.log(`read-only probe not built (${probePath}): no read bandwidth column. Run \`zig build probe\`.`);

// SimSIMD (sections 2 and 3) in this same process, when it loads
type Distances = Record<string, (a: FloatArray, b: FloatArray) => number>;
let simsimd: Distances | null = null;
try {
  simsimd = createRequire(import.meta.path)("simsimd") as Distances;
} catch (error) {
  console.log(`SimSIMD not loaded (${(error as Error).message.split("\n")[0]}): its columns are empty. It is an optional devDependency: bun install.`);
}

let numpyVersion: string | null = null;
/** One pass over every case; --runs=N makes N passes and keeps each cell's lowest time. */
function measure(): void {
  // 1. every reduction against a JS loop and NumPy
  for (const dtype of ["f32", "f64"] as const) {
    for (const n of SIZES) {
      const a = filled(dtype, n, 1);
      const b = filled(dtype, n, 2);
      // The probe before and after the ops, the lower kept: it bounds what they measure.
      const probe = (streams: 1 | 2) => (readProbe ? time(() => readProbe(a, b, a.byteLength, streams === 2)) : 0);
      const probes = n >= 1_000_000 ? [probe(1), probe(2)] : null;
      for (const op of OPS) {
        rows.push({ section: "reductions", op, dtype, n, impl: `nano-simd (${backend})`, ns: time(() => NANO[op]!(a, b)) });
        rows.push({ section: "reductions", op, dtype, n, impl: "JS loop", ns: time(() => JS[op]!(a, b)) });
        const twoInputs = shapeOf(op as Op) === "reduce2";
        beforeAfter("reductions", op, dtype, n,
        (kernel) => (twoInputs ? kernel(a, b, n, result) : kernel(a, n, result)),
        (kernel) => (twoInputs ? kernel(a, b, n, result) : kernel(a, n, result)));
      }
      if (probes && readProbe) {
        const again = [probe(1), probe(2)];
        for (const op of OPS) {
          const streams = shapeOf(op as Op) === "reduce2" ? 2 : 1;
          rows.push({ section: "reductions", op, dtype, n, impl: `read probe`, ns: Math.min(probes[streams - 1]!, again[streams - 1]!) });
        }
      }
    }
  }
  // One BLAS thread: nano-simd runs on one core, and on this 2-core VM
  // OpenBLAS's second thread spun for milliseconds on float64 dot (measured:
  // 12 ms at n = 65,536 with the default threads under load).
  const numpy = Bun.spawnSync(["python3", join(import.meta.dir, "numpy_reductions.py"), ...SIZES.map(String)], {
    stderr: "pipe",
    env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
  });
  numpyVersion = numpy.exitCode === 0 ? (JSON.parse(numpy.stdout.toString()) as { version: string }).version : null;
  if (numpyVersion) rows.push(...(JSON.parse(numpy.stdout.toString()) as { rows: Row[] }).rows);

  // 2 and 3: n = 768, and rows
  const PAIRS: [string, string][] = [["dot", "inner"], ["cosine", "cosine"], ["sqeuclidean", "sqeuclidean"]];
  for (const dtype of ["f32", "f64"] as const) {
    const a = filled(dtype, 768, 3);
    const b = filled(dtype, 768, 4);
    for (const [op, theirs] of PAIRS) {
      rows.push({ section: "n = 768", op, dtype, n: 768, impl: `nano-simd (${backend})`, ns: time(() => NANO[op]!(a, b)) });
      if (simsimd) rows.push({ section: "n = 768", op, dtype, n: 768, impl: "SimSIMD", ns: time(() => simsimd![theirs]!(a, b)) });
      beforeAfter("n = 768", op, dtype, 768, (kernel) => kernel(a, b, 768, result), (kernel) => kernel(a, b, 768, result));
    }
  }
  {
    const dim = 768;
    const count = quick ? 1_000 : 10_000;
    const table = filled("f32", count * dim, 5) as Float32Array;
    const query = filled("f32", dim, 6) as Float32Array;
    const out = new Float32Array(count);
    const views = Array.from({ length: count }, (_, i) => table.subarray(i * dim, (i + 1) * dim));
    const into: [string, (rows: Float32Array, query: Float32Array, out: Float32Array) => Float32Array, string, (a: Float32Array, b: Float32Array) => number][] = [
      ["dotRowsInto", nano.dotRowsInto, "inner", JS.dot as (a: Float32Array, b: Float32Array) => number],
      ["sqeuclideanRowsInto", nano.sqeuclideanRowsInto, "sqeuclidean", JS.sqeuclidean as (a: Float32Array, b: Float32Array) => number],
      ["cosineRowsInto", nano.cosineRowsInto, "cosine", JS.cosine as (a: Float32Array, b: Float32Array) => number],
    ];
    for (const [op, ours, theirs, js] of into) {
      rows.push({ section: "rows", op, dtype: "f32", n: count, impl: `nano-simd (${backend})`, ns: time(() => ours(table, query, out)) });
      if (simsimd) rows.push({ section: "rows", op, dtype: "f32", n: count, impl: "SimSIMD x rows", ns: time(() => { for (let i = 0; i < count; i++) out[i] = simsimd![theirs]!(views[i]!, query); }) });
      rows.push({ section: "rows", op, dtype: "f32", n: count, impl: "JS loop", ns: time(() => { for (let r = 0; r < count; r++) out[r] = js(views[r]!, query); }) });
      beforeAfter("rows", op, "f32", count, (kernel) => kernel(table, query, out, count, dim), (kernel) => kernel(table, query, out, count, dim));
    }
  }
}
const RUNS = Number(process.argv.find((arg) => arg.startsWith("--runs="))?.slice("--runs=".length) ?? 1);
for (let run = 0; run < RUNS; run++) measure();
{
  // The lowest time of each cell over the runs (every cell is measured once a run).
  const best = new Map<string, Row>();
  for (const row of rows) {
    const key = `${row.section}|${row.op}|${row.dtype}|${row.n}|${row.impl}`;
    const seen = best.get(key);
    if (!seen || row.ns < seen.ns) best.set(key, row);
  }
  rows.length = 0;
  rows.push(...best.values());
}

const ns = (x: number | undefined) => (x === undefined ? "-" : x < 1e4 ? x.toFixed(0) : x < 1e7 ? `${(x / 1e3).toFixed(1)}k` : `${(x / 1e6).toFixed(2)}M`);
console.log(`reductions and distances: ns per call (lower is better); CPU ${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, Bun ${Bun.version}${numpyVersion ? `, NumPy ${numpyVersion}` : ", NumPy not available"}\n`);
for (const section of ["reductions", "n = 768", "rows"]) {
  const inSection = rows.filter((r) => r.section === section);
  const impls = [...new Set(inSection.map((r) => r.impl))];
  // Ratios above 1: nano-simd is faster. "before / after" compares the two
  // libraries' bare kernels; "ours of read bw" is the probe's time over ours.
  const peers = impls.slice(1).filter((impl) => impl !== "before" && impl !== "after" && impl !== "read probe");
  const ratios: [string, string, string][] = peers.map((impl) => [`${impl.split(" ")[0]} / ours`, impl, impls[0]!]);
  if (impls.includes("before")) ratios.push(["before / after", "before", "after"]);
  const keys = [...new Set(inSection.map((r) => `${r.op}|${r.dtype}|${r.n}`))];
  const table = [["op", "dtype", "n", ...impls, ...ratios.map(([label]) => label), ...(impls.includes("read probe") ? ["ours of read bw"] : [])]];
  for (const key of keys) {
    const [op, dtype, n] = key.split("|") as [string, string, string];
    const cell = (impl: string) => inSection.find((r) => r.op === op && r.dtype === dtype && String(r.n) === n && r.impl === impl)?.ns;
    const ratio = (top: string, bottom: string) => (cell(top) && cell(bottom) ? (cell(top)! / cell(bottom)!).toFixed(2) : "-");
    const bandwidth = cell("read probe") && cell(impls[0]!) ? `${((100 * cell("read probe")!) / cell(impls[0]!)!).toFixed(0)}%` : "-";
    table.push([
      op, dtype, Number(n).toLocaleString("en-US"), ...impls.map((impl) => ns(cell(impl))),
      ...ratios.map(([, top, bottom]) => ratio(top, bottom)), ...(impls.includes("read probe") ? [bandwidth] : []),
    ]);
  }
  console.log(`-- ${section}`);
  printTable(table);
  console.log("");
}

mkdirSync(join(import.meta.dir, "results"), { recursive: true });
const file = join(import.meta.dir, "results", quick ? "reductions-quick.json" : "reductions.json");
writeFileSync(file, JSON.stringify({ cpu: cpus()[0]?.model, cores: cpus().length, bun: Bun.version, numpy: numpyVersion, before: beforePath ?? null, date: new Date().toISOString(), rows }, null, 1));
console.log(`written: ${file}`);
