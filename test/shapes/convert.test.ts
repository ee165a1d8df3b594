/**
 * The conversion shape: every pair of the catalog x every backend this CPU
 * runs, bit for bit against the independent reference
 * (test/reference/convert.ts): random bit patterns and special values, every
 * float16 bit pattern, rounding ties, saturation edges, scale and offset
 * (PCM and image normalisation), tails and guard bands; bad pairs, lengths,
 * scales and overlap refused before anything is written.
 */
import { describe, expect, test } from "bun:test";
import { CONVERSIONS } from "../../src/catalog.ts";
import { convertInto, type ConvertibleArray } from "../../src/index.ts";
import { native } from "../../src/native.ts";
import { backends, resizableBuffersWork, seeded, snapshot, unchanged, withBackend } from "../helpers.ts";
import { arrayTypes, referenceConvert, type ElementType } from "../reference/convert.ts";

/** The pairs to test: the catalog's, with Uint8ClampedArray wherever Uint8Array is. */
const PAIRS: [ElementType, ElementType][] = [];
for (const [from, to] of CONVERSIONS) {
  PAIRS.push([from, to]);
  if (from === "u8") PAIRS.push(["u8c", to]);
  if (to === "u8") PAIRS.push([from, "u8c"]);
}

/**
 * Lengths of every test below. From 2,048 elements an 8-bit source on the
 * avx512 backend takes a 256-entry byte table where the CPU has AVX-512 VBMI
 * (zig/convert.zig byteTableLoop), so 8-bit sources are also tested past it.
 */
function lengthsFor(from: ElementType, lengths: number[]): number[] {
  return from === "u8" || from === "u8c" || from === "i8" ? [...lengths, 2048, 2100] : lengths;
}

const SCALES: [number, number][] = [[1, 0], [1 / 32768, 0], [32768, 0], [1 / 255, -0.485], [0.1, 3], [-2.5, 1e-7], [1e30, -1], [3, 0.5]];

/** Random source values: random bit patterns of the source type, plus its edges. */
function sourceValues(type: ElementType, n: number, random: () => number): ConvertibleArray {
  const values = new arrayTypes[type](n) as ConvertibleArray;
  const bytes = new Uint8Array(values.buffer);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  const edges = [0, -0, 1, -1, 0.5, 1.5, 2.5, -2.5, 127.5, 255.5, 32767.5, -32768.5, 65504, 65520, 1e-8, NaN, Infinity, -Infinity, 3.4e38, 2 ** 31];
  for (let i = 0; i < n; i += 3) values[i] = edges[Math.floor(random() * edges.length)]!;
  // Signaling NaNs, both signs: a JS store would quiet them, so they go in as
  // bits. A clamp that LLVM lowers to AArch64's fmaxnm turns them into NaN
  // (zig/convert_check.zig once saw 0xff9d9b9f -> Uint8 255 that way).
  const signaling = SIGNALING_NAN_BITS[type];
  if (signaling) {
    const bits = new signaling.bits(values.buffer as ArrayBuffer);
    for (let i = 1, k = 0; i < n; i += 5, k++) bits[i] = signaling.patterns[k % signaling.patterns.length]!;
  }
  return values;
}

/** Signaling NaN bit patterns of the float types, with the view that writes them. */
const SIGNALING_NAN_BITS: Partial<Record<ElementType, { bits: typeof Uint16Array | typeof Uint32Array | typeof BigUint64Array; patterns: (number | bigint)[] }>> = {
  f16: { bits: Uint16Array, patterns: [0x7c01, 0xfd00, 0x7dff] },
  f32: { bits: Uint32Array, patterns: [0x7f800001, 0xff9d9b9f, 0x7fbfffff] },
  f64: { bits: BigUint64Array, patterns: [0x7ff0000000000001n, 0xfff4000000000000n, 0x7ff7ffffffffffffn] },
};

function expectMatches(from: ElementType, to: ElementType, src: ConvertibleArray, out: ConvertibleArray, scale: number, offset: number, label: string): void {
  for (let i = 0; i < src.length; i++) {
    // An integer array cannot hold -0: the reference's -0 is its 0.
    const expected = referenceConvert(src[i]!, from, to, scale, offset) + (to[0] === "f" ? -0 : 0);
    if (!Object.is(expected, out[i]) && !(Number.isNaN(expected) && Number.isNaN(out[i]!))) {
      throw new Error(`${label} ${from}->${to} scale=${scale} offset=${offset} i=${i}: src ${src[i]}, expected ${expected}, got ${out[i]}`);
    }
  }
}

describe.each(backends())("on %s", (backend) => {
  for (const [from, to] of PAIRS) {
    test(`${from} -> ${to}: the same arrays again and again (the branded fast path), bit for bit`, () => {
      withBackend(backend, () => {
        const random = seeded(from.length * 11 + to.charCodeAt(1));
        const src = sourceValues(from, 40, random);
        const out = new arrayTypes[to](40) as ConvertibleArray;
        // About one call in 8 brands its arrays; the calls after that take the fast path.
        for (let call = 0; call < 64; call++) {
          const [scale, offset] = SCALES[call % SCALES.length]!;
          convertInto(src, out, scale, offset);
          expectMatches(from, to, src, out, scale, offset, `${backend} call ${call}`);
        }
      });
    });

    test(`${from} -> ${to}: random values and edges, every scale and offset, every tail, bit for bit`, () => {
      withBackend(backend, () => {
        const random = seeded(from.length * 7 + to.charCodeAt(1));
        for (const [scale, offset] of SCALES) {
          for (const n of lengthsFor(from, [0, 1, 3, 7, 8, 15, 16, 17, 33, 100, 1030])) {
            const src = sourceValues(from, n, random);
            const out = new arrayTypes[to](n) as ConvertibleArray;
            expect(convertInto(src, out, scale, offset)).toBe(out);
            expectMatches(from, to, src, out, scale, offset, backend);
          }
        }
      });
    });

    test(`${from} -> ${to}: nothing written outside out (guard bands), streaming stores included, bit for bit`, () => {
      withBackend(backend, () => {
        const random = seeded(3);
        const before = native.streamingThresholdBytes();
        try {
          for (const threshold of [0, 1]) {
            native.setStreamingThresholdBytes(threshold); // 1 forces streaming stores at every length
            for (const n of lengthsFor(from, [1, 5, 31, 64, 200])) {
              for (const offset of [0, 1, 3]) {
                const Out = arrayTypes[to];
                const memory = new Out(n + 32 + offset).fill(7) as ConvertibleArray;
                const out = new Out(memory.buffer as ArrayBuffer, (16 + offset) * Out.BYTES_PER_ELEMENT, n) as ConvertibleArray;
                const src = sourceValues(from, n, random);
                convertInto(src, out, 0.75, 0.125);
                for (let i = 0; i < memory.length; i++) {
                  const inside = i >= 16 + offset && i < 16 + offset + n;
                  if (!inside && memory[i] !== 7) throw new Error(`threshold ${threshold}, n=${n} offset=${offset}: element ${i - 16 - offset} relative to out was written`);
                }
                expectMatches(from, to, src, out, 0.75, 0.125, `${backend} threshold ${threshold}`);
              }
            }
          }
        } finally {
          native.setStreamingThresholdBytes(0);
        }
        expect(native.streamingThresholdBytes()).toBe(before);
      });
    });
  }

  test("every float16 bit pattern to float32 and float64 equals reading the Float16Array", () => {
    withBackend(backend, () => {
      const halves = new Float16Array(new Uint16Array(65536).map((_, i) => i).buffer);
      const f32 = convertInto(halves, new Float32Array(65536));
      const f64 = convertInto(halves, new Float64Array(65536));
      for (let i = 0; i < 65536; i++) {
        if (!Object.is(f32[i], halves[i]) && !(Number.isNaN(f32[i]!) && Number.isNaN(halves[i]!))) throw new Error(`f16 bits ${i} -> f32: ${f32[i]} vs ${halves[i]}`);
        if (!Object.is(f64[i], halves[i]) && !(Number.isNaN(f64[i]!) && Number.isNaN(halves[i]!))) throw new Error(`f16 bits ${i} -> f64: ${f64[i]} vs ${halves[i]}`);
      }
    });
  });

  test("float32 and float64 to float16: every tie, the overflow edge and the subnormal edge round as a Float16Array store does", () => {
    withBackend(backend, () => {
      // Midpoints between consecutive float16 values, and their float32/float64 neighbours.
      const values: number[] = [65519.99, 65520, 65520.01, 65504, -65520, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 2 ** -26, 2 ** -14, 2 ** -14 - 2 ** -25];
      const halves = new Float16Array(new Uint16Array(31744).map((_, i) => i).buffer); // every finite non-negative half
      for (let i = 0; i + 1 < halves.length; i += 7) {
        const mid = (halves[i]! + halves[i + 1]!) / 2;
        values.push(mid, -mid, Math.fround(mid), mid + 2 ** -40 * Math.max(mid, 2 ** -24));
      }
      for (const Source of [Float32Array, Float64Array]) {
        const src = Source.from(values);
        const out = convertInto(src, new Float16Array(src.length));
        const expected = Float16Array.from(src);
        for (let i = 0; i < src.length; i++) if (!Object.is(out[i], expected[i])) throw new Error(`${Source.name} ${src[i]} -> f16: ${out[i]}, a store gives ${expected[i]}`);
      }
    });
  });

  test("integer outputs: half to even, saturation at ±0.5 around every limit, NaN -> 0, ±Infinity saturates", () => {
    withBackend(backend, () => {
      for (const to of ["i32", "i16", "u16", "i8", "u8", "u8c"] as const) {
        const Out = arrayTypes[to];
        const low = to === "i32" ? -(2 ** 31) : to === "i16" ? -32768 : to === "i8" ? -128 : 0;
        const high = to === "i32" ? 2 ** 31 - 1 : to === "i16" ? 32767 : to === "u16" ? 65535 : to === "i8" ? 127 : 255;
        const values = [NaN, Infinity, -Infinity, 0.5, 1.5, 2.5, -0.5, -1.5, low - 0.5, low - 0.49, low + 0.5, high + 0.5, high + 0.49, high - 0.5, low - 1e9, high + 1e9];
        const src = Float64Array.from(values, (x) => (to === "i32" ? x : Math.fround(x)));
        const out = convertInto(Float32Array.from(src), new Out(src.length) as ConvertibleArray);
        expectMatches("f32", to, Float32Array.from(src), out, 1, 0, backend);
        expect(out[0]).toBe(0); // NaN
        expect(out[1]).toBe(high);
        expect(out[2]).toBe(low);
        expect([out[3], out[4], out[5]]).toEqual([0, 2, 2]); // ties to even
      }
      // JavaScript's own store wraps; convertInto saturates.
      const wrapped = new Int16Array(1);
      wrapped[0] = 40000;
      expect(wrapped[0]).toBe(-25536);
      expect(convertInto(Float32Array.of(40000), new Int16Array(1))[0]).toBe(32767);
    });
  });

  test("PCM: Int16 x 1/32768 to float32 and back x 32768 is the identity; image: Uint8 / 255 - mean", () => {
    withBackend(backend, () => {
      const pcm = new Int16Array(65536).map((_, i) => i - 32768);
      const floats = convertInto(pcm, new Float32Array(pcm.length), 1 / 32768);
      expect(floats[0]).toBe(-1);
      expect(convertInto(floats, new Int16Array(pcm.length), 32768)).toEqual(pcm);
      const pixels = new Uint8ClampedArray(256).map((_, i) => i);
      const normalised = convertInto(pixels, new Float32Array(256), 1 / 255, -0.485);
      expectMatches("u8c", "f32", pixels, normalised, 1 / 255, -0.485, backend);
      expect(normalised[255]).toBe(Math.fround(1 - 0.485));
    });
  });
});

describe("refused before anything is written", () => {
  test("unsupported pairs: a TypeError listing the supported ones", () => {
    const out = new Int8Array(2).fill(5);
    expect(() => convertInto(new Int16Array(2), out)).toThrow(/^convertInto does not convert Int16Array to Int8Array; supported: Float64Array, Float16Array/);
    expect(() => convertInto([1, 2] as unknown as Float32Array, new Float32Array(2))).toThrow(TypeError);
    expect(() => convertInto(new Float32Array(2), new BigInt64Array(2) as unknown as Float32Array)).toThrow("out must be a typed array");
    expect([...out]).toEqual([5, 5]);
  });

  test("lengths, scale and offset", () => {
    const out = new Float16Array(3).fill(9);
    expect(() => convertInto(new Float32Array(2), out)).toThrow(new RangeError("src and out must have the same length, got src.length=2, out.length=3"));
    expect(() => convertInto(new Float32Array(3), out, NaN)).toThrow(new RangeError("scale must be finite, got NaN"));
    expect(() => convertInto(new Float32Array(3), out, 1, -Infinity)).toThrow(new RangeError("offset must be finite, got -Infinity"));
    expect(() => convertInto(new Float32Array(3), out, "2" as unknown as number)).toThrow(new TypeError("scale must be a number, got string"));
    expect([...out]).toEqual([9, 9, 9]);
  });

  // The fast path proves lengths by reading element n - 1, of the array
  // itself or, for a Float16Array, of an alias made when it was branded:
  // these change the arrays after branding and expect the proof to fail.
  /** Calls often enough that src and out are branded (about one slow-path call in 8 brands). */
  function brand(src: ConvertibleArray, out: ConvertibleArray): void {
    for (let call = 0; call < 200; call++) convertInto(src, out);
  }
  for (const [from, to] of [["f32", "f16"], ["f16", "f32"], ["f16", "f64"], ["f32", "i16"]] as const) {
    test(`${from} -> ${to}, branded: a length property grown afterwards is caught by the element read`, () => {
      const src = new arrayTypes[from](4) as ConvertibleArray;
      const out = new arrayTypes[to](4).fill(3) as ConvertibleArray;
      brand(src, out);
      const longer = new arrayTypes[from](64) as ConvertibleArray;
      const wide = new arrayTypes[to](64) as ConvertibleArray;
      brand(longer, wide);
      Object.defineProperty(out, "length", { value: 64 });
      const before = snapshot(out.buffer);
      for (let call = 0; call < 50; call++) {
        expect(() => convertInto(longer, out)).toThrow(new RangeError("out.length says 64 but out holds only 4 elements (its length property is not the array's own)"));
      }
      expect(unchanged(out.buffer, before)).toBe(true);
      const lyingSrc = new arrayTypes[from](4) as ConvertibleArray;
      brand(lyingSrc, new arrayTypes[to](4) as ConvertibleArray);
      Object.defineProperty(lyingSrc, "length", { value: 64 });
      expect(() => convertInto(lyingSrc, wide)).toThrow(new RangeError("src.length says 64 but src holds only 4 elements (its length property is not the array's own)"));
    });

    test.skipIf(!resizableBuffersWork())(`${from} -> ${to}, branded length-tracking views: shrunk, grown and detached afterwards`, () => {
      const Out = arrayTypes[to];
      const buffer = new ArrayBuffer(8 * Out.BYTES_PER_ELEMENT, { maxByteLength: 64 * Out.BYTES_PER_ELEMENT });
      const out = new Out(buffer) as ConvertibleArray;
      const src = new arrayTypes[from](8).fill(2) as ConvertibleArray;
      brand(src, out);
      // Shrunk to 4 elements: an 8-element src no longer matches.
      buffer.resize(4 * Out.BYTES_PER_ELEMENT);
      expect(() => convertInto(src, out)).toThrow(new RangeError("src and out must have the same length, got src.length=8, out.length=4"));
      // Grown past the length at branding: the slow path converts all 64.
      buffer.resize(64 * Out.BYTES_PER_ELEMENT);
      const many = new arrayTypes[from](64).fill(5) as ConvertibleArray;
      convertInto(many, out);
      expect(out[63]).toBe(5);
      // Detached: a TypeError, nothing written anywhere.
      buffer.transfer();
      expect(() => convertInto(many, out)).toThrow(new TypeError("out is detached (its ArrayBuffer was transferred)"));
    });
  }

  test("any overlap of out with src, even the same start: a RangeError", () => {
    const memory = new Float32Array(16).fill(1);
    const before = snapshot(memory.buffer);
    expect(() => convertInto(memory.subarray(0, 8), new Int32Array(memory.buffer, 0, 8))).toThrow(/^out overlaps src/);
    expect(() => convertInto(memory.subarray(0, 8), new Float16Array(memory.buffer, 16, 8))).toThrow(/^out overlaps src/);
    expect(unchanged(memory.buffer, before)).toBe(true);
    // Neighbours are fine.
    convertInto(memory.subarray(0, 4), new Float16Array(memory.buffer, 16, 4));
  });
});
