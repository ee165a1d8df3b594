/**
 * `bun bench/families.ts [--quick]`: one section per op family, side by side
 * in one run. For the elementwise family: every op of the catalog in float32
 * and float64 at n = 4,096, 65,536 and 5,000,000 (--quick: 65,536 only):
 * nano-simd on the best backend and on each backend forced, a JS loop, and
 * NumPy with out= (skipped with a note without python3 + NumPy).
 *
 * Each backend and the JS loops run in a process of their own (the same
 * script with --worker), so one's JIT profile never leaks into another's.
 * Per cell, the lowest of 3 medians (each over enough calls to fill ~30 ms)
 * is kept. Results: terminal and bench/results/families.json
 * (--quick: families-quick.json, git-ignored). Timings are never asserted.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { CATALOG, ELEMENTWISE_OPS as OPS, inputCount, shapeOf, type DType, type ElementwiseOp as Op } from "../src/catalog.ts";
import * as nano from "../src/index.ts";
import { JS_LOOPS } from "./js-loops.ts";
import { printTable, time } from "./timing.ts";

type FloatArray = Float32Array | Float64Array;
type AnyInto = (...args: unknown[]) => FloatArray;

const quick = process.argv.includes("--quick");
const SIZES = quick ? [65_536] : [4_096, 65_536, 5_000_000];
const ARRAY = { f32: Float32Array, f64: Float64Array } as const;

/** The numbers every implementation gets: a, b and c arrays (clamp: numbers for lo and hi). */
function inputsFor(op: Op, dtype: DType, n: number): (FloatArray | number)[] {
  const arity = inputCount(shapeOf(op));
  if (op === "clamp") return [filled(dtype, n, 0), -0.5, 0.5];
  return Array.from({ length: arity }, (_, k) => filled(dtype, n, k));
}

function filled(dtype: DType, n: number, seed: number): FloatArray {
  const values = new ARRAY[dtype](n);
  for (let i = 0; i < n; i++) values[i] = 1 + ((i * 7 + seed * 13) % 101) / 37;
  return values;
}

type Row = { op: Op; dtype: DType; n: number; impl: string; ns: number };

/** In a worker process: time every op x dtype x size for one implementation. */
function work(impl: string): Row[] {
  const rows: Row[] = [];
  if (impl !== "JS loop") nano.setBackend(impl as Parameters<typeof nano.setBackend>[0]);
  for (const op of OPS) {
    for (const dtype of CATALOG.ops[op].dtypes as readonly DType[]) {
      for (const n of SIZES) {
        const inputs = inputsFor(op, dtype, n);
        const out = new ARRAY[dtype](n);
        let call: () => unknown;
        if (impl === "JS loop") {
          const arrays = inputs.filter((x): x is FloatArray => typeof x !== "number");
          call = () => JS_LOOPS[op](arrays, out, inputs[1] as number, inputs[2] as number);
        } else {
          const into = (nano as unknown as Record<string, AnyInto>)[`${op}Into`]!;
          call = () => into(...inputs, out);
        }
        rows.push({ op, dtype, n, impl: impl === "auto" ? `nano-simd (${nano.backend()})` : impl, ns: time(call) });
      }
    }
  }
  return rows;
}

if (process.argv.includes("--worker")) {
  console.log(JSON.stringify(work(process.argv[process.argv.indexOf("--worker") + 1]!)));
  process.exit(0);
}

function inWorker(impl: string): Row[] {
  const args = [process.execPath, import.meta.path, "--worker", impl, ...(quick ? ["--quick"] : [])];
  const run = Bun.spawnSync(args, { stderr: "inherit", env: { ...process.env, NANO_SIMD_BACKEND: "" } });
  if (run.exitCode !== 0) throw new Error(`worker ${impl} failed`);
  return JSON.parse(run.stdout.toString()) as Row[];
}

function numpy(): { rows: Row[]; version: string | null } {
  const run = Bun.spawnSync(["python3", join(import.meta.dir, "numpy_families.py"), ...SIZES.map(String)], { stderr: "pipe" });
  if (run.exitCode !== 0) return { rows: [], version: null };
  const parsed = JSON.parse(run.stdout.toString()) as { version: string; rows: Row[] };
  return { rows: parsed.rows, version: parsed.version };
}

const rows: Row[] = [];
for (const impl of ["auto", ...nano.backends().filter((b) => b === "avx512" || b === "avx2" || b === "neon"), "JS loop"]) rows.push(...inWorker(impl));
const { rows: numpyRows, version: numpyVersion } = numpy();
rows.push(...numpyRows);

const implementations = [...new Set(rows.map((r) => r.impl))];
const auto = implementations[0]!;
const cell = (op: Op, dtype: DType, n: number, impl: string) => rows.find((r) => r.op === op && r.dtype === dtype && r.n === n && r.impl === impl)?.ns;
const ns = (x: number | undefined) => (x === undefined ? "-" : x < 1e4 ? x.toFixed(0) : x < 1e7 ? `${(x / 1e3).toFixed(1)}k` : `${(x / 1e6).toFixed(2)}M`);

console.log(`elementwise family: ns per call (lower is better); CPU ${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, Bun ${Bun.version}${numpyVersion ? `, NumPy ${numpyVersion}` : ", NumPy not available (python3 -c 'import numpy' failed): its column is empty"}`);
console.log(`ratios: NumPy / nano-simd and JS loop / nano-simd (above 1: nano-simd is faster)\n`);
const header = ["op", "dtype", "n", ...implementations, "vs NumPy", "vs JS"];
const table: string[][] = [header];
for (const op of OPS) {
  for (const dtype of CATALOG.ops[op].dtypes as readonly DType[]) {
    for (const n of SIZES) {
      const ours = cell(op, dtype, n, auto);
      const theirs = cell(op, dtype, n, "NumPy out=");
      const js = cell(op, dtype, n, "JS loop");
      table.push([op, dtype, n.toLocaleString("en-US"), ...implementations.map((impl) => ns(cell(op, dtype, n, impl))), theirs && ours ? (theirs / ours).toFixed(2) : "-", js && ours ? (js / ours).toFixed(1) : "-"]);
    }
  }
}
printTable(table);

mkdirSync(join(import.meta.dir, "results"), { recursive: true });
const file = join(import.meta.dir, "results", quick ? "families-quick.json" : "families.json");
writeFileSync(file, JSON.stringify({ cpu: cpus()[0]?.model, cores: cpus().length, bun: Bun.version, numpy: numpyVersion, date: new Date().toISOString(), rows }, null, 1));
console.log(`\nwritten: ${file}`);
