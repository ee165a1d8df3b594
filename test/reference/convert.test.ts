/**
 * Checks of the JS conversion reference (test/reference/convert.ts) against
 * JS itself, and of the committed hashes the Zig conformance tool is diffed
 * against (test/reference/convert-hashes.txt).
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { arrayTypes, fusedMultiplyAdd, referenceConvert, roundToInteger } from "./convert.ts";
import { cases, count, fnv1a, inputs, pairs } from "./convert-hashes.ts";

const sameBits = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

describe("with scale 1 and offset 0 the reference is a JS store", () => {
  test("all 65,536 float16 bit patterns to float32 and float64", () => {
    const halves = new Float16Array(new Uint16Array(65536).map((_, i) => i).buffer);
    const f32 = new Float32Array(1);
    for (const h of halves) {
      f32[0] = h;
      expect(sameBits(referenceConvert(h, "f16", "f32"), f32[0]!)).toBe(true);
      expect(sameBits(referenceConvert(h, "f16", "f64"), h)).toBe(true);
    }
  });

  test("float32 -> float16: every tie, its neighbours, and random values", () => {
    const half = new Float16Array(1);
    const single = new Float32Array(1);
    const values: number[] = [];
    for (let bits = 0; bits < 0x7c00; bits++) {
      const low = new Float16Array(new Uint16Array([bits]).buffer)[0]!;
      const high = bits === 0x7bff ? 65536 : new Float16Array(new Uint16Array([bits + 1]).buffer)[0]!;
      single[0] = (low + high) / 2; // exact in float32
      const mid = single[0]!;
      values.push(mid, -mid, mid * (1 + 2 ** -23), mid * (1 - 2 ** -24));
    }
    const words = new Uint32Array(20000).map(() => (Math.random() * 2 ** 32) >>> 0);
    values.push(...new Float32Array(words.buffer));
    for (const v of values) {
      single[0] = v;
      const x = single[0]!;
      half[0] = x;
      expect(sameBits(referenceConvert(x, "f32", "f16"), half[0]!)).toBe(true);
    }
  });
});

describe("integer rule: NaN -> 0, saturate, ties to even", () => {
  test("spot values, including where JS's own Int16Array store differs", () => {
    const expected: Array<[number, number]> = [
      [40000, 32767], [-40000, -32768], [2.5, 2], [-2.5, -2], [3.5, 4], [-0.5, 0],
      [32766.5, 32766], [32767.5, 32767], [-32768.5, -32768], [NaN, 0], [Infinity, 32767], [-Infinity, -32768],
    ];
    for (const [t, r] of expected) expect(roundToInteger(t, "i16")).toBe(r);
    const int16 = new Int16Array(1);
    int16[0] = 40000;
    expect(int16[0]).toBe(-25536); // the modulo store the kernels do NOT do
  });

  test("equals JS's Uint8ClampedArray store (which rounds half to even and saturates)", () => {
    const clamped = new Uint8ClampedArray(1);
    for (let t = -10; t <= 300; t += 0.125) {
      clamped[0] = t;
      expect(referenceConvert(t, "f64", "u8c")).toBe(clamped[0]!);
    }
  });
});

describe("fused multiply-add", () => {
  test("one rounding, where two would differ", () => {
    const x = 1 + 2 ** -30;
    expect(fusedMultiplyAdd(x, x, -(x * x))).toBe(2 ** -60); // x*x - x*x as two roundings is 0
  });
  test("subnormal results round once to even", () => {
    expect(fusedMultiplyAdd(2 ** -1074, 0.5, 2 ** -1074)).toBe(2 ** -1073); // 1.5 units -> 2
    expect(fusedMultiplyAdd(2 ** -1074, 0.5, 2 ** -1073)).toBe(2 ** -1073); // 2.5 units -> 2, not 3
    expect(fusedMultiplyAdd(2 ** -1074, 1 / 255, -0.485)).toBe(-0.485);
  });
  test("exact cancellation is +0, overflow is Infinity", () => {
    expect(Object.is(fusedMultiplyAdd(3, 0.5, -1.5), 0)).toBe(true);
    expect(fusedMultiplyAdd(1e300, 1e10, 1)).toBe(Infinity);
  });
  test("an offset of zero keeps the sign of a zero product", () => {
    expect(Object.is(referenceConvert(-0, "f32", "f32", 2, 0), -0)).toBe(true);
    expect(Object.is(referenceConvert(-0, "f32", "f32", 1, 0), -0)).toBe(true);
  });
});

test("the committed conformance hashes are what the reference computes", () => {
  const lines: string[] = [];
  for (const [source, destination] of pairs) {
    const src = inputs(source);
    cases.forEach(([scale, offset], c) => {
      const out = new arrayTypes[destination](count);
      for (let i = 0; i < count; i++) out[i] = referenceConvert(src[i]!, source, destination, scale, offset);
      lines.push(`${source}->${destination} case ${c}: ${fnv1a(new Uint8Array(out.buffer)).toString(16).padStart(8, "0")}`);
    });
  }
  const committed = readFileSync(join(import.meta.dir, "convert-hashes.txt"), "utf8").trimEnd().split("\n");
  expect(lines).toEqual(committed);
});
