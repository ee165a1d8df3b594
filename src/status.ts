/**
 * The native side re-checks its preconditions and answers with a status
 * (zig/library.zig `Status`) before it writes anything. Partial overlap is
 * decided there, on real addresses, and becomes the `RangeError` a caller
 * sees; any other refusal means the wrapper let something through that it
 * should not have, and still becomes an exception rather than a write
 * through a bad pointer.
 */
import { ptr } from "bun:ffi";
import { Error, RangeError } from "./primordials.ts";
import { genuineBuffer, genuineByteOffset } from "./validate.ts";

const PARTIAL_OVERLAP = 2;

/** What a status means; a switch, not a lookup table whose missing keys the prototype chain would answer. */
function statusText(status: number): string {
  switch (status) {
    case 1:
      return "a null pointer with a non-zero length";
    case 2:
      return "out partially overlaps an input";
    case 3:
      return "an array too long for the address space";
    default:
      return `status ${status}`;
  }
}

function internalError(status: number): Error {
  return new Error(`nano-simd internal error: the native kernel refused ${statusText(status)}; nothing was written`);
}

/** Throws unless a native call of the list API answered 0. */
export function expectOk(status: number): void {
  if (status !== 0) throw internalError(status);
}

/** Whether `input` partially overlaps `out` over `bytes`, by address (exact aliasing is allowed). */
function partiallyOverlaps(input: Float32Array, outAddress: number, bytes: number): boolean {
  const address = ptr(input);
  return address !== outAddress && address < outAddress + bytes && outAddress < address + bytes;
}

function byteRange(view: Float32Array, bytes: number): string {
  const start = genuineByteOffset(view);
  return `[${start}, ${start + bytes})`;
}

/** The RangeError for `out` partially overlapping a or b over n elements, or undefined if neither does. */
function overlapError(a: Float32Array, b: Float32Array, out: Float32Array, n: number): RangeError | undefined {
  const bytes = n * 4;
  // Materialise the buffers first: that can move a small array's storage, and ptr() must see where it ends up.
  genuineBuffer(a);
  genuineBuffer(b);
  const outBuffer = genuineBuffer(out);
  const outAddress = ptr(out);
  // Written out per input, no loop over pairs (see "the rule" in validate.ts).
  let name: "a" | "b";
  let input: Float32Array;
  if (partiallyOverlaps(a, outAddress, bytes)) {
    name = "a";
    input = a;
  } else if (partiallyOverlaps(b, outAddress, bytes)) {
    name = "b";
    input = b;
  } else {
    return undefined;
  }
  const where = genuineBuffer(input) === outBuffer ? "of the same buffer" : "of the same memory (through two buffer objects)";
  return new RangeError(
    `out partially overlaps ${name}: out covers bytes ${byteRange(out, bytes)} and ${name} covers bytes ${byteRange(input, bytes)} ${where}. ` +
      `Pass the same view for in-place work, or non-overlapping memory.`,
  );
}

/** The exception for a non-zero status of a buffer API call on n elements of (a, b, out). */
export function refusal(status: number, a: Float32Array, b: Float32Array, out: Float32Array, n: number): Error {
  return (status === PARTIAL_OVERLAP && overlapError(a, b, out, n)) || internalError(status);
}
