/**
 * The plain JavaScript loop of each elementwise op: what a Bun user writes
 * without nano-simd, and the benchmark's baseline (bench/families.ts).
 */
import type { ElementwiseOp as Op } from "../src/catalog.ts";

type FloatArray = Float32Array | Float64Array;

/** A plain JavaScript loop per op: what a Bun user writes without nano-simd. */
export const JS_LOOPS: Record<Op, (x: FloatArray[], out: FloatArray, lo?: number, hi?: number) => void> = {
  neg: ([a], out) => { for (let i = 0; i < out.length; i++) out[i] = -a![i]!; },
  abs: ([a], out) => { for (let i = 0; i < out.length; i++) out[i] = Math.abs(a![i]!); },
  sqrt: ([a], out) => { for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(a![i]!); },
  add: ([a, b], out) => { for (let i = 0; i < out.length; i++) out[i] = a![i]! + b![i]!; },
  sub: ([a, b], out) => { for (let i = 0; i < out.length; i++) out[i] = a![i]! - b![i]!; },
  mul: ([a, b], out) => { for (let i = 0; i < out.length; i++) out[i] = a![i]! * b![i]!; },
  div: ([a, b], out) => { for (let i = 0; i < out.length; i++) out[i] = a![i]! / b![i]!; },
  minimum: ([a, b], out) => { for (let i = 0; i < out.length; i++) out[i] = Math.min(a![i]!, b![i]!); },
  maximum: ([a, b], out) => { for (let i = 0; i < out.length; i++) out[i] = Math.max(a![i]!, b![i]!); },
  // JavaScript has no fused multiply-add: this rounds twice (a lower bound on the work).
  fma: ([a, b, c], out) => { for (let i = 0; i < out.length; i++) out[i] = a![i]! * b![i]! + c![i]!; },
  clamp: ([a], out, lo = 0, hi = 0) => { for (let i = 0; i < out.length; i++) out[i] = Math.min(Math.max(a![i]!, lo), hi); },
  exp: ([a], out) => { for (let i = 0; i < out.length; i++) out[i] = Math.exp(a![i]!); },
  log: ([a], out) => { for (let i = 0; i < out.length; i++) out[i] = Math.log(a![i]!); },
  tanh: ([a], out) => { for (let i = 0; i < out.length; i++) out[i] = Math.tanh(a![i]!); },
  sigmoid: ([a], out) => { for (let i = 0; i < out.length; i++) out[i] = 1 / (1 + Math.exp(-a![i]!)); },
  sin: ([a], out) => { for (let i = 0; i < out.length; i++) out[i] = Math.sin(a![i]!); },
  cos: ([a], out) => { for (let i = 0; i < out.length; i++) out[i] = Math.cos(a![i]!); },
};

