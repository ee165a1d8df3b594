/**
 * `bun bench/reductions.ts [--quick]`: the reductions and distances family,
 * side by side in one run, ns per call (lower is better):
 *
 * 1. every reduction in float32 and float64 at n = 65,536 and 5,000,000
 *    (--quick: 65,536): nano-simd (best backend), a JS loop, NumPy;
 * 2. dot, cosine, sqeuclidean at n = 768 (an embedding): nano-simd against
 *    SimSIMD (npm `simsimd`, N-API) in this same Bun process;
 * 3. one query against 10,000 rows of 768: dotRowsInto against 10,000
 *    SimSIMD `inner` calls and a JS loop.
 *
 * SimSIMD and NumPy are optional: a note says so where they cannot load.
 * Results: terminal and bench/results/reductions.json (--quick:
 * reductions-quick.json, git-ignored). Timings are never asserted.
 */
import { createRequire } from "node:module";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
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

// 1. every reduction against a JS loop and NumPy
for (const dtype of ["f32", "f64"] as const) {
  for (const n of SIZES) {
    const a = filled(dtype, n, 1);
    const b = filled(dtype, n, 2);
    for (const op of OPS) {
      rows.push({ section: "reductions", op, dtype, n, impl: `nano-simd (${backend})`, ns: time(() => NANO[op]!(a, b)) });
      rows.push({ section: "reductions", op, dtype, n, impl: "JS loop", ns: time(() => JS[op]!(a, b)) });
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
const numpyVersion = numpy.exitCode === 0 ? (JSON.parse(numpy.stdout.toString()) as { version: string }).version : null;
if (numpyVersion) rows.push(...(JSON.parse(numpy.stdout.toString()) as { rows: Row[] }).rows);

// 2 and 3: SimSIMD in this same process, when it loads
type Distances = Record<string, (a: FloatArray, b: FloatArray) => number>;
let simsimd: Distances | null = null;
try {
  simsimd = createRequire(import.meta.path)("simsimd") as Distances;
} catch (error) {
  console.log(`SimSIMD not loaded (${(error as Error).message.split("\n")[0]}): its columns are empty. It is an optional devDependency: bun install.`);
}
const PAIRS: [string, string][] = [["dot", "inner"], ["cosine", "cosine"], ["sqeuclidean", "sqeuclidean"]];
for (const dtype of ["f32", "f64"] as const) {
  const a = filled(dtype, 768, 3);
  const b = filled(dtype, 768, 4);
  for (const [op, theirs] of PAIRS) {
    rows.push({ section: "n = 768", op, dtype, n: 768, impl: `nano-simd (${backend})`, ns: time(() => NANO[op]!(a, b)) });
    if (simsimd) rows.push({ section: "n = 768", op, dtype, n: 768, impl: "SimSIMD", ns: time(() => simsimd![theirs]!(a, b)) });
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
  }
}

const ns = (x: number | undefined) => (x === undefined ? "-" : x < 1e4 ? x.toFixed(0) : x < 1e7 ? `${(x / 1e3).toFixed(1)}k` : `${(x / 1e6).toFixed(2)}M`);
console.log(`reductions and distances: ns per call (lower is better); CPU ${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, Bun ${Bun.version}${numpyVersion ? `, NumPy ${numpyVersion}` : ", NumPy not available"}\n`);
for (const section of ["reductions", "n = 768", "rows"]) {
  const inSection = rows.filter((r) => r.section === section);
  const impls = [...new Set(inSection.map((r) => r.impl))];
  const keys = [...new Set(inSection.map((r) => `${r.op}|${r.dtype}|${r.n}`))];
  const table = [["op", "dtype", "n", ...impls, ...impls.slice(1).map((impl) => `${impl.split(" ")[0]} / ours`)]];
  for (const key of keys) {
    const [op, dtype, n] = key.split("|") as [string, string, string];
    const cell = (impl: string) => inSection.find((r) => r.op === op && r.dtype === dtype && String(r.n) === n && r.impl === impl)?.ns;
    const ours = cell(impls[0]!);
    table.push([op, dtype, Number(n).toLocaleString("en-US"), ...impls.map((impl) => ns(cell(impl))), ...impls.slice(1).map((impl) => (cell(impl) && ours ? (cell(impl)! / ours).toFixed(1) : "-"))]);
  }
  console.log(`-- ${section}`);
  printTable(table);
  console.log("");
}

mkdirSync(join(import.meta.dir, "results"), { recursive: true });
const file = join(import.meta.dir, "results", quick ? "reductions-quick.json" : "reductions.json");
writeFileSync(file, JSON.stringify({ cpu: cpus()[0]?.model, cores: cpus().length, bun: Bun.version, numpy: numpyVersion, date: new Date().toISOString(), rows }, null, 1));
console.log(`written: ${file}`);
