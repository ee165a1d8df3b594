/**
 * The elementwise family: out[i] = f(a[i], ...) for Float32Array or
 * Float64Array, into a preallocated `out`, which each function returns. The
 * kernels read and write the caller's memory directly; nothing is copied or
 * allocated. One call: validate (one validator per shape) -> the active
 * backend's kernel for the dtype -> the kernel.
 *
 * The arrays of one call are all Float32Array or all Float64Array: the dtype
 * comes from them. Any input may instead be a number, broadcast to every
 * element after rounding to the dtype; `out` is always an array. `out` may be
 * exactly any input (in-place); partial overlap is a RangeError.
 */
import { DTYPE_BYTES, type Op } from "./catalog.ts";
import { kernelSlot, type KernelSlot } from "./dispatch.ts";
import { TypeError } from "./primordials.ts";
import { refusal } from "./status.ts";
import { checkBinary, checkTrailingNumbers, checkTernary, checkUnary, checked, INPUT_NAMES } from "./validate-elementwise.ts";
import type { FloatArray } from "./validate.ts";

/**
 * The TypeError for a dtype an op does not have yet. (Each API function
 * picks its kernel inline: returned from a helper function, the bun:ffi
 * call was not inlined and addInto cost 11.7 ns a call against 7.2, n = 16.)
 */
function unsupported(slot: KernelSlot): TypeError {
  return new TypeError(`${slot.op}Into takes Float32Array only for now (float64 comes later), got ${checked.dtype === "f64" ? "Float64Array" : checked.dtype}`);
}

/** A unary elementwise function: `(a, out) => out`, one dtype per call. */
export interface UnaryInto {
  <T extends Float32Array>(a: Float32Array | number, out: T): T;
  <T extends Float64Array>(a: Float64Array | number, out: T): T;
}
/**
 * A unary function with a float32 kernel only (the math functions):
 * `(a, out) => out`. Its type refuses a Float64Array at compile time, as the
 * function does at run time.
 */
export interface Float32UnaryInto {
  <T extends Float32Array>(a: Float32Array | number, out: T): T;
}
/** A binary elementwise function: `(a, b, out) => out`, one dtype per call. */
export interface BinaryInto {
  <T extends Float32Array>(a: Float32Array | number, b: Float32Array | number, out: T): T;
  <T extends Float64Array>(a: Float64Array | number, b: Float64Array | number, out: T): T;
}
/** A ternary elementwise function: `(a, b, c, out) => out`, one dtype per call. */
export interface TernaryInto {
  <T extends Float32Array>(a: Float32Array | number, b: Float32Array | number, c: Float32Array | number, out: T): T;
  <T extends Float64Array>(a: Float64Array | number, b: Float64Array | number, c: Float64Array | number, out: T): T;
}

// After a check, checked.broadcast === 0 means the caller's own arrays go
// to the kernel; otherwise checked.a/b/c hold what to pass (the caller's
// arrays, or one-element arrays carrying the broadcast numbers).

function unaryInto(op: Op): UnaryInto {
  const slot = kernelSlot(op);
  // The math functions have float32 kernels only: the validator refuses a
  // Float64Array for them, empty ones included.
  const float32Only = slot.f64 === undefined ? `${op}Into` : undefined;
  return ((a: unknown, out: FloatArray) => {
    const n = checkUnary(a, out, float32Only);
    if (n !== 0) {
      const x = checked.broadcast === 0 ? (a as FloatArray) : checked.a;
      // Never undefined: the validator refused any dtype the op lacks.
      const kernel = (checked.dtype === "f32" ? slot.f32 : slot.f64)!;
      const status = kernel(x, out, n, checked.broadcast);
      if (status !== 0) throw refusal(status, [x], out, n, DTYPE_BYTES[checked.dtype], checked.broadcast);
    }
    return out;
  }) as UnaryInto;
}

function binaryInto(op: Op): BinaryInto {
  const slot = kernelSlot(op);
  return ((a: unknown, b: unknown, out: FloatArray) => {
    const n = typeof b === "number" ? checkTrailingNumbers(2, a, b, 0, out, INPUT_NAMES) : checkBinary(a, b, out);
    if (n !== 0) {
      const arrays = checked.broadcast === 0;
      const x = arrays ? (a as FloatArray) : checked.a;
      const y = arrays ? (b as FloatArray) : checked.b;
      const kernel = checked.dtype === "f32" ? slot.f32 : slot.f64;
      if (kernel === undefined) throw unsupported(slot);
      const status = kernel(x, y, out, n, checked.broadcast);
      if (status !== 0) throw refusal(status, [x, y], out, n, DTYPE_BYTES[checked.dtype], checked.broadcast);
    }
    return out;
  }) as BinaryInto;
}

/**
 * fmaInto's body. Measured at n = 16 (bare bun:ffi call 7.1 ns): 7.5 ns a
 * call when this closure exists once, 14.0 ns once a second ternary op
 * shared it: JSC then no longer treats `slot` as a constant and stops
 * inlining the 6-argument bun:ffi call. So clampInto is written out below,
 * and a new ternary op should be too, or measured (bench/hot-path.ts).
 */
function ternaryInto(op: Op, names: readonly string[]): TernaryInto {
  const slot = kernelSlot(op);
  return ((a: unknown, b: unknown, c: unknown, out: FloatArray) => {
    const n = checkTernary(a, b, c, out, names);
    if (n !== 0) {
      if (checked.broadcast !== 0) {
        a = checked.a;
        b = checked.b;
        c = checked.c;
      }
      const kernel = checked.dtype === "f32" ? slot.f32 : slot.f64;
      if (kernel === undefined) throw unsupported(slot);
      const status = kernel(a as FloatArray, b as FloatArray, c as FloatArray, out, n, checked.broadcast);
      if (status !== 0) throw ternaryRefusal(status, a, b, c, out, n, names);
    }
    return out;
  }) as TernaryInto;
}

/** The error for a ternary kernel's refusal, built out of line to keep the callers small. */
function ternaryRefusal(status: number, a: unknown, b: unknown, c: unknown, out: FloatArray, n: number, names: readonly string[]): Error {
  return refusal(status, [a, b, c] as FloatArray[], out, n, DTYPE_BYTES[checked.dtype], checked.broadcast, names);
}

/**
 * out[i] = -a[i], exactly (the sign bit flips, NaN included). Float32Array or
 * Float64Array; `a` may be a number, broadcast to every element. Returns out.
 *
 * Aliasing: out may be exactly an input (in place), or memory that overlaps
 * none; a partial overlap of out with an input is refused. Nothing is written
 * before every check has passed.
 *
 * @throws {TypeError} when an argument is not a Float32Array or Float64Array
 *   (or a number, for an input), the dtypes differ, or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps an input.
 */
export const negInto = unaryInto("neg");
/**
 * out[i] = |a[i]|, exactly (`Math.abs`). Float32Array or Float64Array; `a` may
 * be a number, broadcast to every element. Returns out.
 *
 * Aliasing: out may be exactly an input (in place), or memory that overlaps
 * none; a partial overlap of out with an input is refused. Nothing is written
 * before every check has passed.
 *
 * @throws {TypeError} when an argument is not a Float32Array or Float64Array
 *   (or a number, for an input), the dtypes differ, or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps an input.
 */
export const absInto = unaryInto("abs");
/**
 * out[i] = sqrt(a[i]), correctly rounded to the dtype (NaN for negative
 * inputs, -0 for -0, as `Math.sqrt`). Float32Array or Float64Array; `a` may be
 * a number, broadcast to every element. Returns out.
 *
 * Aliasing: out may be exactly an input (in place), or memory that overlaps
 * none; a partial overlap of out with an input is refused. Nothing is written
 * before every check has passed.
 *
 * @throws {TypeError} when an argument is not a Float32Array or Float64Array
 *   (or a number, for an input), the dtypes differ, or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps an input.
 */
export const sqrtInto = unaryInto("sqrt");
/**
 * out[i] = a[i] + b[i], correctly rounded to the dtype. Float32Array or
 * Float64Array, one dtype per call; any of a, b may be a number, broadcast to
 * every element after rounding to the dtype. Returns out.
 *
 * Aliasing: out may be exactly an input (in place), or memory that overlaps
 * none; a partial overlap of out with an input is refused. Nothing is written
 * before every check has passed.
 *
 * @throws {TypeError} when an argument is not a Float32Array or Float64Array
 *   (or a number, for an input), the dtypes differ, or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps an input.
 */
export const addInto = binaryInto("add");
/**
 * out[i] = a[i] - b[i], correctly rounded to the dtype. Float32Array or
 * Float64Array, one dtype per call; any of a, b may be a number, broadcast to
 * every element after rounding to the dtype. Returns out.
 *
 * Aliasing: out may be exactly an input (in place), or memory that overlaps
 * none; a partial overlap of out with an input is refused. Nothing is written
 * before every check has passed.
 *
 * @throws {TypeError} when an argument is not a Float32Array or Float64Array
 *   (or a number, for an input), the dtypes differ, or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps an input.
 */
export const subInto = binaryInto("sub");
/**
 * out[i] = a[i] * b[i], correctly rounded to the dtype. Float32Array or
 * Float64Array, one dtype per call; any of a, b may be a number, broadcast to
 * every element after rounding to the dtype. Returns out.
 *
 * Aliasing: out may be exactly an input (in place), or memory that overlaps
 * none; a partial overlap of out with an input is refused. Nothing is written
 * before every check has passed.
 *
 * @throws {TypeError} when an argument is not a Float32Array or Float64Array
 *   (or a number, for an input), the dtypes differ, or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps an input.
 */
export const mulInto = binaryInto("mul");
/**
 * out[i] = a[i] / b[i], correctly rounded to the dtype (IEEE: x / 0 is
 * ±Infinity or NaN, never an error). Float32Array or Float64Array, one dtype
 * per call; any of a, b may be a number, broadcast to every element after
 * rounding to the dtype. Returns out.
 *
 * Aliasing: out may be exactly an input (in place), or memory that overlaps
 * none; a partial overlap of out with an input is refused. Nothing is written
 * before every check has passed.
 *
 * @throws {TypeError} when an argument is not a Float32Array or Float64Array
 *   (or a number, for an input), the dtypes differ, or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps an input.
 */
export const divInto = binaryInto("div");
/**
 * out[i] = Math.min(a[i], b[i]) exactly: NaN if either is NaN, and -0 < +0
 * (x86's minps behaves otherwise; see docs/elementwise.md). Float32Array or
 * Float64Array, one dtype per call; any of a, b may be a number, broadcast to
 * every element after rounding to the dtype. Returns out.
 *
 * Aliasing: out may be exactly an input (in place), or memory that overlaps
 * none; a partial overlap of out with an input is refused. Nothing is written
 * before every check has passed.
 *
 * @throws {TypeError} when an argument is not a Float32Array or Float64Array
 *   (or a number, for an input), the dtypes differ, or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps an input.
 */
export const minimumInto = binaryInto("minimum");
/**
 * out[i] = Math.max(a[i], b[i]) exactly: NaN if either is NaN, and +0 > -0.
 * Float32Array or Float64Array, one dtype per call; any of a, b may be a
 * number, broadcast to every element after rounding to the dtype. Returns out.
 *
 * Aliasing: out may be exactly an input (in place), or memory that overlaps
 * none; a partial overlap of out with an input is refused. Nothing is written
 * before every check has passed.
 *
 * @throws {TypeError} when an argument is not a Float32Array or Float64Array
 *   (or a number, for an input), the dtypes differ, or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps an input.
 */
export const maximumInto = binaryInto("maximum");
/**
 * out[i] = a[i] * b[i] + c[i] with one rounding (fused multiply-add) on every
 * backend: the FMA instruction where the CPU has one, an exact software route
 * on sse and scalar. Float32Array or Float64Array, one dtype per call; any of
 * a, b, c may be a number, broadcast to every element after rounding to the
 * dtype. Returns out.
 *
 * Aliasing: out may be exactly an input (in place), or memory that overlaps
 * none; a partial overlap of out with an input is refused. Nothing is written
 * before every check has passed.
 *
 * @throws {TypeError} when an argument is not a Float32Array or Float64Array
 *   (or a number, for an input), the dtypes differ, or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps an input.
 */
export const fmaInto = ternaryInto("fma", INPUT_NAMES);

/**
 * out[i] = e^a[i], correctly rounded to float32 (0.5 ULP, checked on all 2^32
 * inputs): exp(-Infinity) = 0, exp(+Infinity) = +Infinity, overflow gives
 * +Infinity and underflow the correctly rounded subnormal or 0. Float32Array
 * only for now; `a` may be a number. Returns out.
 *
 * Aliasing: out may be exactly `a` (in place), or memory that overlaps none; a
 * partial overlap is refused. Nothing is written before every check has
 * passed.
 *
 * @throws {TypeError} when `a` or `out` is not a Float32Array (a Float64Array:
 *   float64 comes later), or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps `a`.
 */
export const expInto: Float32UnaryInto = unaryInto("exp");
/**
 * out[i] = ln a[i], correctly rounded to float32 (0.5 ULP, checked on all 2^32
 * inputs): log(0) = -Infinity, log(x < 0) = NaN, log(+Infinity) = +Infinity;
 * subnormal inputs are handled, never flushed. Float32Array only for now; `a`
 * may be a number. Returns out.
 *
 * Aliasing: out may be exactly `a` (in place), or memory that overlaps none; a
 * partial overlap is refused. Nothing is written before every check has
 * passed.
 *
 * @throws {TypeError} when `a` or `out` is not a Float32Array (a Float64Array:
 *   float64 comes later), or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps `a`.
 */
export const logInto: Float32UnaryInto = unaryInto("log");
/**
 * out[i] = tanh a[i], correctly rounded to float32 (0.5 ULP, checked on all
 * 2^32 inputs): tanh(±Infinity) = ±1, the sign of zero kept. Float32Array only
 * for now; `a` may be a number. Returns out.
 *
 * Aliasing: out may be exactly `a` (in place), or memory that overlaps none; a
 * partial overlap is refused. Nothing is written before every check has
 * passed.
 *
 * @throws {TypeError} when `a` or `out` is not a Float32Array (a Float64Array:
 *   float64 comes later), or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps `a`.
 */
export const tanhInto: Float32UnaryInto = unaryInto("tanh");
/**
 * out[i] = 1 / (1 + e^-a[i]), correctly rounded to float32 (0.5 ULP, checked
 * on all 2^32 inputs), subnormal results included (a float32 1/(1+exp(-x))
 * gives 0 there). Float32Array only for now; `a` may be a number. Returns out.
 *
 * Aliasing: out may be exactly `a` (in place), or memory that overlaps none; a
 * partial overlap is refused. Nothing is written before every check has
 * passed.
 *
 * @throws {TypeError} when `a` or `out` is not a Float32Array (a Float64Array:
 *   float64 comes later), or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps `a`.
 */
export const sigmoidInto: Float32UnaryInto = unaryInto("sigmoid");
/**
 * out[i] = sin a[i], correctly rounded to float32 (0.5 ULP, checked on all
 * 2^32 inputs), with exact argument reduction for every |x| up to 3.4e38
 * (Payne-Hanek above 2^17): sin(±Infinity) = NaN, the sign of zero kept.
 * Float32Array only for now; `a` may be a number. Returns out.
 *
 * Aliasing: out may be exactly `a` (in place), or memory that overlaps none; a
 * partial overlap is refused. Nothing is written before every check has
 * passed.
 *
 * @throws {TypeError} when `a` or `out` is not a Float32Array (a Float64Array:
 *   float64 comes later), or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps `a`.
 */
export const sinInto: Float32UnaryInto = unaryInto("sin");
/**
 * out[i] = cos a[i], correctly rounded to float32 (0.5 ULP, checked on all
 * 2^32 inputs), with exact argument reduction for every |x| up to 3.4e38:
 * cos(±Infinity) = NaN. Float32Array only for now; `a` may be a number.
 * Returns out.
 *
 * Aliasing: out may be exactly `a` (in place), or memory that overlaps none; a
 * partial overlap is refused. Nothing is written before every check has
 * passed.
 *
 * @throws {TypeError} when `a` or `out` is not a Float32Array (a Float64Array:
 *   float64 comes later), or an array is detached.
 * @throws {RangeError} when the lengths differ, or out partially overlaps `a`.
 */
export const cosInto: Float32UnaryInto = unaryInto("cos");

const CLAMP_NAMES: readonly string[] = ["a", "lo", "hi"];
const clampSlot = kernelSlot("clamp");
/**
 * out[i] = Math.min(Math.max(a[i], lo[i]), hi[i]) exactly (NaN in any
 * argument gives NaN). Float32Array or Float64Array, one dtype per call;
 * `lo` and `hi` are usually numbers (broadcast after rounding to the dtype)
 * and may be arrays. Returns out.
 *
 * Aliasing: out may be exactly an input (in place), or memory that overlaps
 * none; a partial overlap of out with an input is refused. Nothing is
 * written before every check has passed.
 *
 * @throws {RangeError} when lo > hi as numbers, the lengths differ, or out
 *   partially overlaps an input.
 * @throws {TypeError} when an argument is not a Float32Array or Float64Array
 *   (or a number, for an input), the dtypes differ, or an array is detached.
 */
export const clampInto: TernaryInto = ((a: unknown, lo: unknown, hi: unknown, out: FloatArray) => {
  const numbers = typeof lo === "number" && typeof hi === "number";
  if (numbers && (lo as number) > (hi as number)) throw new RangeError(`lo must not be greater than hi, got lo=${lo}, hi=${hi}`);
  // ternaryInto's body, written out (see there why), with the common
  // broadcast (two numbers) checked on its own small path.
  const n = numbers ? checkTrailingNumbers(3, a, lo as number, hi as number, out, CLAMP_NAMES) : checkTernary(a, lo, hi, out, CLAMP_NAMES);
  if (n !== 0) {
    if (checked.broadcast !== 0) {
      a = checked.a;
      lo = checked.b;
      hi = checked.c;
    }
    const kernel = checked.dtype === "f32" ? clampSlot.f32 : clampSlot.f64;
    if (kernel === undefined) throw unsupported(clampSlot);
    const status = kernel(a as FloatArray, lo as FloatArray, hi as FloatArray, out, n, checked.broadcast);
    if (status !== 0) throw ternaryRefusal(status, a, lo, hi, out, n, CLAMP_NAMES);
  }
  return out;
}) as TernaryInto;
