/** The list API: three levels, one answer, bit for bit, on every backend. */
import { expect, test } from "bun:test";
import * as nano from "../src/index.ts";
import { LENGTHS, OP_NAMES, firstMismatch, forEachBackend, randomFloats, seeded } from "./helpers.ts";

const LEVELS = {
  js: { add: nano.addJs, sub: nano.subJs, mul: nano.mulJs, div: nano.divJs },
  naive: { add: nano.addNaive, sub: nano.subNaive, mul: nano.mulNaive, div: nano.divNaive },
  simd: { add: nano.add, sub: nano.sub, mul: nano.mul, div: nano.div },
};

test.each(OP_NAMES)("%s: all three levels equal Math.fround(a op b), inputs given as doubles", (op) => {
  const random = seeded(3);
  forEachBackend(() => {
    for (const n of LENGTHS.filter((n) => n < 5000)) {
      // Doubles that are not float32 values: every level must round the inputs first.
      const a = Array.from(randomFloats(n, random), (x) => x * (1 + 2 ** -40));
      const b = Array.from(randomFloats(n, random), (x) => x + 2 ** -60);
      for (const [level, fns] of Object.entries(LEVELS)) {
        const result = fns[op](a, b);
        expect(Array.isArray(result)).toBe(true);
        const at = firstMismatch(op, a, b, result);
        if (at !== -1) throw new Error(`${level} ${op} n=${n} at ${at}: ${a[at]} ${op} ${b[at]} gave ${result[at]}`);
      }
    }
  });
});

test("the inspiration's example at every level", () => {
  const a = [1, 2, 3, 4];
  const b = [10, 20, 30, 40];
  expect(nano.addJs(a, b)).toEqual([11, 22, 33, 44]);
  expect(nano.addNaive(a, b)).toEqual([11, 22, 33, 44]);
  expect(nano.add(a, b)).toEqual([11, 22, 33, 44]);
});

test("any array-like works as input: typed arrays and {length, 0: ...}", () => {
  expect(nano.mul(new Float64Array([1.5, 2]), { length: 2, 0: 2, 1: 4 })).toEqual([3, 8]);
  expect(nano.sub([], [])).toEqual([]);
});

test("an element getter that calls back into nano-simd does not corrupt the outer call", () => {
  const tricky = [1, 2, 3];
  Object.defineProperty(tricky, 1, { get: () => (nano.add([100, 100, 100], [100, 100, 100]), 2) });
  expect(nano.add(tricky, [10, 20, 30])).toEqual([11, 22, 33]);
  expect(nano.addNaive([10, 20, 30], tricky)).toEqual([11, 22, 33]);
});
