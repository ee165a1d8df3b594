/**
 * Workers: several at once, each forcing a different backend, computing on
 * their own arrays and on slices of one SharedArrayBuffer. Every result is
 * right, no Worker changes another's backend (or this thread's), and no
 * Worker's writes land in another's slice.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import * as nano from "../src/index.ts";
import type { WorkerReport, WorkerTask } from "./fixtures/reliability-worker.ts";
import { backends, firstMismatch, randomFloats, seeded } from "./helpers.ts";

const WORKERS_PER_BACKEND = 2;
const N = 1000;

test("Workers forcing different backends compute at once, right, each keeping its own backend", async () => {
  const forced = backends().flatMap((name) => Array<typeof name>(WORKERS_PER_BACKEND).fill(name));
  const start = new SharedArrayBuffer(4);
  const shared = new SharedArrayBuffer(forced.length * 3 * N * 4);
  const memory = new Float32Array(shared);
  memory.set(randomFloats(memory.length, seeded(77)));
  const before = memory.slice();
  const mainBackend = nano.backend();

  const workers = forced.map(() => new Worker(join(import.meta.dir, "fixtures", "reliability-worker.ts")));
  const reports = workers.map(
    (worker, i) =>
      new Promise<WorkerReport>((resolve, reject) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => reject(event);
        worker.postMessage({ backend: forced[i]!, seed: i + 1, calls: 1500, start, shared, offset: i * 3 * N, n: N } satisfies WorkerTask);
      }),
  );
  try {
    await Bun.sleep(50); // let them all reach the start line
    Atomics.store(new Int32Array(start), 0, 1);
    Atomics.notify(new Int32Array(start), 0);
    // This thread computes meanwhile, on its own backend.
    const random = seeded(3);
    for (let i = 0; i < 500; i++) {
      const a = randomFloats(64, random);
      const b = randomFloats(64, random);
      expect(firstMismatch("mul", a, b, nano.mulInto(a, b, new Float32Array(64)))).toBe(-1);
    }
    const done = await Promise.all(reports);
    expect(done.map((report) => report.forced)).toEqual(forced);
    for (const report of done) {
      expect(report.problems).toEqual([]);
      expect(report.backendAtEnd).toBe(report.forced);
      expect(report.calls).toBe(1550);
    }
  } finally {
    for (const worker of workers) worker.terminate();
  }
  expect(nano.backend()).toBe(mainBackend);

  // Each Worker's slice: a and b untouched, out = a + b; nothing from a neighbour.
  const bytes = (view: Float32Array) => Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  for (let w = 0; w < forced.length; w++) {
    const slice = (k: number, from: Float32Array) => from.subarray((w * 3 + k) * N, (w * 3 + k + 1) * N);
    expect(bytes(slice(0, memory)).equals(bytes(slice(0, before)))).toBe(true);
    expect(bytes(slice(1, memory)).equals(bytes(slice(1, before)))).toBe(true);
    expect(firstMismatch("add", slice(0, before), slice(1, before), slice(2, memory))).toBe(-1);
  }
});
