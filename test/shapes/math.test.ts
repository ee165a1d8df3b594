/**
 * The math functions on their hardest inputs, on every backend this CPU runs:
 * bit for bit the correctly rounded results in test/reference/math-hardest.ts,
 * both as one array (full vectors) and one element at a time (the tail path).
 * These inputs lie so close to a float32 rounding boundary that the rounding
 * test must send them to the float128 slow path: a slow path that answers
 * wrongly fails here on every backend (seen: nudging its result by one ULP
 * failed all 24 tests). The float64 fast path alone happens to round these
 * 96 correctly (a build with the rounding test off still passed), so the
 * results cannot show that the rounding test works; the library's count of
 * lanes sent to the slow path can, and the second test per function checks
 * that every one of them went there, in the whole vectors and in the tail.
 * The other math tests (elementwise.test.ts) cover every length, offset and
 * special value against JS's Math within the declared bound.
 */
import { describe, expect, test } from "bun:test";
import * as nano from "../../src/index.ts";
import { backends, seeded, withBackend } from "../helpers.ts";
import { native } from "../../src/native.ts";
import { HARDEST } from "../reference/math-hardest.ts";
import { SINGLE_TIER_TRAPS } from "../reference/math-single-tier.ts";
import { MATH_OPS } from "../../src/catalog.ts";

const INTO: Record<keyof typeof HARDEST, (a: Float32Array, out: Float32Array) => Float32Array> = {
  exp: nano.expInto,
  log: nano.logInto,
  tanh: nano.tanhInto,
  sigmoid: nano.sigmoidInto,
  sin: nano.sinInto,
  cos: nano.cosInto,
};

test("every math function of the catalog (a ULP contract) has hardest inputs here, and nothing else does", () => {
  expect(Object.keys(HARDEST).sort()).toEqual([...MATH_OPS].sort());
});

const hex = (bits: number) => `0x${bits.toString(16).padStart(8, "0")}`;
/** One input and its result, as bit patterns: the form every failure here prints. */
const arrow = (x: number, y: number) => `${hex(x)} -> ${hex(y)}`;

/** `fn` on `a` as one array (whole vectors), then one element at a time (the tail path). */
function wholeAndSingle(fn: keyof typeof HARDEST, a: Float32Array): { whole: Float32Array; single: Float32Array } {
  const whole = new Float32Array(a.length);
  INTO[fn](a, whole);
  const single = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) INTO[fn](a.subarray(i, i + 1), single.subarray(i, i + 1));
  return { whole, single };
}

/** 2^16 ordinary inputs of `fn`: uniform over its usual range, then log-uniform magnitudes. */
function ordinaryInputs(fn: keyof typeof HARDEST): Float32Array {
  const a = new Float32Array(1 << 16);
  const random = seeded(12345);
  for (let i = 0; i < a.length; i++) {
    const magnitude = i % 2 === 0 ? random() * 87 : 2 ** (random() * 12 - 6);
    a[i] = fn === "log" ? Math.abs(magnitude) + 1e-3 : random() < 0.5 ? -magnitude : magnitude;
  }
  return a;
}

// A float32 tier returns its own results only for vectors whose every lane
// it settles, which the trap tests above never see. Here most vectors are
// settled by the tier on avx512 (about 95-97%), and every result must equal
// the scalar backend's, which has no tier: both claim correct rounding.
describe.each(backends().filter((b) => b !== "scalar"))("on %s against scalar", (backend) => {
  for (const fn of Object.keys(SINGLE_TIER_TRAPS) as (keyof typeof HARDEST)[]) {
    test(`${fn}: 2^16 ordinary inputs, bit for bit`, () => {
      const inputs = ordinaryInputs(fn);
      const expected = withBackend("scalar", () => INTO[fn](inputs, new Float32Array(inputs.length)));
      const got = withBackend(backend, () => INTO[fn](inputs, new Float32Array(inputs.length)));
      const differ: string[] = [];
      const e = new Uint32Array(expected.buffer), g = new Uint32Array(got.buffer), x = new Uint32Array(inputs.buffer);
      for (let i = 0; i < x.length && differ.length < 5; i++) if (e[i] !== g[i]) differ.push(`${hex(x[i]!)}: ${hex(g[i]!)} against ${hex(e[i]!)}`);
      expect(differ).toEqual([]);
    });
  }
});

describe.each(backends())("on %s", (backend) => {
  for (const [fn, pairs] of Object.entries(SINGLE_TIER_TRAPS) as [keyof typeof HARDEST, readonly (readonly [number, number])[]][]) {
    test(`${fn}: the ${pairs.length} inputs its float32 tier alone would round wrongly are correctly rounded, each alone in a vector`, () => {
      withBackend(backend, () => {
        // One call of 16 elements per trap (n = 16: no alignment head, one
        // whole vector), the trap in lane t % 16 among inputs every tier
        // settles (0, or 1 for log: ln 1 = 0 exactly): its one unsure lane
        // must redo the vector.
        const got = pairs.map(([x], t) => {
          const inputs = new Float32Array(16).fill(fn === "log" ? 1 : 0);
          inputs[t % 16] = new Float32Array(new Uint32Array([x]).buffer)[0]!;
          const out = new Float32Array(16);
          INTO[fn](inputs, out);
          return arrow(x, new Uint32Array(out.buffer)[t % 16]!);
        });
        expect(got).toEqual(pairs.map(([x, y]) => arrow(x, y)));
      });
    });
  }
  for (const fn of Object.keys(HARDEST) as (keyof typeof HARDEST)[]) {
    const pairs = HARDEST[fn];
    const inputs = new Float32Array(new Uint32Array(pairs.map(([x]) => x)).buffer);
    const expected = pairs.map(([x, y]) => arrow(x, y));
    test(`${fn}: the ${pairs.length} inputs closest to a rounding boundary are correctly rounded`, () => {
      withBackend(backend, () => {
        const { whole, single } = wholeAndSingle(fn, inputs);
        const bits = (out: Float32Array) => Array.from(new Uint32Array(out.buffer), (y, i) => arrow(pairs[i]![0], y));
        expect(bits(whole)).toEqual(expected);
        expect(bits(single)).toEqual(expected);
      });
    });
    test(`${fn}: the rounding test sends each of them to the float128 slow path`, () => {
      withBackend(backend, () => {
        const before = native.mathSlowLanes(backend);
        wholeAndSingle(fn, inputs);
        expect(native.mathSlowLanes(backend) - before).toBe(2 * pairs.length);
      });
    });
  }
});
