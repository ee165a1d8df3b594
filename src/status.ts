/**
 * The native side re-checks its preconditions and answers with a status
 * (zig/abi.zig `Status`, generated into STATUS) before it writes anything. Partial overlap is
 * decided there, on real addresses, and becomes the `RangeError` a caller
 * sees; any other refusal means the wrapper let something through that it
 * should not have, and still becomes an exception rather than a write
 * through a bad pointer.
 */
import { ptr } from "bun:ffi";
import { CONVERSIONS, ELEMENT_BYTES, STATUS, STATUS_TEXT } from "./catalog.ts";
import { Error, RangeError } from "./primordials.ts";
import { INPUT_NAMES } from "./validate-elementwise.ts";
import { genuineBuffer, genuineByteOffset, type FloatArray } from "./validate.ts";

const PARTIAL_OVERLAP = STATUS.partial_overlap;

/** What a status means (from zig/abi.zig, through the generated catalog). */
function statusText(status: number): string {
  // An in-range index reads the array's own element: no prototype getter answers.
  return status >= 0 && status < STATUS_TEXT.length ? STATUS_TEXT[status]! : `status ${status}`;
}

function internalError(status: number): Error {
  return new Error(`nano-simd internal error: the native kernel refused ${statusText(status)}; nothing was written`);
}

export function expectOk(status: number): void {
  if (status !== 0) throw internalError(status);
}


/** Whether [start, start + bytes) of two views' memory shares a byte, by address. */
function sharesBytes(view: FloatArray, bytes: number, other: FloatArray, otherBytes: number): boolean {
  const address = ptr(view);
  const otherAddress = ptr(other);
  return bytes > 0 && otherBytes > 0 && address < otherAddress + otherBytes && otherAddress < address + bytes;
}

/**
 * The exception for a non-zero status of a conversion of CONVERSIONS[pair]:
 * out overlapping src at all (status 2), else internal. Element sizes come
 * from the checked pair, never from the arrays' BYTES_PER_ELEMENT, which
 * user code can redefine.
 */
export function conversionRefusal(status: number, src: ArrayBufferView, out: ArrayBufferView, n: number, pair: number): Error {
  if (status !== PARTIAL_OVERLAP) return internalError(status);
  genuineBuffer(src);
  genuineBuffer(out);
  // Indexed, not destructured: destructuring runs the patchable Array iterator.
  const elements = CONVERSIONS[pair]!;
  const srcBytes = n * ELEMENT_BYTES[elements[0]];
  const outBytes = n * ELEMENT_BYTES[elements[1]];
  const range = (view: ArrayBufferView, bytes: number) => `[${genuineByteOffset(view)}, ${genuineByteOffset(view) + bytes})`;
  return new RangeError(
    `out overlaps src: out covers bytes ${range(out, outBytes)} and src covers bytes ${range(src, srcBytes)} of the same memory. ` +
      `A conversion needs separate memory: the element sizes differ, so not even in-place use is safe.`,
  );
}

/**
 * The exception for a non-zero status of a rows call: out overlapping rows
 * or query at all (status 2, decided natively), else an internal error.
 * `size`: the checked dtype's bytes per element (not out.BYTES_PER_ELEMENT,
 * which user code can redefine).
 */
export function rowsRefusal(status: number, rows: FloatArray, query: FloatArray, out: FloatArray, nrows: number, dim: number, size: number): Error {
  if (status !== PARTIAL_OVERLAP) return internalError(status);
  genuineBuffer(rows);
  genuineBuffer(query);
  genuineBuffer(out);
  const range = (view: FloatArray, bytes: number) => `[${genuineByteOffset(view)}, ${genuineByteOffset(view) + bytes})`;
  const outBytes = nrows * size;
  const name = sharesBytes(out, outBytes, rows, nrows * dim * size) ? "rows" : "query";
  const input = name === "rows" ? rows : query;
  const inputBytes = name === "rows" ? nrows * dim * size : dim * size;
  return new RangeError(
    `out overlaps ${name}: out covers bytes ${range(out, outBytes)} and ${name} covers bytes ${range(input, inputBytes)} of the same memory. ` +
      `out must be separate memory: each out[i] is written while later rows are still to be read.`,
  );
}

/**
 * The exception for a non-zero status of an elementwise call on n elements
 * (no iteration protocol or call-time lookup here either: "the rule", validate.ts):
 * `inputs` are the arrays the kernel got (broadcast ones, bit k of
 * `broadcast`, are nano-simd's own one-element arrays and never overlap),
 * `bytesPerElement` the dtype's size. Nothing is read from the arrays'
 * own properties: a user's length getter could lie by now.
 */
export function refusal(status: number, inputs: readonly FloatArray[], out: FloatArray, n: number, bytesPerElement: number, broadcast: number, names: readonly string[] = INPUT_NAMES): Error {
  if (status !== PARTIAL_OVERLAP) return internalError(status);
  const bytes = n * bytesPerElement;
  // Materialise the buffers first: that can move a small array's storage.
  genuineBuffer(out);
  for (let k = 0; k < inputs.length; k++) genuineBuffer(inputs[k]!);
  const outAddress = ptr(out);
  for (let k = 0; k < inputs.length; k++) {
    const input = inputs[k]!;
    const address = ptr(input);
    const inputBytes = ((broadcast >> k) & 1) !== 0 ? bytesPerElement : bytes; // a broadcast scalar spans one element
    if (address !== outAddress && address < outAddress + bytes && outAddress < address + inputBytes) {
      const name = names[k]!;
      const range = (view: FloatArray, length: number) => `[${genuineByteOffset(view)}, ${genuineByteOffset(view) + length})`;
      const where = genuineBuffer(input) === genuineBuffer(out) ? "of the same buffer" : "of the same memory (through two buffer objects)";
      return new RangeError(
        `out partially overlaps ${name}: out covers bytes ${range(out, bytes)} and ${name} covers bytes ${range(input, inputBytes)} ${where}. ` +
          `Pass the same array for in-place work, or non-overlapping memory.`,
      );
    }
  }
  return internalError(status);
}
