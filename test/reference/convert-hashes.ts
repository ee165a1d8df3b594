/**
 * Prints, from the JS reference, the lines zig/convert_check.zig prints from
 * the kernels: one FNV-1a hash of the outputs per (pair, case) over the same
 * fixed inputs (zig/convert_cases.zig, mirrored here). Equal lines mean the
 * kernels match the reference bit for bit on those inputs.
 *
 *   bun test/reference/convert-hashes.ts > ref.txt
 *   ./convert_check 2>&1 | tail -n +2 | diff - ref.txt   (ref.txt is committed as convert-hashes.txt)
 *
 * @module
 */
import { arrayTypes, referenceConvert, type ElementType } from "./convert.ts";

/** The required pairs, in convert_cases.zig's order. */
export const pairs: ReadonlyArray<readonly [ElementType, ElementType]> = [
  ["f64", "f32"], ["f32", "f64"],
  ["f16", "f32"], ["f32", "f16"],
  ["i32", "f32"], ["f32", "i32"],
  ["i16", "f32"], ["f32", "i16"],
  ["u16", "f32"], ["f32", "u16"],
  ["i8", "f32"], ["f32", "i8"],
  ["u8", "f32"], ["f32", "u8"],
  ["f16", "f64"], ["f64", "f16"],
];

/** (scale, offset) cases, in convert_cases.zig's order. */
export const cases: ReadonlyArray<readonly [number, number]> = [
  [1, 0],
  [1 / 32768, 0],
  [32768, 0],
  [1 / 255, -0.485],
  [1, 0.5],
  [-2.5, 3.25],
  [0.1, -7.3],
  [1e-5, 1e5],
  [3e200, 1e-200],
  [1 + 2 ** -52, -(2 ** -30)],
  [2 ** -100, 0],
  [-(2 ** 100), 0],
  [2 ** -101, 0],
  [1 / 255, 0],
  [-3e-3, 0],
];

export const count = 4096 + 37;
const seed = 0x9e3779b9;

/** The same special values as convert_cases.zig (hex floats written out). */
const specials: readonly number[] = [
  0, -0, Infinity, -Infinity, NaN,
  0.5, -0.5, 1.5, 2.5, -2.5,
  32767.5, -32768.5, 32766.5, -32767.5, 65535.5,
  65535.49999999999, 255.5, 254.5, -0.49999999999999994, 127.5,
  -128.5, 2147483647.5, -2147483648.5, 2147483646.5, 65504,
  65519.99999999999, 65520, 2 ** -24, 2 ** -25, 1.5 * 2 ** -25,
  2 ** -14, (0x1ffc / 0x1000) * 2 ** -15, 1e-300, 1e300, (0x1ffe / 0x1000) * 2 ** -1,
  1 + 2 ** -52, 1 + 2 ** -11, 1 + 2 ** -12, 1 + 2 ** -12 + 2 ** -52, 3.4028234663852886e38,
  3.4028235677973366e38, 1.401298464324817e-45, -65520, 0.1, -7.3,
];

/** xorshift32, as in convert_cases.zig. */
class Words {
  constructor(private state: number) {}
  next(): number {
    let x = this.state;
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    this.state = x;
    return x;
  }
}

/**
 * The fixed inputs of one source type, as a typed array.
 * @param type source element type
 */
export function inputs(type: ElementType): InstanceType<(typeof arrayTypes)[ElementType]> {
  const words = new Words(seed);
  const array = new arrayTypes[type](count);
  const bytes = new DataView(array.buffer);
  for (let i = 0; i < count; i++) {
    const w = words.next();
    const kind = w & 3;
    const v = words.next();
    if (type === "f16") {
      bytes.setUint16(i * 2, v & 0xffff, true);
    } else if (type === "f32" || type === "f64") {
      if (kind === 0) {
        if (type === "f32") bytes.setUint32(i * 4, v, true);
        else {
          bytes.setUint32(i * 8 + 4, v, true);
          bytes.setUint32(i * 8, words.next(), true);
        }
      } else {
        const value = kind === 1 ? (v | 0) / 16384 : kind === 2 ? ((v | 0) >> 8) / 2 : specials[v % specials.length]!;
        array[i] = value;
      }
    } else {
      array[i] = v; // integer stores keep the low bits, like Zig's @truncate
    }
  }
  return array;
}

/**
 * FNV-1a over bytes.
 * @param bytes the output bytes
 */
export function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

if (import.meta.main) {
  for (const [source, destination] of pairs) {
    const src = inputs(source);
    cases.forEach(([scale, offset], c) => {
      const out = new arrayTypes[destination](count);
      for (let i = 0; i < count; i++) out[i] = referenceConvert(src[i]!, source, destination, scale, offset);
      const hash = fnv1a(new Uint8Array(out.buffer)).toString(16).padStart(8, "0");
      console.log(`${source}->${destination} case ${c}: ${hash}`);
    });
  }
}
