/**
 * `bun bench/conversions.ts [--quick]`: convertInto side by side with a JS
 * loop and NumPy, ns per call, at n = 65,536 and 5,000,000 (--quick:
 * 65,536). The JS loops are what a Bun user writes: a Float16Array store, a
 * multiply, a clamp-and-round (Math.round: half up, the closest JS has).
 * Results: terminal and bench/results/conversions.json (--quick:
 * conversions-quick.json, git-ignored). Timings are never asserted.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import * as nano from "../src/index.ts";
import { printTable, time } from "./timing.ts";

const quick = process.argv.includes("--quick");
const SIZES = quick ? [65_536] : [65_536, 5_000_000];
type Row = { case: string; n: number; impl: string; ns: number };
const rows: Row[] = [];
const backend = nano.backend();

for (const n of SIZES) {
  const f32 = new Float32Array(n).map((_, i) => ((i * 7) % 101) / 37 - 1.3);
  const f16 = Float16Array.from(f32);
  const i16 = new Int16Array(n).map((_, i) => ((i * 7919) % 65536) - 32768);
  const u8 = new Uint8Array(n).map((_, i) => (i * 31) % 256);
  const o32 = new Float32Array(n);
  const o16 = new Float16Array(n);
  const oi16 = new Int16Array(n);
  const cases: [string, () => unknown, () => unknown][] = [
    ["f32 -> f16", () => nano.convertInto(f32, o16), () => { for (let i = 0; i < n; i++) o16[i] = f32[i]!; }],
    ["f16 -> f32", () => nano.convertInto(f16, o32), () => { for (let i = 0; i < n; i++) o32[i] = f16[i]!; }],
    ["i16 x 1/32768 -> f32", () => nano.convertInto(i16, o32, 1 / 32768), () => { const s = 1 / 32768; for (let i = 0; i < n; i++) o32[i] = i16[i]! * s; }],
    ["f32 x 32768 -> i16", () => nano.convertInto(f32, oi16, 32768), () => { for (let i = 0; i < n; i++) { const v = f32[i]! * 32768; oi16[i] = Math.round(v > 32767 ? 32767 : v < -32768 ? -32768 : v); } }],
    ["u8 x 1/255 - 0.485 -> f32", () => nano.convertInto(u8, o32, 1 / 255, -0.485), () => { const s = 1 / 255; for (let i = 0; i < n; i++) o32[i] = u8[i]! * s - 0.485; }],
  ];
  for (const [label, ours, js] of cases) {
    rows.push({ case: label, n, impl: `nano-simd (${backend})`, ns: time(ours) });
    rows.push({ case: label, n, impl: "JS loop", ns: time(js) });
  }
}
const numpy = Bun.spawnSync(["python3", join(import.meta.dir, "numpy_conversions.py"), ...SIZES.map(String)], { stderr: "pipe" });
const numpyVersion = numpy.exitCode === 0 ? (JSON.parse(numpy.stdout.toString()) as { version: string }).version : null;
if (numpyVersion) rows.push(...(JSON.parse(numpy.stdout.toString()) as { rows: Row[] }).rows);

const impls = [...new Set(rows.map((r) => r.impl))];
const table = [["case", "n", ...impls.map((impl) => `${impl} ns/elem`), ...impls.slice(1).map((impl) => `${impl.split(" ")[0]} / ours`)]];
for (const label of [...new Set(rows.map((r) => r.case))]) {
  for (const n of SIZES) {
    const cell = (impl: string) => rows.find((r) => r.case === label && r.n === n && r.impl === impl)?.ns;
    const ours = cell(impls[0]!);
    table.push([label, n.toLocaleString("en-US"), ...impls.map((impl) => (cell(impl) === undefined ? "-" : (cell(impl)! / n).toFixed(3))), ...impls.slice(1).map((impl) => (cell(impl) && ours ? (cell(impl)! / ours).toFixed(1) : "-"))]);
  }
}
console.log(`conversions (convertInto): CPU ${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, Bun ${Bun.version}${numpyVersion ? `, NumPy ${numpyVersion}` : ", NumPy not available"}\n`);
printTable(table);
mkdirSync(join(import.meta.dir, "results"), { recursive: true });
const file = join(import.meta.dir, "results", quick ? "conversions-quick.json" : "conversions.json");
writeFileSync(file, JSON.stringify({ cpu: cpus()[0]?.model, cores: cpus().length, bun: Bun.version, numpy: numpyVersion, date: new Date().toISOString(), rows }, null, 1));
console.log(`\nwritten: ${file}`);
