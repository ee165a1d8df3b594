// The list-versus-buffer lesson at one size: where does the time go?
// Run: bun run examples/list-vs-buffer.ts
import { add, addInto, addJs, addNaive } from "nano-simd";

const n = 1_000_000;
const listA = Array.from({ length: n }, (_, i) => i * 0.5);
const listB = Array.from({ length: n }, (_, i) => i % 7);
const bufferA = new Float32Array(listA);
const bufferB = new Float32Array(listB);
const out = new Float32Array(n);

function best(label: string, run: () => unknown): number {
  run(); // warm up the JIT
  let fastest = Infinity;
  for (let round = 0; round < 10; round++) {
    const start = Bun.nanoseconds();
    run();
    fastest = Math.min(fastest, Bun.nanoseconds() - start);
  }
  console.log(`${label.padEnd(34)} ${(fastest / 1e6).toFixed(3).padStart(8)} ms`);
  return fastest;
}

console.log(`n = ${n.toLocaleString("en-US")} float32 values, best of 10\n`);
const js = best("list, level 0 (addJs)", () => addJs(listA, listB));
best("list, level 1 (addNaive)", () => addNaive(listA, listB));
best("list, level 2 (add)", () => add(listA, listB));
const buffer = best("buffer (addInto)", () => addInto(bufferA, bufferB, out));
console.log(`\nThe lists spend their time converting numbers; the buffer API converts none: ${(js / buffer).toFixed(0)}x faster than level 0 here.`);
