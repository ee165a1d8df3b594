/**
 * Conversions between typed arrays: out[i] = src[i] x scale + offset,
 * rounded once to out's type. One call: validate -> the active backend's
 * kernel for the pair -> the kernel (F16C on avx2/avx512, NEON's fcvt on
 * ARM64, exact software routes on sse and scalar: zig/convert.zig).
 */
import { activeConversions } from "./dispatch.ts";
import { conversionRefusal } from "./status.ts";
import { checkConversion, checkedConversion } from "./validate-convert.ts";

/**
 * A Float16Array, described by its shape: TypeScript's standard library
 * declares Float16Array only from its newest lib settings, and these
 * declarations must type-check under any of them.
 */
export interface HalfArray extends ArrayBufferView {
  readonly length: number;
  [index: number]: number;
}

/** The typed arrays convertInto reads and writes. */
export type ConvertibleArray = HalfArray | Float32Array | Float64Array | Int32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray;

/**
 * Converts every element of `src` into `out`'s type and returns `out`:
 * t = src[i] x scale + offset with one rounding in float64 (a fused
 * multiply-add; with the defaults t = src[i] exactly), then t rounded once
 * to out's type. Float outputs round to nearest even, exactly as a
 * JavaScript store into that array does (Float16Array included). Integer
 * outputs round half to even, saturate to the type's range, and NaN gives 0:
 * unlike JavaScript's own store into an Int16Array, which wraps 40000 to
 * -25536. Pairs: Float64Array, Float16Array, Int32Array, Int16Array,
 * Uint16Array, Int8Array, Uint8Array and Uint8ClampedArray to and from
 * Float32Array, and Float16Array to and from Float64Array.
 *
 * Aliasing: `out` may not overlap `src` at all (their element sizes
 * differ): never in place. Nothing is written before every check has passed.
 *
 * @throws {TypeError} when `src` or `out` is not a typed array of a supported
 *   pair (the message lists them), is detached, or scale/offset is not a number.
 * @throws {RangeError} when the lengths differ, scale or offset is not finite,
 *   or `out` overlaps `src`.
 */
export function convertInto<T extends ConvertibleArray>(src: ConvertibleArray, out: T, scale = 1, offset = 0): T {
  const n = checkConversion(src, out, scale, offset);
  if (n !== 0) {
    const status = activeConversions[checkedConversion.pair]!(src, out, n, scale, offset);
    if (status !== 0) refuse(status, src, out, n);
  }
  return out;
}

/**
 * The throw, out of line: it keeps convertInto under JSC's FTL inlining
 * budget. Inline, convertInto was 247 bytes of bytecode, and float32 ->
 * float16 at n = 16 ran at 9.8 ns a call in some processes and 13.9-14.4 in
 * others (hot-path.ts, 8 processes, AMD EPYC Zen 5); with
 * BUN_JSC_maximumFunctionForCallInlineCandidateBytecodeCostForFTL=210 or
 * more, always 9.8. At 215 bytes: 9.8-10.4 in all 8.
 */
function refuse(status: number, src: ConvertibleArray, out: ConvertibleArray, n: number): never {
  throw conversionRefusal(status, src, out, n, checkedConversion.pair);
}
