/**
 * Independent reference for `convertInto` (issue 14), one element at a time,
 * written from the contract, not from the Zig code:
 *
 *   Step 1. t = value × scale + offset, rounded ONCE to float64 (a fused
 *           multiply-add). An offset of zero (either sign) adds nothing, so
 *           t = value × scale (JS's own `*`, one rounding) and −0 stays −0;
 *           with scale = 1 as well, t = value. A scale of 1 with a nonzero
 *           offset is JS's own `+`. Otherwise the fused multiply-add is
 *           computed exactly with BigInt and rounded once (JS has no Math.fma).
 *   Step 2. t is rounded ONCE to the destination type:
 *           float types: a JS store into a typed array of that type (round to
 *             nearest even from the float64; every NaN becomes JS's one NaN);
 *           integer types (Uint8ClampedArray included): NaN → 0, saturate to
 *             the type's range, round half to EVEN. Math.round rounds half
 *             up, so the tie rule is written out below.
 *
 * @module
 */

/** The element types of the conversion kernels. "u8c" is Uint8ClampedArray. */
export type ElementType = "f16" | "f32" | "f64" | "i32" | "i16" | "u16" | "i8" | "u8" | "u8c";

/** The typed-array constructor of each element type. */
export const arrayTypes = {
  f16: Float16Array,
  f32: Float32Array,
  f64: Float64Array,
  i32: Int32Array,
  i16: Int16Array,
  u16: Uint16Array,
  i8: Int8Array,
  u8: Uint8Array,
  u8c: Uint8ClampedArray,
} as const;

/** Inclusive integer range of each integer element type. */
const integerRange: Record<string, readonly [number, number]> = {
  i32: [-2147483648, 2147483647],
  i16: [-32768, 32767],
  u16: [0, 65535],
  i8: [-128, 127],
  u8: [0, 255],
  u8c: [0, 255],
};

const float64 = new Float64Array(1);
const float64Bits = new BigUint64Array(float64.buffer);

/** A finite nonzero float64 as sign × mantissa × 2^exponent (mantissa a BigInt). */
function splitFloat64(x: number): { negative: boolean; mantissa: bigint; exponent: number } {
  float64[0] = x;
  const bits = float64Bits[0]!;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return {
    negative: bits >> 63n === 1n,
    mantissa: biased === 0 ? fraction : fraction | (1n << 52n),
    exponent: biased === 0 ? -1074 : biased - 1075,
  };
}

function bitLength(v: bigint): number {
  return v.toString(2).length;
}

/** m × 2^e for an integer m < 2^54 and a result known to be representable. */
function scaleByPowerOfTwo(m: number, e: number): number {
  // In two steps so that no intermediate underflows or overflows early.
  const first = Math.max(Math.min(e, 1000), -1000);
  return m * 2 ** first * 2 ** (e - first);
}

/** Rounds sign × sum × 2^base (sum > 0, a BigInt) to the nearest float64, ties to even. */
function roundToFloat64(negative: boolean, sum: bigint, base: number): number {
  const top = base + bitLength(sum) - 1;
  let unit = Math.max(top - 52, -1074);
  let mantissa: bigint;
  if (unit <= base) {
    mantissa = sum << BigInt(base - unit);
  } else {
    const shift = BigInt(unit - base);
    mantissa = sum >> shift;
    const dropped = sum - (mantissa << shift);
    const half = 1n << (shift - 1n);
    if (dropped > half || (dropped === half && (mantissa & 1n) === 1n)) mantissa += 1n;
    if (mantissa === 1n << 53n) {
      mantissa >>= 1n;
      unit += 1;
    }
  }
  if (unit > 971) return negative ? -Infinity : Infinity;
  const magnitude = scaleByPowerOfTwo(Number(mantissa), unit);
  return negative ? -magnitude : magnitude;
}

/**
 * x × y + z with one rounding to nearest even, exactly, by BigInt arithmetic.
 * @param x first factor
 * @param y second factor
 * @param z addend
 * @returns the correctly rounded fused multiply-add
 */
export function fusedMultiplyAdd(x: number, y: number, z: number): number {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x * y + z;
  if (!Number.isFinite(z)) return z;
  if (x === 0 || y === 0) return x * y + z; // the product is exact
  if (z === 0) return x * y;
  const a = splitFloat64(x);
  const b = splitFloat64(y);
  const c = splitFloat64(z);
  const productExponent = a.exponent + b.exponent;
  const base = Math.min(productExponent, c.exponent);
  const product = (a.mantissa * b.mantissa) << BigInt(productExponent - base);
  const addend = c.mantissa << BigInt(c.exponent - base);
  const productNegative = a.negative !== b.negative;
  let sum: bigint;
  let negative: boolean;
  if (productNegative === c.negative) {
    sum = product + addend;
    negative = productNegative;
  } else if (product >= addend) {
    sum = product - addend;
    negative = productNegative;
  } else {
    sum = addend - product;
    negative = c.negative;
  }
  if (sum === 0n) return 0; // exact cancellation is +0 when rounding to nearest
  return roundToFloat64(negative, sum, base);
}

/**
 * Step 1 of the contract: t = value × scale + offset with one float64 rounding.
 * @param value a source element as JS reads it
 * @param scale finite scale
 * @param offset finite offset
 */
export function scaledValue(value: number, scale: number, offset: number): number {
  if (offset === 0) return value * scale;
  if (scale === 1) return value + offset;
  return fusedMultiplyAdd(value, scale, offset);
}

/**
 * Round half to even, saturating, NaN → 0: the integer rule of step 2.
 * @param t the float64 value of step 1
 * @param type an integer element type
 */
export function roundToInteger(t: number, type: keyof typeof integerRange): number {
  const [lowest, highest] = integerRange[type]!;
  if (Number.isNaN(t)) return 0;
  if (t <= lowest) return lowest;
  if (t >= highest) return highest;
  // |t| < 2^31 here, so floor and the difference are exact.
  const below = Math.floor(t);
  const fraction = t - below;
  if (fraction > 0.5) return below + 1;
  if (fraction < 0.5) return below;
  return below % 2 === 0 ? below : below + 1; // a tie: the even neighbour
}

/**
 * One element of `convertInto(src, out, scale, offset)`, computed independently.
 * @param value the source element, as read from the source typed array
 * @param _sourceType the source element type (the value already carries it exactly)
 * @param destinationType the destination element type
 * @param scale finite scale (default 1)
 * @param offset finite offset (default 0)
 * @returns the number the destination array must hold afterwards
 */
export function referenceConvert(
  value: number,
  _sourceType: ElementType,
  destinationType: ElementType,
  scale = 1,
  offset = 0,
): number {
  const t = scaledValue(value, scale, offset);
  if (destinationType in integerRange) return roundToInteger(t, destinationType as keyof typeof integerRange);
  const cell = new arrayTypes[destinationType](1);
  cell[0] = t;
  return cell[0]!;
}
