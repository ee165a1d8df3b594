/**
 * nano-simd: float32 elementwise arithmetic in Zig SIMD kernels, through bun:ffi.
 *
 *   list API    addJs / addNaive / add (a, b)      array-likes in, number[] out
 *   buffer API  addInto(a, b, out)                 Float32Array into a preallocated out
 *   dispatch    backend(), backends(), setBackend(), cpuFeatures(), info()
 *
 * This file is the package's public surface, and each export's comment here
 * is what an editor shows on hover and what docs/api.md is generated from
 * (`bun run docs:api`): what it computes, what it throws, and, for functions
 * that write into `out`, which aliasing is allowed.
 */
import * as buffer from "./buffer-api.ts";
import type * as catalog from "./catalog.ts";
import * as dispatch from "./dispatch.ts";
import * as list from "./list-api.ts";
import { native } from "./native.ts";

// ---------------------------------------------------------------- buffer API

/**
 * `out[i] = a[i] + b[i]` for every `i`, each sum rounded to float32, computed
 * by the SIMD kernel of the active backend; returns `out`. Nothing is copied
 * or allocated. Empty arrays return `out` at once.
 *
 * Aliasing: `out` may be the very same view as `a` or `b` (in-place work,
 * e.g. `addInto(a, b, a)`), or memory that overlaps neither; `a` and `b` may
 * be the same. A partial overlap of `out` with an input is refused. No byte
 * of `out` changes before every check has passed.
 *
 * @throws {TypeError} when `a`, `b` or `out` is not a Float32Array, is
 *   detached, or is out of bounds of its resizable buffer (the message names
 *   the argument).
 * @throws {RangeError} when the three lengths differ, or when `out` partially
 *   overlaps `a` or `b`.
 */
export const addInto: buffer.IntoFunction = buffer.addInto;

/**
 * `out[i] = a[i] - b[i]` for every `i`, rounded to float32 by the active
 * SIMD backend; returns `out`. Same rules as {@link addInto}: `out` may be
 * exactly `a` or `b` (in place) or separate memory, never a partial overlap.
 *
 * @throws {TypeError} when an argument is not a usable Float32Array (named).
 * @throws {RangeError} when the lengths differ or `out` partially overlaps an input.
 */
export const subInto: buffer.IntoFunction = buffer.subInto;

/**
 * `out[i] = a[i] * b[i]` for every `i`, rounded to float32 by the active
 * SIMD backend; returns `out`. Same rules as {@link addInto}: `out` may be
 * exactly `a` or `b` (in place) or separate memory, never a partial overlap.
 *
 * @throws {TypeError} when an argument is not a usable Float32Array (named).
 * @throws {RangeError} when the lengths differ or `out` partially overlaps an input.
 */
export const mulInto: buffer.IntoFunction = buffer.mulInto;

/**
 * `out[i] = a[i] / b[i]` for every `i`, rounded to float32 by the active
 * SIMD backend (IEEE division: `x / 0` is ±Infinity or NaN, never an error);
 * returns `out`. Same rules as {@link addInto}: `out` may be exactly `a` or
 * `b` (in place) or separate memory, never a partial overlap.
 *
 * @throws {TypeError} when an argument is not a usable Float32Array (named).
 * @throws {RangeError} when the lengths differ or `out` partially overlaps an input.
 */
export const divInto: buffer.IntoFunction = buffer.divInto;

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
 * An instruction set nano-simd has kernels for: `"avx512"` (16 float32 per
 * instruction), `"avx2"` (8), `"sse"` (4), `"neon"` (4) or `"scalar"` (1).
 */
export type Backend = catalog.Backend;

/** An operation of the catalog: `"add"`, `"sub"`, `"mul"` or `"div"`. */
export type Op = catalog.Op;

/** What {@link setBackend} accepts: a {@link Backend}, or `"auto"` for the best one this CPU runs. */
export type BackendChoice = dispatch.BackendChoice;

/** The backend that `add`, `addInto` and the other SIMD functions use now, in this JavaScript realm. Never throws. */
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
 * What CPU detection saw: each instruction set (`sse2` … `avx512vl`, `neon`)
 * and whether the OS saves the registers it needs (`osxsave`, `os_ymm`,
 * `os_zmm`); a new object each call. Never throws.
 */
export function cpuFeatures(): Record<string, boolean> {
  return { ...native.cpuFeatures };
}

export { info, formatInfo, type Info } from "./info.ts";
