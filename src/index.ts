/**
 * nano-simd: float32 elementwise arithmetic in Zig SIMD kernels, through bun:ffi.
 *
 *   list API    addJs / addNaive / add (a, b)      array-likes in, number[] out
 *   buffer API  addInto(a, b, out)                 Float32Array into a preallocated out
 *   dispatch    backend(), backends(), setBackend(), cpuFeatures()
 */
export { negInto, absInto, sqrtInto, addInto, subInto, mulInto, divInto, minimumInto, maximumInto, fmaInto, clampInto } from "./elementwise.ts";
export type { UnaryInto, BinaryInto, TernaryInto } from "./elementwise.ts";
export { addJs, subJs, mulJs, divJs, addNaive, subNaive, mulNaive, divNaive, add, sub, mul, div } from "./list-api.ts";
export { backend, backends, setBackend, type BackendChoice } from "./dispatch.ts";
export type { Backend, Op, DType } from "./catalog.ts";

import { native } from "./native.ts";

/** What CPU detection saw: instruction sets and whether the OS enabled their registers. */
export function cpuFeatures(): Record<string, boolean> {
  return { ...native.cpuFeatures };
}

export { info, formatInfo, type Info } from "./info.ts";
