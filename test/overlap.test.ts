/**
 * Aliasing, on every backend and op: every partial overlap of `out` with `a`
 * or `b` is a RangeError before anything is written, however the views were
 * made (subarray, `new Float32Array(buffer, byteOffset, length)`, two buffer
 * objects over the same shared memory); exact aliasing gives the right answer.
 * The native side decides, on real addresses (status 2).
 */
import { describe, expect, test } from "bun:test";
import { BACKENDS, lanes } from "../src/catalog.ts";
import * as nano from "../src/index.ts";
import { INTO, OP_NAMES, backends, firstMismatch, randomFloats, seeded, snapshot, unchanged, withBackend } from "./helpers.ts";

/** Shifts of 1..W+1 elements for the widest vector compiled anywhere, and then some. */
const WIDEST = Math.max(...BACKENDS.map((name) => lanes(name, "f32")));
const SHIFTS = Array.from({ length: WIDEST + 1 }, (_, i) => i + 1);
const OVERLAP_LENGTHS = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 18, 31, 33, 100];

type ViewMaker = (memory: Float32Array, start: number, n: number) => Float32Array;
const MAKERS: Record<string, ViewMaker> = {
  subarray: (memory, start, n) => memory.subarray(start, start + n),
  "new Float32Array(buffer, byteOffset, length)": (memory, start, n) => new Float32Array(memory.buffer, memory.byteOffset + start * 4, n),
};

describe.each(backends())("on %s", (name) => {
  for (const [how, make] of Object.entries(MAKERS)) {
    test(`every partial overlap of out with a or b is refused before anything is written (views by ${how})`, () => {
      const random = seeded(99);
      withBackend(name, () => {
        for (const op of OP_NAMES) {
          for (const n of OVERLAP_LENGTHS) {
            const margin = WIDEST + 2;
            const memory = randomFloats(n + 2 * margin, random);
            const other = randomFloats(n, random);
            for (const shift of SHIFTS.flatMap((k) => [k, -k])) {
              const input = make(memory, margin, n);
              const out = make(memory, margin + shift, n);
              const before = snapshot(memory.buffer);
              const call = (a: Float32Array, b: Float32Array) => () => INTO[op](a, b, out);
              if (Math.abs(shift) < n) {
                for (const [label, a, b] of [["a", input, other], ["b", other, input], ["a", input, input]] as const) {
                  expect(call(a, b)).toThrow(RangeError);
                  expect(call(a, b)).toThrow(`out partially overlaps ${label}: out covers bytes [${out.byteOffset}, ${out.byteOffset + 4 * n}) and ${label} covers bytes [${input.byteOffset}, ${input.byteOffset + 4 * n}) of the same buffer`);
                  if (!unchanged(memory.buffer, before)) throw new Error(`${op} n=${n} shift=${shift}: memory changed`);
                }
              } else {
                // Neighbours, not overlapping: computed, and right.
                const a = input.slice();
                INTO[op](input, other, out);
                expect(firstMismatch(op, a, other, out)).toBe(-1);
                new Uint8Array(memory.buffer).set(before);
              }
            }
          }
        }
      });
    });
  }

  test("exact aliasing is right: the same view, or another view of exactly the same bytes", () => {
    const random = seeded(5);
    withBackend(name, () => {
      for (const op of OP_NAMES) {
        for (const n of OVERLAP_LENGTHS) {
          const values = randomFloats(n + 8, random);
          const others = randomFloats(n, random);
          for (const [how, make] of Object.entries(MAKERS)) {
            const memory = values.slice();
            const a = make(memory, 3, n);
            const twin = make(memory, 3, n);
            expect(twin).not.toBe(a);
            const originalA = a.slice();
            INTO[op](a, others, twin);
            if (firstMismatch(op, originalA, others, twin) !== -1) throw new Error(`${how} ${op} n=${n}: in place into a twin view is wrong`);
            const both = make(values.slice(), 1, n);
            const originalBoth = both.slice();
            INTO[op](both, both, both);
            expect(firstMismatch(op, originalBoth, originalBoth, both)).toBe(-1);
          }
        }
      }
    });
  });

  test("a and b may overlap each other in any way", () => {
    const random = seeded(6);
    withBackend(name, () => {
      for (const op of OP_NAMES) {
        const memory = randomFloats(64, random);
        for (const shift of SHIFTS) {
          const a = memory.subarray(0, 40);
          const b = memory.subarray(shift, shift + 40);
          const out = new Float32Array(40);
          INTO[op](a, b, out);
          expect(firstMismatch(op, a, b, out)).toBe(-1);
        }
      }
    });
  });

  test("containing and contained views (different lengths) are refused before anything is written", () => {
    withBackend(name, () => {
      const memory = new Float32Array(64).fill(3);
      const before = snapshot(memory.buffer);
      const whole = memory.subarray(0, 32);
      for (const [inner, outer] of [[memory.subarray(4, 20), whole], [memory.subarray(0, 16), whole], [memory.subarray(16, 32), whole]] as const) {
        expect(() => INTO.add(outer, new Float32Array(outer.length), inner)).toThrow(RangeError);
        expect(() => INTO.add(inner, new Float32Array(inner.length), outer)).toThrow(RangeError);
        expect(() => INTO.add(new Float32Array(inner.length), outer, inner)).toThrow(RangeError);
      }
      expect(unchanged(memory.buffer, before)).toBe(true);
    });
  });

  test("two buffer objects over the same shared memory: overlap is still found, exact aliasing still works", () => {
    withBackend(name, () => {
      const shared = new SharedArrayBuffer(64 * 4);
      const twin = structuredClone(shared); // another SharedArrayBuffer object, the same memory
      expect(twin).not.toBe(shared);
      const memory = new Float32Array(shared).fill(2);
      const before = snapshot(shared);
      const a = new Float32Array(shared, 0, 20);
      const out = new Float32Array(twin, 4, 20);
      expect(() => INTO.add(a, new Float32Array(20), out)).toThrow("out partially overlaps a: out covers bytes [4, 84) and a covers bytes [0, 80) of the same memory (through two buffer objects)");
      expect(unchanged(shared, before)).toBe(true);
      const sameBytes = new Float32Array(twin, 0, 20);
      INTO.mul(a, new Float32Array(20).fill(3), sameBytes);
      expect([...memory.subarray(0, 21)]).toEqual([...Array(20).fill(6), 2]);
    });
  });
});

describe("the overlap error reads nothing from the arrays after the native refusal", () => {
  // A subclass's length getter can answer honestly while the call is checked
  // and lie afterwards; BYTES_PER_ELEMENT is an ordinary property. The
  // message's byte ranges come from the checked call, so neither can turn
  // the RangeError into another error or misname the argument.
  test("a length getter that changes its answer after the check: still the RangeError naming a", () => {
    const memory = new Float32Array(64);
    let reads = 0;
    class Shifty extends Float32Array {
      override get length() {
        return reads++ === 0 ? 8 : 1;
      }
    }
    const a = new Shifty(memory.buffer, 0, 8);
    const out = new Float32Array(memory.buffer, 8, 8);
    expect(() => nano.addInto(a, new Float32Array(8), out)).toThrow(
      new RangeError("out partially overlaps a: out covers bytes [8, 40) and a covers bytes [0, 32) of the same buffer. Pass the same array for in-place work, or non-overlapping memory."),
    );
  });

  test("a redefined BYTES_PER_ELEMENT: rows and conversion overlaps still name the right argument and bytes", () => {
    const memory = new Float32Array(64);
    const out = new Float32Array(memory.buffer, 8, 4);
    Object.defineProperty(out, "BYTES_PER_ELEMENT", { value: 0 });
    expect(() => nano.dotRowsInto(new Float32Array(memory.buffer, 0, 8), new Float32Array(2), out)).toThrow(
      "out overlaps rows: out covers bytes [8, 24) and rows covers bytes [0, 32) of the same memory.",
    );
    const src = new Float32Array(memory.buffer, 0, 4);
    Object.defineProperty(src, "BYTES_PER_ELEMENT", { value: 1e9 });
    expect(() => nano.convertInto(src, new Int8Array(memory.buffer, 8, 4))).toThrow(
      "out overlaps src: out covers bytes [8, 12) and src covers bytes [0, 16) of the same memory.",
    );
  });
});
