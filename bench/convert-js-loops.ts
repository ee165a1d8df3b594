/** JS-loop baselines for issue 14 conversions (ns per element, best of 60): `bun bench/convert-js-loops.ts [n]`. */
const n = Number(process.argv[2] ?? 65536);
const f32 = new Float32Array(n), f16 = new Float16Array(n), i16 = new Int16Array(n), u8 = new Uint8Array(n);
for (let i = 0; i < n; i++) { f32[i] = Math.random() * 2 - 1; f16[i] = f32[i]; i16[i] = (Math.random() * 65536 - 32768) | 0; u8[i] = (Math.random() * 256) | 0; }
const o32 = new Float32Array(n), o16 = new Float16Array(n), oi16 = new Int16Array(n);
function best(label: string, fn: () => void) {
  for (let w = 0; w < 20; w++) fn();
  let b = Infinity;
  for (let r = 0; r < 60; r++) { const t = Bun.nanoseconds(); fn(); b = Math.min(b, Bun.nanoseconds() - t); }
  console.log(`${label.padEnd(34)} n=${n}: ${(b / n).toFixed(3)} ns/elem`);
}
best("JS f32 -> f16 (Float16Array store)", () => { for (let i = 0; i < n; i++) o16[i] = f32[i]; });
best("JS f16 -> f32", () => { for (let i = 0; i < n; i++) o32[i] = f16[i]; });
best("JS i16 * (1/32768) -> f32", () => { const s = 1 / 32768; for (let i = 0; i < n; i++) o32[i] = i16[i] * s; });
best("JS f32 * 32768 clamp+round -> i16", () => { for (let i = 0; i < n; i++) { let v = f32[i] * 32768; v = v > 32767 ? 32767 : v < -32768 ? -32768 : v; oi16[i] = Math.round(v); } });
best("JS u8 / 255 - 0.485 -> f32", () => { const s = 1 / 255; for (let i = 0; i < n; i++) o32[i] = u8[i] * s - 0.485; });
