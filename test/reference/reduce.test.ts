import { describe, expect, test } from "bun:test";
import {
  bigToDouble,
  cosineErrorBound,
  errorBound,
  exactDot,
  exactSqeuclidean,
  exactSumBig,
  fsum,
  gamma,
  orderedSum,
  referenceCosine,
  referenceEuclidean,
  referenceNorm,
  roundingDepth,
  ulpsOff,
} from "./reduce.ts";

/** Deterministic doubles of varied exponents (xorshift, no Math.random). */
function randomDoubles(n: number, seed: number, minExp = -30, maxExp = 30): Float64Array {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const sign = next() < 0.5 ? -1 : 1;
    out[i] = sign * (1 + next()) * 2 ** Math.floor(minExp + next() * (maxExp - minExp));
  }
  return out;
}

describe("exact references", () => {
  test("fsum is exact where a loop is not, and agrees with the BigInt sum", () => {
    expect(fsum([1e100, 1, -1e100])).toBe(1);
    expect(fsum(new Array(10).fill(0.1))).toBe(1);
    expect(fsum([2 ** 53, 1, 1e-30])).toBe(2 ** 53 + 2); // above the halfway point
    expect(fsum([2 ** 53, 1])).toBe(2 ** 53); // halfway: ties to even
    expect(fsum([])).toBe(0);
    expect(fsum([1, NaN])).toBeNaN();
    expect(fsum([Infinity, -Infinity])).toBeNaN();
    expect(fsum([Infinity, 1])).toBe(Infinity);
    for (let seed = 1; seed < 40; seed++) {
      const a = randomDoubles(1 + seed * 37, seed, -60, 60);
      expect(fsum(a)).toBe(exactSumBig(a));
    }
  });

  test("bigToDouble rounds to nearest, ties to even, subnormals included", () => {
    expect(bigToDouble((1n << 53n) + 1n, 0)).toBe(2 ** 53); // tie, even below
    expect(bigToDouble((1n << 53n) + 3n, 0)).toBe(2 ** 53 + 4); // tie, even above
    expect(bigToDouble(3n, -1076)).toBe(2 ** -1074); // 0.75 of the smallest subnormal
    expect(bigToDouble(1n, -1075)).toBe(0); // half of it: ties to even (0)
    expect(bigToDouble(1n, -1075, true)).toBe(2 ** -1074); // a little above half
    expect(bigToDouble(-5n, 1020)).toBe(-5 * 2 ** 1020);
    expect(bigToDouble(1n, 1024)).toBe(Infinity);
  });

  test("dot, sqeuclidean, norm, euclidean and cosine at any magnitude", () => {
    const f32a = new Float32Array([1.5, -2.25, 3e38, -3e38]);
    const f32b = new Float32Array([2, 4, 1, 1]);
    expect(exactDot(f32a, f32b)).toBe(3 - 9);
    expect(exactDot([1e200, 1, -1e200], [1e200, 1, 1e200])).toBe(1);
    expect(exactSqeuclidean([1e200], [-1e200])).toBe(Infinity); // 4e400: beyond the range
    expect(exactSqeuclidean([3, 1], [0, 1])).toBe(9);
    expect(exactDot([Infinity, 1], [0, 1])).toBeNaN();
    expect(exactDot([Infinity, 1], [2, 1])).toBe(Infinity);
    expect(referenceNorm([1e300, 1e300])).toBe(Math.SQRT2 * 1e300);
    expect(referenceNorm([-Infinity, 1])).toBe(Infinity);
    // 3-4-5 triangles at the ends of the range, exact.
    expect(referenceNorm([3 * 2 ** 660, 4 * 2 ** 660])).toBe(5 * 2 ** 660);
    expect(referenceNorm([3 * 2 ** -1074, 4 * 2 ** -1074])).toBe(5 * 2 ** -1074);
    expect(referenceNorm([1.5 * 2 ** 1020, 2 ** 1021])).toBe(1.25 * 2 ** 1021);
    expect(referenceNorm([2])).toBe(2);
    expect(referenceNorm([1, 1])).toBe(Math.SQRT2);
    expect(referenceNorm([])).toBe(0);
    expect(referenceNorm([Infinity, NaN])).toBeNaN();
    expect(referenceEuclidean([1e200, 0], [-2e200, 4e200])).toBe(4.9999999999999995e200); // mpmath, 400 bits
    expect(referenceCosine([0, 0], [0, 0])).toBe(0);
    expect(referenceCosine([0, 0], [1, 0])).toBe(1);
    expect(referenceCosine([1, 2], [2, 4])).toBe(0);
    expect(referenceCosine([1, 2], [-1, -2])).toBe(2);
    expect(referenceCosine([1, 0], [0, 1])).toBe(1);
    expect(referenceCosine([1e-300, 0], [0, 1e300])).toBe(1);
    expect(referenceCosine([1, NaN], [0, 0])).toBeNaN();
    expect(referenceCosine([Infinity, 1], [1, 1])).toBeNaN();
    // Against Math.hypot where it is exact enough (it is not correctly rounded).
    for (let seed = 1; seed < 20; seed++) {
      const a = randomDoubles(2, seed, 600, 700);
      expect(ulpsOff(Math.hypot(a[0]!, a[1]!), referenceNorm(a))).toBeLessThanOrEqual(1);
    }
  });

  test("ulpsOff and the documented bound", () => {
    expect(ulpsOff(1, 1)).toBe(0);
    expect(ulpsOff(1, 1 + 2 ** -52)).toBe(1);
    expect(ulpsOff(-0, 0)).toBe(0);
    expect(ulpsOff(2 ** -1074, -(2 ** -1074))).toBe(2);
    expect(ulpsOff(NaN, NaN)).toBe(0);
    expect(ulpsOff(NaN, 1)).toBe(Infinity);
    // h = (m - 1) + ceil(log2 blocks) + log2 16.
    expect(roundingDepth(1)).toBe(0);
    expect(roundingDepth(16)).toBe(0 + 0 + 4);
    expect(roundingDepth(1024)).toBe(63 + 0 + 4);
    expect(roundingDepth(10_000_000)).toBe(63 + 14 + 4);
    expect(gamma(81)).toBeCloseTo(81 * 2 ** -53, 25);
    const a = new Float64Array([1, -2, 3]);
    expect(errorBound("sum", a)).toBeCloseTo(gamma(roundingDepth(3)) * 6, 25);
    expect(cosineErrorBound(768)).toBe(2 * gamma(47 + 4 + 1) + 6 * 2 ** -53);
  });

  test("orderedSum follows the documented order", () => {
    expect(orderedSum(0, () => 1)).toBe(0);
    // Integers: every order is exact.
    expect(orderedSum(5000, (i) => i)).toBe((5000 * 4999) / 2);
    // 16 elements: partial sum j holds element j; the fold adds p[j] + p[j + 8]
    // first. With 2^53 at 0 and 1 at 8, the first fold step loses the 1
    // (ties to even), then the 1 at 1 is lost too: exactly 2^53.
    const sixteen = new Array(16).fill(0);
    sixteen[0] = 2 ** 53;
    sixteen[8] = 1;
    sixteen[1] = 1;
    expect(orderedSum(16, (i) => sixteen[i])).toBe(2 ** 53);
    // Ones at 1 and 9 instead: they meet first (p[1] + p[9] = 2), and a 2
    // survives against 2^53: 2^53 + 2. A left-to-right loop gives 2^53.
    sixteen[8] = 0;
    sixteen[9] = 1;
    expect(orderedSum(16, (i) => sixteen[i])).toBe(2 ** 53 + 2);
    // Across blocks: 1e8 then many tiny terms stays within the bound.
    const n = 3 * 1024 + 5;
    const terms = (i: number) => (i === 0 ? 1e8 : 1e-9);
    const values = Array.from({ length: n }, (_, i) => terms(i));
    expect(Math.abs(orderedSum(n, terms) - fsum(values))).toBeLessThanOrEqual(errorBound("sum", values));
  });

  test("a plain left-to-right loop breaks the bound where the reduction order keeps it", () => {
    // 1e8 then 2^20 values near 1e-9: a loop never leaves 1e8.
    const a = new Float64Array(2 ** 20 + 1).fill(1e-9);
    a[0] = 1e8;
    let loop = 0;
    for (const x of a) loop += x;
    const exact = fsum(a);
    expect(Math.abs(loop - exact)).toBeGreaterThan(1e-3);
    expect(errorBound("sum", a)).toBeLessThan(1e-6);
  });
});
