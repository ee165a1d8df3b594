/** The buffer API on every backend: every op, every length, unaligned views, bit for bit. */
import { describe, expect, test } from "bun:test";
import * as nano from "../src/index.ts";
import { native } from "../src/native.ts";
import { LENGTHS, OP_NAMES, firstMismatch, randomFloats, seeded, withBackend } from "./helpers.ts";

const INTO = { add: nano.addInto, sub: nano.subInto, mul: nano.mulInto, div: nano.divInto };

describe.each(nano.backends())("backend %s", (name) => {
  test.each(OP_NAMES)("%sInto matches Math.fround at every length", (op) => {
    withBackend(name, () => {
      expect(nano.backend()).toBe(name);
      const random = seeded(LENGTHS.length * op.length);
      for (const n of LENGTHS) {
        const a = randomFloats(n, random);
        const b = randomFloats(n, random);
        const out = new Float32Array(n).fill(12345);
        expect(INTO[op](a, b, out)).toBe(out);
        const at = firstMismatch(op, a, b, out);
        if (at !== -1) throw new Error(`${name} ${op} n=${n}: element ${at}: ${a[at]} ${op} ${b[at]} gave ${out[at]}`);
      }
    });
  });

  test.each(OP_NAMES)("%sInto works on views at odd element offsets", (op) => {
    withBackend(name, () => {
      const random = seeded(7);
      for (const n of [1, 7, 8, 9, 16, 17, 33, 257]) {
        for (const offset of [1, 2, 3, 5]) {
          const a = randomFloats(n + 8, random).subarray(offset, offset + n);
          const b = randomFloats(n + 8, random).subarray(8 - offset, 8 - offset + n);
          const out = new Float32Array(n + 8).subarray(offset + 1, offset + 1 + n);
          INTO[op](a, b, out);
          expect(firstMismatch(op, a, b, out)).toBe(-1);
        }
      }
    });
  });

  test.each(OP_NAMES)("%sInto in place: out may be exactly a or b", (op) => {
    withBackend(name, () => {
      const random = seeded(11);
      for (const n of [1, 15, 16, 17, 100]) {
        const a = randomFloats(n, random);
        const b = randomFloats(n, random);
        const intoA = a.slice();
        INTO[op](intoA, b, intoA);
        expect(firstMismatch(op, a, b, intoA)).toBe(-1);
        const intoB = b.slice();
        INTO[op](a, intoB, intoB);
        expect(firstMismatch(op, a, b, intoB)).toBe(-1);
        const both = a.slice();
        INTO[op](both, both, both);
        expect(firstMismatch(op, a, a, both)).toBe(-1);
      }
    });
  });
});

test.each(nano.backends())("%s: the streaming-store kernels (forced at every length) match too", (name) => {
  const threshold = native.streamingThresholdBytes();
  expect(threshold).toBeGreaterThan(1000);
  native.setStreamingThresholdBytes(1);
  try {
    withBackend(name, () => {
      const random = seeded(5);
      for (const op of OP_NAMES) {
        for (const n of LENGTHS.filter((n) => n < 5000)) {
          for (const offset of [0, 1, 2, 3, 5, 7]) {
            const a = randomFloats(n, random);
            const b = randomFloats(n, random);
            const out = new Float32Array(n + 8).subarray(offset, offset + n);
            INTO[op](a, b, out);
            const at = firstMismatch(op, a, b, out);
            if (at !== -1) throw new Error(`${name} streaming ${op} n=${n} offset=${offset}: element ${at}`);
          }
        }
      }
    });
  } finally {
    native.setStreamingThresholdBytes(0);
  }
  expect(native.streamingThresholdBytes()).toBe(threshold);
});

test.each(OP_NAMES)("auto mode: %sInto is exact at every length from 0 to 70, nothing written around out", (op) => {
  nano.setBackend("auto");
  const random = seeded(13);
  for (let n = 0; n <= 70; n++) {
    const a = randomFloats(n, random);
    const b = randomFloats(n, random);
    const out = new Float32Array(n + 2).fill(-1).subarray(1, n + 1);
    INTO[op](a, b, out);
    expect(firstMismatch(op, a, b, out)).toBe(-1);
    expect([new Float32Array(out.buffer)[0], new Float32Array(out.buffer)[n + 1]]).toEqual([-1, -1]);
  }
});

test("the inspiration's example: [1,2,3,4] + [10,20,30,40]", () => {
  const out = new Float32Array(4);
  expect([...nano.addInto(new Float32Array([1, 2, 3, 4]), new Float32Array([10, 20, 30, 40]), out)]).toEqual([11, 22, 33, 44]);
});
