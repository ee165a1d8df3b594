/**
 * Guard bands: `out` is a view in the middle of a larger buffer full of a
 * sentinel, at every element offset 0..15 (every alignment up to 64 bytes),
 * for every length 0..300 and a few large ones, every op, every backend this
 * CPU runs, and the naive loop. After each call every byte outside `out` must
 * still be the sentinel, every byte of the inputs' buffers unchanged, and
 * `out` right bit for bit. A kernel that writes one element too many, or
 * one too few, fails here.
 */
import { describe, expect, test } from "bun:test";
import { native } from "../src/native.ts";
import { OP_NAMES, INTO, backends, randomFloats, reference, seeded, snapshot, unchanged, withBackend } from "./helpers.ts";
import type { ListOp as Op } from "../src/catalog.ts";

/** Sentinel floats on each side of every view: 256 bytes, four AVX-512 vectors. */
const GUARD = 64;
const OFFSETS = Array.from({ length: 16 }, (_, i) => i);
const GUARD_LENGTHS = [...Array.from({ length: 301 }, (_, i) => i), 1000, 4099, 65539, 100003];

/** A signalling NaN: no arithmetic result has these bits, so a stray write always shows. */
const OUT_SENTINEL = 0x7fa5a5a5;
/** Around the inputs: an ordinary float, so that reading past them computes something plausible. */
const INPUT_SENTINEL = Math.fround(Math.PI);

const isNaNBits = (bits: number) => (bits & 0x7fffffff) > 0x7f800000;

interface Layout {
  a: Float32Array;
  b: Float32Array;
  out: Float32Array;
  outBits: Uint32Array;
  outStart: number;
}

/** Three guarded buffers; a and b hold `values`, at offsets that differ from out's so alignments mix. */
function layout(n: number, offset: number, valuesA: Float32Array, valuesB: Float32Array): Layout {
  const total = GUARD + 16 + n + GUARD;
  const guarded = (at: number, values: Float32Array) => {
    const whole = new Float32Array(total).fill(INPUT_SENTINEL);
    const view = new Float32Array(whole.buffer, (GUARD + at) * 4, n);
    view.set(values);
    return view;
  };
  const outBits = new Uint32Array(total).fill(OUT_SENTINEL);
  const outStart = GUARD + offset;
  return {
    a: guarded((offset + 5) % 16, valuesA),
    b: guarded((offset + 11) % 16, valuesB),
    out: new Float32Array(outBits.buffer, outStart * 4, n),
    outBits,
    outStart,
  };
}

/** Empty when all is well; otherwise what went wrong, for the failure message. */
function inspect(where: string, { outBits, outStart }: Layout, expectedBits: Uint32Array): string {
  const n = expectedBits.length;
  for (let i = 0; i < outBits.length; i++) {
    const bits = outBits[i]!;
    if (i < outStart || i >= outStart + n) {
      if (bits !== OUT_SENTINEL) return `${where}: wrote outside out, at element ${i - outStart} (out has ${n})`;
    } else {
      const expected = expectedBits[i - outStart]!;
      if (bits !== expected && !(isNaNBits(bits) && isNaNBits(expected))) return `${where}: out[${i - outStart}] is wrong`;
    }
  }
  return "";
}

type Compute = (op: Op, a: Float32Array, b: Float32Array, out: Float32Array) => void;

function runGuardBands(label: string, compute: Compute): void {
  const random = seeded(0x6a4d);
  const problems: string[] = [];
  let calls = 0;
  for (const n of GUARD_LENGTHS) {
    const valuesA = randomFloats(n, random);
    const valuesB = randomFloats(n, random);
    const expected = Object.fromEntries(
      OP_NAMES.map((op) => [op, new Uint32Array(Float32Array.from(valuesA, (x, i) => reference(op, x, valuesB[i]!)).buffer)]),
    ) as Record<Op, Uint32Array>;
    for (const offset of OFFSETS) {
      const place = layout(n, offset, valuesA, valuesB);
      const beforeA = snapshot(place.a.buffer);
      const beforeB = snapshot(place.b.buffer);
      for (const op of OP_NAMES) {
        place.outBits.fill(OUT_SENTINEL);
        compute(op, place.a, place.b, place.out);
        calls++;
        const where = `${label} ${op} n=${n} offset=${offset}`;
        const problem = inspect(where, place, expected[op]) || (unchanged(place.a.buffer, beforeA) && unchanged(place.b.buffer, beforeB) ? "" : `${where}: an input changed`);
        if (problem !== "") problems.push(problem);
      }
    }
  }
  expect(problems.slice(0, 5)).toEqual([]);
  expect(calls).toBe(GUARD_LENGTHS.length * OFFSETS.length * OP_NAMES.length);
}

describe("guard bands", () => {
  for (const name of backends()) {
    test(`${name}: nothing outside out changes, out is exact`, () => {
      withBackend(name, () => runGuardBands(name, (op, a, b, out) => INTO[op](a, b, out)));
    });
  }

  test("naive: nothing outside out changes, out is exact", () => {
    runGuardBands("naive", (op, a, b, out) => expect(native.naiveKernel(op)(a, b, out, out.length, 0)).toBe(0));
  });
});
