/**
 * Argument checks for both APIs. Every check runs before any byte of `out` is
 * written, and every failure names the argument: a `TypeError` for the wrong
 * kind of thing, a `RangeError` for the wrong size or overlap.
 *
 * THE RULE (every module of src/ follows it; a new validator must too):
 *
 *   Between the first read of anything the caller controls and the native
 *   call, no user code can run, and no check depends on anything user code
 *   can replace after import. So, on every path from an argument to native
 *   code, and in the errors and reports built on the way:
 *   - no iteration protocol: no for...of, no spread, no array destructuring
 *     (each calls Array.prototype[Symbol.iterator] and its `next`);
 *   - no `.call`, `.apply` or `Reflect.apply` looked up at call time, and no
 *     global or built-in method looked up at call time: take them from
 *     primordials.ts, captured and uncurried at import;
 *   - no property read that a prototype getter can answer, except a read
 *     that happens first and whose answer is checked after (below: `length`,
 *     proved by element reads that nothing can intercept);
 *   - no write that a prototype setter can intercept: arrays handed back are
 *     built from own data properties (primordials.ts `copyArray`);
 *   - the immutable-buffer test uses the engine's own getter, captured at
 *     import, and exists only if the engine really has one.
 *   The list API reads the caller's elements, and a getter or Proxy may run
 *   then; but what it hands to native code is its own memory and a count
 *   fixed before that, which no user code can reach. Error messages may ask
 *   a refused value its name (describe()): no native call follows a throw.
 *   test/hostile-realm.test.ts patches each of these after import; add every
 *   new API call to test/hostile/calls.ts.
 *
 * The buffer API hands typed arrays to native code, so JavaScript properties
 * are never trusted with memory: a real Float32Array can be given an own
 * `length`, a Float64Array can be given Float32Array.prototype, a subclass
 * can override `length`, a Proxy can answer anything. So:
 *
 * - "is a Float32Array" is the engine's internal type (`isFloat32Array` from
 *   node:util, captured at import), whatever the prototype says. An object's
 *   type never changes, so a genuine one can be branded with a private field
 *   and later calls only test the brand.
 * - the element count n is `out.length` as JavaScript reads it, and a and b
 *   must report the same. Those reads may run user getters, so they come
 *   first. Then each array must really hold n elements: on a genuine typed
 *   array `x[n - 1]` is an element or undefined whatever its properties say,
 *   so `x[n - 1] !== undefined` proves there are at least n. A lying
 *   `length` can thus make nano-simd compute fewer elements than an array
 *   holds (as any JavaScript reading `length` would), never more.
 * - partial overlap is decided by the native side on real addresses (status
 *   2, before anything is written; see status.ts).
 */
import { types } from "node:util";
import {
  ArrayBufferIsView,
  ArrayBufferPrototypeGetDetached,
  ArrayBufferPrototypeGetImmutable,
  ArrayIsArray,
  Float32Array,
  FunctionPrototypeSymbolHasInstance,
  NumberIsSafeInteger,
  RangeError,
  RegExpPrototypeExec,
  TypeError,
  TypedArrayPrototypeAt,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
} from "./primordials.ts";

const isFloat32Array = types.isFloat32Array;
const isProxy = types.isProxy;

/** A typed array's byte offset as the engine sees it. */
export function genuineByteOffset(view: Float32Array): number {
  return TypedArrayPrototypeGetByteOffset(view);
}

/** A typed array's ArrayBuffer or SharedArrayBuffer as the engine sees it. */
export function genuineBuffer(view: Float32Array): ArrayBufferLike {
  return TypedArrayPrototypeGetBuffer(view);
}

const TYPED_ARRAY_NAME = /^(Big)?(Int|Uint|Float)\d+(Clamped)?Array$/;

/** What a value is, for error messages: "Float64Array", "null", "string", "Proxy"... Never throws. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  if (isProxy(value)) return "Proxy";
  // The engine's name for a view, whatever its prototype says.
  const view = TypedArrayPrototypeGetSymbolToStringTag(value) ?? (ArrayBufferIsView(value) ? "DataView" : undefined);
  if (view !== undefined) {
    try {
      const disguised = FunctionPrototypeSymbolHasInstance(Float32Array, value);
      return disguised ? `${view} (with Float32Array.prototype in its prototype chain)` : view;
    } catch {
      return view; // a prototype chain with a throwing Proxy in it
    }
  }
  if (ArrayIsArray(value)) return "Array";
  try {
    // User code may answer here (a getter, a Proxy): this only names what was refused.
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name !== "string" || name === "") return "object";
    // Not a typed array (asked above), yet named like one: Object.create(Float32Array.prototype)...
    return RegExpPrototypeExec(TYPED_ARRAY_NAME, name) !== null ? `an imitation of a ${name} (not a typed array)` : name;
  } catch {
    return "object";
  }
}

/** The native ABI passes the element count as a u32 (and a JavaScript array holds at most as many). */
const MAX_ELEMENTS = 2 ** 32 - 1;

/** The engine's own immutable-buffer getter, if the engine really has immutable buffers (Bun 1.4.5 does not). */
const isImmutableBuffer = ArrayBufferPrototypeGetImmutable;
const hasImmutableBuffers = isImmutableBuffer !== undefined;

/** `new GenuineFloat32Arrays(x)` brands x itself: the base constructor returns its argument. */
const ReturnsItsArgument = function (value: object) {
  return value;
} as unknown as new (value: object) => object;

/**
 * Objects proven to be genuine Float32Arrays carry this class's private
 * field. Nobody else can add it, and no reflection, cloning or Proxy shows
 * it. (A private method would brand without allocating, but testing a method
 * brand is ~4 ns slower in JSC than testing a field.)
 *
 * The buffer API's fast path lives in here because only code inside the
 * class can test the field, and a call level less keeps it inlined into
 * callers (JSC stops inlining a few levels deep).
 */
class GenuineFloat32Arrays extends ReturnsItsArgument {
  #brand = true;

  // Written out: an implicit derived constructor may spread its arguments
  // through the (patchable) Array iterator.
  constructor(value: object) {
    super(value);
  }

  static has(value: unknown): value is Float32Array {
    return typeof value === "object" && value !== null && #brand in value;
  }

  static brand(value: Float32Array): void {
    if (#brand in value) return;
    try {
      new GenuineFloat32Arrays(value);
    } catch {
      // An engine that refuses to brand non-extensible objects: stays on the slower paths.
    }
  }

  /**
   * The buffer API's checks. Returns the element count to compute; 0 means
   * there is nothing to do (and nothing may be passed to native code).
   */
  static checkBuffers(a: unknown, b: unknown, out: unknown): number {
    // Typed names for the reads below; the brand tests narrow a, b and out
    // to this class, which TypeScript cannot combine with Float32Array.
    const x = a as Float32Array;
    const y = b as Float32Array;
    const z = out as Float32Array;
    // Where the runtime has immutable ArrayBuffers (not Bun 1.4.5), every
    // call takes the slower paths, which ask the engine whether out is one.
    if (
      !hasImmutableBuffers &&
      typeof a === "object" && a !== null && #brand in a &&
      typeof b === "object" && b !== null && #brand in b &&
      typeof out === "object" && out !== null && #brand in out
    ) {
      // `length` as any JavaScript reads it: possibly a lie, possibly a getter.
      const n = z.length;
      if (
        typeof n === "number" &&
        n > 0 &&
        x.length === n &&
        y.length === n &&
        // From here on nothing can run user code. On a genuine typed array an
        // element read cannot be intercepted by any property or prototype, so
        // these prove that each really holds at least n elements. (Proving
        // "exactly" with x[n] === undefined as well would cost ~2 ns a call.)
        z[n - 1] !== undefined &&
        x[n - 1] !== undefined &&
        y[n - 1] !== undefined &&
        n <= MAX_ELEMENTS
      ) {
        return n;
      }
    }
    return checkUnbranded(a, b, out);
  }
}

/**
 * Branding costs ~8 ns an array: arrays used once (a fresh `out` each call)
 * are better off without. So about one call in 8 brands its arrays, chosen
 * by a tiny xorshift generator rather than a counter: with a counter, code
 * that cycles through 8 sets of arrays would brand the same set every time
 * and never the other seven (it happened, in the benchmark).
 */
let brandDice = 0x9e3779b9;
function timeToBrand(): boolean {
  brandDice ^= brandDice << 13;
  brandDice ^= brandDice >>> 17;
  brandDice ^= brandDice << 5;
  return (brandDice & 7) === 0;
}

/**
 * A call with an array not branded yet: the engine's type test instead of the
 * brand (~3 ns an array), the same checks as the fast path, and now and then
 * (see timeToBrand) the arrays get branded, so that arrays used again soon
 * take the fast path. Anything unusual goes on to the slow path and its messages.
 */
function checkUnbranded(a: unknown, b: unknown, out: unknown): number {
  if (!hasImmutableBuffers && isGenuine(a) && isGenuine(b) && isGenuine(out)) {
    if (timeToBrand()) brandAll(a, b, out);
    // The fast path's length and element checks, written out again on
    // purpose: a shared helper would share its inline caches between branded
    // and fresh arrays, and that costs the fast path 0.3-2 ns (measured).
    const n = out.length;
    if (typeof n === "number" && n > 0 && a.length === n && b.length === n && out[n - 1] !== undefined && a[n - 1] !== undefined && b[n - 1] !== undefined && n <= MAX_ELEMENTS) {
      return n;
    }
  }
  return checkBuffersSlowly(a, b, out);
}

function isGenuine(value: unknown): value is Float32Array {
  return GenuineFloat32Arrays.has(value) || isFloat32Array(value);
}

function brandAll(a: Float32Array, b: Float32Array, out: Float32Array): void {
  GenuineFloat32Arrays.brand(a);
  GenuineFloat32Arrays.brand(b);
  GenuineFloat32Arrays.brand(out);
}

/** See GenuineFloat32Arrays.checkBuffers. */
export const checkBuffers = GenuineFloat32Arrays.checkBuffers;

function expectFloat32Array(name: string, value: unknown): asserts value is Float32Array {
  if (!isGenuine(value)) throw new TypeError(`${name} must be a Float32Array, got ${describe(value)}`);
}

/** A value usable as an element count: a non-negative safe integer. */
function isLength(value: unknown): value is number {
  return typeof value === "number" && NumberIsSafeInteger(value) && value >= 0;
}

/** `view.length` as JavaScript reads it (an own property or a getter may answer), read once. */
function lengthProperty(name: string, view: Float32Array): number {
  const length: unknown = view.length;
  if (!isLength(length)) {
    throw new RangeError(`${name}.length must be a non-negative integer, got ${typeof length === "number" ? length : describe(length)}`);
  }
  return length;
}

/**
 * A view whose memory is gone reports length 0, so it looks empty; only the
 * engine's own checks tell.
 */
function expectUsable(name: string, view: Float32Array): void {
  try {
    TypedArrayPrototypeAt(view, 0); // throws only when detached or outside a shrunken resizable buffer
    return;
  } catch {
    let detached = false;
    try {
      detached = ArrayBufferPrototypeGetDetached(genuineBuffer(view)) === true;
    } catch {
      // a SharedArrayBuffer: never detached
    }
    throw new TypeError(
      detached ? `${name} is detached (its ArrayBuffer was transferred)` : `${name} is out of bounds (its resizable ArrayBuffer shrank below the view)`,
    );
  }
}

/**
 * The first call with an array (which brands it), and every call the fast
 * path turns down: the same rules, each failure with its message.
 */
function checkBuffersSlowly(a: unknown, b: unknown, out: unknown): number {
  expectFloat32Array("a", a);
  expectFloat32Array("b", b);
  expectFloat32Array("out", out);
  brandAll(a, b, out);
  const n = lengthProperty("out", out);
  const lengthA = lengthProperty("a", a);
  const lengthB = lengthProperty("b", b);
  // Every getter has run; from here on only the engine's answers count.
  if (lengthA !== n || lengthB !== n || n === 0 || a[n - 1] === undefined || b[n - 1] === undefined || out[n - 1] === undefined) {
    expectUsable("a", a);
    expectUsable("b", b);
    expectUsable("out", out);
    if (lengthA !== n || lengthB !== n) {
      throw new RangeError(`a, b and out must have the same length, got a.length=${lengthA}, b.length=${lengthB}, out.length=${n}`);
    }
    if (n === 0) return 0;
    // One statement per array (no loop over pairs: see the rule).
    if (a[n - 1] === undefined) throw shorterThanClaimed("a", a, n);
    if (b[n - 1] === undefined) throw shorterThanClaimed("b", b, n);
    if (out[n - 1] === undefined) throw shorterThanClaimed("out", out, n);
  }
  if (n > MAX_ELEMENTS) throw new RangeError(`arrays longer than ${MAX_ELEMENTS} elements are not supported, got ${n}`);
  // The engine's own getter: no user code runs (see primordials.ts).
  if (isImmutableBuffer !== undefined && isImmutableBuffer(genuineBuffer(out))) {
    throw new TypeError("out is backed by an immutable ArrayBuffer and cannot be written");
  }
  return n;
}

function shorterThanClaimed(name: string, view: Float32Array, n: number): RangeError {
  const holds = TypedArrayPrototypeGetLength(view);
  return new RangeError(`${name}.length says ${n} but ${name} holds only ${holds} elements (its length property is not the array's own)`);
}

/** The list API's checks on one argument: an array-like with a sane length, read once. */
export function checkList(name: string, value: unknown): number {
  if (value === null || typeof value !== "object") {
    throw new TypeError(`${name} must be an array-like of numbers, got ${describe(value)}`);
  }
  const length = (value as { length?: unknown }).length;
  if (!isLength(length)) {
    const shown = typeof length === "number" || length === undefined ? String(length) : `of type ${describe(length)}`;
    throw new TypeError(`${name} must be an array-like of numbers, got ${describe(value)} with length ${shown}`);
  }
  if (length > MAX_ELEMENTS) throw new RangeError(`${name} has ${length} elements; at most ${MAX_ELEMENTS} are supported`);
  return length;
}

export function checkListLengths(lengthA: number, lengthB: number): number {
  if (lengthA !== lengthB) throw new RangeError(`a and b must have the same length, got a.length=${lengthA}, b.length=${lengthB}`);
  return lengthA;
}

export function notANumber(name: string, index: number, value: unknown): TypeError {
  return new TypeError(`${name}[${index}] must be a number, got ${describe(value)}`);
}
