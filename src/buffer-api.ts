/**
 * The buffer API: Float32Array in, a preallocated Float32Array out. The
 * kernel reads and writes the caller's memory directly; nothing is copied or
 * allocated. One call: validate -> the active backend's symbol -> kernel.
 */
import type { Op } from "./catalog.ts";
import { activeKernels } from "./dispatch.ts";
import { refusal } from "./status.ts";
import { checkBuffers } from "./validate.ts";

export type IntoFunction = (a: Float32Array, b: Float32Array, out: Float32Array) => Float32Array;

function into(op: Op): IntoFunction {
  return (a, b, out) => {
    const n = checkBuffers(a, b, out);
    if (n !== 0) {
      // Typed arrays go straight to bun:ffi, which reads their address (with
      // byteOffset) at the call; ptr() would cost ~10 ns per argument. The
      // native side decides partial overlap (status 2) before writing.
      const status = activeKernels[op](a, b, out, n);
      if (status !== 0) throw refusal(status, a, b, out, n);
    }
    return out;
  };
}

/** out[i] = a[i] + b[i]; returns out. */
export const addInto = into("add");
/** out[i] = a[i] - b[i]; returns out. */
export const subInto = into("sub");
/** out[i] = a[i] * b[i]; returns out. */
export const mulInto = into("mul");
/** out[i] = a[i] / b[i]; returns out. */
export const divInto = into("div");
