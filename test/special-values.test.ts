/**
 * Special values on every backend, bit for bit against Math.fround: NaN
 * (payloads and signs too), ±Infinity, ±0, the smallest and largest
 * subnormals, the smallest normal, the largest finite, division by zero.
 * Every pair of them, at every lane position and in the scalar tail. The
 * kernels must not flush subnormals to zero, neither as inputs (DAZ) nor as
 * results (FTZ).
 */
import { describe, expect, test } from "bun:test";
import type { ListOp as Op } from "../src/catalog.ts";
import { INTO, LIST_LEVELS, OP_NAMES, backends, reference, sameFloat32, withBackend } from "./helpers.ts";

const fromBits = (bits: number) => new Float32Array(new Uint32Array([bits]).buffer)[0]!;
const bitsOf = (value: number) => new Uint32Array(new Float32Array([value]).buffer)[0]!;

const MIN_SUBNORMAL = fromBits(0x00000001); // 1.4e-45
const MAX_SUBNORMAL = fromBits(0x007fffff);
const MIN_NORMAL = fromBits(0x00800000); // 1.1754944e-38
const MAX_FINITE = fromBits(0x7f7fffff); // 3.4028235e38

const SPECIAL_VALUES: number[] = [
  NaN,
  fromBits(0x7fc00001), // a quiet NaN with a payload
  fromBits(0xffc12345), // a negative one
  fromBits(0x7f800001), // a signalling NaN
  Infinity,
  -Infinity,
  0,
  -0,
  MIN_SUBNORMAL,
  -MIN_SUBNORMAL,
  MAX_SUBNORMAL,
  -MAX_SUBNORMAL,
  MIN_NORMAL,
  -MIN_NORMAL,
  MAX_FINITE,
  -MAX_FINITE,
  1,
  -1,
  0.5,
  2,
  3,
  Math.fround(1 / 3),
  fromBits(0x33800000), // 2^-24: half an ulp of 1
];

/** Every (x, y) pair of special values, laid out one after another. */
function allPairs(): [Float32Array, Float32Array] {
  const count = SPECIAL_VALUES.length;
  const a = new Float32Array(count * count);
  const b = new Float32Array(count * count);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < count; j++) {
      a[i * count + j] = SPECIAL_VALUES[i]!;
      b[i * count + j] = SPECIAL_VALUES[j]!;
    }
  }
  return [a, b];
}

function expectExact(where: string, op: Op, a: ArrayLike<number>, b: ArrayLike<number>, out: ArrayLike<number>): void {
  for (let i = 0; i < a.length; i++) {
    const expected = reference(op, a[i]!, b[i]!);
    if (!sameFloat32(expected, out[i]!)) {
      throw new Error(`${where}: ${a[i]} ${op} ${b[i]} should be ${expected} (0x${bitsOf(expected).toString(16)}), got ${out[i]} (0x${bitsOf(out[i]!).toString(16)})`);
    }
  }
}

describe.each(backends())("on %s", (name) => {
  test.each(OP_NAMES)("%s: every pair of special values, at every lane position and in the tail", (op) => {
    const [pairsA, pairsB] = allPairs();
    withBackend(name, () => {
      // Shifting the start by 0..16 elements moves each pair through every
      // lane of every vector width; trimming the end moves pairs into the tail.
      for (let shift = 0; shift <= 16; shift++) {
        for (const trim of [0, 1, 3, 7, 15]) {
          const n = pairsA.length - shift - trim;
          const a = pairsA.subarray(shift, shift + n);
          const b = pairsB.subarray(shift, shift + n);
          const out = new Float32Array(n + 16).subarray(shift % 4, (shift % 4) + n);
          INTO[op](a, b, out);
          expectExact(`${name} ${op}Into shift=${shift} trim=${trim}`, op, a, b, out);
        }
      }
      for (const [level, fns] of Object.entries(LIST_LEVELS)) {
        expectExact(`${name} ${level} ${op}`, op, pairsA, pairsB, fns[op](pairsA, pairsB));
      }
    });
  });

  test("subnormals are neither read as zero nor written as zero", () => {
    withBackend(name, () => {
      const cases: [Op, number, number, number][] = [
        ["add", MIN_SUBNORMAL, 0, MIN_SUBNORMAL],
        ["add", MIN_SUBNORMAL, MIN_SUBNORMAL, fromBits(0x00000002)],
        ["sub", MIN_NORMAL, MAX_SUBNORMAL, MIN_SUBNORMAL],
        ["mul", MAX_SUBNORMAL, 1, MAX_SUBNORMAL],
        ["mul", -MIN_SUBNORMAL, -1, MIN_SUBNORMAL],
        ["mul", MIN_NORMAL, 0.5, fromBits(0x00400000)],
        ["div", MIN_NORMAL, 2, fromBits(0x00400000)],
        ["div", MIN_SUBNORMAL, 1, MIN_SUBNORMAL],
        ["div", MIN_SUBNORMAL, MIN_SUBNORMAL, 1],
        ["div", 1, MAX_SUBNORMAL, fromBits(0x7e800001)],
      ];
      // Expected values are written as bits, not computed: JavaScript's own
      // arithmetic on this thread would be flushed too if a kernel set FTZ/DAZ.
      for (const [op, x, y, expected] of cases) {
        // 40 copies: the vector loop and the tail both see the case.
        const out = INTO[op](new Float32Array(40).fill(x), new Float32Array(40).fill(y), new Float32Array(40));
        for (const value of out) expect(bitsOf(value)).toBe(bitsOf(expected));
      }
    });
  });

  test("the kernels leave this thread's floating-point state alone", () => {
    withBackend(name, () => {
      for (const op of OP_NAMES) INTO[op](new Float32Array(40).fill(MIN_SUBNORMAL), new Float32Array(40).fill(MIN_NORMAL), new Float32Array(40));
    });
    // Runtime values, so that nothing is folded at compile time: JavaScript's
    // doubles still keep their subnormals (no FTZ/DAZ left behind in MXCSR).
    const runtime = [Number.MIN_VALUE, 0.5];
    const tiny = runtime[0]!;
    const half = runtime[1]!;
    expect(tiny + 0).toBe(Number.MIN_VALUE);
    expect(2.2250738585072014e-308 * half).toBe(1.1125369292536007e-308);
    expect(Math.fround(MIN_NORMAL * half)).toBe(fromBits(0x00400000));
  });

  test("division by zero, overflow and invalid operations follow IEEE 754", () => {
    withBackend(name, () => {
      const cases: [Op, number, number, number][] = [
        ["div", 1, 0, Infinity],
        ["div", -1, 0, -Infinity],
        ["div", 1, -0, -Infinity],
        ["div", -MIN_SUBNORMAL, -0, Infinity],
        ["div", 0, 0, NaN],
        ["div", Infinity, Infinity, NaN],
        ["div", 1, Infinity, 0],
        ["div", -1, Infinity, -0],
        ["mul", MAX_FINITE, 2, Infinity],
        ["mul", 0, Infinity, NaN],
        ["mul", -0, 5, -0],
        ["add", MAX_FINITE, MAX_FINITE, Infinity],
        ["add", Infinity, -Infinity, NaN],
        ["add", -0, -0, -0],
        ["add", 0, -0, 0],
        ["sub", -0, 0, -0],
        ["sub", 0, 0, 0],
        ["sub", Infinity, Infinity, NaN],
      ];
      for (const [op, x, y, expected] of cases) {
        const out = INTO[op](new Float32Array(19).fill(x), new Float32Array(19).fill(y), new Float32Array(19));
        for (const value of out) {
          if (!sameFloat32(expected, value)) throw new Error(`${name}: ${x} ${op} ${y} should be ${expected}, got ${value}`);
        }
      }
    });
  });
});
