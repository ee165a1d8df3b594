/**
 * Every op of the catalog, on every backend this CPU runs, with its arrays at
 * odd byte addresses: `bun test/misaligned/child.ts`. A typed array is only
 * as aligned as its buffer's memory, and memory from `Bun.mmap` at an odd
 * offset or from bun:ffi's `toArrayBuffer(ptr + 1)` sits at any byte. Each
 * call is made on aligned arrays and again on the same values with the
 * inputs one to seven bytes off and `out` aligned or not, with the library's
 * own streaming threshold and with streaming forced at every length (an
 * aligned `out` then streams; a misaligned one must take the cached
 * kernel), and must give the same bits and write nothing around `out`. Prints one JSON line: the problems
 * found ([] when all is well). A crash kills only this process;
 * test/misaligned.test.ts reports it.
 */
import * as nano from "../../src/index.ts";
import { native } from "../../src/native.ts";
import { CATALOG, CONVERSIONS, OPS, apiName, inputCount, shapeOf, type DType, type Element } from "../../src/catalog.ts";
import { atOddAddress, seeded } from "../helpers.ts";

type Typed = Float32Array | Float64Array | Float16Array | Int32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;
type TypedConstructor = { new (buffer: ArrayBuffer, byteOffset?: number, length?: number): Typed; new (length: number): Typed; BYTES_PER_ELEMENT: number };

const CONSTRUCTORS: Record<Element | DType, TypedConstructor> = {
  f64: Float64Array, f32: Float32Array, f16: Float16Array, i32: Int32Array, i16: Int16Array, u16: Uint16Array, i8: Int8Array, u8: Uint8Array,
};

/** The value of the guard bytes around each misaligned array (atOddAddress puts 64 on each side). */
const SENTINEL = 0xa5;
/** Above one unrolled AVX-512 block of float64 plus a tail, so every loop of a kernel runs. */
const N = 203;
const ROWS = 7;

/** Memory the misaligned views point into: kept alive until the process ends. */
const keep: Uint8Array[] = [];

/** A copy of `values` at `offset` bytes past a 64-byte-aligned address, inside guard bytes. */
function misaligned(values: Typed, offset: number): { view: Typed; raw: Uint8Array; start: number } {
  const odd = atOddAddress(values, offset, SENTINEL);
  keep.push(odd.raw);
  return odd;
}

function randomArray(element: Element | DType, n: number, random: () => number): Typed {
  const array = new CONSTRUCTORS[element](n);
  for (let i = 0; i < n; i++) {
    const x = (random() - 0.5) * 600;
    array[i] = element.startsWith("f") ? x : Math.trunc(x / 4);
  }
  return array;
}

const sameBits = (x: Typed, y: Typed) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));

function guardsIntact(raw: Uint8Array, start: number, bytes: number): boolean {
  for (let i = 0; i < raw.length; i++) if ((i < start || i >= start + bytes) && raw[i] !== SENTINEL) return false;
  return true;
}

const problems: string[] = [];
const random = seeded(41);
const call = (name: string, args: unknown[]): unknown => (nano as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);

for (const backend of nano.backends()) {
  nano.setBackend(backend);
  for (const streamingBytes of [0, 1]) {
    // 0: the library's own threshold (these small arrays stay cached); 1: streaming stores at every length.
    native.setStreamingThresholdBytes(streamingBytes);
    const where = `${backend}, ${streamingBytes === 1 ? "streaming" : "cached"}`;
    for (const op of OPS) {
      const shape = shapeOf(op);
      if (shape === "convert") continue;
      for (const dtype of CATALOG.ops[op].dtypes as readonly DType[]) {
        const size = CONSTRUCTORS[dtype].BYTES_PER_ELEMENT;
        // out 0 bytes off (aligned: the streaming kernel runs, on misaligned
        // inputs), or 1 or size - 1 bytes off (the cached kernel must take it).
        for (const offset of [0, 1, size - 1]) {
          const label = `${apiName(op)} ${dtype} ${where}, ${offset} bytes off`;
          if (shape === "rows") {
            const rows = randomArray(dtype, ROWS * 33, random), query = randomArray(dtype, 33, random);
            const expected = new CONSTRUCTORS[dtype](ROWS);
            call(apiName(op), [rows, query, expected]);
            const out = misaligned(new CONSTRUCTORS[dtype](ROWS), offset);
            call(apiName(op), [misaligned(rows, offset + 2).view, misaligned(query, offset).view, out.view]);
            if (!sameBits(expected, out.view)) problems.push(`${label}: different results`);
            if (!guardsIntact(out.raw, out.start, out.view.byteLength)) problems.push(`${label}: wrote outside out`);
          } else if (CATALOG.shapes[shape].result === "array") {
            const inputs = Array.from({ length: inputCount(shape) }, () => randomArray(dtype, N, random));
            if (op === "clamp") inputs[1]!.fill(-50), inputs[2]!.fill(50);
            const expected = new CONSTRUCTORS[dtype](N);
            call(apiName(op), [...inputs, expected]);
            const out = misaligned(new CONSTRUCTORS[dtype](N), offset);
            const args = op === "clamp" ? [misaligned(inputs[0]!, offset + 2).view, -50, 50] : inputs.map((input, k) => misaligned(input, (offset + k) % size || 1).view);
            call(apiName(op), [...args, out.view]);
            if (!sameBits(expected, out.view)) problems.push(`${label}: different results`);
            if (!guardsIntact(out.raw, out.start, out.view.byteLength)) problems.push(`${label}: wrote outside out`);
          } else {
            const inputs = Array.from({ length: inputCount(shape) }, () => randomArray(dtype, N, random));
            const expected = call(apiName(op), inputs);
            const actual = call(apiName(op), inputs.map((input, k) => misaligned(input, (offset + k) % size || 1).view));
            if (!Object.is(expected, actual)) problems.push(`${label}: ${String(actual)}, aligned ${String(expected)}`);
          }
        }
      }
    }
    for (const [from, to] of CONVERSIONS) {
      const label = `convertInto ${from} -> ${to} ${where}`;
      const src = randomArray(from, N, random);
      const expected = new CONSTRUCTORS[to](N);
      nano.convertInto(src as never, expected as never);
      for (const offset of [0, 1]) {
        const out = misaligned(new CONSTRUCTORS[to](N), offset);
        nano.convertInto(misaligned(src, 1).view as never, out.view as never);
        if (!sameBits(expected, out.view)) problems.push(`${label}, out ${offset} bytes off: different results`);
        if (!guardsIntact(out.raw, out.start, out.view.byteLength)) problems.push(`${label}, out ${offset} bytes off: wrote outside out`);
      }
    }
  }
}
native.setStreamingThresholdBytes(0);
console.log(JSON.stringify(problems));
