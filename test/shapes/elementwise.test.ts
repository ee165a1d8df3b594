/**
 * The elementwise shapes (unary, binary, ternary), over the whole catalog x
 * dtypes x every backend this CPU runs: each result bit for bit against the
 * independent reference (test/reference/elementwise.ts), at every tail
 * length and at unaligned offsets, with special values, every broadcast
 * pattern, in place, inside guard bands; partial overlap, mixed dtypes and
 * bad arguments refused before anything is written.
 */
import { describe, expect, test } from "bun:test";
import { CATALOG, ELEMENTWISE_OPS as OPS, inputCount, shapeOf, type DType, type ElementwiseOp as Op } from "../../src/catalog.ts";
import * as nano from "../../src/index.ts";
import { native } from "../../src/native.ts";
import { backends, seeded, snapshot, unchanged, withBackend } from "../helpers.ts";
import { REFERENCE, toDtype, withinUlps } from "../reference/elementwise.ts";

type FloatArray = Float32Array | Float64Array;
type AnyInto = (...args: unknown[]) => FloatArray;

/** The API function of every catalog op: `${op}Into`. */
export const ELEMENTWISE = Object.fromEntries(OPS.map((op) => [op, (nano as unknown as Record<string, AnyInto>)[`${op}Into`]!])) as Record<Op, AnyInto>;

const ARRAY: Record<DType, new (n: number | ArrayBufferLike, offset?: number, length?: number) => FloatArray> = { f32: Float32Array, f64: Float64Array };
const OTHER: Record<DType, DType> = { f32: "f64", f64: "f32" };

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, 2, 3, 1e-39, 5e-324, 1.401298464324817e-45, 3.4028234663852886e38, 1.7976931348623157e308, -2.2250738585072014e-308, 1e16, 1 + 2 ** -23, 1 - 2 ** -24];

/** Random values of the dtype: specials, small integers (ties and equal inputs) and random bit patterns. */
function randomValues(dtype: DType, n: number, random: () => number): FloatArray {
  const values = new ARRAY[dtype](n);
  const words = new Uint32Array(values.buffer);
  for (let i = 0; i < n; i++) {
    const pick = random();
    if (pick < 0.15) values[i] = SPECIALS[Math.floor(random() * SPECIALS.length)]!;
    else if (pick < 0.3) values[i] = Math.floor(random() * 9) - 4;
    else if (dtype === "f32") words[i] = Math.floor(random() * 2 ** 32);
    else {
      words[2 * i] = Math.floor(random() * 2 ** 32);
      words[2 * i + 1] = Math.floor(random() * 2 ** 32);
    }
  }
  return values;
}

/** Same bits, or both NaN (NaN payloads are not part of the contract). */
function same(expected: number, actual: number): boolean {
  return Object.is(expected, actual) || (Number.isNaN(expected) && Number.isNaN(actual));
}

/** The first wrong element of `out` against the reference, described, or "". */
function firstWrong(op: Op, dtype: DType, inputs: (FloatArray | number)[], out: FloatArray, n: number): string {
  // Exact ops: the reference's bits. ULP-bound ops: within the declared bound of the reference.
  const accuracy: unknown = CATALOG.ops[op].accuracy;
  const bound = typeof accuracy === "object" && accuracy !== null && "ulp" in accuracy ? (accuracy as { ulp: number }).ulp : undefined;
  for (let i = 0; i < n; i++) {
    const x = inputs.map((input) => (typeof input === "number" ? toDtype(dtype, input) : input[i]!));
    const expected = REFERENCE[op](dtype, x[0]!, x[1] ?? NaN, x[2] ?? NaN);
    const ok = bound === undefined ? same(expected, out[i]!) : withinUlps(expected, out[i]!, bound);
    if (!ok) return `${op} ${dtype} n=${n} i=${i}: inputs ${x.join(", ")}, expected ${expected}, got ${out[i]}`;
  }
  return "";
}

const LENGTHS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 129, 1000, 4099];

describe.each(backends())("on %s", (backend) => {
  for (const op of OPS) {
    const arity = inputCount(shapeOf(op));
    for (const dtype of CATALOG.ops[op].dtypes as readonly DType[]) {
      test(`${op} ${dtype}: every length, offset and broadcast pattern, bit for bit`, () => {
        withBackend(backend, () => {
          const random = seeded(op.length * 131 + arity + (dtype === "f32" ? 1 : 2));
          const into = ELEMENTWISE[op];
          for (const n of LENGTHS) {
            const offset = n % 4; // views starting 0-3 elements into their buffer
            for (let broadcast = 0; broadcast < 1 << arity; broadcast++) {
              const inputs: (FloatArray | number)[] = [];
              for (let k = 0; k < arity; k++) {
                inputs.push((broadcast >> k) & 1 ? randomValues(dtype, 1, random)[0]! : randomValues(dtype, n + offset, random).subarray(offset));
              }
              // clamp refuses lo > hi as numbers: order broadcast bounds.
              if (op === "clamp" && typeof inputs[1] === "number" && typeof inputs[2] === "number" && inputs[1] > inputs[2]) inputs.push(inputs.splice(1, 1)[0]!);
              const out = new ARRAY[dtype](n + offset).subarray(offset);
              expect(into(...inputs, out)).toBe(out);
              const wrong = firstWrong(op, dtype, inputs, out, n);
              if (wrong) throw new Error(`${backend} broadcast=${broadcast} ${wrong}`);
            }
          }
        });
      });

      if (arity > 1) test(`${op} ${dtype}: the same arrays again and again with numbers among them (the branded fast path), bit for bit`, () => {
        withBackend(backend, () => {
          const random = seeded(op.length * 17 + arity);
          const into = ELEMENTWISE[op];
          const arrays = Array.from({ length: arity }, () => randomValues(dtype, 41, random));
          const out = new ARRAY[dtype](41);
          // About one slow-path call in 8 brands its arrays; the calls after that take the fast path.
          for (let call = 0; call < 96; call++) {
            const broadcast = 1 + (call % ((1 << arity) - 1)); // every pattern with at least one number
            const inputs: (FloatArray | number)[] = arrays.map((array, k) => ((broadcast >> k) & 1 ? randomValues(dtype, 1, random)[0]! : array));
            if (op === "clamp" && typeof inputs[1] === "number" && typeof inputs[2] === "number" && inputs[1] > inputs[2]) inputs.push(inputs.splice(1, 1)[0]!);
            expect(into(...inputs, out)).toBe(out);
            const wrong = firstWrong(op, dtype, inputs, out, 41);
            if (wrong) throw new Error(`${backend} call ${call} broadcast=${broadcast} ${wrong}`);
          }
        });
      });

      test(`${op} ${dtype}: in place, out is exactly an input`, () => {
        withBackend(backend, () => {
          const random = seeded(7);
          const into = ELEMENTWISE[op];
          for (let k = 0; k < arity; k++) {
            const inputs = Array.from({ length: arity }, () => randomValues(dtype, 37, random));
            const copies = inputs.map((input) => input.slice());
            into(...inputs, inputs[k]);
            const wrong = firstWrong(op, dtype, copies, inputs[k]!, 37);
            if (wrong) throw new Error(`out = input ${k}: ${wrong}`);
          }
        });
      });

      test(`${op} ${dtype}: nothing outside out changes (guard bands), streaming stores included`, () => {
        withBackend(backend, () => {
          const into = ELEMENTWISE[op];
          const random = seeded(11);
          const before = native.streamingThresholdBytes();
          try {
            for (const threshold of [0, 1]) {
              native.setStreamingThresholdBytes(threshold); // 1 forces streaming stores at every length
              for (const n of [1, 3, 17, 64, 100, 257]) {
                for (const offset of [0, 1, 3, 5]) {
                  const memory = new ARRAY[dtype](n + 2 * 16 + offset).fill(-7.5);
                  const out = new ARRAY[dtype](memory.buffer, (16 + offset) * memory.BYTES_PER_ELEMENT, n);
                  const inputs = Array.from({ length: arity }, () => randomValues(dtype, n, random));
                  into(...inputs, out);
                  for (let i = 0; i < memory.length; i++) {
                    const inside = i >= 16 + offset && i < 16 + offset + n;
                    if (!inside && memory[i] !== -7.5) throw new Error(`n=${n} offset=${offset}: element ${i - 16 - offset} relative to out was written`);
                  }
                  const wrong = firstWrong(op, dtype, inputs, out, n);
                  if (wrong) throw new Error(`streaming threshold ${threshold}: ${wrong}`);
                }
              }
            }
          } finally {
            native.setStreamingThresholdBytes(0);
          }
          expect(native.streamingThresholdBytes()).toBe(before);
        });
      });

      test(`${op} ${dtype}: every special value in every argument position`, () => {
        withBackend(backend, () => {
          const into = ELEMENTWISE[op];
          const values = SPECIALS.map((x) => toDtype(dtype, x));
          // Every combination for unary and binary; for ternary, each value
          // in each position against a fixed pair of the others.
          const combinations: number[][] = [];
          if (arity === 1) for (const x of values) combinations.push([x]);
          if (arity === 2) for (const x of values) for (const y of values) combinations.push([x, y]);
          if (arity === 3) for (const x of values) for (const y of values) combinations.push([x, y, 1.5], [x, 0.25, y], [-3, x, y]);
          // Lane positions vary: 37 combinations per call fill every lane of every width and a tail.
          const n = combinations.length;
          const inputs = Array.from({ length: arity }, (_, k) => {
            const column = new ARRAY[dtype](n);
            for (let i = 0; i < n; i++) column[i] = combinations[i]![k]!;
            return column;
          });
          const out = new ARRAY[dtype](n);
          into(...inputs, out);
          const wrong = firstWrong(op, dtype, inputs, out, n);
          if (wrong) throw new Error(wrong);
        });
      });

      test(`${op} ${dtype}: partial overlap is a RangeError naming the input, nothing written`, () => {
        withBackend(backend, () => {
          const into = ELEMENTWISE[op];
          const memory = new ARRAY[dtype](80).fill(2);
          const before = snapshot(memory.buffer);
          for (let k = 0; k < arity; k++) {
            for (const shift of [1, 3, 8, 17]) {
              const inputs: FloatArray[] = Array.from({ length: arity }, () => new ARRAY[dtype](20).fill(1));
              inputs[k] = memory.subarray(shift, shift + 20);
              // The names the docs use: clamp's inputs are a, lo and hi.
              const name = (op === "clamp" ? ["a", "lo", "hi"] : ["a", "b", "c"])[k]!;
              expect(() => into(...inputs, memory.subarray(0, 20))).toThrow(new RegExp(`^out partially overlaps ${name}: out covers bytes \\[0, ${20 * memory.BYTES_PER_ELEMENT}\\)`));
            }
          }
          expect(unchanged(memory.buffer, before)).toBe(true);
        });
      });

      test(`${op} ${dtype}: mixed dtypes, wrong types and unequal lengths are refused before anything is written`, () => {
        withBackend(backend, () => {
          const into = ELEMENTWISE[op];
          const name = (k: number) => (op === "clamp" ? ["a", "lo", "hi"] : ["a", "b", "c"])[k]!;
          const out = new ARRAY[dtype](8).fill(9);
          const before = snapshot(out.buffer);
          const good = () => new ARRAY[dtype](8).fill(0.5);
          for (let k = 0; k < arity; k++) {
            const inputs: unknown[] = Array.from({ length: arity }, good);
            inputs[k] = new ARRAY[OTHER[dtype]](8);
            expect(() => into(...inputs, out)).toThrow(TypeError);
            expect(() => into(...inputs, out)).toThrow(`${name(k)} must be a ${dtype === "f32" ? "Float32Array" : "Float64Array"} (like out) or a number`);
            inputs[k] = [1, 2, 3, 4, 5, 6, 7, 8];
            expect(() => into(...inputs, out)).toThrow(TypeError);
            inputs[k] = good().subarray(1);
            expect(() => into(...inputs, out)).toThrow(RangeError);
            expect(() => into(...inputs, out)).toThrow(`${name(k)}.length=7`);
          }
          const outTypes = (CATALOG.ops[op].dtypes as readonly DType[]).includes("f64") ? "a Float32Array or a Float64Array" : "a Float32Array";
          expect(() => into(...Array.from({ length: arity }, good), 3)).toThrow(new TypeError(`out must be ${outTypes}, got number`));
          expect(unchanged(out.buffer, before)).toBe(true);
        });
      });
    }
  }

  test("fma rounds once: a * b - round(a * b) is the exact error of the product", () => {
    withBackend(backend, () => {
      for (const dtype of ["f32", "f64"] as const) {
        const random = seeded(dtype === "f32" ? 3 : 4);
        const n = 1000;
        const a = randomValues(dtype, n, random).map((x) => (Number.isFinite(x) && Math.abs(x) < 1e30 ? x : 1.1));
        const b = randomValues(dtype, n, random).map((x) => (Number.isFinite(x) && Math.abs(x) < 1e30 ? x : 3.3));
        const c = a.map((x, i) => -toDtype(dtype, x * b[i]!));
        const out = new ARRAY[dtype](n);
        nano.fmaInto(a as Float64Array, b as Float64Array, c as Float64Array, out as Float64Array);
        let differsFromUnfused = 0;
        for (let i = 0; i < n; i++) {
          const expected = REFERENCE.fma(dtype, a[i]!, b[i]!, c[i]!);
          if (!same(expected, out[i]!)) throw new Error(`${dtype} fma(${a[i]}, ${b[i]}, ${c[i]}): expected ${expected}, got ${out[i]}`);
          if (out[i] !== 0 && out[i] === out[i]) differsFromUnfused++;
        }
        expect(differsFromUnfused).toBeGreaterThan(n / 4); // unfused, every one of these would be 0
      }
    });
  });
});

test("minimum and maximum are Math.min and Math.max, not x86's minps and maxps", () => {
  const a = new Float32Array([0, -0, NaN, 1, -0]);
  const b = new Float32Array([-0, 0, 1, NaN, -0]);
  expect([...nano.minimumInto(a, b, new Float32Array(5))]).toEqual([-0, -0, NaN, NaN, -0]);
  expect([...nano.maximumInto(a, b, new Float32Array(5))]).toEqual([0, 0, NaN, NaN, -0]);
});

test("clamp: lo > hi as numbers is a RangeError naming both", () => {
  const out = new Float64Array(3).fill(4);
  expect(() => nano.clampInto(new Float64Array(3), 2, 1, out)).toThrow(new RangeError("lo must not be greater than hi, got lo=2, hi=1"));
  expect([...out]).toEqual([4, 4, 4]);
});

test("a broadcast number is rounded to the dtype first", () => {
  const out = new Float32Array(2);
  nano.addInto(new Float32Array([0, 0]), 0.1, out);
  expect(out[0]).toBe(Math.fround(0.1));
  const out64 = new Float64Array(2);
  nano.addInto(new Float64Array([0, 0]), 0.1, out64);
  expect(out64[0]).toBe(0.1);
  expect([...nano.negInto(3, new Float64Array(2))]).toEqual([-3, -3]);
});

const FLOAT32_ONLY = OPS.filter((op) => !(CATALOG.ops[op].dtypes as readonly DType[]).includes("f64"));

test.each(FLOAT32_ONLY.map((op) => [op] as const))("%s on Float64Arrays: a TypeError naming out and saying float64 comes later, empty arrays and branded ones too, nothing written", (op) => {
  expect(FLOAT32_ONLY.length).toBeGreaterThan(0);
  const arity = inputCount(shapeOf(op));
  const refusal = new TypeError(`out must be a Float32Array (${op}Into takes Float32Array only for now; float64 comes later), got Float64Array`);
  const out = new Float64Array(4).fill(9);
  const before = snapshot(out.buffer);
  const inputs = Array.from({ length: arity }, () => new Float64Array(4).fill(0.5));
  expect(() => ELEMENTWISE[op](...inputs, out)).toThrow(refusal);
  expect(() => ELEMENTWISE[op](1, out)).toThrow(refusal);
  // A float32 input does not change whose fault it is: out's dtype is the one missing.
  expect(() => ELEMENTWISE[op](...inputs.map(() => new Float32Array(4)), out)).toThrow(refusal);
  // Empty: refused all the same, not a silent no-op.
  expect(() => ELEMENTWISE[op](...inputs.map(() => new Float64Array(0)), new Float64Array(0))).toThrow(refusal);
  // Arrays branded by a float64 op, which take the fast path there.
  for (let call = 0; call < 64; call++) nano.negInto(out, out);
  const after = snapshot(out.buffer);
  for (let call = 0; call < 64; call++) expect(() => ELEMENTWISE[op](out, out)).toThrow(refusal);
  expect(unchanged(out.buffer, after)).toBe(true);
  expect(unchanged(out.buffer, before)).toBe(true);
});

test("the float32-only functions are typed so: TypeScript refuses a Float64Array before it runs", () => {
  const out = new Float64Array(1);
  // @ts-expect-error expInto has no float64 kernel yet, and its type says so.
  expect(() => nano.expInto(new Float64Array(1), out)).toThrow(TypeError);
  // @ts-expect-error likewise for a broadcast number into a Float64Array.
  expect(() => nano.sinInto(0.5, out)).toThrow(TypeError);
});

// Numbers among branded arrays take fast paths of their own (checkTrailingNumbers
// for an array then numbers, withNumbers for the rest). Each proves the arrays'
// lengths like the arrays-only path does; these change the arrays after they
// were branded and expect the proofs to send the call to the slow path's errors.
describe("numbers among branded arrays", () => {
  type Call = (a: Float32Array | Float64Array, out: Float32Array | Float64Array) => unknown;
  const CALLS: [string, Call, (short: number, n: number) => string][] = [
    ["addInto(a, 2, out)", (a, out) => nano.addInto(a as Float32Array, 2, out as Float32Array), (k, n) => `a and out must have the same length, got a.length=${k}, out.length=${n}`],
    ["clampInto(a, -1, 1, out)", (a, out) => nano.clampInto(a as Float32Array, -1, 1, out as Float32Array), (k, n) => `a and out must have the same length, got a.length=${k}, out.length=${n}`],
    ["subInto(2, a, out)", (a, out) => nano.subInto(2, a as Float32Array, out as Float32Array), (k, n) => `b and out must have the same length, got b.length=${k}, out.length=${n}`],
    ["fmaInto(a, 2, a, out)", (a, out) => nano.fmaInto(a as Float32Array, 2, a as Float32Array, out as Float32Array), (k, n) => `a, c and out must have the same length, got a.length=${k}, c.length=${k}, out.length=${n}`],
  ];
  /** Calls often enough that the arrays are branded (about one slow-path call in 8 brands). */
  const brand = (call: Call, a: Float32Array | Float64Array, out: Float32Array | Float64Array) => {
    for (let i = 0; i < 200; i++) call(a, out);
  };
  for (const Kind of [Float32Array, Float64Array]) {
    for (const [name, call, lengthMessage] of CALLS) {
      test(`${Kind.name} ${name}: a shorter or longer array, a lying length and a detached buffer are caught after branding, nothing written`, () => {
        const a = new Kind(8).fill(0.5);
        const out = new Kind(8);
        brand(call, a, out);
        const expected = [...out];
        expect(expected[7]).not.toBe(0);
        const short = new Kind(4).fill(0.5);
        brand(call, short, new Kind(4));
        out.fill(7);
        const before = snapshot(out.buffer);
        // A shorter input and a longer one: their own lengths, read and compared.
        const long = new Kind(16).fill(0.5);
        brand(call, long, new Kind(16));
        for (let i = 0; i < 50; i++) expect(() => call(short, out)).toThrow(new RangeError(lengthMessage(4, 8)));
        for (let i = 0; i < 50; i++) expect(() => call(long, out)).toThrow(new RangeError(lengthMessage(16, 8)));
        // A length property that lies: the element read proves it false.
        Object.defineProperty(short, "length", { value: 8 });
        for (let i = 0; i < 50; i++) expect(() => call(short, out)).toThrow(/holds only 4 elements/);
        // A detached input.
        const gone = new Kind(8);
        brand(call, gone, new Kind(8));
        gone.buffer.transfer();
        for (let i = 0; i < 50; i++) expect(() => call(gone, out)).toThrow(/is detached/);
        expect(unchanged(out.buffer, before)).toBe(true);
        // The arrays as they were still give the same result.
        call(a, out);
        expect([...out]).toEqual(expected);
      });
    }
  }
});
