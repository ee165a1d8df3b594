/**
 * `bun bench/conversions.ts [--quick]`: convertInto side by side with a JS
 * loop and NumPy, ns per call, at n = 65,536 and 5,000,000 (--quick:
 * 65,536). The JS loops are what a Bun user writes: a Float16Array store, a
 * multiply, a clamp-and-round (Math.round: half up, the closest JS has).
 * Without --quick, a second table checks the issue's "above the cache,
 * >= 90% of the memory bound": each case at n = 20,000,000 (120 MB of
 * traffic for float16 -> float32, well past a 32 MiB L3) against the
 * bandwidth probe reading and writing the same bytes in the same
 * proportions (streaming stores, one thread like convertInto), interleaved.
 * Results: terminal and bench/results/conversions.json (--quick:
 * conversions-quick.json, git-ignored). Timings are never asserted.
 */
import { ptr } from "bun:ffi";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import * as nano from "../src/index.ts";
import { streamProbe } from "./implementations.ts";
import { printTable, time } from "./timing.ts";

const quick = process.argv.includes("--quick");
const SIZES = quick ? [65_536] : [65_536, 5_000_000];
/** Above the cache: 20M elements (the probe's bound is only meaningful past the last-level cache). */
const ABOVE_CACHE = 20_000_000;
type Row = { case: string; n: number; impl: string; ns: number };
const rows: Row[] = [];
const backend = nano.backend();

/** The five cases at size n: [label, ours, JS loop, bytes read and bytes written per element]. */
function casesAt(n: number): [string, () => unknown, () => unknown, [number, number]][] {
  const f32 = new Float32Array(n).map((_, i) => ((i * 7) % 101) / 37 - 1.3);
  const f16 = Float16Array.from(f32);
  const i16 = new Int16Array(n).map((_, i) => ((i * 7919) % 65536) - 32768);
  const u8 = new Uint8Array(n).map((_, i) => (i * 31) % 256);
  const o32 = new Float32Array(n);
  const o16 = new Float16Array(n);
  const oi16 = new Int16Array(n);
  // Outputs written once first: untouched pages would all be one shared zero page.
  o32.fill(1);
  o16.fill(1);
  oi16.fill(1);
  return [
    ["f32 -> f16", () => nano.convertInto(f32, o16), () => { for (let i = 0; i < n; i++) o16[i] = f32[i]!; }, [4, 2]],
    ["f16 -> f32", () => nano.convertInto(f16, o32), () => { for (let i = 0; i < n; i++) o32[i] = f16[i]!; }, [2, 4]],
    ["i16 x 1/32768 -> f32", () => nano.convertInto(i16, o32, 1 / 32768), () => { const s = 1 / 32768; for (let i = 0; i < n; i++) o32[i] = i16[i]! * s; }, [2, 4]],
    ["f32 x 32768 -> i16", () => nano.convertInto(f32, oi16, 32768), () => { for (let i = 0; i < n; i++) { const v = f32[i]! * 32768; oi16[i] = Math.round(v > 32767 ? 32767 : v < -32768 ? -32768 : v); } }, [4, 2]],
    ["u8 x 1/255 - 0.485 -> f32", () => nano.convertInto(u8, o32, 1 / 255, -0.485), () => { const s = 1 / 255; for (let i = 0; i < n; i++) o32[i] = u8[i]! * s - 0.485; }, [1, 4]],
  ];
}

for (const n of SIZES) {
  for (const [label, ours, js] of casesAt(n)) {
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
type BoundRow = { case: string; n: number; oursNs: number; probeNs: number; bytes: number };
const bound: BoundRow[] = [];
if (!quick) {
  const built = Bun.spawnSync([join(import.meta.dir, "..", "node_modules", ".bin", "zig"), "build", "probe"], { cwd: join(import.meta.dir, ".."), stderr: "inherit" });
  if (built.exitCode !== 0) throw new Error("zig build probe failed");
  const { stream, vectorBytes } = streamProbe();
  for (const [label, ours, , [readBytes, writeBytes]] of casesAt(ABOVE_CACHE)) {
    // Per probe step: read and write whole vectors in the case's proportions
    // (float16 -> float32: 2 bytes read, 4 written: 1 vector read, 2 written).
    const unit = Math.min(readBytes, writeBytes);
    const [reads, writes] = [readBytes / unit, writeBytes / unit];
    const steps = Math.floor((ABOVE_CACHE * unit) / vectorBytes);
    const src = new Uint8Array(steps * reads * vectorBytes).map((_, i) => 1 + (i % 251));
    const outMemory = new Uint8Array(steps * writes * vectorBytes + vectorBytes).fill(1);
    const outAddress = Number(ptr(outMemory));
    const out = outMemory.subarray((vectorBytes - (outAddress % vectorBytes)) % vectorBytes);
    const bytes = ABOVE_CACHE * (readBytes + writeBytes);
    let oursNs = Infinity;
    let probeNs = Infinity;
    for (let round = 0; round < 3; round++) {
      oursNs = Math.min(oursNs, time(ours));
      probeNs = Math.min(probeNs, time(() => stream(src, out, steps, reads, writes)));
    }
    bound.push({ case: label, n: ABOVE_CACHE, oursNs, probeNs, bytes });
  }
  console.log(`\nabove the cache, n = ${ABOVE_CACHE.toLocaleString("en-US")}: convertInto against the bandwidth probe moving the same bytes in the same read/write proportions (1 thread, streaming stores)\n`);
  printTable([
    ["case", "bytes moved", "ours GB/s", "probe GB/s", "ours / probe"],
    ...bound.map((r) => [r.case, `${(r.bytes / 1e6).toFixed(0)} MB`, (r.bytes / r.oursNs).toFixed(1), (r.bytes / r.probeNs).toFixed(1), `${((100 * r.probeNs) / r.oursNs).toFixed(0)}%`]),
  ]);
}
writeFileSync(file, JSON.stringify({ cpu: cpus()[0]?.model, cores: cpus().length, bun: Bun.version, numpy: numpyVersion, date: new Date().toISOString(), rows, aboveCache: bound }, null, 1));
console.log(`\nwritten: ${file}`);
