/**
 * The list API, at three levels. All take two array-likes of numbers and
 * return a new number[]; all round like float32 (Math.fround), so the three
 * levels return the same bits and differ only in where the loop runs.
 *
 *   level 0  addJs     a loop in JavaScript
 *   level 1  addNaive  copy to float32, a plain loop in Zig, copy back
 *   level 2  add       copy to float32, the SIMD kernel, copy back
 *
 * For levels 1 and 2 the copies cost far more than the arithmetic: that is
 * the lesson the buffer API answers.
 */
import { LIST_FORMULAS, type ListOp } from "./catalog.ts";
import { kernelSlot } from "./dispatch.ts";
import { native, type NativeKernel } from "./native.ts";
import { Float32Array, copyArray } from "./primordials.ts";
import { expectOk } from "./status.ts";
import { checkList, checkListLengths, notANumber } from "./validate.ts";

export type ListFunction = (a: ArrayLike<number>, b: ArrayLike<number>) => number[];

/**
 * The common length of both lists. Each `length` is read exactly once: a
 * Proxy or getter may answer differently the next time, and every loop below
 * runs to this number and no further.
 */
function checkedLength(a: unknown, b: unknown): number {
  return checkListLengths(checkList("a", a), checkList("b", b));
}

/**
 * Conversion space starts at this many floats and doubles as elements turn
 * out to exist, so that `{ length: 2 ** 27 }` is refused at element 0 after
 * allocating 256 KiB, not 512 MiB for its claimed length.
 */
const FIRST_CHUNK = 1 << 16;

/** A Float32Array of `capacity` floats holding the first `filled` of `from`. */
function grown(from: Float32Array, filled: number, capacity: number): Float32Array {
  const to = new Float32Array(capacity);
  for (let i = 0; i < filled; i++) to[i] = from[i]!;
  return to;
}

/**
 * A new number[] holding from[0..n), built from own data properties so that
 * no setter on Array.prototype sees its elements (primordials.ts copyArray).
 */
function toList(from: Float32Array, n: number): number[] {
  return copyArray(from, n);
}

/** Level 0: the whole loop in JavaScript. */
function jsList(op: ListOp): ListFunction {
  const apply = LIST_FORMULAS[op];
  /** results[i] = apply(a[i], b[i]) for i in [from, to), each element checked. */
  const compute = (listA: ArrayLike<unknown>, listB: ArrayLike<unknown>, results: Float32Array, from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const x = listA[i];
      const y = listB[i];
      if (typeof x !== "number") throw notANumber("a", i, x);
      if (typeof y !== "number") throw notANumber("b", i, y);
      results[i] = apply(x, y);
    }
  };
  return (a, b) => {
    const n = checkedLength(a, b);
    // Every result is a float32 (LIST_FORMULAS round), so a Float32Array holds it
    // exactly; it grows only as the elements turn out to exist.
    let capacity = n < FIRST_CHUNK ? n : FIRST_CHUNK;
    let results: Float32Array = new Float32Array(capacity);
    let done = 0;
    for (;;) {
      compute(a, b, results, done, capacity);
      done = capacity;
      if (done === n) break;
      capacity = capacity * 2 < n ? capacity * 2 : n;
      results = grown(results, done, capacity);
    }
    return toList(results, n);
  };
}

/**
 * Float32 scratch space reused across calls, so a call allocates only its
 * result. It is kept for the largest list converted so far (12 bytes an
 * element): held only weakly, a collection between two 5M-element calls
 * made the next call allocate and page-fault 60 MB again (measured 35.8 ->
 * 65.8 ms). It is replaced only once a longer conversion has succeeded, so
 * a refused list leaves it as it was. A call made while another is
 * converting (an element getter can call back into nano-simd) gets space of
 * its own.
 */
type Scratch = { a: Float32Array; b: Float32Array; out: Float32Array; capacity: number };
let scratch: Scratch = { a: new Float32Array(0), b: new Float32Array(0), out: new Float32Array(0), capacity: 0 };
let scratchBusy = false;

/**
 * Elements [from, to) of both lists into float32, checked one by one.
 * Measured for 1M numbers: 0.6 ms, against 21 ms for Array.from. (The
 * faster float32Array.set(list) would turn "2" into 2 and undefined into NaN
 * silently, so it cannot check the elements.)
 */
function copyIn(listA: ArrayLike<unknown>, listB: ArrayLike<unknown>, intoA: Float32Array, intoB: Float32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const x = listA[i];
    const y = listB[i];
    if (typeof x !== "number") throw notANumber("a", i, x);
    if (typeof y !== "number") throw notANumber("b", i, y);
    intoA[i] = x;
    intoB[i] = y;
  }
}

/** Both lists converted into new space for n elements, grown as the elements turn out to exist. */
function convertIntoNewSpace(listA: ArrayLike<unknown>, listB: ArrayLike<unknown>, n: number): Scratch {
  let capacity = n < FIRST_CHUNK ? n : FIRST_CHUNK;
  let intoA: Float32Array = new Float32Array(capacity);
  let intoB: Float32Array = new Float32Array(capacity);
  let done = 0;
  for (;;) {
    copyIn(listA, listB, intoA, intoB, done, capacity);
    done = capacity;
    if (done === n) break;
    capacity = capacity * 2 < n ? capacity * 2 : n;
    intoA = grown(intoA, done, capacity);
    intoB = grown(intoB, done, capacity);
  }
  return { a: intoA, b: intoB, out: new Float32Array(n), capacity: n };
}

/** Levels 1 and 2: convert, run `kernel` natively, convert back. */
function nativeList(kernel: () => NativeKernel): ListFunction {
  return (a, b) => {
    const n = checkedLength(a, b);
    if (n === 0) return [];
    const listA = a as ArrayLike<unknown>;
    const listB = b as ArrayLike<unknown>;
    const reuse = !scratchBusy;
    scratchBusy = true;
    try {
      let space: Scratch;
      if (reuse && n <= scratch.capacity) {
        space = scratch;
        copyIn(listA, listB, space.a, space.b, 0, n);
      } else {
        space = convertIntoNewSpace(listA, listB, n);
        if (reuse) scratch = space;
      }
      expectOk(kernel()(space.a, space.b, space.out, n, 0));
      return toList(space.out, n);
    } finally {
      if (reuse) scratchBusy = false;
    }
  };
}

const naiveList = (op: ListOp) => nativeList(() => native.naiveKernel(op));
function simdList(op: ListOp): ListFunction {
  const slot = kernelSlot(op);
  return nativeList(() => slot.f32!);
}

export const addJs = jsList("add");
export const subJs = jsList("sub");
export const mulJs = jsList("mul");
export const divJs = jsList("div");

export const addNaive = naiveList("add");
export const subNaive = naiveList("sub");
export const mulNaive = naiveList("mul");
export const divNaive = naiveList("div");

export const add = simdList("add");
export const sub = simdList("sub");
export const mul = simdList("mul");
export const div = simdList("div");
