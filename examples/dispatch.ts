// Dispatch: which backends this CPU runs, the same answer from each, and their speed.
// Run: bun run examples/dispatch.ts
import { addInto, backend, backends, cpuFeatures, setBackend } from "nano-simd";

const features = cpuFeatures();
console.log("detected:", Object.keys(features).filter((name) => features[name]).join(" "));
console.log("runnable:", backends().join(" > "), `(auto picks ${backend()})`);

const n = 1 << 16;
const a = new Float32Array(n).map((_, i) => i * 0.1);
const b = new Float32Array(n).map((_, i) => 1 / (i + 1));
const out = new Float32Array(n);

for (const name of backends()) {
  setBackend(name);
  let fastest = Infinity; // best of 20 batches: the first ones also warm up the JIT
  for (let batch = 0; batch < 20; batch++) {
    const start = Bun.nanoseconds();
    for (let r = 0; r < 50; r++) addInto(a, b, out);
    fastest = Math.min(fastest, (Bun.nanoseconds() - start) / 50);
  }
  const us = fastest / 1000;
  let checksum = 0;
  for (let i = 0; i < n; i++) checksum = (checksum + out[i]! * (i + 1)) % 1e9;
  console.log(`${name.padEnd(7)} out[12345] = ${out[12345]}  checksum ${checksum.toFixed(3)}  ${us.toFixed(1)} µs per call (n = ${n})`);
}
setBackend("auto");
