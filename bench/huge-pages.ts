/**
 * `bun bench/huge-pages.ts`: what the kernel's page size does to a
 * reduction over 5,000,000 elements (Linux only).
 *
 * Above the cache a reduction streams from memory, and the CPU's hardware
 * prefetchers stop at page boundaries: every 4 KiB with ordinary pages,
 * every 2 MiB with huge ones. NumPy asks Linux for transparent huge pages
 * on its large arrays (madvise, from 4 MiB up); a Bun typed array gets
 * ordinary pages. So at 5M the same kernel can run at two speeds.
 *
 * This script times nano-simd's sum, min and dot on the same typed arrays
 * twice: as Bun allocated them, then after `adviseHugePages` asked the
 * kernel to back them with huge pages (madvise MADV_COLLAPSE, Linux 6.1+;
 * the arrays' contents are unchanged). It prints the process's AnonHugePages
 * before and after, and what NumPy's own arrays get. Timings are the best
 * of 30 calls, in one process, after a warm-up pass; nothing is asserted.
 */
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import * as nano from "../src/index.ts";

const n = 5_000_000;

if (process.platform !== "linux") {
  console.log("bench/huge-pages.ts: Linux only (transparent huge pages and madvise); skipped");
  process.exit(0);
}

/** The AnonHugePages line of this process, in KiB. */
function hugePagesKiB(): number {
  const line = readFileSync("/proc/self/smaps_rollup", "utf8").split("\n").find((text) => text.startsWith("AnonHugePages:"));
  return line ? Number.parseInt(line.split(/\s+/)[1]!, 10) : 0;
}

function bestMicroseconds(run: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 30; round++) {
    const start = Bun.nanoseconds();
    run();
    best = Math.min(best, Bun.nanoseconds() - start);
  }
  return best / 1e3;
}

const a64 = new Float64Array(n);
const x32 = new Float32Array(n);
const y32 = new Float32Array(n);
for (let i = 0; i < n; i++) {
  a64[i] = Math.sin(i);
  x32[i] = Math.cos(i);
  y32[i] = Math.sin(i * 0.5);
}
const cases: [string, () => unknown][] = [
  ["sum f64", () => nano.sum(a64)],
  ["min f64", () => nano.min(a64)],
  ["dot f32", () => nano.dot(x32, y32)],
];
const expected = cases.map(([, run]) => run());

function timeAll(): number[] {
  return cases.map(([, run]) => bestMicroseconds(run));
}

console.log(`huge pages at n = ${n.toLocaleString("en-US")}: CPU ${cpus()[0]?.model ?? "?"}, Bun ${Bun.version}, ${nano.backend()}\n`);
timeAll(); // a warm-up pass, so that the first timed pass is not the colder one
const ordinary = timeAll();
const before = hugePagesKiB();
const asked = [a64, x32, y32].map((array) => nano.adviseHugePages(array));
const after = hugePagesKiB();
const huge = timeAll();
cases.forEach(([, run], i) => {
  if (!Object.is(run(), expected[i])) throw new Error(`${cases[i]![0]} changed its result after the pages changed`);
});

console.log(`AnonHugePages: ${before.toLocaleString("en-US")} KiB before, ${after.toLocaleString("en-US")} KiB after asking for ${asked.map((bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`).join(", ")}\n`);
console.log("case       4 KiB pages (us)  huge pages (us)  speed-up");
cases.forEach(([name], i) => {
  console.log(`${name.padEnd(9)}  ${ordinary[i]!.toFixed(0).padStart(16)}  ${huge[i]!.toFixed(0).padStart(15)}  ${(ordinary[i]! / huge[i]!).toFixed(2).padStart(8)}`);
});

const numpy = Bun.spawnSync(["python3", "-c", "import numpy as np; a = np.ones(5_000_000); print(next(l.split()[1] for l in open('/proc/self/smaps_rollup') if l.startswith('AnonHugePages')))"], { stderr: "pipe" });
console.log(
  numpy.exitCode === 0
    ? `\nNumPy: a new float64 array of 5M elements leaves its process with ${Number(numpy.stdout.toString()).toLocaleString("en-US")} KiB in huge pages`
    : "\nNumPy not available: its page size not checked",
);
