/**
 * `bun run memory [addIntoCalls] [listCalls] [--json]`: resident memory across
 * a long run, 10,000,000 addInto calls and 100,000 list API calls by default
 * (n = 256, every op, every backend this CPU runs in turn), then 1,000,000
 * addInto calls each with a fresh `out` (arrays seen once, some branded).
 * RSS is read after a full GC: after warm-up, then after each phase. It must
 * stay flat: nothing per call may stay behind, in JavaScript or native memory.
 * test/memory.test.ts runs this and bounds the growth.
 */
import { add, addInto, backends, divInto, mul, mulInto, setBackend, sub, subInto } from "../../src/index.ts";

const counts = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const [addIntoCalls, listCalls] = [counts[0] ?? 10_000_000, counts[1] ?? 100_000].map(Number) as [number, number];
const asJson = process.argv.includes("--json");
const N = 256;

const into = [addInto, subInto, mulInto, divInto];
const lists = [add, sub, mul];
const a = new Float32Array(N).map((_, i) => i + 0.5);
const b = new Float32Array(N).map((_, i) => N - i);
const out = new Float32Array(N);
const listA = Array.from(a);
const listB = Array.from(b);
const runnable = backends();

function residentMiB(): number {
  Bun.gc(true);
  return process.memoryUsage().rss / 2 ** 20;
}

function bufferCalls(calls: number): void {
  const perBackend = Math.ceil(calls / runnable.length);
  for (const name of runnable) {
    setBackend(name);
    for (let i = 0; i < perBackend; i++) into[i & 3]!(a, b, out);
  }
  setBackend("auto");
}

function listApiCalls(calls: number): void {
  const perBackend = Math.ceil(calls / runnable.length);
  for (const name of runnable) {
    setBackend(name);
    for (let i = 0; i < perBackend; i++) lists[i % 3]!(listA, listB);
  }
  setBackend("auto");
}

function freshOutCalls(calls: number): void {
  for (let i = 0; i < calls; i++) addInto(a, b, new Float32Array(N));
}

const phases: { phase: string; calls: number; seconds: number; rssMiB: number }[] = [];
function phase(name: string, calls: number, body: (calls: number) => void): void {
  const started = performance.now();
  body(calls);
  phases.push({ phase: name, calls, seconds: (performance.now() - started) / 1000, rssMiB: residentMiB() });
}

const startMiB = residentMiB();
const warmUp = { addInto: Math.min(addIntoCalls, 500_000), list: Math.min(listCalls, 5_000), fresh: 50_000 };
phase("warm-up (addInto, list, fresh out)", warmUp.addInto + warmUp.list + warmUp.fresh, () => {
  bufferCalls(warmUp.addInto);
  listApiCalls(warmUp.list);
  freshOutCalls(warmUp.fresh);
});
phase("addInto", addIntoCalls, bufferCalls);
phase("list API (add, sub, mul)", listCalls, listApiCalls);
phase("addInto with a fresh out each call", 1_000_000, freshOutCalls);

if (addInto(a, b, out)[1] !== 1.5 + (N - 1)) throw new Error("wrong result after the run");

const warm = phases[0]!.rssMiB;
const growth = Math.max(...phases.map((p) => p.rssMiB)) - warm;
if (asJson) {
  console.log(JSON.stringify({ startMiB, warmMiB: warm, growthMiB: growth, phases }));
} else {
  console.log(`nano-simd memory: n=${N}, backends ${runnable.join(", ")}; RSS after a full GC`);
  console.log(`  at start                                   ${startMiB.toFixed(1)} MiB`);
  for (const p of phases) console.log(`  after ${p.phase.padEnd(36)} ${p.rssMiB.toFixed(1)} MiB  (${p.calls} calls, ${p.seconds.toFixed(2)} s)`);
  console.log(`  largest growth after warm-up: ${growth.toFixed(1)} MiB`);
}
