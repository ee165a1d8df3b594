/**
 * The reduction shapes (reduce, reduce2, index, rows) over every reduction
 * op x dtype x backend this CPU runs: each result within its documented
 * bound of an exact reference (test/reference/reduce.ts), bit-identical
 * across backends, at tail lengths around the 16 partial sums and the
 * 1,024-element blocks; special values, empty arrays, adversarial sums, and
 * bad arguments refused.
 */
import { describe, expect, test } from "bun:test";
import * as nano from "../../src/index.ts";
import { backends, seeded, snapshot, unchanged, withBackend } from "../helpers.ts";
import { cosineErrorBound, errorBound, exactDot, exactSqeuclidean, fsum, referenceCosine, referenceEuclidean, referenceNorm, rootErrorBound } from "../reference/reduce.ts";

type FloatArray = Float32Array | Float64Array;
const ARRAY = { f32: Float32Array, f64: Float64Array } as const;
type DType = keyof typeof ARRAY;

const LENGTHS = [0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 100, 1023, 1024, 1025, 2047, 2049, 5000];

/** Values of mixed sign and magnitude, with exact zeros and repeats (ties for min/max). */
function values(dtype: DType, n: number, random: () => number): FloatArray {
  const out = new ARRAY[dtype](n);
  for (let i = 0; i < n; i++) {
    const r = random();
    out[i] = r < 0.05 ? 0 : r < 0.1 ? -0 : r < 0.2 ? Math.floor(random() * 5) : (random() - 0.5) * 2 ** Math.floor(random() * 40 - 20);
  }
  return out;
}

/** Every backend's answer to `call`, which must be the same bits everywhere; returns it. */
function sameOnEveryBackend(call: () => number): number {
  const answers = backends().map((name) => withBackend(name, call));
  for (let i = 1; i < answers.length; i++) {
    if (!Object.is(answers[i], answers[0])) throw new Error(`${backends()[i]} gave ${answers[i]}, ${backends()[0]} gave ${answers[0]}`);
  }
  return answers[0]!;
}

function jsMin(a: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < a.length; i++) m = Math.min(m, a[i]!);
  return m;
}
function jsMax(a: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) m = Math.max(m, a[i]!);
  return m;
}
/** NumPy's rule: the first NaN, else the first extreme. */
function firstIndex(a: ArrayLike<number>, extreme: number): number {
  for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i]!)) return i;
  for (let i = 0; i < a.length; i++) if (Object.is(a[i], extreme)) return i;
  return -1;
}

for (const dtype of ["f32", "f64"] as const) {
  describe(`${dtype}`, () => {
    test("sum, dot, sqeuclidean: within the documented bound of the exact value, bit-identical on every backend, at every tail", () => {
      const random = seeded(dtype === "f32" ? 5 : 6);
      for (const n of LENGTHS) {
        const a = values(dtype, n, random);
        const b = values(dtype, n, random);
        const checks: [string, () => number, number, number][] = [
          ["sum", () => nano.sum(a), fsum(a), errorBound("sum", a)],
          ["dot", () => nano.dot(a, b), exactDot(a, b), errorBound("dot", a, b)],
          ["sqeuclidean", () => nano.sqeuclidean(a, b), exactSqeuclidean(a, b), errorBound("sqeuclidean", a, b)],
        ];
        for (const [name, call, exact, bound] of checks) {
          const got = sameOnEveryBackend(call);
          if (!(Math.abs(got - exact) <= bound)) throw new Error(`${name} n=${n}: ${got}, exact ${exact}, error ${Math.abs(got - exact)} > bound ${bound}`);
        }
      }
    });

    test("norm, euclidean, cosine: within their bounds, the same on every backend", () => {
      const random = seeded(dtype === "f32" ? 7 : 8);
      for (const n of LENGTHS) {
        const a = values(dtype, n, random);
        const b = values(dtype, n, random);
        const norm = sameOnEveryBackend(() => nano.norm(a));
        expect(Math.abs(norm - referenceNorm(a))).toBeLessThanOrEqual(referenceNorm(a) * rootErrorBound(n) + Number.MIN_VALUE);
        const euclidean = sameOnEveryBackend(() => nano.euclidean(a, b));
        expect(Math.abs(euclidean - referenceEuclidean(a, b))).toBeLessThanOrEqual(referenceEuclidean(a, b) * rootErrorBound(n) + Number.MIN_VALUE);
        const cosine = sameOnEveryBackend(() => nano.cosine(a, b));
        expect(Math.abs(cosine - referenceCosine(a, b))).toBeLessThanOrEqual(cosineErrorBound(n));
      }
    });

    test("min, max, argmin, argmax: exactly Math.min/Math.max and NumPy's first index, NaN and -0 included", () => {
      const random = seeded(dtype === "f32" ? 9 : 10);
      for (const n of LENGTHS) {
        const a = values(dtype, n, random);
        if (n > 5 && random() < 0.5) a[Math.floor(random() * n)] = NaN;
        expect(sameOnEveryBackend(() => nano.min(a))).toBe(jsMin(a));
        expect(sameOnEveryBackend(() => nano.max(a))).toBe(jsMax(a));
        if (n === 0) continue;
        expect(sameOnEveryBackend(() => nano.argmin(a))).toBe(firstIndex(a, jsMin(a)));
        expect(sameOnEveryBackend(() => nano.argmax(a))).toBe(firstIndex(a, jsMax(a)));
      }
      expect(Object.is(nano.min(ARRAY[dtype].of(0, -0, 0)), -0)).toBe(true);
      expect(Object.is(nano.max(ARRAY[dtype].of(-0, 0, -0)), 0)).toBe(true);
      expect(nano.argmin(ARRAY[dtype].of(3, 1, 1, NaN, NaN))).toBe(3);
      expect(nano.argmax(ARRAY[dtype].of(3, 7, 7))).toBe(1);
    });

    test("empty arrays: sum, dot, norm, sqeuclidean, euclidean 0; min Infinity, max -Infinity; argmin/argmax a RangeError", () => {
      const empty = new ARRAY[dtype](0);
      for (const name of backends()) {
        withBackend(name, () => {
          expect([nano.sum(empty), nano.dot(empty, empty), nano.norm(empty), nano.sqeuclidean(empty, empty), nano.euclidean(empty, empty)]).toEqual([0, 0, 0, 0, 0]);
          expect([nano.min(empty), nano.max(empty)]).toEqual([Infinity, -Infinity]);
          expect(() => nano.argmin(empty)).toThrow(new RangeError("argmin of an empty array: there is no index to return"));
          expect(() => nano.argmax(empty)).toThrow(RangeError);
        });
      }
    });

    test("cosine: both all zero is 0, exactly one all zero is 1 (never NaN)", () => {
      const zero = new ARRAY[dtype](5);
      const x = ARRAY[dtype].of(1, 2, 3, 4, 5);
      expect([nano.cosine(zero, zero), nano.cosine(zero, x), nano.cosine(x, zero), nano.cosine(x, x)]).toEqual([0, 1, 1, 0]);
    });

    test("Inf and NaN propagate as IEEE arithmetic does", () => {
      expect(nano.sum(ARRAY[dtype].of(1, Infinity, 2))).toBe(Infinity);
      expect(nano.sum(ARRAY[dtype].of(Infinity, -Infinity))).toBeNaN();
      expect(nano.dot(ARRAY[dtype].of(1, NaN), ARRAY[dtype].of(1, 1))).toBeNaN();
      expect(nano.norm(ARRAY[dtype].of(1, Infinity))).toBe(Infinity);
    });

    test("rows: out[i] is the single-pair function of row i, bit for bit once rounded to out's dtype", () => {
      const random = seeded(dtype === "f32" ? 11 : 12);
      for (const dim of [0, 1, 3, 16, 17, 100, 768]) {
        const nrows = 37;
        const rows = values(dtype, nrows * dim, random);
        const query = values(dtype, dim, random);
        for (const [rowsInto, single] of [
          [nano.dotRowsInto, nano.dot],
          [nano.sqeuclideanRowsInto, nano.sqeuclidean],
          [nano.cosineRowsInto, nano.cosine],
        ] as const) {
          for (const name of backends()) {
            withBackend(name, () => {
              const out = rowsInto(rows, query, new ARRAY[dtype](nrows));
              for (let i = 0; i < nrows; i++) {
                const expected = dtype === "f32" ? Math.fround(single(rows.subarray(i * dim, (i + 1) * dim), query)) : single(rows.subarray(i * dim, (i + 1) * dim), query);
                if (!Object.is(out[i], expected)) throw new Error(`${name} ${rowsInto.name} dim=${dim} row ${i}: ${out[i]}, expected ${expected}`);
              }
            });
          }
        }
      }
    });

    test("bad arguments: a TypeError or RangeError naming them, and rows writes nothing", () => {
      const other = dtype === "f32" ? Float64Array : Float32Array;
      expect(() => nano.sum([1, 2] as unknown as FloatArray)).toThrow(new TypeError("a must be a Float32Array or a Float64Array, got Array"));
      expect(() => nano.dot(new ARRAY[dtype](2), new other(2) as FloatArray)).toThrow(TypeError);
      expect(() => nano.dot(new ARRAY[dtype](2), new ARRAY[dtype](3))).toThrow(new RangeError("a and b must have the same length, got a.length=2, b.length=3"));
      const buffer = new ArrayBuffer(64);
      const detached = new ARRAY[dtype](buffer);
      structuredClone(buffer, { transfer: [buffer] });
      expect(() => nano.sum(detached)).toThrow("a is detached");
      const out = new ARRAY[dtype](4).fill(7);
      const before = snapshot(out.buffer);
      expect(() => nano.dotRowsInto(new ARRAY[dtype](10), new ARRAY[dtype](3), out)).toThrow(
        new RangeError("rows must hold out.length rows of query.length elements: got rows.length=10, query.length=3, out.length=4 (4 x 3 = 12)"),
      );
      expect(() => nano.dotRowsInto(new ARRAY[dtype](12), new ARRAY[dtype](3), new other(4) as FloatArray)).toThrow(TypeError);
      const shared = new ARRAY[dtype](16);
      expect(() => nano.cosineRowsInto(shared.subarray(0, 12), shared.subarray(12, 15), shared.subarray(11, 15))).toThrow(/^out overlaps rows/);
      expect(unchanged(out.buffer, before)).toBe(true);
    });
  });
}

test("adversarial sums: cancellation, 1e8 plus a million tiny values, alternating signs, 10M elements; bit-identical, within bound", () => {
  const cases: [string, Float64Array][] = [];
  const cancel = new Float64Array(100_000);
  for (let i = 0; i < cancel.length; i += 2) {
    cancel[i] = 1e16 + i;
    cancel[i + 1] = -(1e16 + i) + 1;
  }
  cases.push(["heavy cancellation", cancel]);
  const tiny = new Float64Array(1_000_001).fill(1e-8);
  tiny[0] = 1e8;
  cases.push(["1e8 plus a million 1e-8", tiny]);
  const alternating = Float64Array.from({ length: 300_001 }, (_, i) => (i % 2 ? -1 : 1) * (1 + i * 1e-6));
  cases.push(["alternating signs", alternating]);
  const random = seeded(13);
  const large = Float64Array.from({ length: 10_000_000 }, () => random() - 0.5);
  cases.push(["10M elements", large]);
  for (const [label, a] of cases) {
    const got = sameOnEveryBackend(() => nano.sum(a));
    const exact = fsum(a);
    const bound = errorBound("sum", a);
    if (!(Math.abs(got - exact) <= bound)) throw new Error(`${label}: ${got}, exact ${exact}, error ${Math.abs(got - exact)} > bound ${bound}`);
  }
}, 120_000);

test("norm, euclidean and cosine never overflow or underflow when the result is representable (float64 near 1e+-200)", () => {
  for (const scale of [1e200, 1e-200, 1e300, 1e-300]) {
    const a = Float64Array.of(3 * scale, 4 * scale);
    const b = Float64Array.of(0, 0);
    expect(sameOnEveryBackend(() => nano.norm(a)) / (5 * scale)).toBeCloseTo(1, 14);
    expect(sameOnEveryBackend(() => nano.euclidean(a, b)) / (5 * scale)).toBeCloseTo(1, 14);
    expect(sameOnEveryBackend(() => nano.cosine(a, Float64Array.of(4 * scale, 3 * scale)))).toBeCloseTo(1 - 24 / 25, 14);
  }
});
