/**
 * The seeded fuzzer shared by `bun test` (test/fuzz.test.ts, a few thousand
 * calls) and `bun run fuzz` (test/fuzz/long-run.ts, hundreds of thousands). Each
 * trial builds one call of the buffer or list API from a random kind (valid
 * arrays of every sort, aliasing, overlap, lies, hostile values), on a random
 * backend and op, and knows what must happen: a result, a TypeError or a
 * RangeError. After the call it checks memory: on success `out` is right bit
 * for bit and no other byte of any buffer involved changed; on an error no
 * byte changed at all.
 */
import { BACKENDS, CATALOG, LIST_OPS as OP_NAMES, ELEMENTWISE_OPS as CATALOG_OPS, inputCount, shapeOf, type Backend, type DType, type ListOp as Op } from "../../src/catalog.ts";
import { REFERENCE, toDtype } from "../reference/elementwise.ts";
import * as nano from "../../src/index.ts";
import { native } from "../../src/native.ts";
import { backends, setBackend } from "../../src/index.ts";
import { INTO, LIST_LEVELS, atOddAddress, randomFloats, reference, resizableBuffersWork, sameFloat32, seeded, snapshot } from "../helpers.ts";
import { NOT_FLOAT32, detached, lengthTracking, lying, outOfBounds } from "../hostile-values.ts";
import { PATCHES, type Patch } from "../hostile/patches.ts";

export type Outcome = "ok" | "TypeError" | "RangeError";

interface Trial {
  kind: string;
  expected: Outcome;
  /** Makes the call. */
  run: () => unknown;
  /** After the call: "" when memory (and the result) are as they must be, else what is wrong. */
  verify: (outcome: Outcome, result: unknown) => string;
}

type Random = () => number;

/** Snapshots of every buffer a trial touches, to compare after the call. */
class Memory {
  private readonly buffers = new Map<ArrayBufferLike, Buffer>();

  /** Watches the memory behind each value that is a view (a typed array or DataView, however disguised). */
  watch(...values: unknown[]): this {
    for (const value of values) {
      const buffer = bufferOf(value);
      if (buffer && !this.buffers.has(buffer) && !(buffer as ArrayBuffer).detached) this.buffers.set(buffer, snapshot(buffer));
    }
    return this;
  }

  /** Every watched byte unchanged, except `count` elements at `out`, which must equal `expected`. */
  check(out?: Float32Array | Float64Array, expected?: ArrayLike<number>): string {
    const outStart = out ? byteOffsetOf(out) : 0;
    const bytes = out?.BYTES_PER_ELEMENT ?? 4;
    const outEnd = outStart + bytes * (expected?.length ?? 0);
    for (const [buffer, before] of this.buffers) {
      const now = Buffer.from(buffer);
      if (out && expected && buffer === out.buffer) {
        if (!now.subarray(0, outStart).equals(before.subarray(0, outStart)) || !now.subarray(outEnd).equals(before.subarray(outEnd))) {
          return "a byte outside out changed";
        }
        const result = bytes === 8 ? new Float64Array(buffer, outStart, expected.length) : new Float32Array(buffer, outStart, expected.length);
        for (let i = 0; i < expected.length; i++) {
          if (!sameFloat32(expected[i]!, result[i]!)) return `out[${i}] is ${result[i]}, expected ${expected[i]}`;
        }
      } else if (!now.equals(before)) {
        return "a watched buffer changed";
      }
    }
    return "";
  }
}

/** What the engine says, whatever the arrays' own properties say. */
const TypedArrayPrototype = Object.getPrototypeOf(Float32Array.prototype) as object;
const intrinsic = (key: string) => Object.getOwnPropertyDescriptor(TypedArrayPrototype, key)!.get!;
const [lengthGetter, byteOffsetGetter, bufferGetter] = [intrinsic("length"), intrinsic("byteOffset"), intrinsic("buffer")];
const dataViewBuffer = Object.getOwnPropertyDescriptor(DataView.prototype, "buffer")!.get!;
const lengthOf = (view: Float32Array) => lengthGetter.call(view) as number;
const byteOffsetOf = (view: Float32Array | Float64Array) => byteOffsetGetter.call(view) as number;
const genuineCopy = (view: Float32Array) => Float32Array.prototype.slice.call(view);

/** The buffer behind a typed array or DataView, or undefined for anything else. */
function bufferOf(value: unknown): ArrayBufferLike | undefined {
  for (const getter of [bufferGetter, dataViewBuffer]) {
    try {
      return getter.call(value) as ArrayBufferLike;
    } catch {
      // not that kind of view
    }
  }
  return undefined;
}

function expectedResult(op: Op, a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float32Array {
  const result = new Float32Array(n);
  for (let i = 0; i < n; i++) result[i] = reference(op, a[i]!, b[i]!);
  return result;
}

class Generator {
  constructor(readonly random: Random) {}

  int(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  /** Mostly short, sometimes long, sometimes empty. */
  length(minimum = 0): number {
    const r = this.random();
    const n = r < 0.05 ? 0 : r < 0.5 ? this.int(1, 20) : r < 0.9 ? this.int(21, 300) : this.int(301, 2000);
    return Math.max(n, minimum);
  }

  /** A view of n random floats inside a buffer with random neighbours on both sides. */
  guarded(n: number, make: (bytes: number) => ArrayBufferLike = (bytes) => new ArrayBuffer(bytes)): Float32Array {
    const before = this.int(0, 20);
    const after = this.int(0, 20);
    const whole = new Float32Array(make(4 * (before + n + after)));
    whole.set(randomFloats(whole.length, this.random));
    return whole.subarray(before, before + n);
  }

  /** A view of `memory` from element `start`, made by subarray or by the constructor. */
  view(memory: Float32Array, start: number, n: number): Float32Array {
    return this.chance(0.5) ? memory.subarray(start, start + n) : new Float32Array(memory.buffer, memory.byteOffset + 4 * start, n);
  }

  /** (a, b, out) with `value` in a random one of the three places. */
  placed(value: unknown, n: number): [unknown, unknown, unknown, number] {
    const slot = this.int(0, 2);
    const args: unknown[] = [this.guarded(n), this.guarded(n), this.guarded(n)];
    args[slot] = value;
    return [args[0], args[1], args[2], slot];
  }
}

/** A valid call of the buffer API on arrays made by `make`: the result and nothing else. */
function validBuffers(kind: string, op: Op, make: () => { a: Float32Array; b: Float32Array; out: Float32Array; n?: number }): Trial {
  const { a, b, out, n = lengthOf(out) } = make();
  const memory = new Memory().watch(a, b, out);
  const expected = expectedResult(op, genuineCopy(a), genuineCopy(b), n);
  return {
    kind,
    expected: "ok",
    run: () => INTO[op](a, b, out),
    verify: (_, result) => (result !== out ? "did not return out" : memory.check(out, expected)),
  };
}

/** A call that must fail with `expected`, leaving every byte of `views` as it was. */
function refusedBuffers(kind: string, expected: Outcome, op: Op, args: unknown[], views: unknown[] = args): Trial {
  const memory = new Memory().watch(...views);
  const [a, b, out] = args as [Float32Array, Float32Array, Float32Array];
  // No spread inside run(): in the hostile mode it runs with the Array iterator patched.
  return { kind, expected, run: () => INTO[op](a, b, out), verify: () => memory.check() };
}

type Kind = [weight: number, build: (g: Generator, op: Op) => Trial, needsResizable?: boolean];

const FLOAT_ARRAY = { f32: Float32Array, f64: Float64Array } as const;


/**
 * Any op of the catalog, in either dtype: random inputs (some of them
 * broadcast numbers) at random offsets inside watched buffers, out sometimes
 * exactly an input, sometimes partially overlapping one (a RangeError).
 */
function catalogCall(g: Generator): Trial {
  const op = g.pick(CATALOG_OPS);
  const dtype = g.pick(CATALOG.ops[op].dtypes as readonly DType[]);
  const arity = inputCount(shapeOf(op));
  const n = g.length(1);
  const into = (nano as unknown as Record<string, (...args: unknown[]) => unknown>)[`${op}Into`]!;
  // One call in 10: every array at an odd address, with streaming stores at every length.
  const odd = g.chance(0.1) ? atOddAddress(new FLOAT_ARRAY[dtype](4 * (n + 8)), g.int(1, FLOAT_ARRAY[dtype].BYTES_PER_ELEMENT - 1)) : undefined;
  const memory: Float32Array | Float64Array = odd?.view ?? new FLOAT_ARRAY[dtype](4 * (n + 8));
  memory.set(randomFloats(memory.length, g.random));
  // float64: random bit patterns in half the elements too, not only float32 values.
  if (dtype === "f64") {
    const words = new Uint32Array(memory.buffer);
    for (let i = 0; i < memory.length; i += 2) words.set(new Uint32Array(randomFloats(2, g.random).buffer), 2 * i);
  }
  const inputs: (Float32Array | Float64Array | number)[] = [];
  for (let k = 0; k < arity; k++) {
    const start = k * (n + 8) + g.int(0, 7);
    inputs.push(g.chance(0.2) ? randomFloats(1, g.random)[0]! : memory.subarray(start, start + n));
  }
  if (op === "clamp" && typeof inputs[1] === "number" && typeof inputs[2] === "number" && inputs[1] > inputs[2]) inputs[2] = inputs[1];
  const outStart = 3 * (n + 8) + g.int(0, 7);
  let out: Float32Array | Float64Array = memory.subarray(outStart, outStart + n);
  let overlapping = false;
  const arrays = inputs.filter((x): x is Float32Array | Float64Array => typeof x !== "number");
  if (arrays.length > 0 && g.chance(0.15)) out = g.pick(arrays); // exactly an input: in place
  else if (arrays.length > 0 && n > 1 && g.chance(0.15)) {
    const input = g.pick(arrays);
    const shift = g.int(1, Math.min(n - 1, 7));
    out = memory.subarray(input.byteOffset / memory.BYTES_PER_ELEMENT + shift, input.byteOffset / memory.BYTES_PER_ELEMENT + shift + n);
    overlapping = true;
  }
  const values = (k: number, i: number) => (k >= arity ? NaN : typeof inputs[k] === "number" ? toDtype(dtype, inputs[k] as number) : (inputs[k] as Float32Array)[i]!);
  const expected = new FLOAT_ARRAY[dtype](n);
  for (let i = 0; i < n; i++) expected[i] = REFERENCE[op](dtype, values(0, i), values(1, i), values(2, i));
  const watched = new Memory().watch(memory);
  const [x, y, z] = inputs;
  // No spread inside run(): in the hostile mode it runs with the Array iterator patched.
  const call = arity === 1 ? () => into(x, out) : arity === 2 ? () => into(x, y, out) : () => into(x, y, z, out);
  const run = odd === undefined ? call : () => {
    native.setStreamingThresholdBytes(1);
    try {
      return call();
    } finally {
      native.setStreamingThresholdBytes(0);
    }
  };
  const kind = `catalog ${overlapping ? "RangeError: out partially overlaps an input" : "ok: any op, dtype, broadcast, in place"}${odd ? ", at an odd address, streaming" : ""}`;
  return {
    kind,
    expected: overlapping ? "RangeError" : "ok",
    run,
    // odd?.raw: the memory's owner stays reachable until the call is checked.
    verify: (_, result) => (odd !== undefined && odd.raw.length === 0 ? "lost its memory" : overlapping ? watched.check() : result !== out ? "did not return out" : watched.check(out, expected)),
  };
}

const BUFFER_KINDS: Kind[] = [
  [8, (g) => catalogCall(g)],
  [6, (g, op) => validBuffers("buffer ok: separate arrays", op, () => {
    const n = g.length();
    return { a: g.guarded(n), b: g.guarded(n), out: g.guarded(n) };
  })],
  [3, (g, op) => validBuffers("buffer ok: in place (out is a, b or both)", op, () => {
    const n = g.length();
    const a = g.guarded(n);
    const b = g.guarded(n);
    return g.pick([{ a, b, out: a }, { a, b, out: b }, { a, b: a, out: a }]);
  })],
  [2, (g, op) => validBuffers("buffer ok: out is another view of exactly a's bytes", op, () => {
    const n = g.length();
    const a = g.guarded(n);
    return { a, b: g.guarded(n), out: new Float32Array(a.buffer, a.byteOffset, n) };
  })],
  [2, (g, op) => validBuffers("buffer ok: a and b overlap each other", op, () => {
    const n = g.length(1);
    const memory = g.guarded(n + g.int(0, 40));
    return { a: g.view(memory, 0, n), b: g.view(memory, g.int(0, memory.length - n), n), out: g.guarded(n) };
  })],
  [2, (g, op) => validBuffers("buffer ok: neighbours in one buffer", op, () => {
    const n = g.length();
    const memory = g.guarded(3 * n + g.int(0, 8));
    const [x, y, z] = [0, n, memory.length - n].sort(() => g.random() - 0.5) as [number, number, number];
    return { a: g.view(memory, x, n), b: g.view(memory, y, n), out: g.view(memory, z, n) };
  })],
  [2, (g, op) => validBuffers("buffer ok: SharedArrayBuffer views", op, () => {
    const n = g.length();
    const shared = (bytes: number) => new SharedArrayBuffer(bytes);
    return { a: g.guarded(n, shared), b: g.guarded(n, shared), out: g.guarded(n, shared) };
  })],
  [1, (g, op) => validBuffers("buffer ok: length-tracking views of growable SharedArrayBuffers", op, () => {
    const n = g.length();
    const make = () => lengthTracking(new SharedArrayBuffer(0, { maxByteLength: 4 * n + 64 }), (buffer, bytes) => buffer.grow(bytes), randomFloats(n, g.random));
    return { a: make(), b: make(), out: make() };
  }), true],
  [1, (g, op) => validBuffers("buffer ok: length-tracking views of resized ArrayBuffers", op, () => {
    const n = g.length();
    const resizable = () => new ArrayBuffer(4 * g.int(0, 2 * n + 8), { maxByteLength: 8 * n + 64 });
    const make = () => lengthTracking(resizable(), (buffer, bytes) => buffer.resize(bytes), randomFloats(n, g.random));
    return { a: make(), b: make(), out: make() };
  }), true],
  [1, (g, op) => validBuffers("buffer ok: Float32Array subclass", op, () => {
    class Vector extends Float32Array {}
    const n = g.length();
    const make = () => new Vector(g.guarded(n));
    return { a: make(), b: g.guarded(n), out: make() };
  })],
  [1, (g, op) => validBuffers("buffer ok: own byteOffset/byteLength/buffer that lie", op, () => {
    const n = g.length();
    return {
      a: lying(g.guarded(n), { byteOffset: g.int(-8, 1 << 20), byteLength: g.int(0, 1 << 20) }),
      b: lying(g.guarded(n), { buffer: new ArrayBuffer(8) }),
      out: lying(g.guarded(n), { byteOffset: 0, [Symbol.toStringTag]: "Float64Array" }),
    };
  })],
  [1, (g, op) => validBuffers("buffer ok: own length smaller than the arrays (that many computed)", op, () => {
    const n = g.length(1);
    const shorter = g.int(0, n - 1);
    return { a: lying(g.guarded(n), { length: shorter }), b: lying(g.guarded(n), { length: shorter }), out: lying(g.guarded(n), { length: shorter }), n: shorter };
  })],
  [4, (g, op) => {
    const n = g.length(2);
    const memory = g.guarded(3 * n);
    const shift = g.pick([-1, 1]) * g.int(1, n - 1);
    const input = g.view(memory, n, n);
    const out = g.view(memory, n + shift, n);
    const args = g.pick([[input, g.guarded(n), out], [g.guarded(n), input, out], [input, input, out]]);
    return refusedBuffers("buffer RangeError: out partially overlaps an input", "RangeError", op, args);
  }],
  [1, (g, op) => {
    const n = g.length(2);
    const shared = new SharedArrayBuffer(4 * (2 * n + 4));
    const twin = structuredClone(shared);
    const shift = g.int(1, n - 1);
    const a = new Float32Array(shared, 4 * 2, n);
    const out = new Float32Array(twin, 4 * (2 + shift), n);
    return refusedBuffers("buffer RangeError: partial overlap through two SharedArrayBuffer objects", "RangeError", op, [a, g.guarded(n), out], [a]);
  }],
  [2, (g, op) => {
    const n = g.length();
    const other = n === 0 || g.chance(0.5) ? n + g.int(1, 20) : g.int(0, n - 1);
    const args = [g.guarded(n), g.guarded(n), g.guarded(n)];
    args[g.int(0, 2)] = g.guarded(other);
    return refusedBuffers("buffer RangeError: lengths differ", "RangeError", op, args);
  }],
  [2, (g, op) => {
    const n = g.length();
    const args = [g.guarded(n), g.guarded(n), g.guarded(n)];
    const longer = n + g.int(1, 1 << 20);
    for (const view of g.chance(0.5) ? args : [g.pick(args)]) lying(view, { length: longer });
    return refusedBuffers("buffer RangeError: own length longer than the array", "RangeError", op, args);
  }],
  [8, (g, op) => {
    const n = g.length();
    const [label, make] = g.pick(NOT_FLOAT32);
    const value = make(n);
    // A number input is broadcast (a valid call); as out it is refused.
    const [a, b, out] = typeof value === "number" ? [g.guarded(n), g.guarded(n), value] : g.placed(value, n);
    return refusedBuffers(`buffer TypeError: ${label}`, "TypeError", op, [a, b, out]);
  }],
  [1, (g, op) => {
    const [a, b, out] = g.placed(detached(g.int(0, 40)), g.length());
    return refusedBuffers("buffer TypeError: detached view", "TypeError", op, [a, b, out]);
  }],
  [1, (g, op) => {
    const [a, b, out] = g.placed(outOfBounds(g.int(1, 40)), g.length());
    return refusedBuffers("buffer TypeError: view outside its shrunken resizable buffer", "TypeError", op, [a, b, out]);
  }, true],
];

/** Numbers as a list in a random form: array, typed array, array-like, Proxy. */
function listOf(g: Generator, values: number[]): ArrayLike<number> {
  switch (g.int(0, 4)) {
    case 0:
      return values;
    case 1:
      return Float64Array.from(values);
    case 2:
      return Object.assign({ length: values.length }, values);
    case 3:
      return new Proxy(values, {});
    default:
      return Float32Array.from(values);
  }
}

function validList(kind: string, op: Op, g: Generator, n: number, makeLists: (a: number[], b: number[]) => [ArrayLike<number>, ArrayLike<number>]): Trial {
  // Doubles that are not float32 values: the list API must round them first.
  const valuesA = Array.from(randomFloats(n, g.random), (x) => x * (1 + 2 ** -40));
  const valuesB = Array.from(randomFloats(n, g.random), (x) => x + 2 ** -60);
  const [a, b] = makeLists(valuesA, valuesB);
  const level = g.pick(Object.keys(LIST_LEVELS) as (keyof typeof LIST_LEVELS)[]);
  const expected = expectedResult(op, valuesA, valuesB, n);
  return {
    kind: `${kind} (${level})`,
    expected: "ok",
    run: () => LIST_LEVELS[level][op](a, b),
    verify: (_, result) => {
      if (!Array.isArray(result) || result.length !== n) return "not an array of n numbers";
      for (let i = 0; i < n; i++) if (!sameFloat32(expected[i]!, result[i])) return `result[${i}] is ${result[i]}, expected ${expected[i]}`;
      return "";
    },
  };
}

function refusedList(kind: string, expected: Outcome, op: Op, g: Generator, a: unknown, b: unknown): Trial {
  const level = g.pick(Object.keys(LIST_LEVELS) as (keyof typeof LIST_LEVELS)[]);
  const [x, y] = g.chance(0.5) ? [a, b] : [b, a];
  return { kind: `${kind} (${level})`, expected, run: () => LIST_LEVELS[level][op](x as number[], y as number[]), verify: () => "" };
}

const NOT_A_NUMBER: unknown[] = [undefined, null, "1", 1n, Symbol("x"), new Number(1), [1], {}, true];
const NOT_AN_ARRAY_LIKE: unknown[] = [null, undefined, 3, "1234", 7n, true, {}, { length: -1 }, { length: 1.5 }, { length: NaN }, { length: "3" }, { length: Infinity }];

const LIST_KINDS: Kind[] = [
  [6, (g, op) => validList("list ok: arrays, typed arrays, array-likes, Proxies", op, g, g.length(), (a, b) => [listOf(g, a), listOf(g, b)])],
  [1, (g, op) => validList("list ok: a Proxy whose length changes after the first read", op, g, g.length(), (a, b) => {
    let reads = 0;
    return [new Proxy(a, { get: (target, key) => (key === "length" && reads++ > 0 ? 1e9 : Reflect.get(target, key)) }), b];
  })],
  [2, (g, op) => {
    const n = g.length(1);
    const bad = Array.from(randomFloats(n, g.random));
    const at = g.int(0, n - 1);
    if (g.chance(0.3)) delete bad[at];
    else bad[at] = g.pick(NOT_A_NUMBER) as number;
    return refusedList("list TypeError: an element that is not a number", "TypeError", op, g, bad, Array.from(randomFloats(n, g.random)));
  }],
  [2, (g, op) => refusedList("list TypeError: not an array-like of numbers", "TypeError", op, g, g.pick(NOT_AN_ARRAY_LIKE), [1, 2])],
  [1, (g, op) => {
    const n = g.length();
    return refusedList("list RangeError: lengths differ", "RangeError", op, g, Array(n).fill(1), Array(n + g.int(1, 5)).fill(1));
  }],
  [1, (g, op) => refusedList("list RangeError: longer than 2^32 - 1", "RangeError", op, g, { length: 2 ** 32 + g.int(0, 100) }, { length: 2 ** 32 })],
];

/** Every kind, less those needing resizable buffers where this Bun cannot make them (see resizableBuffersWork). */
function kindsHere(): Kind[] {
  const all = [...BUFFER_KINDS, ...LIST_KINDS];
  return resizableBuffersWork() ? all : all.filter(([, , needsResizable]) => !needsResizable);
}

function buildTrial(g: Generator, op: Op, kinds: Kind[], totalWeight: number): Trial {
  let r = g.random() * totalWeight;
  for (const [weight, build] of kinds) {
    if ((r -= weight) < 0) return build(g, op);
  }
  return kinds[0]![1](g, op);
}

export interface FuzzReport {
  seed: number;
  calls: number;
  milliseconds: number;
  /** kind -> outcome -> count */
  counts: Map<string, Map<string, number>>;
  backendsUsed: Partial<Record<Backend | "auto", number>>;
  failures: string[];
}

function outcomeOf(error: unknown): string {
  if (error instanceof TypeError) return "TypeError";
  if (error instanceof RangeError) return "RangeError";
  return `${(error as Error)?.constructor?.name ?? typeof error}: ${(error as Error)?.message ?? String(error)}`;
}

/**
 * Patches that must not change any outcome (test/hostile/patches.ts): in the
 * hostile mode, one of them is in force during half the calls.
 */
const OUTCOME_PRESERVING_PATCHES: Patch[] = PATCHES.filter((patch) => patch.outcome === "same" && patch.beforeImport === undefined && patch.name !== "no patch");

/**
 * Runs `calls` trials from `seed` on random backends and ops; never throws,
 * reports what went wrong. "auto" is one of the choices too: the backend a
 * user gets without asking. With `hostile`, a random built-in patch is
 * applied after each trial is built and undone before it is checked, so the
 * same expectations must hold in a patched realm; run that mode in a child
 * process (test/fuzz.test.ts does): a crash would take the runner with it.
 */
export function fuzz(seed: number, calls: number, maxFailures = 20, hostile = false): FuzzReport {
  const g = new Generator(seeded(seed));
  const runnable = [...backends(), "auto" as const];
  const report: FuzzReport = { seed, calls: 0, milliseconds: 0, counts: new Map(), backendsUsed: {}, failures: [] };
  const kinds = kindsHere();
  const totalWeight = kinds.reduce((sum, [weight]) => sum + weight, 0);
  const started = performance.now();
  try {
    for (let i = 0; i < calls && report.failures.length < maxFailures; i++) {
      const backend = g.pick(runnable);
      const op = g.pick(OP_NAMES);
      setBackend(backend);
      const trial = buildTrial(g, op, kinds, totalWeight);
      const patch = hostile && g.chance(0.5) ? g.pick(OUTCOME_PRESERVING_PATCHES) : undefined;
      let caught: unknown;
      let threw = false;
      let result: unknown;
      // Patched from here to undo(): nothing in between may use a built-in.
      const undo = patch ? patch.apply({ victims: [], stolen: [], reenter: () => LIST_LEVELS.simd.add([1], [2]) }) : undefined;
      try {
        result = trial.run();
      } catch (error) {
        threw = true;
        caught = error;
      }
      if (undo) undo();
      const outcome = threw ? outcomeOf(caught) : "ok";
      const message = threw ? ((caught as Error)?.message ?? "") : "";
      const problem = outcome !== trial.expected ? `expected ${trial.expected}, got ${outcome} ${message}` : trial.verify(outcome as Outcome, result);
      if (problem !== "") report.failures.push(`call ${i} (seed ${seed}) ${backend} ${op} ${trial.kind}${patch ? ` [patched: ${patch.name}]` : ""}: ${problem}`);
      const byOutcome = report.counts.get(trial.kind) ?? new Map<string, number>();
      byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
      report.counts.set(trial.kind, byOutcome);
      report.backendsUsed[backend] = (report.backendsUsed[backend] ?? 0) + 1;
      report.calls++;
    }
  } finally {
    setBackend("auto");
  }
  report.milliseconds = performance.now() - started;
  return report;
}

/** The report as a table: kind, calls, and how they ended. */
export function formatReport(report: FuzzReport): string {
  const width = Math.max(...[...report.counts.keys()].map((kind) => kind.length), 4);
  const lines = [
    `seed ${report.seed}: ${report.calls} calls in ${(report.milliseconds / 1000).toFixed(1)} s, ${report.failures.length} failures`,
    `backends: ${[...BACKENDS, "auto" as const].filter((name) => report.backendsUsed[name]).map((name) => `${name} ${report.backendsUsed[name]}`).join(", ")}`,
    "",
    `${"kind".padEnd(width)}  ${"calls".padStart(7)}  outcomes`,
  ];
  for (const [kind, outcomes] of [...report.counts].sort(([x], [y]) => x.localeCompare(y))) {
    const total = [...outcomes.values()].reduce((sum, count) => sum + count, 0);
    lines.push(`${kind.padEnd(width)}  ${String(total).padStart(7)}  ${[...outcomes].map(([outcome, count]) => `${outcome} ${count}`).join(", ")}`);
  }
  for (const failure of report.failures) lines.push(`FAIL ${failure}`);
  return lines.join("\n");
}
