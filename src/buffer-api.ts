/**
 * The buffer API: Float32Array in, a preallocated Float32Array out. The
 * kernel reads and writes the caller's memory directly; nothing is copied or
 * allocated. One call: validate -> the active backend's symbol -> kernel.
 */
import { OPS, type Op } from "./catalog.ts";
import { activeKernels, route } from "./dispatch.ts";
import { expectOk } from "./status.ts";
import { checkBuffers } from "./validate.ts";

export type IntoFunction = (a: Float32Array, b: Float32Array, out: Float32Array) => Float32Array;

function into(op: Op): IntoFunction {
  const apply = OPS[op];
  return (a, b, out) => {
    const n = checkBuffers(a, b, out);
    if (n < route.jsBelow) {
      for (let i = 0; i < n; i++) out[i] = apply(a[i]!, b[i]!);
    } else if (n !== 0) {
      // Typed arrays go straight to bun:ffi, which reads their address (with
      // byteOffset) at the call; ptr() would cost ~8 ns per argument.
      expectOk(activeKernels[op](a, b, out, n));
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
