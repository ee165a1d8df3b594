// The buffer API: preallocate once, compute into it, reuse it, work in place.
// Run: bun run examples/buffer-api.ts
import { addInto, mulInto, subInto } from "nano-simd";

const n = 8;
const prices = new Float32Array([10, 20, 30, 40, 50, 60, 70, 80]);
const taxRate = new Float32Array(n).fill(0.25);
const tax = new Float32Array(n); // allocated once, before the work

mulInto(prices, taxRate, tax); // tax[i] = prices[i] * 0.25
console.log("tax:       ", tax);

// In place: `out` may be exactly one of the inputs.
addInto(prices, tax, prices); // prices[i] += tax[i]
console.log("with tax:  ", prices);

// Views work too: subarray() shares memory, so this writes into `prices`.
const firstHalf = prices.subarray(0, 4);
subInto(firstHalf, tax.subarray(0, 4), firstHalf);
console.log("half undone:", prices);

// A partial overlap would make the answer depend on the order of the writes; it is refused.
try {
  addInto(prices.subarray(0, 4), tax.subarray(0, 4), prices.subarray(1, 5));
} catch (error) {
  console.log(`${(error as Error).name}: ${(error as Error).message}`);
}
