/**
 * What the argument checks cost, per shape: `bun bench/hot-path.ts VARIANT [n]`
 * with VARIANT one of negInto, addInto, fmaInto (unary, binary, ternary
 * float32), clampInto (ternary with named inputs), addInto-number and
 * clampInto-numbers (numbers broadcast), sum, dot, argmax,
 * dotRowsInto (2 rows of n / 2), convertInto (float32 to float16) and
 * convertInto-i16 (float32 to int16), or the same name prefixed by bare-:
 * the same kernel's bun:ffi symbol called directly. One variant per
 * process, so the JIT profiles of two never mix; 9 rounds of 2,000,000
 * calls on the same Float32Arrays, best round printed in ns per call.
 *
 * `bun bench/hot-path.ts --all [n]` runs every pair that way, interleaved,
 * 5 times, and prints each API function against its bare call (lowest of
 * the 5). The goal: at most 1.5x at n = 16.
 */
import { backend, addInto, argmax, clampInto, convertInto, dot, dotRowsInto, fmaInto, negInto, sum } from "../src/index.ts";
import { native } from "../src/native.ts";

const variant = process.argv[2] ?? "addInto";
const n = Number(process.argv[3] ?? 16);
/** Each API function and the variant that calls its kernel bare. */
const PAIRS: [api: string, bare: string][] = [
  ["negInto", "bare-neg"],
  ["addInto", "bare-add"],
  ["fmaInto", "bare-fma"],
  ["clampInto", "bare-clamp"],
  ["addInto-number", "bare-add-number"],
  ["clampInto-numbers", "bare-clamp-numbers"],
  ["sum", "bare-sum"],
  ["dot", "bare-dot"],
  ["argmax", "bare-argmax"],
  ["dotRowsInto", "bare-dotRows"],
  ["convertInto", "bare-convert"],
  ["convertInto-i16", "bare-convert-i16"],
];

if (variant === "--all") {
  const best = new Map<string, number>();
  for (let round = 0; round < 5; round++) {
    for (const name of PAIRS.flat()) {
      const run = Bun.spawnSync([process.execPath, import.meta.path, name, String(n)]);
      const ns = Number(/: ([\d.]+) ns/.exec(run.stdout.toString())?.[1]);
      best.set(name, Math.min(best.get(name) ?? Infinity, ns));
    }
  }
  console.log(`n = ${n}, ${backend()}, lowest of 5 interleaved runs, ns per call\n`);
  console.log("function          bare call      API   ratio");
  for (const [api, bare] of PAIRS) {
    const [bareNs, apiNs] = [best.get(bare)!, best.get(api)!];
    console.log(`${api.padEnd(16)} ${bareNs.toFixed(2).padStart(10)} ${apiNs.toFixed(2).padStart(8)}   ${(apiNs / bareNs).toFixed(2)}x`);
  }
  process.exit(0);
}
const a = new Float32Array(n).fill(1);
const b = new Float32Array(n).fill(2);
const c = new Float32Array(n).fill(3);
const out = new Float32Array(n);
const neg = native.kernel("neg", "f32", backend());
const add = native.kernel("add", "f32", backend());
const fma = native.kernel("fma", "f32", backend());
const clamp = native.kernel("clamp", "f32", backend());
const sumKernel = native.kernel("sum", "f32", backend());
const dotKernel = native.kernel("dot", "f32", backend());
const argmaxKernel = native.kernel("argmax", "f32", backend());
const rowsKernel = native.kernel("dotRows", "f32", backend());
const toHalf = native.conversion("f32", "f16", backend());
const toInt16 = native.conversion("f32", "i16", backend());
const result = new Float64Array(1);
const two = new Float32Array([2]);
const lo = new Float32Array([-0.5]);
const hi = new Float32Array([1]);
// Rows: n elements as 2 rows of n / 2; a float16 out for the conversion.
const query = new Float32Array(n / 2).fill(1);
const rowsOut = new Float32Array(2);
const half = new Float16Array(n);
const pcm = new Int16Array(n);
const CALLS = 2_000_000;

// The expected out[0] after the call (null: the variant writes no `out`).
const calls: Record<string, [() => unknown, number | null]> = {
  "bare-neg": [() => neg(a, out, n, 0), -1],
  negInto: [() => negInto(a, out), -1],
  "bare-add": [() => add(a, b, out, n, 0), 3],
  addInto: [() => addInto(a, b, out), 3],
  "bare-fma": [() => fma(a, b, c, out, n, 0), 5],
  fmaInto: [() => fmaInto(a, b, c, out), 5],
  "bare-clamp": [() => clamp(a, b, c, out, n, 0), 2],
  clampInto: [() => clampInto(a, b, c, out), 2],
  // A number broadcast: the bare call gets the one-element array the API builds.
  "bare-add-number": [() => add(a, two, out, n, 0b10), 3],
  "addInto-number": [() => addInto(a, 2, out), 3],
  "bare-clamp-numbers": [() => clamp(a, lo, hi, out, n, 0b110), 1],
  "clampInto-numbers": [() => clampInto(a, -0.5, 1, out), 1],
  "bare-sum": [() => (sumKernel(a, n, result), result[0]), null],
  sum: [() => sum(a), null],
  "bare-dot": [() => (dotKernel(a, b, n, result), result[0]), null],
  dot: [() => dot(a, b), null],
  "bare-argmax": [() => (argmaxKernel(a, n, result), result[0]), null],
  argmax: [() => argmax(a), null],
  "bare-dotRows": [() => rowsKernel(a, query, rowsOut, 2, n / 2), null],
  dotRowsInto: [() => dotRowsInto(a, query, rowsOut), null],
  "bare-convert": [() => toHalf(a, half, n, 1, 0), null],
  convertInto: [() => convertInto(a, half, 1, 0), null],
  "bare-convert-i16": [() => toInt16(a, pcm, n, 1, 0), null],
  "convertInto-i16": [() => convertInto(a, pcm, 1, 0), null],
};
const chosen = calls[variant];
if (!chosen) throw new Error(`unknown variant ${variant}; use ${Object.keys(calls).join(", ")}`);
const [call, expected] = chosen;

function round(): number {
  const start = Bun.nanoseconds();
  for (let i = 0; i < CALLS; i++) call();
  return (Bun.nanoseconds() - start) / CALLS;
}

let best = Infinity;
for (let r = 0; r < 9; r++) best = Math.min(best, round());
if (expected !== null && out[0] !== expected) throw new Error(`wrong result ${out[0]}`);
console.log(`${variant} n=${n}: ${best.toFixed(2)} ns/call (${backend()})`);
