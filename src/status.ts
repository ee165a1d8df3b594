/**
 * The native side re-checks its preconditions and answers with a status
 * (zig/library.zig `Status`) before it writes anything. Partial overlap is
 * decided there, on real addresses, and becomes the `RangeError` a caller
 * sees; any other refusal means the wrapper let something through that it
 * should not have, and still becomes an exception rather than a write
 * through a bad pointer.
 */
import { ptr } from "bun:ffi";
import { genuineBuffer, genuineByteOffset } from "./validate.ts";

const PARTIAL_OVERLAP = 2;

const STATUS_TEXT: Record<number, string> = {
  1: "a null pointer with a non-zero length",
  2: "out partially overlaps an input",
  3: "an array too long for the address space",
};

function internalError(status: number): Error {
  return new Error(`nano-simd internal error: the native kernel refused ${STATUS_TEXT[status] ?? `status ${status}`}; nothing was written`);
}

export function expectOk(status: number): void {
  if (status !== 0) throw internalError(status);
}

/** The input that `out` partially overlaps over n elements, by address, or undefined. */
function overlappedInput(a: Float32Array, b: Float32Array, out: Float32Array, bytes: number): ["a" | "b", Float32Array] | undefined {
  for (const view of [a, b, out]) genuineBuffer(view); // materialise buffers first: that can move small arrays
  const outAddress = ptr(out);
  for (const [name, input] of [["a", a], ["b", b]] as const) {
    const address = ptr(input);
    if (address !== outAddress && address < outAddress + bytes && outAddress < address + bytes) return [name, input];
  }
  return undefined;
}

function overlapError(a: Float32Array, b: Float32Array, out: Float32Array, n: number): RangeError | undefined {
  const bytes = n * 4;
  const found = overlappedInput(a, b, out, bytes);
  if (found === undefined) return undefined;
  const [name, input] = found;
  const byteRange = (view: Float32Array) => `[${genuineByteOffset(view)}, ${genuineByteOffset(view) + bytes})`;
  const where = genuineBuffer(input) === genuineBuffer(out) ? "of the same buffer" : "of the same memory (through two buffer objects)";
  return new RangeError(
    `out partially overlaps ${name}: out covers bytes ${byteRange(out)} and ${name} covers bytes ${byteRange(input)} ${where}. ` +
      `Pass the same view for in-place work, or non-overlapping memory.`,
  );
}

/** The exception for a non-zero status of a buffer API call on n elements of (a, b, out). */
export function refusal(status: number, a: Float32Array, b: Float32Array, out: Float32Array, n: number): Error {
  return (status === PARTIAL_OVERLAP && overlapError(a, b, out, n)) || internalError(status);
}
