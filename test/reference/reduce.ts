/**
 * Exact references for the reductions of issue 12, written independently of
 * the Zig kernels (zig/reduce.zig): the tests compare the library against
 * these with the documented error bounds.
 *
 * - `fsum`: the correctly rounded sum of doubles (Shewchuk's exact partials,
 *   the algorithm of Python's `math.fsum`). Fast enough for 10M elements.
 * - `exactSumBig`, `exactDot`, `exactSqeuclidean`: exact sums as BigInt
 *   fixed-point numbers (every double is an integer times 2^-1074, every
 *   product of two doubles an integer times 2^-2148), rounded once at the end.
 * - `referenceNorm`, `referenceEuclidean`, `referenceCosine`: from the exact
 *   sums, within one or two roundings, whatever the exponents (no overflow).
 * - `errorBound`, `ulpsOff`: the documented bound, and a distance in ulps.
 */

type Floats = ArrayLike<number>;

const TWO_POW_1023 = 2 ** 1023;
const TWO_POW_MINUS_1022 = 2 ** -1022;

/**
 * x * 2^k, exact whenever the result is representable (and correctly
 * overflowing to Infinity otherwise), for an integer x with |x| < 2^54.
 * Intermediate steps stay on the 2^-1074 grid, so they are exact too.
 */
function timesPowerOfTwo(x: number, k: number): number {
  let value = x;
  let rest = k;
  while (rest > 1023) {
    value *= TWO_POW_1023;
    rest -= 1023;
  }
  while (rest < -1022) {
    value *= TWO_POW_MINUS_1022;
    rest += 1022;
  }
  return value * 2 ** rest;
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * The double nearest to n * 2^exponent (ties to even), with `sticky` telling
 * that the true value is a little above |n| * 2^exponent (used by square roots).
 */
export function bigToDouble(n: bigint, exponent: number, sticky = false): number {
  if (n === 0n) return 0;
  const negative = n < 0n;
  const magnitude = negative ? -n : n;
  const length = bitLength(magnitude);
  // The value lies in [2^top, 2^(top+1)); subnormals keep fewer bits.
  const top = length - 1 + exponent;
  const precision = top >= -1022 ? 53 : 53 - (-1022 - top);
  const shift = length - precision;
  let quotient: bigint;
  let scale: number;
  if (shift <= 0) {
    quotient = magnitude;
    scale = exponent;
  } else {
    quotient = magnitude >> BigInt(shift);
    const remainder = magnitude - (quotient << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    if (remainder > half || (remainder === half && (sticky || (quotient & 1n) === 1n))) quotient += 1n;
    scale = exponent + shift;
  }
  const value = timesPowerOfTwo(Number(quotient), scale);
  return negative ? -value : value;
}

const splitView = new DataView(new ArrayBuffer(8));

/** A finite double as mantissa * 2^exponent with exponent >= -1074. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  splitView.setFloat64(0, x);
  const high = splitView.getUint32(0);
  const low = splitView.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const signed = high >>> 31 === 1 ? -mantissa : mantissa;
  return { mantissa: signed, exponent: biased === 0 ? -1074 : biased - 1075 };
}

/** x as an exact integer multiple of 2^-1074. */
function toFixed1074(x: number): bigint {
  const { mantissa, exponent } = decompose(x);
  return mantissa << BigInt(exponent + 1074);
}

/** NaN, or the IEEE sum of the infinities, when any term is not finite. */
function nonFinite(terms: Iterable<number>): number | undefined {
  let positive = false;
  let negative = false;
  for (const t of terms) {
    if (Number.isNaN(t)) return NaN;
    if (t === Infinity) positive = true;
    if (t === -Infinity) negative = true;
  }
  if (positive && negative) return NaN;
  if (positive) return Infinity;
  if (negative) return -Infinity;
  return undefined;
}

/** True when every element is finite: then the exact paths apply. */
function allFinite(...arrays: Floats[]): boolean {
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

function* values(a: Floats): Generator<number> {
  for (let i = 0; i < a.length; i++) yield a[i]!;
}

/** The exact sum of the doubles, rounded once (BigInt; slow for millions). */
export function exactSumBig(a: Floats): number {
  const special = nonFinite(values(a));
  if (special !== undefined) return special;
  let total = 0n;
  for (let i = 0; i < a.length; i++) total += toFixed1074(a[i]!);
  return bigToDouble(total, -1074);
}

/**
 * The correctly rounded sum of doubles (Shewchuk, as Python's math.fsum):
 * keeps the running sum as non-overlapping partials whose sum is exact.
 * Assumes no intermediate overflow (|partial sums| < 2^1023).
 */
export function fsum(a: Floats): number {
  const special = nonFinite(values(a));
  if (special !== undefined) return special;
  const partials: number[] = [];
  for (let k = 0; k < a.length; k++) {
    let x = a[k]!;
    let kept = 0;
    for (let j = 0; j < partials.length; j++) {
      let y = partials[j]!;
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[kept++] = lo;
      x = hi;
    }
    partials.length = kept;
    partials.push(x);
  }
  // Add the partials from the largest down; stop at the first inexact step,
  // then correct a halfway case by looking at the next partial's sign.
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n]!;
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

/** The exact sum of a[i] * b[i] as an integer multiple of 2^-2148. */
function exactDotFixed(a: Floats, b: Floats): bigint {
  let total = 0n;
  for (let i = 0; i < a.length; i++) {
    const x = decompose(a[i]!);
    const y = decompose(b[i]!);
    total += (x.mantissa * y.mantissa) << BigInt(x.exponent + y.exponent + 2148);
  }
  return total;
}

function products(a: Floats, b: Floats): number[] {
  const result: number[] = [];
  for (let i = 0; i < a.length; i++) result.push(a[i]! * b[i]!);
  return result;
}

/**
 * The exact dot product, rounded once. Float32 inputs take the fast path:
 * their products are exact doubles (at most 48 significant bits, never below
 * 2^-298), so fsum of the products is exact.
 */
export function exactDot(a: Floats, b: Floats): number {
  // Infinite or NaN inputs: IEEE arithmetic on the products decides.
  if (!allFinite(a, b)) return nonFinite(products(a, b)) ?? NaN;
  if (a instanceof Float32Array && b instanceof Float32Array) return fsum(products(a, b));
  return bigToDouble(exactDotFixed(a, b), -2148);
}

/** The exact sum of (a[i] - b[i])^2 as an integer multiple of 2^-2148. */
function exactSqeuclideanFixed(a: Floats, b: Floats): bigint {
  let total = 0n;
  for (let i = 0; i < a.length; i++) {
    const d = toFixed1074(a[i]!) - toFixed1074(b[i]!);
    total += d * d;
  }
  return total;
}

function differenceSquares(a: Floats, b: Floats): number[] {
  const result: number[] = [];
  for (let i = 0; i < a.length; i++) result.push((a[i]! - b[i]!) * (a[i]! - b[i]!));
  return result;
}

/** The exact sum of (a[i] - b[i])^2, rounded once. */
export function exactSqeuclidean(a: Floats, b: Floats): number {
  if (!allFinite(a, b)) return nonFinite(differenceSquares(a, b)) ?? NaN;
  return bigToDouble(exactSqeuclideanFixed(a, b), -2148);
}

/** sqrt(n * 2^-2148), correctly rounded (an integer square root with a sticky bit). */
function sqrtOfFixed2148(n: bigint): number {
  if (n === 0n) return 0;
  // Enough bits: scale by 4^k so the root has at least 64 bits.
  const k = Math.max(0, 64 - Math.floor(bitLength(n) / 2)) + 1;
  const scaled = n << BigInt(2 * k);
  // Newton steps on integers from above (2^ceil(bits/2) >= sqrt) until they
  // stop decreasing: floor(sqrt(scaled)).
  let root = 1n << BigInt(Math.ceil(bitLength(scaled) / 2));
  for (;;) {
    const next = (root + scaled / root) >> 1n;
    if (next >= root) break;
    root = next;
  }
  while (root * root > scaled) root -= 1n;
  while ((root + 1n) * (root + 1n) <= scaled) root += 1n;
  const inexact = root * root !== scaled;
  // sqrt(n * 2^-2148) = sqrt(scaled) * 2^(-1074 - k)
  return bigToDouble(root, -1074 - k, inexact);
}

/** The Euclidean norm, correctly rounded, at any magnitude. */
export function referenceNorm(a: Floats): number {
  if (!allFinite(a)) return nonFinite(products(a, a)) ?? NaN;
  return sqrtOfFixed2148(exactDotFixed(a, a));
}

/** The Euclidean distance, correctly rounded, at any magnitude. */
export function referenceEuclidean(a: Floats, b: Floats): number {
  if (!allFinite(a, b)) return nonFinite(differenceSquares(a, b)) ?? NaN;
  return sqrtOfFixed2148(exactSqeuclideanFixed(a, b));
}

/**
 * The cosine distance 1 - a.b / (|a| |b|) from exact sums, with the library's
 * conventions (NaN in, NaN out; both all zero 0, one all zero 1; an infinite
 * element NaN; clamped to [0, 2]). Within a few ulps of 1 of the true value:
 * the sums are exact, then 4 roundings.
 */
export function referenceCosine(a: Floats, b: Floats): number {
  let aZero = true;
  let bZero = true;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]!) || Number.isNaN(b[i]!)) return NaN;
    if (a[i] !== 0) aZero = false;
    if (b[i] !== 0) bZero = false;
  }
  if (aZero || bZero) return aZero && bZero ? 0 : 1;
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!) || !Number.isFinite(b[i]!)) return NaN;
  // Scale each sum into the normal range by an even power of two: cosine
  // only needs the ratios.
  const ab = exactDotFixed(a, b);
  const aa = exactDotFixed(a, a);
  const bb = exactDotFixed(b, b);
  // Even shifts, so that half their sum is an integer.
  const shiftA = (bitLength(aa) - 1) & ~1;
  const shiftB = (bitLength(bb) - 1) & ~1;
  const aaScaled = bigToDouble(aa, -shiftA); // in [1, 4)
  const bbScaled = bigToDouble(bb, -shiftB);
  // ab / sqrt(aa bb) = (ab * 2^-(shiftA + shiftB) / 2) / sqrt(aaScaled bbScaled)
  const abScaled = bigToDouble(ab, -(shiftA + shiftB) / 2);
  const similarity = abScaled / Math.sqrt(aaScaled * bbScaled);
  return Math.min(Math.max(1 - similarity, 0), 2);
}

// ---------------------------------------------------------------------------
// The documented summation order, for bit-exact expectations
// ---------------------------------------------------------------------------

/**
 * The library's summation order (zig/reduce.zig), in plain JavaScript
 * doubles: term(i) for i < n goes to partial sum i mod 16 inside blocks of
 * 1024; blocks combine like a binary counter (leftovers smallest first);
 * the 16 partial sums fold by halving. JavaScript arithmetic is IEEE double
 * without fused multiply-add, so with the same terms this gives the
 * library's exact bits: `i => a[i]` for sum, `i => a[i] * b[i]` for dot,
 * `i => { const d = a[i] - b[i]; return d * d; }` for sqeuclidean (checked
 * against the Zig kernels through bun:ffi: 36 of 36 bit-equal).
 */
export function orderedSum(n: number, term: (i: number) => number): number {
  const pending: number[][] = [];
  let blocks = 0;
  for (let start = 0; start < n; start += BLOCK_LENGTH) {
    let partial = new Array<number>(ACCUMULATORS).fill(0);
    const end = Math.min(n, start + BLOCK_LENGTH);
    for (let i = start; i < end; i++) partial[(i - start) % ACCUMULATORS]! += term(i);
    let level = 0;
    while (Math.floor(blocks / 2 ** level) % 2 === 1) {
      const earlier = pending[level]!;
      partial = partial.map((p, j) => earlier[j]! + p);
      level++;
    }
    pending[level] = partial;
    blocks++;
  }
  let total: number[] | undefined;
  for (let level = 0; level < pending.length; level++) {
    if (Math.floor(blocks / 2 ** level) % 2 === 0) continue;
    const subtree = pending[level]!;
    total = total === undefined ? subtree.slice() : subtree.map((p, j) => p + total![j]!);
  }
  if (total === undefined) return 0;
  for (let half = ACCUMULATORS / 2; half >= 1; half /= 2) {
    for (let j = 0; j < half; j++) total[j] = total[j]! + total[j + half]!;
  }
  return total[0]!;
}

// ---------------------------------------------------------------------------
// The documented bound, and ulps
// ---------------------------------------------------------------------------

/** Mirrors zig/reduce.zig's layout: 16 interleaved partial sums, blocks of 1024. */
export const ACCUMULATORS = 16;
export const BLOCK_LENGTH = 1024;
const UNIT_ROUNDOFF = 2 ** -53;

/** h: the most rounded additions one term passes through for length n. */
export function roundingDepth(n: number): number {
  if (n <= 1) return 0;
  const perChain = Math.ceil(Math.min(n, BLOCK_LENGTH) / ACCUMULATORS);
  const blocks = Math.ceil(n / BLOCK_LENGTH);
  return perChain - 1 + Math.ceil(Math.log2(blocks)) + Math.log2(ACCUMULATORS);
}

/** gamma(k) = k u / (1 - k u), u = 2^-53. */
export function gamma(k: number): number {
  return (k * UNIT_ROUNDOFF) / (1 - k * UNIT_ROUNDOFF);
}

/** Which reduction a bound is for, and the input dtype. */
export type BoundedReduction = "sum" | "dot" | "sqeuclidean";

/**
 * The documented absolute error bound of `kind` on these inputs:
 * gamma(h + extra) * sum |term|, where extra counts the roundings inside a
 * term (f64 products: 1; differences squared: 3; f32 products are exact).
 */
export function errorBound(kind: BoundedReduction, a: Floats, b?: Floats): number {
  const n = a.length;
  const float32 = a instanceof Float32Array;
  const magnitudes: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b ? b[i]! : 0;
    if (kind === "sum") magnitudes.push(Math.abs(x));
    else if (kind === "dot") magnitudes.push(Math.abs(x * y));
    else magnitudes.push((x - y) * (x - y));
  }
  const extra = kind === "sum" ? 0 : kind === "dot" ? (float32 ? 0 : 1) : 3;
  // fsum of the magnitudes is within half an ulp; the factor covers the
  // roundings of |x*y| and (x-y)^2 computed here (relative 3u at most).
  return gamma(roundingDepth(n) + extra) * fsum(magnitudes) * (1 + 4 * UNIT_ROUNDOFF);
}

/** Absolute bound of the cosine distance: 2 gamma(h + 1) + 6u. */
export function cosineErrorBound(n: number): number {
  return 2 * gamma(roundingDepth(n) + 1) + 6 * UNIT_ROUNDOFF;
}

/** Relative bound of norm and euclidean: gamma(h + 3) / 2 + u. */
export function rootErrorBound(n: number): number {
  return gamma(roundingDepth(n) + 3) / 2 + UNIT_ROUNDOFF;
}

const ulpView = new DataView(new ArrayBuffer(8));

/** The double's position on the number line: consecutive doubles differ by 1; -0 and +0 are both 0. */
function orderedIndex(x: number): bigint {
  ulpView.setFloat64(0, x);
  const bits = ulpView.getBigInt64(0);
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

/**
 * How many doubles lie between expected and actual (0 when equal, 1 for
 * neighbours). Two NaNs are 0 apart; NaN against a number is Infinity.
 */
export function ulpsOff(expected: number, actual: number): number {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual) ? 0 : Infinity;
  const distance = orderedIndex(expected) - orderedIndex(actual);
  return Number(distance < 0n ? -distance : distance);
}
