/**
 * The API calls the hostile-realm harness makes under every patch
 * (patches.ts). One entry per call: `make` builds its arguments in the
 * ordinary realm and says what must happen; `run` makes the call once the
 * realm is patched. To cover a new function, add an entry here: every patch
 * then runs against it.
 *
 * Buffer-API arrays sit in the middle of a larger buffer, between guard bands
 * that must never change.
 */
import { BACKENDS, CATALOG, ELEMENTWISE_OPS as OPS, inputCount, shapeOf, type DType } from "../../src/catalog.ts";
import * as nano from "../../src/index.ts";
import { OP_NAMES, reference } from "../helpers.ts";
import { REFERENCE, toDtype } from "../reference/elementwise.ts";

/** Floats of guard band on each side of every buffer-API array. */
export const GUARD = 64;
const GUARD_VALUE = 1234.5;
const SENTINEL = 777;

/** What a call must do in a clean realm. */
export type Expected =
  | { kind: "buffer"; out: Float32Array | Float64Array; values: number[] }
  | { kind: "list"; values: number[] }
  | { kind: "value"; value: unknown }
  | { kind: "TypeError" | "RangeError"; message: RegExp };

/** State the patches can reach: resizable buffers to shrink or transfer when a getter runs. */
export interface Realm {
  victims: ArrayBuffer[];
  /** Buffers a patch took by transferring a victim, each with its bytes at that moment: they must not change. */
  stolen: [ArrayBuffer, Uint8Array][];
  /** Calls nano-simd (what a hostile getter does to re-enter it). */
  reenter: () => void;
}

export interface Prepared {
  run: () => unknown;
  expected: Expected;
  /** Every buffer the call may touch; all must be unchanged except `out` on success. */
  watched: ArrayBufferLike[];
}

export interface HostileCall {
  name: string;
  make: (realm: Realm) => Prepared;
}

/** A Float32Array of `values` inside a buffer with guard bands around it (a resizable buffer when asked). */
export function guarded(values: ArrayLike<number>, resizable = false): Float32Array {
  const floats = GUARD + values.length + GUARD;
  const buffer = resizable ? new ArrayBuffer(floats * 4, { maxByteLength: floats * 4 }) : new ArrayBuffer(floats * 4);
  new Float32Array(buffer).fill(GUARD_VALUE);
  const view = new Float32Array(buffer, GUARD * 4, values.length);
  view.set(values);
  return view;
}

const A = [1.5, -2, 3.25, 1e-45, 7, 0.1, -0, 1e30];
const B = [4, 0.5, -0, 3, 2, 0.2, 8, 1e30];
const N = A.length;
const sentinels = () => new Array<number>(N).fill(SENTINEL);

/** Same-length arrays with guard bands; out full of a sentinel. */
function arrays(resizable = false) {
  return { a: guarded(A, resizable), b: guarded(B, resizable), out: guarded(sentinels(), resizable) };
}

/** A float array of `values` between guard bands, in the dtype. */
function guardedOf(dtype: DType, values: ArrayLike<number>): Float32Array | Float64Array {
  if (dtype === "f32") return guarded(values);
  const buffer = new ArrayBuffer((GUARD + values.length + GUARD) * 8);
  new Float64Array(buffer).fill(GUARD_VALUE);
  const view = new Float64Array(buffer, GUARD * 8, values.length);
  view.set(values);
  return view;
}

/**
 * Every op of the catalog in both dtypes: once with arrays only (the
 * branded fast path, after warm-up calls), once with the last input a
 * broadcast number (the slow path).
 */
const catalogCalls: HostileCall[] = OPS.flatMap((op) =>
  (CATALOG.ops[op].dtypes as readonly DType[]).flatMap((dtype): HostileCall[] => {
    const arity = inputCount(shapeOf(op));
    const into = (nano as unknown as Record<string, (...args: unknown[]) => unknown>)[`${op}Into`]!;
    const columns = [A, B, [-1, 0.5, 2, -0, 1e-3, 0.3, 4, -1e30]].map((column) => column.map((x) => toDtype(dtype, x)));
    const make = (broadcastLast: boolean) => (): Prepared => {
      const inputs: (Float32Array | Float64Array | number)[] = [];
      for (let k = 0; k < arity; k++) inputs.push(broadcastLast && k === arity - 1 ? (op === "clamp" ? 2 : 0.75) : guardedOf(dtype, columns[k]!));
      const out = guardedOf(dtype, sentinels());
      if (!broadcastLast) for (let i = 0; i < 64; i++) into(...inputs, out); // 1 call in 8 brands its arrays
      out.fill(SENTINEL);
      const value = (k: number, i: number) => (typeof inputs[k] === "number" ? toDtype(dtype, inputs[k] as number) : columns[k]![i]!);
      // Rounded to the dtype: the math functions' references are float64 values (correctly rounded here: none of these inputs is a hard case).
      const values = A.map((_, i) => toDtype(dtype, REFERENCE[op](dtype, value(0, i), value(1, i), value(2, i))));
      const watched: ArrayBufferLike[] = [out.buffer];
      for (const input of inputs) if (typeof input !== "number") watched.push(input.buffer);
      // No spread in run(): it executes in the patched realm.
      const [x, y, z] = inputs;
      const run = arity === 1 ? () => into(x, out) : arity === 2 ? () => into(x, y, out) : () => into(x, y, z, out);
      return { run, expected: { kind: "buffer", out, values }, watched };
    };
    return [
      { name: `${op}Into ${dtype}, arrays`, make: make(false) },
      { name: `${op}Into ${dtype}, a broadcast number last`, make: make(true) },
    ];
  }),
);

/** A reduction, rows call or conversion on guarded arrays: every family's validator under every patch. */
const familyCalls: HostileCall[] = [
  ...(["f32", "f64"] as const).flatMap((dtype): HostileCall[] => {
    const a = () => guardedOf(dtype, A.map((x) => toDtype(dtype, x)));
    const b = () => guardedOf(dtype, B.map((x) => toDtype(dtype, x)));
    const value = (run: (x: Float32Array | Float64Array, y: Float32Array | Float64Array) => number): HostileCall["make"] => () => {
      const x = a();
      const y = b();
      return { run: () => run(x, y), expected: { kind: "value", value: run(x.slice(), y.slice()) }, watched: [x.buffer, y.buffer] };
    };
    return [
      { name: `sum ${dtype}`, make: value((x) => nano.sum(x)) },
      { name: `dot ${dtype}`, make: value((x, y) => nano.dot(x, y)) },
      { name: `argmax ${dtype}`, make: value((x) => nano.argmax(x)) },
      { name: `cosine ${dtype}`, make: value((x, y) => nano.cosine(x, y)) },
      { name: `cosineRowsInto ${dtype} (4 rows of 2)`, make: () => {
        const rows = a();
        const query = guardedOf(dtype, [0.5, -2]);
        const out = guardedOf(dtype, [SENTINEL, SENTINEL, SENTINEL, SENTINEL]);
        const values = [0, 1, 2, 3].map((i) => toDtype(dtype, nano.cosine(rows.slice(2 * i, 2 * i + 2), query.slice())));
        return { run: () => nano.cosineRowsInto(rows, query, out), expected: { kind: "buffer", out, values }, watched: [rows.buffer, query.buffer, out.buffer] };
      } },
    ];
  }),
  { name: "convertInto Float32Array -> Float16Array", make: () => {
    const src = guarded(A);
    const out = new Float16Array(N).fill(SENTINEL);
    return { run: () => nano.convertInto(src, out), expected: { kind: "buffer", out: out as unknown as Float32Array, values: Array.from(Float16Array.from(src)) }, watched: [src.buffer, out.buffer] };
  } },
  { name: "convertInto Int16Array x 1/32768 -> Float32Array", make: () => {
    const src = new Int16Array([-32768, -1, 0, 1, 16384, 32767, 7, -7]);
    const out = guarded(sentinels());
    return { run: () => nano.convertInto(src, out, 1 / 32768), expected: { kind: "buffer", out, values: Array.from(src, (x) => x / 32768) }, watched: [src.buffer, out.buffer] };
  } },
];

/** Gives a genuine Float32Array an own `length` that lies. */
function lyingLength<T extends Float32Array>(view: T, length: number): T {
  Object.defineProperty(view, "length", { value: length });
  return view;
}

const bufferCalls: HostileCall[] = OP_NAMES.flatMap((op): HostileCall[] => {
  const into = { add: nano.addInto, sub: nano.subInto, mul: nano.mulInto, div: nano.divInto }[op];
  const values = A.map((x, i) => reference(op, x, B[i]!));
  const ok = (a: Float32Array, b: Float32Array, out: Float32Array): Prepared => ({
    run: () => into(a, b, out),
    expected: { kind: "buffer", out, values },
    watched: [a.buffer, b.buffer, out.buffer],
  });
  return [
    { name: `${op}Into, fresh arrays`, make: () => {
      const { a, b, out } = arrays();
      return ok(a, b, out);
    } },
    { name: `${op}Into, arrays used before (branded: the fast path)`, make: () => {
      const { a, b, out } = arrays();
      for (let i = 0; i < 64; i++) into(a, b, out); // 1 call in 8 brands its arrays
      out.fill(SENTINEL);
      return ok(a, b, out);
    } },
  ];
});

const addIntoCalls: HostileCall[] = [
  { name: "addInto, views of resizable buffers the getters may shrink", make: (realm) => {
    const { a, b, out } = arrays(true);
    realm.victims.push(a.buffer as ArrayBuffer, b.buffer as ArrayBuffer, out.buffer as ArrayBuffer);
    return { run: () => nano.addInto(a, b, out), expected: { kind: "buffer", out, values: A.map((x, i) => reference("add", x, B[i]!)) }, watched: [a.buffer, b.buffer, out.buffer] };
  } },
  { name: "addInto, own length longer than the arrays, three buffers (finding 1)", make: () => {
    const { a, b, out } = arrays();
    for (const view of [a, b, out]) lyingLength(view, N + 16);
    return { run: () => nano.addInto(a, b, out), expected: { kind: "RangeError", message: /^a\.length says 24 but a holds only 8 elements/ }, watched: [a.buffer, b.buffer, out.buffer] };
  } },
  { name: "addInto(out, out, out), own length longer than out (finding 1)", make: () => {
    const out = lyingLength(guarded(sentinels()), N + 16);
    return { run: () => nano.addInto(out, out, out), expected: { kind: "RangeError", message: /^a\.length says 24 but a holds only 8 elements/ }, watched: [out.buffer] };
  } },
  { name: "addInto, out partially overlaps a", make: () => {
    const memory = guarded(new Array<number>(N + 2).fill(1));
    const a = new Float32Array(memory.buffer, memory.byteOffset, N);
    const out = new Float32Array(memory.buffer, memory.byteOffset + 8, N);
    const b = guarded(B);
    return { run: () => nano.addInto(a, b, out), expected: { kind: "RangeError", message: /^out partially overlaps a: out covers bytes \[264, 296\) and a covers bytes \[256, 288\) of the same buffer/ }, watched: [memory.buffer, b.buffer] };
  } },
  { name: "convertInto, out overlaps src (the error's byte ranges)", make: () => {
    const memory = new ArrayBuffer(64);
    const src = new Float32Array(memory, 0, 8);
    const out = new Int16Array(memory, 4, 8);
    return { run: () => nano.convertInto(src, out), expected: { kind: "RangeError", message: /^out overlaps src: out covers bytes \[4, 20\) and src covers bytes \[0, 32\) of the same memory/ }, watched: [memory] };
  } },
  { name: "dotRowsInto, out overlaps rows (the error's byte ranges)", make: () => {
    const memory = guarded(new Array<number>(N).fill(1));
    const rows = new Float32Array(memory.buffer, memory.byteOffset, N);
    const out = new Float32Array(memory.buffer, memory.byteOffset + 8, 4);
    const query = guarded([1, 2]);
    return { run: () => nano.dotRowsInto(rows, query, out), expected: { kind: "RangeError", message: /^out overlaps rows: out covers bytes \[264, 280\) and rows covers bytes \[256, 288\) of the same memory/ }, watched: [memory.buffer] };
  } },
  { name: "mulInto and clampInto with numbers, arrays used before (branded: the numbers fast path)", make: () => {
    const { a, out } = arrays();
    for (let i = 0; i < 64; i++) nano.mulInto(a, 0.5, out); // 1 call in 8 brands its arrays
    out.fill(SENTINEL);
    const values = A.map((x) => Math.min(Math.max(Math.fround(x * 0.5), -1), 2));
    return { run: () => (nano.mulInto(a, 0.5, out), nano.clampInto(out, -1, 2, out)), expected: { kind: "buffer", out, values }, watched: [a.buffer, out.buffer] };
  } },
  { name: "addInto, a Float64Array as b", make: () => {
    const { a, out } = arrays();
    const b = new Float64Array(N);
    return { run: () => nano.addInto(a, b as unknown as Float32Array, out), expected: { kind: "TypeError", message: /^b must be a Float32Array \(like out\) or a number, got Float64Array \(one dtype per call\)$/ }, watched: [a.buffer, out.buffer] };
  } },
];

const LEVELS = { js: nano.addJs, naive: nano.addNaive, simd: nano.add };
const HOLLOW = 2 ** 27 - 1;

const listCalls: HostileCall[] = Object.entries(LEVELS).flatMap(([level, add]): HostileCall[] => [
  { name: `add list (${level}), plain arrays`, make: () => ({ run: () => add(A, B), expected: { kind: "list", values: A.map((x, i) => reference("add", x, B[i]!)) }, watched: [] }) },
  { name: `add list (${level}), Float32Arrays`, make: () => {
    const a = new Float32Array(A);
    const b = new Float32Array(B);
    return { run: () => add(a, b), expected: { kind: "list", values: A.map((x, i) => reference("add", x, B[i]!)) }, watched: [a.buffer, b.buffer] };
  } },
  ...[3000, 5000].map((n): HostileCall => ({ name: `add list (${level}), ${n} elements (more than any scratch so far)`, make: () => {
    // 5000: from 4096 elements results may be filled plainly, after checking that nothing can intercept it.
    const a = Array.from({ length: n }, (_, i) => i * 0.25);
    const b = Array.from({ length: n }, (_, i) => 1 - i);
    return { run: () => add(a, b), expected: { kind: "list", values: a.map((x, i) => reference("add", x, b[i]!)) }, watched: [] };
  } })),
  { name: `add list (${level}), hollow lists of length 2^27-1 (finding 3)`, make: () => {
    const hollow = { length: HOLLOW };
    return { run: () => add(hollow, hollow), expected: { kind: "TypeError", message: /^a\[0\] must be a number, got undefined$/ }, watched: [] };
  } },
  { name: `add list (${level}), hollow but for the first and last element`, make: () => {
    const hollow = { length: HOLLOW, 0: 1, [HOLLOW - 1]: 1 };
    return { run: () => add(hollow, hollow), expected: { kind: "TypeError", message: /^a\[1\] must be a number, got undefined$/ }, watched: [] };
  } },
]);

const dispatchCalls: HostileCall[] = [
  { name: "backends() and info().backends.runnable", make: () => {
    const runnable = nano.backends();
    return { run: () => [nano.backends(), nano.info().backends.runnable], expected: { kind: "value", value: [runnable, runnable] }, watched: [] };
  } },
  { name: "setBackend() of a backend this CPU cannot run", make: () => {
    const runnable = nano.backends();
    const missing = BACKENDS.find((name) => !runnable.includes(name))!;
    return { run: () => nano.setBackend(missing), expected: { kind: "RangeError", message: new RegExp(`^setBackend: (unknown backend|backend) "${missing}"`) }, watched: [] };
  } },
  { name: "setBackend() of a name that is no backend", make: () => ({ run: () => nano.setBackend("avx1024" as never), expected: { kind: "RangeError", message: /^setBackend: unknown backend "avx1024"/ }, watched: [] }) },
];

/** The memory hint: a typed array large enough to reach native code (its answer depends on its address, so asked once in the clean realm), and a refused one. */
/** Refusals: each family's error messages are built with nothing user code can replace. */
const refusalCalls: HostileCall[] = [
  { name: "addInto with lengths that differ: a RangeError listing them", make: () => {
    const x = guarded(A);
    const y = guarded(B.slice(0, 5));
    const out = guarded(A);
    return { run: () => nano.addInto(x, y, out), expected: { kind: "RangeError", message: /^a, b and out must have the same length, got a.length=8, b.length=5, out.length=8$/ }, watched: [x.buffer, y.buffer, out.buffer] };
  } },
  { name: "dot with lengths that differ: a RangeError", make: () => {
    const x = guarded(A);
    const y = guarded(B.slice(0, 5));
    return { run: () => nano.dot(x, y), expected: { kind: "RangeError", message: /same length/ }, watched: [x.buffer, y.buffer] };
  } },
  { name: "convertInto with lengths that differ: a RangeError", make: () => {
    const src = guarded(A);
    const out = new Int16Array(5);
    return { run: () => nano.convertInto(src, out), expected: { kind: "RangeError", message: /^src and out must have the same length, got src.length=8, out.length=5$/ }, watched: [src.buffer, out.buffer] };
  } },
  { name: "list add of an object with a non-integer length: a TypeError", make: () => ({
    run: () => nano.add({ length: 2.5 } as unknown as number[], [1, 2]),
    expected: { kind: "TypeError", message: /^a must be an array-like of numbers, got Object with length 2.5$/ },
    watched: [],
  }) },
];

const memoryCalls: HostileCall[] = [
  { name: "adviseHugePages() of a 5 MiB Float64Array", make: () => {
    const x = new Float64Array((5 * 2 ** 20) / 8).fill(1.5);
    const covered = nano.adviseHugePages(x);
    return { run: () => nano.adviseHugePages(x), expected: { kind: "value", value: covered }, watched: [x.buffer] };
  } },
  { name: "adviseHugePages() of an array", make: () => ({ run: () => nano.adviseHugePages([1, 2] as never), expected: { kind: "TypeError", message: /^adviseHugePages: array must be a typed array, got Array$/ }, watched: [] }) },
];

/** Every call, in order. */
export const CALLS: HostileCall[] = [...bufferCalls, ...addIntoCalls, ...catalogCalls, ...familyCalls, ...refusalCalls, ...listCalls, ...dispatchCalls, ...memoryCalls];
