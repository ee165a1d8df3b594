/**
 * nano-simd: typed-array math in Zig SIMD kernels, through bun:ffi.
 *
 *   elementwise  negInto ... clampInto (a, [b, [c,]] out)   Float32Array or Float64Array into out
 *   math         expInto ... cosInto (a, out)               Float32Array into out, correctly rounded
 *   reductions   sum ... cosine (a, [b])                    a number; dotRowsInto ... (rows, query, out)
 *   conversions  convertInto (src, out, [scale, offset])    float16, float64 and integer arrays to and from float32
 *   memory       adviseHugePages (array)                    huge pages for large arrays (Linux)
 *   list API     addJs / addNaive / add (a, b)              array-likes in, number[] out
 *   dispatch     backend(), backends(), setBackend(), cpuFeatures(), info()
 *
 * This file is the package's public surface. Each export's comment (here, or
 * in the family's module it re-exports from) is what an editor shows on
 * hover and what docs/api.md is generated from (`bun run docs:api`): what it
 * computes, what it throws, and, for functions that write into `out`, which
 * aliasing is allowed.
 */
import type * as catalog from "./catalog.ts";
import * as dispatch from "./dispatch.ts";
import * as list from "./list-api.ts";
import { native } from "./native.ts";

// --------------------------------------------------------------- elementwise
// Documented where they are defined: src/elementwise.ts.

export { negInto, absInto, sqrtInto, addInto, subInto, mulInto, divInto, minimumInto, maximumInto, fmaInto, clampInto } from "./elementwise.ts";
export { expInto, logInto, tanhInto, sigmoidInto, sinInto, cosInto } from "./elementwise.ts";
export type { UnaryInto, Float32UnaryInto, BinaryInto, TernaryInto } from "./elementwise.ts";

// ------------------------------------------------------ reductions, distances
// Documented where they are defined: src/reductions.ts.

export { sum, dot, min, max, argmin, argmax, norm, sqeuclidean, euclidean, cosine, dotRowsInto, sqeuclideanRowsInto, cosineRowsInto } from "./reductions.ts";

// --------------------------------------------------------------- conversions
// Documented where it is defined: src/convert.ts.

export { convertInto, type ConvertibleArray, type HalfArray } from "./convert.ts";

// -------------------------------------------------------------------- memory
// Documented where it is defined: src/memory.ts.

export { adviseHugePages } from "./memory.ts";

// ------------------------------------------------------------------ list API

/**
 * Level 0 of the list API: `a[i] + b[i]` rounded to float32 (`Math.fround`),
 * in a JavaScript loop; returns a new `number[]`. `a` and `b` are any
 * array-likes of numbers (arrays, typed arrays) and are only read.
 *
 * @throws {TypeError} when `a` or `b` is not an array-like, or an element is
 *   not a number (the message names it, e.g. `a[1]`).
 * @throws {RangeError} when the lengths differ.
 */
export const addJs: list.ListFunction = list.addJs;

/**
 * Level 0: `a[i] - b[i]` rounded to float32, in JavaScript; a new `number[]`. Inputs are only read.
 * @throws {TypeError} for a non-array-like or a non-number element.
 * @throws {RangeError} when the lengths differ.
 */
export const subJs: list.ListFunction = list.subJs;

/**
 * Level 0: `a[i] * b[i]` rounded to float32, in JavaScript; a new `number[]`. Inputs are only read.
 * @throws {TypeError} for a non-array-like or a non-number element.
 * @throws {RangeError} when the lengths differ.
 */
export const mulJs: list.ListFunction = list.mulJs;

/**
 * Level 0: `a[i] / b[i]` rounded to float32, in JavaScript; a new `number[]`. Inputs are only read.
 * @throws {TypeError} for a non-array-like or a non-number element.
 * @throws {RangeError} when the lengths differ.
 */
export const divJs: list.ListFunction = list.divJs;

/**
 * Level 1 of the list API: copies `a` and `b` into float32 scratch memory,
 * adds them one element at a time in Zig (a plain loop, no SIMD), and copies
 * the sums into a new `number[]`; the same bits as {@link addJs}. The
 * scratch memory (12 bytes an element) is kept for the largest list seen, so
 * a loop of calls does not reallocate it. Inputs are only read.
 *
 * @throws {TypeError} when `a` or `b` is not an array-like, or an element is
 *   not a number (named, e.g. `b[3]`).
 * @throws {RangeError} when the lengths differ.
 */
export const addNaive: list.ListFunction = list.addNaive;

/**
 * Level 1: `a[i] - b[i]` through float32 copies and a plain Zig loop; a new `number[]`. Inputs are only read.
 * @throws {TypeError} for a non-array-like or a non-number element.
 * @throws {RangeError} when the lengths differ.
 */
export const subNaive: list.ListFunction = list.subNaive;

/**
 * Level 1: `a[i] * b[i]` through float32 copies and a plain Zig loop; a new `number[]`. Inputs are only read.
 * @throws {TypeError} for a non-array-like or a non-number element.
 * @throws {RangeError} when the lengths differ.
 */
export const mulNaive: list.ListFunction = list.mulNaive;

/**
 * Level 1: `a[i] / b[i]` through float32 copies and a plain Zig loop; a new `number[]`. Inputs are only read.
 * @throws {TypeError} for a non-array-like or a non-number element.
 * @throws {RangeError} when the lengths differ.
 */
export const divNaive: list.ListFunction = list.divNaive;

/**
 * Level 2 of the list API: copies `a` and `b` into float32 scratch memory,
 * adds them with the active backend's SIMD kernel, and copies the sums into
 * a new `number[]`; the same bits as {@link addJs}. The copies cost more
 * than the addition: with data already in Float32Arrays, use
 * {@link addInto}. Inputs are only read.
 *
 * @throws {TypeError} when `a` or `b` is not an array-like, or an element is
 *   not a number (named, e.g. `a[1]`).
 * @throws {RangeError} when the lengths differ.
 */
export const add: list.ListFunction = list.add;

/**
 * Level 2: `a[i] - b[i]` through float32 copies and the active SIMD kernel; a new `number[]`. Inputs are only read.
 * @throws {TypeError} for a non-array-like or a non-number element.
 * @throws {RangeError} when the lengths differ.
 */
export const sub: list.ListFunction = list.sub;

/**
 * Level 2: `a[i] * b[i]` through float32 copies and the active SIMD kernel; a new `number[]`. Inputs are only read.
 * @throws {TypeError} for a non-array-like or a non-number element.
 * @throws {RangeError} when the lengths differ.
 */
export const mul: list.ListFunction = list.mul;

/**
 * Level 2: `a[i] / b[i]` through float32 copies and the active SIMD kernel; a new `number[]`. Inputs are only read.
 * @throws {TypeError} for a non-array-like or a non-number element.
 * @throws {RangeError} when the lengths differ.
 */
export const div: list.ListFunction = list.div;

// ------------------------------------------------------------------ dispatch

/**
 * An instruction set nano-simd has kernels for: `"avx512"` (x86-64-v4: 16
 * float32 or 8 float64 per instruction), `"avx2"` (x86-64-v3: 8 or 4),
 * `"sse"` (the x86-64 baseline: 4 or 2), `"neon"` (4 or 2) or `"scalar"` (1).
 */
export type Backend = catalog.Backend;

/** An operation of the catalog (zig/catalog.zig), e.g. `"add"`, `"fma"`, `"sum"`. */
export type Op = catalog.Op;

/** An element type: `"f32"` (Float32Array) or `"f64"` (Float64Array). */
export type DType = catalog.DType;

/** What {@link setBackend} accepts: a {@link Backend}, or `"auto"` for the best one this CPU runs. */
export type BackendChoice = dispatch.BackendChoice;

/**
 * The backend that `add`, `addInto` and the other SIMD functions use now, in
 * this JavaScript realm. Never throws. Under `"auto"`, a few ops may run
 * another backend's kernels on CPUs where those measured faster (on Intel
 * AVX-512 cores, `sqrtInto` and `divInto` run the avx2 kernels; on AMD's
 * Zen 4, the float32 `dot`, `norm` and distances do):
 * `info().backends.preferred` lists them.
 */
export const backend: () => Backend = dispatch.backend;

/** The backends this CPU (and its OS) can run, best first; a new array each call. Never throws. */
export const backends: () => Backend[] = dispatch.backends;

/**
 * Forces `name` for this JavaScript realm (a Worker has its own choice), or
 * goes back to the best backend with `"auto"`. `NANO_SIMD_BACKEND` does the
 * same at import.
 *
 * @throws {TypeError} when `name` is not a string.
 * @throws {RangeError} when `name` is not a backend, or one this CPU cannot
 *   run; the message lists the valid names.
 */
export const setBackend: (name: BackendChoice) => void = dispatch.setBackend;

/**
 * What CPU detection saw: each instruction set (`sse2` … `avx512vbmi`, `neon`)
 * and whether the OS saves the registers it needs (`osxsave`, `os_ymm`,
 * `os_zmm`); a new object each call. Never throws.
 */
export function cpuFeatures(): Record<string, boolean> {
  // A spread defines own properties from own keys: unlike for...in and
  // assignment, it neither runs an enumerable getter nor hits a setter that
  // user code put on Object.prototype.
  return { ...native.cpuFeatures };
}

export { info, formatInfo, type Info } from "./info.ts";
