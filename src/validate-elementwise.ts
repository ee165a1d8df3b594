/**
 * Validation for the elementwise shapes: unary `(a, out)`, binary
 * `(a, b, out)` and ternary `(a, b, c, out)`. One validator per shape, not
 * per op, and every op of a shape shares it. It follows "the rule" and the
 * checks written in validate.ts: built-ins come from primordials.ts, loops
 * are indexed, and `length` is read first and proved by element reads.
 *
 * A successful check returns the element count n (0: nothing to do) and
 * leaves in `checked` the dtype and the broadcast mask; when the mask is not
 * 0, also the inputs to pass (the caller's arrays, or one-element scratch
 * arrays holding the broadcast numbers). Nothing runs between the check
 * and the native call, so the module-level record cannot be overwritten in
 * between (a getter that re-enters nano-simd runs during the check, before
 * this call's fields are written).
 */
import { types } from "node:util";
import type { DType } from "./catalog.ts";
import { RangeError, TypeError } from "./primordials.ts";
import { describe, expectHolds, expectSupportedLength, expectUsable, expectWritable, isImmutableBuffer, lengthProperty, type FloatArray } from "./validate.ts";

/** The native ABI passes the element count as a u32. (A local constant: an imported binding is read through the module environment on every call.) */
const MAX_ELEMENTS = 2 ** 32 - 1;

/** Where the engine has immutable ArrayBuffers (not Bun 1.4.5), every call takes the slow path, which asks it about out. */
const fastPaths = isImmutableBuffer === undefined;

const isFloat32Array = types.isFloat32Array;
const isFloat64Array = types.isFloat64Array;

/** The dtype of a genuine Float32Array or Float64Array (the engine's type), else undefined. */
export function engineDtype(value: unknown): DType | undefined {
  return isFloat32Array(value) ? "f32" : isFloat64Array(value) ? "f64" : undefined;
}

export const CONSTRUCTOR_NAME: Record<DType, string> = { f32: "Float32Array", f64: "Float64Array" };

/** What the last successful check found, for the call that follows it. */
export const checked = {
  dtype: "f32" as DType,
  /** Bit k set: input k is a broadcast number, passed as a one-element array. */
  broadcast: 0,
  a: undefined as unknown as FloatArray,
  b: undefined as unknown as FloatArray,
  c: undefined as unknown as FloatArray,
};

/** The inputs' names in error messages, unless an op names them (clamp: a, lo, hi). */
export const INPUT_NAMES: readonly string[] = ["a", "b", "c"];

/** One-element arrays that carry broadcast numbers, per dtype and input position. */
const SCALARS: Record<DType, [FloatArray, FloatArray, FloatArray]> = {
  f32: [new Float32Array(1), new Float32Array(1), new Float32Array(1)],
  f64: [new Float64Array(1), new Float64Array(1), new Float64Array(1)],
};

/** The same arrays, typed per dtype for the fast path's stores. */
const F32_SCALARS = SCALARS.f32 as Float32Array[];
const F64_SCALARS = SCALARS.f64 as Float64Array[];
/** Where numbers in positions b and c go (trailingNumbers' store sites). */
const F32_B = F32_SCALARS[1]!;
const F32_C = F32_SCALARS[2]!;
const F64_B = F64_SCALARS[1]!;
const F64_C = F64_SCALARS[2]!;

/**
 * A base class whose constructor returns its argument: `new Brand(x)` of a
 * subclass then adds the subclass's private fields to x itself (a brand).
 */
export const ReturnsItsArgument = function (value: object) {
  return value;
} as unknown as new (value: object) => object;

/**
 * Objects proven to be genuine Float32Arrays carry the private field #f32,
 * Float64Arrays #f64 (each added by constructing its brand class on the
 * array itself). Nobody else can add them, and no reflection, cloning or
 * Proxy shows them. Testing that a field is there costs a fraction of a
 * nanosecond; reading a field's value (one brand holding the dtype) cost
 * ~6 ns a call, measured, hence one field per dtype.
 *
 * The fast paths live in Float64Brand, nested in Float32Brand so that its
 * code can test both fields (private names are lexically scoped), and are
 * called directly by the API functions: one call level keeps them inlined
 * (JSC stops inlining a few levels deep).
 */
class Float32Brand extends ReturnsItsArgument {
  #f32 = true;

  // Written out: an implicit derived constructor may spread its arguments
  // through the (patchable) Array iterator.
  constructor(view: object) {
    super(view);
  }

  static readonly Float64Brand = class Float64Brand extends ReturnsItsArgument {
    #f64 = true;

    constructor(view: object) {
      super(view);
    }

    static brand(view: unknown, dtype: DType): void {
      if (typeof view !== "object" || view === null || #f32 in view || #f64 in view) return;
      try {
        if (dtype === "f32") new Float32Brand(view);
        else new Float64Brand(view);
      } catch {
        // An engine that refuses to brand non-extensible objects: stays on the slower path.
      }
    }

    /** The dtype of one branded array, else undefined (for the reductions' validators). */
    static dtypeOfOne(a: unknown): DType | undefined {
      if (typeof a !== "object" || a === null) return undefined;
      return #f32 in a ? "f32" : #f64 in a ? "f64" : undefined;
    }

    /** The dtype when every argument is an object branded with the same one, else undefined. */
    static dtypeOf(a: unknown, b: unknown, c: unknown, out: unknown): DType | undefined {
      if (typeof out !== "object" || out === null || typeof a !== "object" || a === null || typeof b !== "object" || b === null || typeof c !== "object" || c === null) return undefined;
      if (#f32 in out) return #f32 in a && #f32 in b && #f32 in c ? "f32" : undefined;
      if (#f64 in out) return #f64 in a && #f64 in b && #f64 in c ? "f64" : undefined;
      return undefined;
    }

    /**
     * (a, out): all branded arrays of one dtype, else the slow path.
     * `float32Only`: the API function's name when its op has no float64
     * kernel (the math functions), so that a Float64Array is refused.
     */
    static unary(a: unknown, out: unknown, float32Only: string | undefined): number {
      const dtype = fastPaths ? Float64Brand.dtypeOf(a, a, a, out) : undefined;
      if (dtype === "f32" || (dtype === "f64" && float32Only === undefined)) {
        const x = a as FloatArray;
        const z = out as FloatArray;
        // `length` as any JavaScript reads it: possibly a lie, possibly a getter.
        const n = z.length;
        if (
          typeof n === "number" &&
          n > 0 &&
          x.length === n &&
          // From here on nothing can run user code. On a genuine typed array an
          // element read cannot be intercepted by any property or prototype, so
          // these prove that each really holds at least n elements.
          z[n - 1] !== undefined &&
          x[n - 1] !== undefined &&
          n <= MAX_ELEMENTS
        ) {
          checked.dtype = dtype;
          checked.broadcast = 0;
          return n;
        }
      }
      return checkSlowly(1, a, undefined, undefined, out, INPUT_NAMES, float32Only);
    }

    /** (a, b, out): all branded arrays of one dtype, else the slow path. */
    static binary(a: unknown, b: unknown, out: unknown): number {
      const dtype = fastPaths ? Float64Brand.dtypeOf(a, b, b, out) : undefined;
      if (dtype !== undefined) {
        const x = a as FloatArray;
        const y = b as FloatArray;
        const z = out as FloatArray;
        const n = z.length;
        if (typeof n === "number" && n > 0 && x.length === n && y.length === n && z[n - 1] !== undefined && x[n - 1] !== undefined && y[n - 1] !== undefined && n <= MAX_ELEMENTS) {
          checked.dtype = dtype;
          checked.broadcast = 0;
          return n;
        }
      }
      return numbersOrSlowly(2, a, b, undefined, out, INPUT_NAMES);
    }

    /** (a, b, c, out): all branded arrays of one dtype, else the slow path. */
    static ternary(a: unknown, b: unknown, c: unknown, out: unknown, names: readonly string[]): number {
      const dtype = fastPaths ? Float64Brand.dtypeOf(a, b, c, out) : undefined;
      if (dtype !== undefined) {
        const x = a as FloatArray;
        const y = b as FloatArray;
        const w = c as FloatArray;
        const z = out as FloatArray;
        const n = z.length;
        if (
          typeof n === "number" && n > 0 && x.length === n && y.length === n && w.length === n &&
          z[n - 1] !== undefined && x[n - 1] !== undefined && y[n - 1] !== undefined && w[n - 1] !== undefined && n <= MAX_ELEMENTS
        ) {
          checked.dtype = dtype;
          checked.broadcast = 0;
          return n;
        }
      }
      return numbersOrSlowly(3, a, b, c, out, names);
    }

    /**
     * The common broadcasts: an array a, then numbers only (`mulInto(a,
     * 0.5, out)`, arity 2; `clampInto(a, 0, 1, out)`, arity 3, c a number
     * too). a and out branded with one dtype, else the slow path (which
     * makes every error). Kept this small on purpose: JSC inlines it into
     * the API function only under a bytecode budget, and the general
     * withNumbers, over that budget, cost 21 ns a call against 9 here
     * (addInto(a, 2, out), n = 16, bare call 8.2).
     */
    static trailingNumbers(arity: number, a: unknown, b: number, c: number, out: unknown, names: readonly string[]): number {
      if (fastPaths && typeof out === "object" && out !== null && typeof a === "object" && a !== null) {
        const f32 = #f32 in out && #f32 in a;
        if (f32 || (#f64 in out && #f64 in a)) {
          const x = a as unknown as FloatArray;
          const z = out as unknown as FloatArray;
          const n = z.length;
          if (typeof n === "number" && n > 0 && x.length === n && z[n - 1] !== undefined && x[n - 1] !== undefined && n <= MAX_ELEMENTS) {
            // One store site per dtype and input, as in withNumbers.
            if (f32) {
              F32_B[0] = b;
              if (arity > 2) F32_C[0] = c;
              checked.b = F32_B;
              checked.c = F32_C;
              checked.dtype = "f32";
            } else {
              F64_B[0] = b;
              if (arity > 2) F64_C[0] = c;
              checked.b = F64_B;
              checked.c = F64_C;
              checked.dtype = "f64";
            }
            checked.broadcast = arity > 2 ? 6 : 2;
            checked.a = x;
            return n;
          }
        }
      }
      return checkSlowly(arity, a, b, c, out, names, undefined);
    }

    /**
     * The fast path for the other patterns of numbers among the inputs
     * (`subInto(1, a, out)`, `fmaInto(a, 2, c, out)`; an array followed only
     * by numbers takes trailingNumbers): out and every array input branded with
     * one dtype, the others numbers. Returns n and fills `checked` as
     * checkSlowly would, or 0 to send the call there (which also makes
     * every error). As in the paths above, every length is read (a getter
     * may run) before any element read proves it. Without this path such
     * calls took the slow one: 68 ns against 9 for the bare call, n = 16.
     */
    static withNumbers(arity: number, a: unknown, b: unknown, c: unknown, out: unknown): number {
      if (typeof out !== "object" || out === null) return 0;
      const f32 = #f32 in out;
      if (!f32 && !(#f64 in out)) return 0;
      // Each input: a number, or an array branded with out's dtype.
      const aNumber = typeof a === "number";
      const bNumber = typeof b === "number";
      const cNumber = arity > 2 && typeof c === "number";
      if (!aNumber && !(typeof a === "object" && a !== null && (f32 ? #f32 in a : #f64 in a))) return 0;
      if (!bNumber && !(typeof b === "object" && b !== null && (f32 ? #f32 in b : #f64 in b))) return 0;
      if (arity > 2 && !cNumber && !(typeof c === "object" && c !== null && (f32 ? #f32 in c : #f64 in c))) return 0;
      const x = a as FloatArray;
      const y = b as FloatArray;
      const w = c as FloatArray;
      const z = out as unknown as FloatArray;
      const n = z.length;
      if (typeof n !== "number" || n <= 0 || n > MAX_ELEMENTS) return 0;
      if ((!aNumber && x.length !== n) || (!bNumber && y.length !== n) || (arity > 2 && !cNumber && w.length !== n)) return 0;
      // From here on nothing can run user code (see unary above).
      if (z[n - 1] === undefined || (!aNumber && x[n - 1] === undefined) || (!bNumber && y[n - 1] === undefined) || (arity > 2 && !cNumber && w[n - 1] === undefined)) return 0;
      const scalars = f32 ? SCALARS.f32 : SCALARS.f64;
      checked.dtype = f32 ? "f32" : "f64";
      checked.broadcast = (aNumber ? 1 : 0) | (bNumber ? 2 : 0) | (cNumber ? 4 : 0);
      // One store site per dtype: through setScalar's Float32Array |
      // Float64Array parameter this path measured 28-29 ns a call, 19-22 so.
      if (f32) {
        if (aNumber) F32_SCALARS[0]![0] = a;
        if (bNumber) F32_SCALARS[1]![0] = b;
        if (cNumber) F32_SCALARS[2]![0] = c as number;
      } else {
        if (aNumber) F64_SCALARS[0]![0] = a;
        if (bNumber) F64_SCALARS[1]![0] = b;
        if (cNumber) F64_SCALARS[2]![0] = c as number;
      }
      checked.a = aNumber ? scalars[0] : x;
      checked.b = bNumber ? scalars[1] : y;
      if (arity > 2) checked.c = cNumber ? scalars[2] : w;
      return n;
    }
  };
}

const Brands = Float32Brand.Float64Brand;

/**
 * Each returns the element count (0: nothing to do) and leaves in `checked`
 * the dtype and, when some input is a broadcast number (checked.broadcast
 * not 0), the arrays to pass instead of the caller's.
 */
export const checkUnary = Brands.unary;
/** The dtype of `a` when it is branded (proven genuine by an earlier check), else undefined. */
export const brandedDtype = Brands.dtypeOfOne;
/** The dtype shared by branded a, b, c and out, else undefined (pass one array twice for fewer). */
export const brandedDtypes = Brands.dtypeOf;
/** Brands a genuine Float32Array ("f32") or Float64Array ("f64"), about one call in 8 (see timeToBrand). */
export function brandNow(view: unknown, dtype: DType): void {
  Brands.brand(view, dtype);
}
export const checkBinary = Brands.binary;
export const checkTernary = Brands.ternary;
export const checkTrailingNumbers = Brands.trailingNumbers;


/**
 * Branding costs ~8 ns an array: arrays used once (a fresh `out` each call)
 * are better off without. So about one slow-path call in 8 brands its
 * arrays, chosen by a tiny xorshift generator rather than a counter: with a
 * counter, code that cycles through 8 sets of arrays would brand the same
 * set every time and never the other seven (it happened, in the benchmark).
 */
let brandDice = 0x9e3779b9;
export function timeToBrand(): boolean {
  brandDice ^= brandDice << 13;
  brandDice ^= brandDice >>> 17;
  brandDice ^= brandDice << 5;
  return (brandDice & 7) === 0;
}

let firstCall = true;

/**
 * Everything the fast paths turn down: numbers to broadcast, arrays not
 * branded yet, and every error with its message. Same rules, in the order
 * that keeps user code (length getters) before the engine-level proofs.
 */
/**
 * Where the binary and ternary fast paths turn: numbers among branded arrays
 * (Brands.withNumbers), else checkSlowly. A separate function so that those
 * paths stay as small as before: calling withNumbers from Brands.binary
 * itself made addInto on arrays 16.1-16.6 ns a call against 9.8 (n = 16).
 */
function numbersOrSlowly(arity: number, a: unknown, b: unknown, c: unknown, out: unknown, names: readonly string[]): number {
  const n = fastPaths ? Brands.withNumbers(arity, a, b, c, out) : 0;
  return n !== 0 ? n : checkSlowly(arity, a, b, c, out, names, undefined);
}

function checkSlowly(arity: number, a: unknown, b: unknown, c: unknown, out: unknown, names: readonly string[], float32Only: string | undefined): number {
  const inputs = [a, b, c];
  // 1. Types, by the engine: out fixes the dtype; each input is an array of
  //    that dtype or a number.
  const dtype = engineDtype(out);
  if (dtype === undefined || (dtype === "f64" && float32Only !== undefined)) {
    const expected =
      float32Only === undefined ? "a Float32Array or a Float64Array" : dtype === "f64" ? `a Float32Array (${float32Only} takes Float32Array only for now; float64 comes later)` : "a Float32Array";
    throw new TypeError(`out must be ${expected}, got ${describe(out)}`);
  }
  // Named after out's type: "a must be a Float64Array (like out) or a number".
  const wanted = CONSTRUCTOR_NAME[dtype];
  let broadcast = 0;
  for (let k = 0; k < arity; k++) {
    const input = inputs[k];
    if (typeof input === "number") {
      broadcast |= 1 << k;
    } else if (engineDtype(input) !== dtype) {
      const mixed = engineDtype(input) !== undefined ? " (one dtype per call)" : "";
      throw new TypeError(`${names[k]} must be a ${wanted} (like out) or a number, got ${describe(input)}${mixed}`);
    }
  }
  const brand = firstCall || timeToBrand();
  firstCall = false;
  if (brand) {
    Brands.brand(out, dtype);
    for (let k = 0; k < arity; k++) if ((broadcast & (1 << k)) === 0) Brands.brand(inputs[k], dtype);
  }
  // 2. Lengths as JavaScript reads them (getters may run here, and only here).
  const z = out as FloatArray;
  const n = lengthProperty("out", z);
  const lengths = [0, 0, 0];
  let sameLengths = true;
  for (let k = 0; k < arity; k++) {
    if ((broadcast & (1 << k)) !== 0) continue;
    lengths[k] = lengthProperty(names[k]!, inputs[k] as FloatArray);
    if (lengths[k] !== n) sameLengths = false;
  }
  // 3. From here no user code runs: the engine's own answers only.
  if (!sameLengths || n === 0) {
    for (let k = 0; k < arity; k++) if ((broadcast & (1 << k)) === 0) expectUsable(names[k]!, inputs[k] as FloatArray);
    expectUsable("out", z);
    if (n === 0 && sameLengths) return 0;
    // Joined by hand: String.prototype.slice and Array.prototype.join are user-replaceable.
    let listed = "";
    let given = "";
    for (let k = 0; k < arity; k++) {
      if ((broadcast & (1 << k)) !== 0) continue;
      listed += listed === "" ? names[k]! : `, ${names[k]}`;
      given += `${names[k]}.length=${lengths[k]}, `;
    }
    throw new RangeError(`${listed} and out must have the same length, got ${given}out.length=${n}`);
  }
  for (let k = 0; k < arity; k++) if ((broadcast & (1 << k)) === 0) expectHolds(names[k]!, inputs[k] as FloatArray, n);
  expectHolds("out", z, n);
  expectSupportedLength(n);
  expectWritable(z);
  // 4. Numbers become one-element arrays of the dtype (rounded by the store).
  const scalars = SCALARS[dtype];
  checked.dtype = dtype;
  checked.broadcast = broadcast;
  checked.a = (broadcast & 1) !== 0 ? setScalar(scalars[0], a as number) : (a as FloatArray);
  if (arity > 1) checked.b = (broadcast & 2) !== 0 ? setScalar(scalars[1], b as number) : (b as FloatArray);
  if (arity > 2) checked.c = (broadcast & 4) !== 0 ? setScalar(scalars[2], c as number) : (c as FloatArray);
  return n;
}

function setScalar(scalar: FloatArray, value: number): FloatArray {
  scalar[0] = value;
  return scalar;
}

