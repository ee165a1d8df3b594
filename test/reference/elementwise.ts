/**
 * Independent references for the elementwise family, written from the
 * definitions rather than from src/ or zig/: what each op must return for
 * one element, in float32 or float64. The per-shape suites compare every
 * backend's kernels with these bit for bit.
 *
 * float64 results are JavaScript's own arithmetic. float32 results round the
 * exact result once: for + - * / and sqrt, computing in float64 and rounding
 * to float32 (Math.fround) is exact rounding, because float64 carries more
 * than 2 x 24 + 2 bits (no double-rounding error is possible). fma is the
 * exception: a * b + c in float64 rounds twice, so it is computed exactly
 * with BigInt arithmetic and rounded once.
 *
 * The math functions (exp, log, tanh, sigmoid, sin, cos) are declared with
 * a ULP bound, not exact: their reference is JavaScript's float64 value,
 * unrounded, and the tests allow the declared bound around it (see
 * `withinUlps`): Math.fround(Math.exp(x)) itself is not always correctly
 * rounded, because Math.exp errs by up to an ulp of float64.
 */
import type { DType, ElementwiseOp as Op } from "../../src/catalog.ts";

/** A value as it is stored in the dtype. */
export function toDtype(dtype: DType, x: number): number {
  return dtype === "f32" ? Math.fround(x) : x;
}

/** Every catalog op, for one element of already-rounded inputs. */
export const REFERENCE: Record<Op, (dtype: DType, a: number, b: number, c: number) => number> = {
  neg: (dtype, a) => toDtype(dtype, -a),
  abs: (dtype, a) => toDtype(dtype, Math.abs(a)),
  sqrt: (dtype, a) => toDtype(dtype, Math.sqrt(a)),
  add: (dtype, a, b) => toDtype(dtype, a + b),
  sub: (dtype, a, b) => toDtype(dtype, a - b),
  mul: (dtype, a, b) => toDtype(dtype, a * b),
  div: (dtype, a, b) => toDtype(dtype, a / b),
  minimum: (dtype, a, b) => toDtype(dtype, Math.min(a, b)),
  maximum: (dtype, a, b) => toDtype(dtype, Math.max(a, b)),
  fma: (dtype, a, b, c) => exactFma(dtype, a, b, c),
  clamp: (dtype, a, lo, hi) => toDtype(dtype, Math.min(Math.max(a, lo), hi)),
  exp: (_, a) => Math.exp(a),
  log: (_, a) => Math.log(a),
  tanh: (_, a) => Math.tanh(a),
  sigmoid: (_, a) => 1 / (1 + Math.exp(-a)),
  sin: (_, a) => Math.sin(a),
  cos: (_, a) => Math.cos(a),
};

/**
 * Whether `actual` (a float32) is within `bound` float32 ulps of `reference`
 * (a float64 estimate of the exact value, itself off by up to ~2^-52
 * relative, hence the 2^-20 ulp of slack). Special values must match
 * exactly: NaN with NaN, infinities and the sign of a zero.
 */
export function withinUlps(reference: number, actual: number, bound: number): boolean {
  if (Number.isNaN(reference) || Number.isNaN(actual)) return Number.isNaN(reference) && Number.isNaN(actual);
  if (!Number.isFinite(reference)) return reference === actual;
  if (reference === 0) return Object.is(reference, actual);
  const magnitude = Math.abs(reference);
  const exponent = Math.max(Math.floor(Math.log2(magnitude)), -126);
  const ulp = 2 ** (exponent - 23);
  // A rounded result can be the float32 overflow: the nearest float32 to a value above the largest is Infinity.
  if (!Number.isFinite(actual)) return Math.fround(reference) === actual;
  return Math.abs(actual - reference) <= (bound + 2 ** -20) * ulp;
}

/** x = significand * 2^exponent exactly, for a finite x. */
function decompose(x: number): { significand: bigint; exponent: number } {
  if (x === 0) return { significand: 0n, exponent: 0 };
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, x);
  const high = bits.getUint32(0);
  const low = bits.getUint32(4);
  const field = (high >>> 20) & 0x7ff;
  let significand = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  if (field !== 0) significand |= 1n << 52n;
  const exponent = (field === 0 ? 1 : field) - 1075;
  return { significand: x < 0 ? -significand : significand, exponent };
}

const FORMATS: Record<DType, { precision: number; lowestBit: number }> = {
  f32: { precision: 24, lowestBit: -149 },
  f64: { precision: 53, lowestBit: -1074 },
};

/** significand * 2^exponent rounded once, to nearest even, to the dtype. */
export function roundExact(dtype: DType, significand: bigint, exponent: number, negativeZero = false): number {
  if (significand === 0n) return negativeZero ? -0 : 0;
  const negative = significand < 0n;
  let magnitude = negative ? -significand : significand;
  const { precision, lowestBit } = FORMATS[dtype];
  const length = magnitude.toString(2).length;
  const keptFrom = Math.max(exponent + length - precision, lowestBit);
  const drop = keptFrom - exponent;
  if (drop > 0) {
    const shift = BigInt(drop);
    const kept = magnitude >> shift;
    const rest = magnitude - (kept << shift);
    const half = 1n << (shift - 1n);
    magnitude = rest > half || (rest === half && (kept & 1n) === 1n) ? kept + 1n : kept;
  }
  // Exact in float64 (at most 54 bits times a power of two), then fround
  // only turns a float32 overflow into Infinity.
  const value = Number(magnitude) * 2 ** (drop > 0 ? keptFrom : exponent);
  return toDtype(dtype, negative ? -value : value);
}

/** a * b + c with one rounding, by exact BigInt arithmetic. */
export function exactFma(dtype: DType, a: number, b: number, c: number): number {
  // Non-finite inputs and zero products: IEEE rules, no rounding involved.
  // (A finite product never overflows inside an fma: an infinite c wins.)
  if (!Number.isFinite(a) || !Number.isFinite(b)) return toDtype(dtype, a * b + c);
  if (!Number.isFinite(c)) return c;
  if (a === 0 || b === 0) return toDtype(dtype, a * b + c);
  const x = decompose(a);
  const y = decompose(b);
  const z = decompose(c);
  const productExponent = x.exponent + y.exponent;
  const exponent = Math.min(productExponent, z.exponent);
  const sum = ((x.significand * y.significand) << BigInt(productExponent - exponent)) + (z.significand << BigInt(z.exponent - exponent));
  // An exact zero sum of non-zero terms is +0 when rounding to nearest.
  return roundExact(dtype, sum, exponent);
}
