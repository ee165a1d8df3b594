/** The library itself: its catalog agrees with src/catalog.ts, and its exports guard themselves. */
import { describe, expect, test } from "bun:test";
import { dlopen } from "bun:ffi";
import { STATUS } from "../src/catalog.ts";
import { kernelSymbol, native } from "../src/native.ts";
import { expectOk } from "../src/status.ts";
import { ROOT } from "../src/locate.ts";
import { BUN, OP_NAMES, reference, snapshot, unchanged } from "./helpers.ts";

test("the library exports one kernel per op and backend, plus the naive loops", () => {
  for (const variant of [...native.backends, "naive" as const]) {
    for (const op of OP_NAMES) expect(native.kernelSymbols).toContain(kernelSymbol(op, "f32", variant));
  }
  expect(native.kernelSymbols.every((name) => name.startsWith("nsimd_"))).toBe(true);
});

test("the raw exports refuse a null pointer, a partial overlap, and do nothing for n = 0", () => {
  const raw = dlopen(native.path, {
    [kernelSymbol("add", "f32", "scalar")]: { args: ["ptr", "ptr", "ptr", "u32", "u32"], returns: "i32" },
  }).symbols[kernelSymbol("add", "f32", "scalar")]! as unknown as (a: unknown, b: unknown, out: unknown, n: number, broadcast?: number) => number;
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

test("status numbers and their texts come from zig/abi.zig: what the library returns is what the errors quote", () => {
  const raw = dlopen(native.path, {
    [kernelSymbol("add", "f32", "scalar")]: { args: ["ptr", "ptr", "ptr", "u32", "u32"], returns: "i32" },
  }).symbols[kernelSymbol("add", "f32", "scalar")]! as unknown as (a: unknown, b: unknown, out: unknown, n: number, broadcast: number) => number;
  const a = new Float32Array(4);
  expect(raw(null, a, a, 4, 0)).toBe(STATUS.null_pointer);
  expect(raw(a, a, a, 4, 0b100)).toBe(STATUS.bad_broadcast);
  expect(native.kernel("argmax", "f32", "scalar")(a.subarray(0, 0), 0, new Float64Array(1))).toBe(STATUS.empty);
  expect(() => expectOk(STATUS.null_pointer)).toThrow(new Error("nano-simd internal error: the native kernel refused a null pointer with a non-zero length; nothing was written"));
  expect(() => expectOk(STATUS.empty)).toThrow("refused argmin or argmax of an empty array;");
  expect(() => expectOk(99)).toThrow("refused status 99;");
  expect(() => expectOk(STATUS.ok)).not.toThrow();
});

describe("every raw export checks its own preconditions, so a wrapper bug cannot become a wild write", () => {
  type Raw = (a: unknown, b: unknown, out: unknown, n: number, broadcast?: number) => number;
  // `ptr` arguments, as a careless C caller would declare them: null and raw addresses get through.
  const declared = Object.fromEntries(
    [...native.backends, "naive" as const].flatMap((variant) => OP_NAMES.map((op) => [kernelSymbol(op, "f32", variant), { args: ["ptr", "ptr", "ptr", "u32", "u32"], returns: "i32" }])),
  ) as Record<string, { args: ["ptr", "ptr", "ptr", "u32", "u32"]; returns: "i32" }>;
  const raw = dlopen(native.path, declared).symbols as unknown as Record<string, Raw>;
  const runnable = [...native.runnable, "naive" as const];

  for (const variant of runnable) {
    test(`${variant}: null with n > 0 is status 1, partial overlap status 2, an address range past the top status 3; nothing written`, () => {
      for (const op of OP_NAMES) {
        const call = raw[kernelSymbol(op, "f32", variant)]!;
        const memory = new Float32Array(64).fill(5);
        const before = snapshot(memory.buffer);
        const a = memory.subarray(0, 20);
        const b = memory.subarray(20, 40);
        expect(call(null, b, memory.subarray(40, 60), 20)).toBe(1);
        expect(call(a, null, memory.subarray(40, 60), 20)).toBe(1);
        expect(call(a, b, null, 20)).toBe(1);
        expect(call(null, null, null, 0)).toBe(0);
        for (let shift = 1; shift <= 17; shift++) {
          expect(call(memory.subarray(shift, shift + 20), b, a, 20)).toBe(2);
          expect(call(a, b, memory.subarray(shift, shift + 20), 20)).toBe(2);
          expect(call(a, memory.subarray(20 + shift, 40 + shift), b, 20)).toBe(2);
          expect(call(a, memory.subarray(20 - shift, 40 - shift), b, 20)).toBe(2);
        }
        expect(call(a, b, 2n ** 64n - 4096n, 2 ** 30)).toBe(3); // a BigInt: bun:ffi cannot pass such an address as a number
        expect(unchanged(memory.buffer, before)).toBe(true);
        // and the same exports compute when all is well, in place included
        expect(call(a, b, memory.subarray(40, 60), 20)).toBe(0);
        expect(call(a, a, a, 20)).toBe(0);
        expect(memory[0]).toBe(reference(op, 5, 5));
      }
    });
  }
});

test("an a or b range past the top of the address space is status 3 on every export, not a crash (issue 9, finding 5)", () => {
  // In a child process: before the fix, \`input + bytes\` overflowed and the call segfaulted.
  const script = `
    import { dlopen } from "bun:ffi";
    import { CATALOG } from "./src/catalog.ts";
    import { kernelSymbol, native } from "./src/native.ts";
    // Each shape's C signature (zig/library.zig), with ptr so that raw addresses get through.
    const SIGNATURES = {
      unary: ["ptr", "ptr", "u32", "u32"], binary: ["ptr", "ptr", "ptr", "u32", "u32"], ternary: ["ptr", "ptr", "ptr", "ptr", "u32", "u32"],
      reduce: ["ptr", "u32", "ptr"], index: ["ptr", "u32", "ptr"], reduce2: ["ptr", "ptr", "u32", "ptr"], rows: ["ptr", "ptr", "ptr", "u32", "u32"],
    };
    const declared = {};
    const shapes = {};
    for (const op of Object.keys(CATALOG.ops)) {
      for (const dtype of CATALOG.ops[op].dtypes) for (const variant of native.runnable) {
        declared[kernelSymbol(op, dtype, variant)] = { args: SIGNATURES[CATALOG.ops[op].shape], returns: "i32" };
        shapes[kernelSymbol(op, dtype, variant)] = CATALOG.ops[op].shape;
      }
    }
    for (const op of CATALOG.listOps) {
      declared[kernelSymbol(op, "f32", "naive")] = { args: SIGNATURES.binary, returns: "i32" };
      shapes[kernelSymbol(op, "f32", "naive")] = "binary";
    }
    const raw = dlopen(native.path, declared).symbols;
    const memory = new Float64Array(64);
    const top = 2n ** 64n - 4096n; // a BigInt: bun:ffi cannot pass such an address as a number
    const statuses = [];
    const result = new Float64Array(1);
    for (const name of Object.keys(declared)) {
      const shape = shapes[name];
      const args = declared[name].args.map((type) => (type === "ptr" ? memory : 2 ** 20));
      if (shape === "reduce" || shape === "index") args[2] = result;
      if (shape === "reduce2") args[3] = result;
      if (shape === "unary" || shape === "binary" || shape === "ternary") args[args.length - 1] = 0; // no broadcast
      // Each array input in turn starts near the top of the address space.
      const inputs = shape === "reduce" || shape === "index" ? 1 : shape === "reduce2" || shape === "rows" || shape === "binary" ? 2 : shape === "unary" ? 1 : 3;
      for (let k = 0; k < inputs; k++) {
        const call = args.slice();
        call[k] = top;
        statuses.push(raw[name](...call));
      }
    }
    console.log(JSON.stringify({ count: statuses.length, distinct: [...new Set(statuses)] }));
  `;
  const run = Bun.spawnSync([BUN, "-e", script], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  expect(run.stderr.toString()).toBe("");
  expect(run.signalCode ?? null).toBeNull();
  const result = JSON.parse(run.stdout.toString()) as { count: number; distinct: number[] };
  expect(result.count).toBeGreaterThan(50); // every input of every export of every runnable backend
  expect(result.distinct).toEqual([3]);
});
