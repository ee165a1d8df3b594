/**
 * The one TypeScript list of operations and backends. It mirrors
 * zig/catalog.zig: the loader refuses a library whose op names
 * (nsimd_op_names) differ from OPS, or whose backends (nsimd_backend_names)
 * are not in BACKENDS, so the op list cannot drift. LANES and the
 * best-first order are restated here and checked only by the tests
 * (dispatch.test.ts: runnable backends come in BACKENDS order).
 */

import { MathFround as fround } from "./primordials.ts";

/** Each operation and its float32 meaning: round the inputs, apply, round the result. */
export const OPS = {
  add: (x: number, y: number) => fround(fround(x) + fround(y)),
  sub: (x: number, y: number) => fround(fround(x) - fround(y)),
  mul: (x: number, y: number) => fround(fround(x) * fround(y)),
  div: (x: number, y: number) => fround(fround(x) / fround(y)),
} as const;

export type Op = keyof typeof OPS;
export const OP_NAMES = Object.keys(OPS) as Op[];

/** Every backend any build of the library can contain, best first. */
export const BACKENDS = ["avx512", "avx2", "sse", "neon", "scalar"] as const;
export type Backend = (typeof BACKENDS)[number];

/** float32 lanes per instruction: register bits / 32. */
export const LANES: Record<Backend, number> = { avx512: 16, avx2: 8, sse: 4, neon: 4, scalar: 1 };

/** Whether `name` is one of BACKENDS (a loop: Array.prototype.includes can be replaced by user code). */
export function isBackend(name: unknown): name is Backend {
  for (let i = 0; i < BACKENDS.length; i++) if (BACKENDS[i] === name) return true;
  return false;
}
