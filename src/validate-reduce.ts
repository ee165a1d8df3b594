/**
 * Validation for the reduction shapes: `reduce` and `index` (one array),
 * `reduce2` (two arrays of one length) and `rows` (rows, query, out). It
 * follows "the rule" of validate.ts: built-ins from primordials.ts, no
 * iteration protocol, `length` read first and then proved by element reads
 * that no user code can intercept, and nothing user code can run between
 * those reads and the native call.
 *
 * A check returns the element count (rows: the row count) and leaves the
 * dtype, and for rows the row length, in `checkedReduction`.
 */
import type { DType } from "./catalog.ts";
import { RangeError, TypeError } from "./primordials.ts";
import { CONSTRUCTOR_NAME, brandNow, brandedDtype, brandedDtypes, engineDtype, timeToBrand } from "./validate-elementwise.ts";
import { describe, expectHolds, expectSupportedLength, expectUsable, expectWritable, isImmutableBuffer, lengthProperty, type FloatArray } from "./validate.ts";

/** The native ABI passes counts as u32 (validate.ts MAX_ELEMENTS; local, as in validate-elementwise.ts). */
const MAX_ELEMENTS = 2 ** 32 - 1;

/** What the last successful check found, for the native call that follows it. */
export const checkedReduction = {
  dtype: "f32" as DType,
  /** rows: elements per row (query.length). */
  dim: 0,
};

/** One array: its element count, proven; `name` only for messages. */
export function checkOne(a: unknown, name: string): number {
  const dtype = brandedDtype(a);
  if (dtype !== undefined) {
    const x = a as FloatArray;
    const n = x.length;
    // n === 0 goes the slow way: an empty view may be detached.
    if (typeof n === "number" && n > 0 && x[n - 1] !== undefined && n <= MAX_ELEMENTS) {
      checkedReduction.dtype = dtype;
      return n;
    }
  }
  return checkSlowly(a, undefined, name, "");
}

/** Two arrays of one dtype and one length: that length, proven. */
export function checkTwo(a: unknown, b: unknown): number {
  const dtype = brandedDtypes(a, b, b, a);
  if (dtype !== undefined) {
    const x = a as FloatArray;
    const y = b as FloatArray;
    const n = x.length;
    if (typeof n === "number" && n > 0 && y.length === n && x[n - 1] !== undefined && y[n - 1] !== undefined && n <= MAX_ELEMENTS) {
      checkedReduction.dtype = dtype;
      return n;
    }
  }
  return checkSlowly(a, b, "a", "b");
}

/** The dtype of a genuine float array, by the engine, else a TypeError naming it. */
function dtypeOf(value: unknown, name: string, like?: DType): DType {
  const dtype = engineDtype(value);
  if (dtype === undefined || (like !== undefined && dtype !== like)) {
    const wanted = like === undefined ? "a Float32Array or a Float64Array" : `a ${CONSTRUCTOR_NAME[like]} (one dtype per call)`;
    throw new TypeError(`${name} must be ${wanted}, got ${describe(value)}`);
  }
  return dtype;
}

/** The length as JavaScript reads it, then proven by the engine: a RangeError when the array holds fewer. */
function provenLength(name: string, view: FloatArray, n: number): void {
  if (n > 0) expectHolds(name, view, n);
  else expectUsable(name, view);
}

function maybeBrand(view: unknown, dtype: DType): void {
  if (timeToBrand()) brandNow(view, dtype);
}

/** Everything the fast paths turn down: unbranded arrays, empty ones, and every error. */
function checkSlowly(a: unknown, b: unknown, nameA: string, nameB: string): number {
  const dtype = dtypeOf(a, nameA);
  if (nameB !== "") dtypeOf(b, nameB, dtype);
  maybeBrand(a, dtype);
  if (nameB !== "") maybeBrand(b, dtype);
  // Lengths as JavaScript reads them: getters may run here, and only here.
  const n = lengthProperty(nameA, a as FloatArray);
  const m = nameB === "" ? n : lengthProperty(nameB, b as FloatArray);
  if (m !== n) {
    expectUsable(nameA, a as FloatArray);
    expectUsable(nameB, b as FloatArray);
    throw new RangeError(`${nameA} and ${nameB} must have the same length, got ${nameA}.length=${n}, ${nameB}.length=${m}`);
  }
  provenLength(nameA, a as FloatArray, n);
  if (nameB !== "") provenLength(nameB, b as FloatArray, n);
  expectSupportedLength(n);
  checkedReduction.dtype = dtype;
  return n;
}

/**
 * (rows, query, out): one dtype; out.length rows of query.length elements,
 * so rows.length = out.length x query.length exactly. Returns the row count
 * and leaves the row length in checkedReduction.dim. Overlap of out with rows
 * or query (any at all) is decided natively, on real addresses.
 */
export function checkRows(rows: unknown, query: unknown, out: unknown): number {
  // Where the engine has immutable buffers (not Bun 1.4.5), the slow path asks it about out.
  const dtype = isImmutableBuffer === undefined ? brandedDtypes(rows, query, query, out) : undefined;
  if (dtype !== undefined) {
    const table = rows as FloatArray;
    const q = query as FloatArray;
    const z = out as FloatArray;
    const nrows = z.length;
    const dim = q.length;
    if (
      typeof nrows === "number" && typeof dim === "number" && nrows > 0 && dim > 0 && table.length === nrows * dim &&
      z[nrows - 1] !== undefined && q[dim - 1] !== undefined && table[nrows * dim - 1] !== undefined && nrows * dim <= MAX_ELEMENTS
    ) {
      checkedReduction.dtype = dtype;
      checkedReduction.dim = dim;
      return nrows;
    }
  }
  return checkRowsSlowly(rows, query, out);
}

function checkRowsSlowly(rows: unknown, query: unknown, out: unknown): number {
  const dtype = dtypeOf(rows, "rows");
  dtypeOf(query, "query", dtype);
  dtypeOf(out, "out", dtype);
  maybeBrand(rows, dtype);
  maybeBrand(query, dtype);
  maybeBrand(out, dtype);
  const total = lengthProperty("rows", rows as FloatArray);
  const dim = lengthProperty("query", query as FloatArray);
  const nrows = lengthProperty("out", out as FloatArray);
  if (total !== nrows * dim) {
    expectUsable("rows", rows as FloatArray);
    expectUsable("query", query as FloatArray);
    expectUsable("out", out as FloatArray);
    throw new RangeError(
      `rows must hold out.length rows of query.length elements: got rows.length=${total}, query.length=${dim}, out.length=${nrows} (${nrows} x ${dim} = ${nrows * dim})`,
    );
  }
  provenLength("rows", rows as FloatArray, total);
  provenLength("query", query as FloatArray, dim);
  provenLength("out", out as FloatArray, nrows);
  expectSupportedLength(total);
  expectWritable(out as FloatArray);
  checkedReduction.dtype = dtype;
  checkedReduction.dim = dim;
  return nrows;
}
