/**
 * Hostile arguments, on every backend and every op: each one gives the right
 * result, or a TypeError/RangeError with a clear message and nothing written.
 * Never a crash, never a wrong answer.
 */
import { describe, expect, test } from "bun:test";
import { types } from "node:util";
import { runInNewContext } from "node:vm";
import * as nano from "../src/index.ts";
import { INTO, LIST_LEVELS, OP_NAMES, backends, reference, resizableBuffersWork, sameFloat32, snapshot, unchanged, withBackend } from "./helpers.ts";
import { NOT_FLOAT32, detached, disguised, lengthTracking, lying, outOfBounds } from "./hostile-values.ts";

const N = 4;
const A_VALUES = [1.5, -2, 3.25, 1e-45];
const B_VALUES = [4, 0.5, -0, 3];
const SENTINEL = 777;

const freshA = () => new Float32Array(A_VALUES);
const freshB = () => new Float32Array(B_VALUES);
const freshOut = (n = N) => new Float32Array(n).fill(SENTINEL);

/** a, b and out as length-tracking views of buffers made by `create`, then resized by `resize`. */
function tracking<T extends ArrayBuffer | SharedArrayBuffer>(create: () => T, resize: (buffer: T, bytes: number) => void) {
  const make = (values: number[]) => lengthTracking(create(), resize, values);
  return { a: make(A_VALUES), b: make(B_VALUES), out: make(Array(N).fill(SENTINEL)) };
}

/** Genuine Float32Arrays, however odd: the right result. `n` is how many elements get computed. */
const GENUINE: [string, () => { a: Float32Array; b: Float32Array; out: Float32Array; n?: number }, needsResizable?: boolean][] = [
  ["a subclass instance", () => {
    class Vector extends Float32Array {
      norm() {
        return Math.hypot(...this);
      }
    }
    return { a: Vector.from(A_VALUES) as Float32Array, b: freshB(), out: new Vector(N).fill(SENTINEL) };
  }],
  ["own byteOffset, byteLength, buffer and Symbol.toStringTag that lie", () => ({
    a: lying(freshA(), { byteOffset: 1 << 20, byteLength: 1 << 30 }),
    b: lying(freshB(), { buffer: new ArrayBuffer(1 << 10), [Symbol.toStringTag]: "Float64Array" }),
    out: lying(freshOut(), { byteOffset: -4, buffer: null }),
  })],
  ["an own length smaller than the array, on all three: computes that many", () => ({
    a: lying(freshA(), { length: 2 }),
    b: lying(freshB(), { length: 2 }),
    out: lying(freshOut(), { length: 2 }),
    n: 2,
  })],
  ["a non-extensible array", () => ({ a: Object.preventExtensions(freshA()), b: freshB(), out: Object.preventExtensions(freshOut()) })],
  ["a Float32Array from another realm (node:vm)", () => ({
    a: runInNewContext(`new Float32Array([${A_VALUES.join(",")}])`) as Float32Array,
    b: freshB(),
    out: runInNewContext(`new Float32Array(${N}).fill(${SENTINEL})`) as Float32Array,
  })],
  ["views of a SharedArrayBuffer", () => {
    const shared = new Float32Array(new SharedArrayBuffer(3 * N * 4));
    shared.set(A_VALUES, 0);
    shared.set(B_VALUES, N);
    return { a: shared.subarray(0, N), b: shared.subarray(N, 2 * N), out: shared.subarray(2 * N).fill(SENTINEL) };
  }],
  ["length-tracking views of a growable SharedArrayBuffer, grown after they were made", () =>
    tracking(() => new SharedArrayBuffer(8, { maxByteLength: 64 }), (buffer, bytes) => buffer.grow(bytes)), true],
  ["length-tracking views of resizable ArrayBuffers, shrunk after they were made", () =>
    tracking(() => new ArrayBuffer(64, { maxByteLength: 64 }), (buffer, bytes) => buffer.resize(bytes)), true],
  ["a fixed-length view of a resizable buffer that is still in bounds", () => {
    const buffer = new ArrayBuffer(64, { maxByteLength: 128 });
    const out = new Float32Array(buffer, 8, N).fill(SENTINEL);
    buffer.resize(8 + N * 4);
    return { a: freshA(), b: freshB(), out };
  }, true],
];

/** Calls `call` and expects `kind` with `message`, and no byte of `watched` changed. */
function expectRefused(call: () => unknown, kind: ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor, message: string | RegExp, watched: ArrayBufferLike[]): void {
  const before = watched.map(snapshot);
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(kind);
  expect((thrown as Error).message).toMatch(message);
  watched.forEach((buffer, i) => expect(unchanged(buffer, before[i]!)).toBe(true));
}

describe.each(backends())("buffer API on %s", (name) => {
  for (const [label, make, got] of NOT_FLOAT32) {
    test(`${label}: TypeError naming the argument, nothing written`, () => {
      withBackend(name, () => {
        for (const op of OP_NAMES) {
          const out = freshOut();
          const value = make(N);
          // A number input is broadcast (test/shapes covers it); out never may be one.
          if (typeof value !== "number") {
            expectRefused(() => INTO[op](value as Float32Array, freshB(), out), TypeError, `a must be a Float32Array (like out) or a number, ${typeof got === "string" ? got : ""}`, [out.buffer]);
            expectRefused(() => INTO[op](freshA(), value as Float32Array, out), TypeError, "b must be a Float32Array (like out) or a number, got", [out.buffer]);
          }
          const a = freshA();
          const outMessage = types.isFloat64Array(value) ? "a must be a Float64Array (like out) or a number, got Float32Array" : "out must be a Float32Array or a Float64Array, got";
          expectRefused(() => INTO[op](a, freshB(), value as Float32Array), TypeError, outMessage, [a.buffer]);
        }
      });
    });
  }

  for (const [label, make, needsResizable] of GENUINE) {
    test.skipIf(needsResizable === true && !resizableBuffersWork())(`${label}: the right result`, () => {
      withBackend(name, () => {
        for (const op of OP_NAMES) {
          const { a, b, out, n = N } = make();
          expect(INTO[op](a, b, out)).toBe(out);
          for (let i = 0; i < N; i++) {
            const expected = i < n ? reference(op, A_VALUES[i]!, B_VALUES[i]!) : SENTINEL;
            if (!sameFloat32(expected, Float32Array.prototype.at.call(out, i)!)) throw new Error(`${op} element ${i}: expected ${expected}, got ${out[i]}`);
          }
        }
      });
    });
  }

  test("an own length larger than the array: RangeError, nothing written", () => {
    withBackend(name, () => {
      for (const op of OP_NAMES) {
        const [a, b, out] = [freshA(), freshB(), freshOut()];
        const watched = [a.buffer, b.buffer, out.buffer];
        for (const view of [a, b, out]) lying(view, { length: 1e9 });
        expectRefused(() => INTO[op](a, b, out), RangeError, "a.length says 1000000000 but a holds only 4 elements", watched);
        lying(a, { length: N });
        lying(b, { length: N });
        expectRefused(() => INTO[op](a, b, out), RangeError, "got a.length=4, b.length=4, out.length=1000000000", watched);
        expectRefused(() => INTO[op](a, b, lying(freshOut(2), { length: N })), RangeError, "out.length says 4 but out holds only 2 elements", watched);
      }
    });
  });

  test("a subclass whose length getter lies: RangeError; a length that is not a number is never coerced", () => {
    withBackend(name, () => {
      class Liar extends Float32Array {
        override get length() {
          return 1 << 20;
        }
      }
      const out = freshOut();
      expectRefused(() => nano.addInto(Liar.from(A_VALUES), freshB(), out), RangeError, "got a.length=1048576, b.length=4, out.length=4", [out.buffer]);
      let coerced = false;
      const sneaky = { valueOf: () => ((coerced = true), N) };
      const [a, b] = [freshA(), freshB()];
      for (const view of [a, b, out]) lying(view, { length: sneaky });
      expectRefused(() => nano.addInto(a, b, out), RangeError, "out.length must be a non-negative integer, got Object", [out.buffer]);
      expect(coerced).toBe(false);
      for (const view of [a, b, out]) lying(view, { length: 2.5 });
      expectRefused(() => nano.addInto(a, b, out), RangeError, "out.length must be a non-negative integer, got 2.5", [out.buffer]);
    });
  });

  test("detached views are TypeErrors saying so", () => {
    withBackend(name, () => {
      for (const op of OP_NAMES) {
        const out = freshOut();
        expectRefused(() => INTO[op](detached(N), freshB(), out), TypeError, "a is detached", [out.buffer]);
        expectRefused(() => INTO[op](freshA(), detached(N), out), TypeError, "b is detached", [out.buffer]);
        expectRefused(() => INTO[op](freshA(), freshB(), detached(N)), TypeError, "out is detached", []);
        expectRefused(() => INTO[op](detached(N), detached(N), detached(N)), TypeError, "a is detached", []);
      }
    });
  });

  test.skipIf(!resizableBuffersWork())("views left outside a shrunken resizable buffer are TypeErrors saying so", () => {
    withBackend(name, () => {
      for (const op of OP_NAMES) {
        const out = freshOut();
        expectRefused(() => INTO[op](outOfBounds(N), freshB(), out), TypeError, "a is out of bounds", [out.buffer]);
        expectRefused(() => INTO[op](freshA(), outOfBounds(N), out), TypeError, "b is out of bounds", [out.buffer]);
        const oob = outOfBounds(N);
        expect(oob.length).toBe(0); // it looks empty, and bun:ffi would pass a non-null pointer
        expectRefused(() => INTO[op](new Float32Array(0), new Float32Array(0), oob), TypeError, "out is out of bounds", [oob.buffer]);
      }
    });
  });

  test.skipIf(!resizableBuffersWork())("a getter that shrinks another argument's buffer while the arguments are checked: refused, never a crash", () => {
    withBackend(name, () => {
      const shrinking = new ArrayBuffer(N * 4, { maxByteLength: N * 4 });
      const a = new Float32Array(shrinking, 0, N);
      a.set(A_VALUES);
      class Saboteur extends Float32Array {
        override get length() {
          shrinking.resize(0);
          return N;
        }
      }
      const out = Saboteur.from(Array(N).fill(SENTINEL));
      expectRefused(() => nano.addInto(a, freshB(), out), TypeError, "a is out of bounds", [out.buffer]);
    });
  });

  test("a getter that detaches another argument while the arguments are checked: refused, never a crash", () => {
    withBackend(name, () => {
      const transferable = freshB();
      class Thief extends Float32Array {
        override get length() {
          if (!transferable.buffer.detached) structuredClone(transferable.buffer, { transfer: [transferable.buffer] });
          return N;
        }
      }
      const out = Thief.from(Array(N).fill(SENTINEL));
      expectRefused(() => nano.mulInto(freshA(), transferable, out), TypeError, "b is detached", [out.buffer]);
    });
  });

  test("a getter that throws: its own exception passes through, nothing written", () => {
    withBackend(name, () => {
      const out = freshOut();
      const a = freshA();
      Object.defineProperty(a, "length", {
        get() {
          throw new SyntaxError("from the caller's own getter");
        },
      });
      expectRefused(() => nano.addInto(a, freshB(), out), SyntaxError as unknown as ErrorConstructor, "from the caller's own getter", [out.buffer]);
    });
  });
});

describe.each(Object.keys(LIST_LEVELS) as (keyof typeof LIST_LEVELS)[])("list API, level %s", (level) => {
  const fns = LIST_LEVELS[level];
  const run = (body: () => void) => (level === "js" ? body() : backends().forEach((name) => withBackend(name, body)));

  test("not an array-like, or a length that is not one: TypeError naming the argument", () => {
    const cases: [unknown, string][] = [
      [null, "got null"],
      [undefined, "got undefined"],
      [5, "got number"],
      ["1234", "got string"],
      [7n, "got bigint"],
      [Symbol("x"), "got symbol"],
      [{}, "got Object with length undefined"],
      [{ length: -1 }, "got Object with length -1"],
      [{ length: 1.5 }, "got Object with length 1.5"],
      [{ length: NaN }, "got Object with length NaN"],
      [{ length: Infinity }, "got Object with length Infinity"],
      [{ length: "3" }, "got Object with length of type string"],
      [{ length: 3n }, "got Object with length of type bigint"],
      [{ length: 2 ** 53 }, "got Object with length 9007199254740992"],
    ];
    run(() => {
      for (const op of OP_NAMES) {
        for (const [value, message] of cases) {
          expect(() => fns[op](value as number[], [1])).toThrow(TypeError);
          expect(() => fns[op](value as number[], [1])).toThrow(`a must be an array-like of numbers, ${message}`);
          expect(() => fns[op]([1], value as number[])).toThrow(`b must be an array-like of numbers, ${message}`);
        }
        expect(() => fns[op]({ length: 2 ** 32 }, { length: 2 ** 32 })).toThrow(new RangeError("a has 4294967296 elements; at most 4294967295 are supported"));
      }
    });
  });

  test("elements that are not numbers: TypeError naming argument and index", () => {
    const cases: [unknown, string][] = [
      ["1", "got string"],
      [1n, "got bigint"],
      [null, "got null"],
      [undefined, "got undefined"],
      [new Number(1), "got Number"],
      [Symbol("x"), "got symbol"],
      [[1], "got Array"],
    ];
    run(() => {
      for (const op of OP_NAMES) {
        for (const [value, message] of cases) {
          expect(() => fns[op]([1, value as number, 3], [1, 2, 3])).toThrow(new TypeError(`a[1] must be a number, ${message}`));
          expect(() => fns[op]([1, 2, 3], [1, 2, value as number])).toThrow(new TypeError(`b[2] must be a number, ${message}`));
        }
        expect(() => fns[op]([1, 2, , 4] as number[], [1, 2, 3, 4])).toThrow(new TypeError("a[2] must be a number, got undefined"));
        expect(() => fns[op]({ length: 3, 0: 1 } as ArrayLike<number>, [1, 2, 3])).toThrow(new TypeError("a[1] must be a number, got undefined"));
        expect(() => fns[op](new BigInt64Array(2) as unknown as number[], [1, 2])).toThrow(new TypeError("a[0] must be a number, got bigint"));
      }
    });
  });

  test("Proxies and array-likes of every kind: the right result, length read once", () => {
    run(() => {
      for (const op of OP_NAMES) {
        const check = (a: ArrayLike<number>, b: ArrayLike<number>, valuesA = A_VALUES, valuesB = B_VALUES) => {
          const result = fns[op](a, b);
          expect(result.length).toBe(N);
          result.forEach((value, i) => expect(sameFloat32(reference(op, valuesA[i]!, valuesB[i]!), value)).toBe(true));
        };
        check(new Proxy([...A_VALUES], {}), new Proxy(Object.assign({ length: N }, B_VALUES), {}));
        let reads = 0;
        const shifty = new Proxy([...A_VALUES], { get: (target, key) => (key === "length" ? (reads++ === 0 ? N : 1e9) : Reflect.get(target, key)) });
        check(shifty, B_VALUES);
        expect(reads).toBe(1);
        for (const Kind of [Float64Array, Float32Array, Float16Array, Int32Array, Int8Array, Uint8ClampedArray]) {
          check(Kind.from([1, 2, 3, 4]) as unknown as ArrayLike<number>, B_VALUES, [1, 2, 3, 4]);
        }
        check(Float64Array.from(A_VALUES), Float64Array.from(B_VALUES));
      }
    });
  });

  test("element getters that shrink or throw: a TypeError or their own exception, never a read past the end", () => {
    run(() => {
      const shrinking = [1, 2, 3, 4];
      Object.defineProperty(shrinking, 0, { get: () => (shrinking.length = 1, 1), configurable: true });
      expect(() => fns.add(shrinking, [1, 2, 3, 4])).toThrow(new TypeError("a[1] must be a number, got undefined"));
      const throwing = new Proxy([1, 2], { get: (t, k) => { if (k === "1") throw new EvalError("trap"); return Reflect.get(t, k); } });
      expect(() => fns.add(throwing, [1, 2])).toThrow(EvalError);
      expect(() => fns.add(new Proxy([1, 2], { get: () => { throw new EvalError("length trap"); } }), [1, 2])).toThrow(EvalError);
    });
  });

  test("unequal lengths: RangeError giving both", () => {
    run(() => expect(() => fns.add([1, 2], { length: 3, 0: 1, 1: 2, 2: 3 })).toThrow(new RangeError("a and b must have the same length, got a.length=2, b.length=3")));
  });
});
