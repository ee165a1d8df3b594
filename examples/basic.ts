// The smallest tour: the same sum at the three list levels and with the buffer API.
// Run: bun run examples/basic.ts
import { add, addInto, addJs, addNaive, backend } from "nano-simd";

const a = [1, 2, 3, 4];
const b = [10, 20, 30, 40];
// Labels padded to one width, so the columns line up whatever the backend's name (avx512 is the longest).
const label = (text: string) => text.padEnd(24);

console.log(label("level 0, pure JS:"), addJs(a, b));
console.log(label("level 1, naive Zig:"), addNaive(a, b));
console.log(label(`level 2, SIMD (${backend()}):`), add(a, b));

// The buffer API writes into memory you already own: nothing is copied.
const out = new Float32Array(4);
addInto(new Float32Array(a), new Float32Array(b), out);
console.log(label("buffer API, addInto:"), out);
