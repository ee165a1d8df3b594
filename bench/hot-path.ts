/**
 * What the argument checks cost, per shape: `bun bench/hot-path.ts VARIANT [n]`
 * with VARIANT one of negInto, addInto, fmaInto (unary, binary, ternary
 * float32), clampInto (ternary with named inputs), or bare-neg, bare-add,
 * bare-fma, bare-clamp (the same kernel's bun:ffi symbol
 * called directly). One variant per process, so the JIT profiles of two
 * never mix; 9 rounds of 2,000,000 calls on the same Float32Arrays, best
 * round printed in ns per call.
 */
import { backend, addInto, clampInto, fmaInto, negInto } from "../src/index.ts";
import { native } from "../src/native.ts";

const variant = process.argv[2] ?? "addInto";
const n = Number(process.argv[3] ?? 16);
const a = new Float32Array(n).fill(1);
const b = new Float32Array(n).fill(2);
const c = new Float32Array(n).fill(3);
const out = new Float32Array(n);
const neg = native.kernel("neg", "f32", backend());
const add = native.kernel("add", "f32", backend());
const fma = native.kernel("fma", "f32", backend());
const clamp = native.kernel("clamp", "f32", backend());
const CALLS = 2_000_000;

const calls: Record<string, [() => unknown, number]> = {
  "bare-neg": [() => neg(a, out, n, 0), -1],
  negInto: [() => negInto(a, out), -1],
  "bare-add": [() => add(a, b, out, n, 0), 3],
  addInto: [() => addInto(a, b, out), 3],
  "bare-fma": [() => fma(a, b, c, out, n, 0), 5],
  fmaInto: [() => fmaInto(a, b, c, out), 5],
  "bare-clamp": [() => clamp(a, b, c, out, n, 0), 2],
  clampInto: [() => clampInto(a, b, c, out), 2],
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
if (out[0] !== expected) throw new Error(`wrong result ${out[0]}`);
console.log(`${variant} n=${n}: ${best.toFixed(2)} ns/call (${backend()})`);
