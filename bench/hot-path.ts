/**
 * What the argument checks cost: `bun bench/hot-path.ts addInto|bare [n]`.
 * One variant per process, so the JIT profiles of the two never mix; 9 rounds
 * of 2,000,000 calls on the same three Float32Arrays, best round printed in
 * ns per call. `bare` calls the active backend's bun:ffi symbol directly.
 */
import { addInto, backend } from "../src/index.ts";
import { native } from "../src/native.ts";

const variant = process.argv[2] ?? "addInto";
const n = Number(process.argv[3] ?? 16);
const a = new Float32Array(n).fill(1);
const b = new Float32Array(n).fill(2);
const out = new Float32Array(n);
const kernel = native.kernel("add", "f32", backend());
const CALLS = 2_000_000;

const calls: Record<string, () => unknown> = {
  bare: () => kernel(a, b, out, n, 0),
  addInto: () => addInto(a, b, out),
};
const call = calls[variant];
if (!call) throw new Error(`unknown variant ${variant}; use ${Object.keys(calls).join(" or ")}`);

function round(): number {
  const start = Bun.nanoseconds();
  for (let i = 0; i < CALLS; i++) call!();
  return (Bun.nanoseconds() - start) / CALLS;
}

let best = Infinity;
for (let r = 0; r < 9; r++) best = Math.min(best, round());
if (out[0] !== 3) throw new Error(`wrong result ${out[0]}`);
console.log(`${variant} n=${n}: ${best.toFixed(2)} ns/call`);
