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
import { OPS, type Op } from "./catalog.ts";
import { activeKernels } from "./dispatch.ts";
import { native, type NativeKernel } from "./native.ts";
import { expectOk } from "./status.ts";
import { checkList, checkListLengths, notANumber } from "./validate.ts";

export type ListFunction = (a: ArrayLike<number>, b: ArrayLike<number>) => number[];

/**
 * Both lists and their common length. Each `length` is read exactly once: a
 * Proxy or getter may answer differently the next time, and every loop below
 * runs to this number and no further.
 */
function checkedPair(a: unknown, b: unknown): [ArrayLike<unknown>, ArrayLike<unknown>, number] {
  const n = checkListLengths(checkList("a", a), checkList("b", b));
  return [a as ArrayLike<unknown>, b as ArrayLike<unknown>, n];
}

function expectNumber(name: string, list: ArrayLike<unknown>, i: number): number {
  const value = list[i];
  if (typeof value !== "number") throw notANumber(name, i, value);
  return value;
}

/** Level 0: the whole loop in JavaScript. */
function jsList(op: Op): ListFunction {
  const apply = OPS[op];
  return (a, b) => {
    const [listA, listB, n] = checkedPair(a, b);
    const result = new Array<number>(n);
    for (let i = 0; i < n; i++) result[i] = apply(expectNumber("a", listA, i), expectNumber("b", listB, i));
    return result;
  };
}

/**
 * Float32 scratch space reused across calls (no allocation per call), up to
 * a size worth keeping alive; bigger calls, and a call made while another is
 * converting (an element getter can call back into nano-simd), get their own.
 */
const KEEP_SCRATCH_UP_TO = 1 << 20;
let scratch = { a: new Float32Array(0), b: new Float32Array(0), out: new Float32Array(0) };
let scratchBusy = false;

function scratchFor(n: number, reuse: boolean): typeof scratch {
  if (reuse && n <= scratch.out.length) return scratch;
  const fresh = { a: new Float32Array(n), b: new Float32Array(n), out: new Float32Array(n) };
  if (reuse && n <= KEEP_SCRATCH_UP_TO) scratch = fresh;
  return fresh;
}

function copyIn(name: string, list: ArrayLike<unknown>, into: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) into[i] = expectNumber(name, list, i);
}

/** Levels 1 and 2: convert, run `kernel` natively, convert back. */
function nativeList(kernel: () => NativeKernel): ListFunction {
  return (a, b) => {
    const [listA, listB, n] = checkedPair(a, b);
    if (n === 0) return [];
    const reuse = !scratchBusy;
    scratchBusy = true;
    try {
      const space = scratchFor(n, reuse);
      copyIn("a", listA, space.a, n);
      copyIn("b", listB, space.b, n);
      expectOk(kernel()(space.a, space.b, space.out, n));
      const result = new Array<number>(n);
      for (let i = 0; i < n; i++) result[i] = space.out[i]!;
      return result;
    } finally {
      if (reuse) scratchBusy = false;
    }
  };
}

const naiveList = (op: Op) => nativeList(() => native.kernels.naive[op]);
const simdList = (op: Op) => nativeList(() => activeKernels[op]);

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
