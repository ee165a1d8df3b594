/** Shared test tools: an independent float32 reference, awkward inputs, bit comparison. */
import { ptr, toArrayBuffer } from "bun:ffi";
import { BACKENDS, LIST_OPS, type Backend, type ListOp as Op } from "../src/catalog.ts";
import type { BinaryInto as IntoFunction } from "../src/elementwise.ts";
import * as nano from "../src/index.ts";
import { backends, setBackend } from "../src/index.ts";
import type { ListFunction } from "../src/list-api.ts";

/** The four float32 ops the older suites (and the list API) cover; the per-shape suites cover the whole catalog. */
export const OP_NAMES: readonly Op[] = LIST_OPS;
export { BACKENDS, backends };

/**
 * How to start the Bun that runs these tests, for tests that spawn one:
 * process.execPath, unless test/aarch64/run.ts says it must go through
 * qemu (an aarch64 binary cannot be executed directly on this x86-64 host).
 */
export const BUN = process.env.NANO_SIMD_TEST_BUN || process.execPath;

/** Written out here, not imported from src, so the tests check src against something else. */
export function reference(op: Op, x: number, y: number): number {
  const a = Math.fround(x);
  const b = Math.fround(y);
  switch (op) {
    case "add":
      return Math.fround(a + b);
    case "sub":
      return Math.fround(a - b);
    case "mul":
      return Math.fround(a * b);
    case "div":
      return Math.fround(a / b);
  }
}

export const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1.401298464324817e-45, -1.401298464324817e-45, 3.4028234663852886e38, -3.4028234663852886e38, 1e-39, 1, -1];

/** Lengths from the issue: every tail of every width, and a few large ones. */
export const LENGTHS = [...Array.from({ length: 71 }, (_, i) => i), 127, 128, 129, 255, 256, 257, 1000, 4099, 100003];

/** A small seeded generator (mulberry32), so failures can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random float32 values: 1 in 8 is a special value, the rest random bit patterns. */
export function randomFloats(n: number, random: () => number): Float32Array {
  const values = new Float32Array(n);
  const bits = new Uint32Array(values.buffer);
  for (let i = 0; i < n; i++) {
    if (random() < 0.125) values[i] = SPECIALS[Math.floor(random() * SPECIALS.length)]!;
    else bits[i] = Math.floor(random() * 4294967296);
  }
  return values;
}

/** Same float32 bits, or both NaN (JavaScript cannot observe NaN payloads). */
export function sameFloat32(expected: number, actual: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return Object.is(expected, actual);
}

/** Index of the first element where `actual` differs from the reference, or -1. */
export function firstMismatch(op: Op, a: ArrayLike<number>, b: ArrayLike<number>, actual: ArrayLike<number>): number {
  if (actual.length !== a.length) return 0;
  for (let i = 0; i < a.length; i++) if (!sameFloat32(reference(op, a[i]!, b[i]!), actual[i]!)) return i;
  return -1;
}

/** Run `body` with `name` forced, then go back to "auto" whatever happens. */
export function withBackend<T>(name: Backend, body: () => T): T {
  setBackend(name);
  try {
    return body();
  } finally {
    setBackend("auto");
  }
}

/** Run `body` once per backend this CPU can run, each forced in turn. */
export function forEachBackend(body: (name: Backend) => void): void {
  for (const name of backends()) withBackend(name, () => body(name));
}

/** The buffer API by op name. */
export const INTO = { add: nano.addInto, sub: nano.subInto, mul: nano.mulInto, div: nano.divInto } satisfies Record<Op, IntoFunction>;

/** The list API by level and op name. */
export const LIST_LEVELS = {
  js: { add: nano.addJs, sub: nano.subJs, mul: nano.mulJs, div: nano.divJs },
  naive: { add: nano.addNaive, sub: nano.subNaive, mul: nano.mulNaive, div: nano.divNaive },
  simd: { add: nano.add, sub: nano.sub, mul: nano.mul, div: nano.div },
} satisfies Record<string, Record<Op, ListFunction>>;

/** A copy of every byte of `buffer`, to prove later that nothing changed. */
export function snapshot(buffer: ArrayBufferLike): Buffer {
  return Buffer.from(new Uint8Array(buffer).slice().buffer);
}

/** True when every byte of `buffer` equals the snapshot. */
export function unchanged(buffer: ArrayBufferLike, before: Buffer): boolean {
  return Buffer.from(buffer).equals(before);
}

let resizable: boolean | undefined;

/**
 * Whether this Bun can make resizable and growable buffers. Bun 1.4.5 under
 * qemu-user (the NEON run) aborts the whole process on the first one (an
 * mprotect fails), so the tests that need them ask first, in a child process.
 */
export function resizableBuffersWork(): boolean {
  const probe = "new ArrayBuffer(8, { maxByteLength: 16 }).resize(16); new SharedArrayBuffer(8, { maxByteLength: 16 }).grow(16)";
  resizable ??= Bun.spawnSync([BUN, "-e", probe], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
  return resizable;
}

/** A typed array of any kind, as the odd-address helper below copies it. */
type AnyTypedArray = ArrayBufferView & { readonly length: number; set(values: never): void };

/**
 * A copy of `values` at `offset` bytes past a 64-byte boundary, inside 64
 * bytes of `fill` on each side: a typed array at an odd address, as
 * `Bun.mmap` with an odd offset or bun:ffi's `toArrayBuffer(ptr + k)` gives
 * one. `raw` owns the memory and must stay reachable while the view is used
 * (the view does not keep it alive); the view starts at byte `start` of it.
 */
export function atOddAddress<T extends AnyTypedArray>(values: T, offset: number, fill = 0): { view: T; raw: Uint8Array; start: number } {
  const Ctor = values.constructor as new (buffer: ArrayBuffer, byteOffset: number, length: number) => T;
  const bytes = values.byteLength;
  const raw = new Uint8Array(bytes + 2 * 64 + 128).fill(fill);
  const start = 64 + ((64 - (ptr(raw) % 64)) % 64) + offset;
  const view = new Ctor(toArrayBuffer(ptr(raw) + start, 0, bytes) as ArrayBuffer, 0, values.length);
  view.set(values as never);
  return { view, raw, start };
}
