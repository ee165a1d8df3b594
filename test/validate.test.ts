/** Every validation rule: the right error class, the exact message, and nothing written. */
import { describe, expect, test } from "bun:test";
import * as nano from "../src/index.ts";
import { resizableBuffersWork } from "./helpers.ts";

const SENTINEL = 777;
const f32 = (n: number, value = 1) => new Float32Array(n).fill(value);

/** Calls `call`, expects it to throw `kind` with `message`, and `out` to be untouched. */
function expectRejected(call: () => unknown, kind: typeof TypeError | typeof RangeError, message: string | RegExp, out?: Float32Array) {
  const before = out?.slice();
  expect(call).toThrow(kind);
  expect(call).toThrow(message);
  if (out && before) expect([...out]).toEqual([...before]);
}

describe("buffer API: argument types", () => {
  const good = () => f32(4);
  const cases: [string, unknown, string][] = [
    ["Float64Array", new Float64Array(4), "Float64Array"],
    ["Array", [1, 2, 3, 4], "Array"],
    ["null", null, "null"],
    ["undefined", undefined, "undefined"],
    ["number (bun:ffi would take it as an address)", 0x1000, "number"],
    ["plain object with length", { length: 4, byteOffset: 0 }, "Object"],
    ["ArrayBuffer", new ArrayBuffer(16), "ArrayBuffer"],
    ["DataView", new DataView(new ArrayBuffer(16)), "DataView"],
    ["Uint32Array", new Uint32Array(4), "Uint32Array"],
  ];
  for (const [label, value, got] of cases) {
    test(`${label} is a TypeError naming the argument`, () => {
      const out = f32(4, SENTINEL);
      if (typeof value !== "number") {
        // (A number input is broadcast: see test/shapes.)
        const mixed = value instanceof Float64Array ? " (one dtype per call)" : "";
        expectRejected(() => nano.addInto(value as Float32Array, good(), out), TypeError, `a must be a Float32Array (like out) or a number, got ${got}${mixed}`, out);
        expectRejected(() => nano.subInto(good(), value as Float32Array, out), TypeError, `b must be a Float32Array (like out) or a number, got ${got}${mixed}`, out);
      }
      // out decides the dtype: a Float64Array out makes the Float32Array a the odd one.
      const outMessage = value instanceof Float64Array ? "a must be a Float64Array (like out) or a number, got Float32Array (one dtype per call)" : `out must be a Float32Array or a Float64Array, got ${got}`;
      expectRejected(() => nano.mulInto(good(), good(), value as Float32Array), TypeError, outMessage);
    });
  }
});

describe("buffer API: lengths", () => {
  test("unequal lengths are a RangeError giving all three", () => {
    const out = f32(4, SENTINEL);
    expectRejected(() => nano.addInto(f32(3), f32(4), out), RangeError, "a, b and out must have the same length, got a.length=3, b.length=4, out.length=4", out);
    expectRejected(() => nano.divInto(f32(4), f32(4), f32(5)), RangeError, "got a.length=4, b.length=4, out.length=5");
  });

  test("empty arrays are valid and return out at once", () => {
    const out = new Float32Array(0);
    expect(nano.addInto(new Float32Array(0), new Float32Array(0), out)).toBe(out);
  });
});

describe("buffer API: memory that is gone", () => {
  test("a detached array is a TypeError saying detached", () => {
    const detached = f32(4);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    const out = f32(4, SENTINEL);
    expectRejected(() => nano.addInto(detached, f32(4), out), TypeError, "a is detached", out);
    expectRejected(() => nano.addInto(f32(4), f32(4), detached), TypeError, "out is detached");
    const empty = new Float32Array(0);
    expectRejected(() => nano.addInto(empty, empty, detached), TypeError, "out is detached");
  });

  test.skipIf(!resizableBuffersWork())("a view left outside its shrunken resizable buffer is a TypeError", () => {
    const buffer = new ArrayBuffer(64, { maxByteLength: 64 });
    const view = new Float32Array(buffer, 16, 4);
    buffer.resize(8);
    expect(view.length).toBe(0);
    const out = f32(4, SENTINEL);
    expectRejected(() => nano.addInto(view, f32(4), out), TypeError, "a is out of bounds", out);
    const empty = new Float32Array(0);
    expectRejected(() => nano.addInto(empty, empty, view), TypeError, "out is out of bounds");
  });
});

describe("buffer API: overlap", () => {
  test("partial overlap of out with a or b is a RangeError naming the input and the byte ranges", () => {
    const memory = new Float32Array(16).fill(SENTINEL);
    const a = memory.subarray(0, 8);
    const out = memory.subarray(1, 9);
    expectRejected(() => nano.addInto(a, f32(8), out), RangeError, "out partially overlaps a: out covers bytes [4, 36) and a covers bytes [0, 32) of the same buffer", memory);
    const b = new Float32Array(memory.buffer, 12, 8);
    expectRejected(() => nano.addInto(f32(8), b, out), RangeError, "out partially overlaps b: out covers bytes [4, 36) and b covers bytes [12, 44)", memory);
  });

  test("exact aliasing is fine, and a and b may overlap each other", () => {
    const memory = new Float32Array([1, 2, 3, 4, 5, 6]);
    const a = memory.subarray(0, 4);
    const b = memory.subarray(2, 6);
    const out = new Float32Array(4);
    expect([...nano.addInto(a, b, out)]).toEqual([4, 6, 8, 10]);
    expect([...nano.addInto(a, out, a)]).toEqual([5, 8, 11, 14]);
  });

  test("neighbouring views of one buffer do not overlap", () => {
    const memory = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...nano.addInto(memory.subarray(0, 4), memory.subarray(0, 4), memory.subarray(4, 8))]).toEqual([2, 4, 6, 8]);
  });
});

describe("list API", () => {
  const levels = { js: nano.addJs, naive: nano.addNaive, simd: nano.add };
  for (const [level, add] of Object.entries(levels)) {
    test(`${level}: non-array-likes and non-numbers are TypeErrors naming the argument and index`, () => {
      expect(() => add(null as never, [1])).toThrow(new TypeError("a must be an array-like of numbers, got null"));
      expect(() => add([1], 5 as never)).toThrow(new TypeError("b must be an array-like of numbers, got number"));
      expect(() => add({ length: -1 } as never, [])).toThrow("a must be an array-like of numbers, got Object with length -1");
      expect(() => add([1, "2" as never], [1, 2])).toThrow(new TypeError("a[1] must be a number, got string"));
      expect(() => add([1, 2], [1, 2n as never])).toThrow(new TypeError("b[1] must be a number, got bigint"));
      // eslint-disable-next-line no-sparse-arrays
      expect(() => add([1, , 3] as never, [1, 2, 3])).toThrow(new TypeError("a[1] must be a number, got undefined"));
    });

    test(`${level}: unequal lengths are a RangeError`, () => {
      expect(() => add([1, 2], [1])).toThrow(new RangeError("a and b must have the same length, got a.length=2, b.length=1"));
    });
  }
});
