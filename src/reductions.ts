/**
 * Reductions and distances: one number from one or two Float32Arrays or
 * Float64Arrays, and one query against many rows. One call: validate (one
 * validator per shape) -> the active backend's kernel for the dtype -> the
 * kernel, which writes its number into a one-element Float64Array of ours.
 * (Every reduction has both dtypes; each function picks its kernel inline,
 * which lets JSC inline the bun:ffi call: see elementwise.ts.)
 *
 * Every backend adds in the same fixed order (zig/reduce.zig: 16
 * interleaved partial sums in blocks of 1,024 elements, blocks and partial
 * sums combined by fixed trees), so results are bit-identical on avx512,
 * avx2, sse, neon and scalar. float32 inputs are accumulated in float64 (a
 * product of two float32 is exact there) and the result is not rounded back.
 */
import { DTYPE_BYTES, type Op } from "./catalog.ts";
import { kernelSlot } from "./dispatch.ts";
import { RangeError } from "./primordials.ts";
import { expectOk, rowsRefusal } from "./status.ts";
import { checkOne, checkRows, checkTwo, checkedReduction } from "./validate-reduce.ts";
import type { FloatArray } from "./validate.ts";

/** Where the kernels write their number (module-private: no user code can see it). */
const result = new Float64Array(1);


/** A number from one array (an empty one included: the kernels define it). */
function ofOne(op: Op): (a: FloatArray) => number {
  const slot = kernelSlot(op);
  return (a) => {
    const n = checkOne(a, "a");
    expectOk((checkedReduction.dtype === "f32" ? slot.f32 : slot.f64)!(a, n, result));
    return result[0]!;
  };
}

/** A number from two arrays of one length. */
function ofTwo(op: Op): (a: FloatArray, b: FloatArray) => number {
  const slot = kernelSlot(op);
  return (a, b) => {
    const n = checkTwo(a, b);
    expectOk((checkedReduction.dtype === "f32" ? slot.f32 : slot.f64)!(a, b, n, result));
    return result[0]!;
  };
}

/** Built out of line: the smaller indexOf function keeps its bun:ffi call inlined. */
function emptyIndexError(op: Op): RangeError {
  return new RangeError(`${op} of an empty array: there is no index to return`);
}

/** The index of the first extreme element (of the first NaN, if any). */
function indexOf(op: Op): (a: FloatArray) => number {
  const slot = kernelSlot(op);
  return (a) => {
    const n = checkOne(a, "a");
    if (n === 0) throw emptyIndexError(op);
    expectOk((checkedReduction.dtype === "f32" ? slot.f32 : slot.f64)!(a, n, result));
    return result[0]!;
  };
}

/** out[i] = the single-pair function of row i and the query, rounded to out's dtype. */
function rowsInto(op: Op): <T extends FloatArray>(rows: FloatArray, query: FloatArray, out: T) => T {
  const slot = kernelSlot(op);
  return (rows, query, out) => {
    const nrows = checkRows(rows, query, out);
    if (nrows !== 0) {
      const dim = checkedReduction.dim;
      const status = (checkedReduction.dtype === "f32" ? slot.f32 : slot.f64)!(rows, query, out, nrows, dim);
      if (status !== 0) throw rowsRefusal(status, rows, query, out, nrows, dim, DTYPE_BYTES[checkedReduction.dtype]);
    }
    return out;
  };
}


/**
 * The sum of `a`'s elements, accumulated in float64 in a fixed order, so
 * the same on every backend; 0 for an empty array. Error at most
 * gamma(h) x sum |a_i| (docs/reductions.md). Only reads `a`.
 *
 * @throws {TypeError} when `a` is not a Float32Array or Float64Array, or is detached.
 * @throws {RangeError} when `a.length` claims more elements than `a` holds.
 */
export const sum = ofOne("sum");
/**
 * The smallest element, exactly as `Math.min(...a)`: NaN if any element is
 * NaN, -0 below +0, Infinity for an empty array. Only reads `a`.
 *
 * @throws {TypeError} when `a` is not a Float32Array or Float64Array, or is detached.
 * @throws {RangeError} when `a.length` claims more elements than `a` holds.
 */
export const min = ofOne("min");
/**
 * The largest element, exactly as `Math.max(...a)`: NaN if any element is
 * NaN, +0 above -0, -Infinity for an empty array. Only reads `a`.
 *
 * @throws {TypeError} when `a` is not a Float32Array or Float64Array, or is detached.
 * @throws {RangeError} when `a.length` claims more elements than `a` holds.
 */
export const max = ofOne("max");
/**
 * The Euclidean norm sqrt(sum a_i^2), without overflow or underflow when the
 * result is representable (float64 inputs near 1e+-200 are rescaled); 0 for
 * an empty array. Only reads `a`.
 *
 * @throws {TypeError} when `a` is not a Float32Array or Float64Array, or is detached.
 * @throws {RangeError} when `a.length` claims more elements than `a` holds.
 */
export const norm = ofOne("norm");
/**
 * The index of the first smallest element, or of the first NaN if there is
 * one (NumPy's rule). Only reads `a`.
 *
 * @throws {TypeError} when `a` is not a Float32Array or Float64Array, or is detached.
 * @throws {RangeError} when `a` is empty, or `a.length` claims more elements than `a` holds.
 */
export const argmin = indexOf("argmin");
/**
 * The index of the first largest element, or of the first NaN if there is
 * one (NumPy's rule). Only reads `a`.
 *
 * @throws {TypeError} when `a` is not a Float32Array or Float64Array, or is detached.
 * @throws {RangeError} when `a` is empty, or `a.length` claims more elements than `a` holds.
 */
export const argmax = indexOf("argmax");
/**
 * The dot product sum a_i b_i, accumulated in float64 in a fixed order (for
 * float32 inputs each product is exact); 0 for empty arrays. Only reads.
 *
 * @throws {TypeError} when `a` or `b` is not a Float32Array or Float64Array, the dtypes differ, or one is detached.
 * @throws {RangeError} when the lengths differ.
 */
export const dot = ofTwo("dot");
/**
 * The squared Euclidean distance sum (a_i - b_i)^2; 0 for empty arrays. Only reads.
 *
 * @throws {TypeError} when `a` or `b` is not a Float32Array or Float64Array, the dtypes differ, or one is detached.
 * @throws {RangeError} when the lengths differ.
 */
export const sqeuclidean = ofTwo("sqeuclidean");
/**
 * The Euclidean distance sqrt(sum (a_i - b_i)^2), without overflow or
 * underflow when the result is representable; 0 for empty arrays. Only reads.
 *
 * @throws {TypeError} when `a` or `b` is not a Float32Array or Float64Array, the dtypes differ, or one is detached.
 * @throws {RangeError} when the lengths differ.
 */
export const euclidean = ofTwo("euclidean");
/**
 * The cosine distance 1 - a.b / (|a| |b|). Both vectors all zero: 0;
 * exactly one all zero: 1 (SimSIMD's convention), so rankings never see
 * NaN. Only reads.
 *
 * @throws {TypeError} when `a` or `b` is not a Float32Array or Float64Array, the dtypes differ, or one is detached.
 * @throws {RangeError} when the lengths differ.
 */
export const cosine = ofTwo("cosine");
/**
 * out[i] = dot(row i, query) rounded to out's dtype, for `rows` holding
 * out.length rows of query.length elements, row after row; returns out.
 * `out` may not overlap `rows` or `query` at all: never in place.
 *
 * @throws {TypeError} when an argument is not a Float32Array or Float64Array, the dtypes differ, or one is detached.
 * @throws {RangeError} when rows.length is not out.length x query.length (all three lengths given), or `out` overlaps `rows` or `query`.
 */
export const dotRowsInto = rowsInto("dotRows");
/**
 * out[i] = sqeuclidean(row i, query) rounded to out's dtype, for `rows`
 * holding out.length rows of query.length elements; returns out. `out` may
 * not overlap `rows` or `query` at all: never in place.
 *
 * @throws {TypeError} when an argument is not a Float32Array or Float64Array, the dtypes differ, or one is detached.
 * @throws {RangeError} when rows.length is not out.length x query.length (all three lengths given), or `out` overlaps `rows` or `query`.
 */
export const sqeuclideanRowsInto = rowsInto("sqeuclideanRows");
/**
 * out[i] = cosine(row i, query) rounded to out's dtype, for `rows` holding
 * out.length rows of query.length elements; returns out. `out` may not
 * overlap `rows` or `query` at all: never in place.
 *
 * @throws {TypeError} when an argument is not a Float32Array or Float64Array, the dtypes differ, or one is detached.
 * @throws {RangeError} when rows.length is not out.length x query.length (all three lengths given), or `out` overlaps `rows` or `query`.
 */
export const cosineRowsInto = rowsInto("cosineRows");
