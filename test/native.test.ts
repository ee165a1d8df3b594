/** The library itself: its catalog agrees with src/catalog.ts, and its exports guard themselves. */
import { expect, test } from "bun:test";
import { dlopen } from "bun:ffi";
import { OP_NAMES } from "../src/catalog.ts";
import { kernelSymbol, native } from "../src/native.ts";

test("the library exports one kernel per op and backend, plus the naive loops", () => {
  for (const variant of [...native.backends, "naive" as const]) {
    for (const op of OP_NAMES) expect(native.symbols).toContain(kernelSymbol(op, variant));
  }
  expect(native.symbols.every((name) => name.startsWith("nsimd_"))).toBe(true);
});

test("the raw exports refuse a null pointer, a partial overlap, and do nothing for n = 0", () => {
  const raw = dlopen(native.path, {
    [kernelSymbol("add", "scalar")]: { args: ["ptr", "ptr", "ptr", "u32"], returns: "i32" },
  }).symbols[kernelSymbol("add", "scalar")]! as unknown as (a: unknown, b: unknown, out: unknown, n: number) => number;
  const a = new Float32Array([1, 2, 3, 4]);
  const out = new Float32Array(8).fill(9);
  expect(raw(null, a, out, 4)).toBe(1);
  expect(raw(a, a, null, 4)).toBe(1);
  expect(raw(null, null, null, 0)).toBe(0);
  expect(raw(out.subarray(1, 5), a, out.subarray(0, 4), 4)).toBe(2);
  expect([...out]).toEqual([9, 9, 9, 9, 9, 9, 9, 9]);
  expect(raw(a, a, out, 4)).toBe(0);
  expect([...out.subarray(0, 4)]).toEqual([2, 4, 6, 8]);
});
