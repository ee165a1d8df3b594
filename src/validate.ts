/**
 * What every validator shares. Every check runs before any byte of `out` is
 * written, and every failure names the argument: a `TypeError` for the
 * wrong kind of thing, a `RangeError` for the wrong size or overlap.
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
 * Arrays are handed to native code, so JavaScript properties are never
 * trusted with memory: a real Float32Array can be given an own `length`, a
 * Float64Array can be given Float32Array.prototype, a subclass can override
 * `length`, a Proxy can answer anything. So:
 *
 * - "is a Float32Array" is the engine's internal type (`isFloat32Array` from
 *   node:util, captured at import), whatever the prototype says. An object's
 *   type never changes, so a genuine one can be branded with a private field
 *   and later calls only test the brand (validate-elementwise.ts).
 * - the element count n is `out.length` as JavaScript reads it, and every
 *   input array must report the same. Those reads may run user getters, so
 *   they come first. Then each array must really hold n elements: on a
 *   genuine typed array `x[n - 1]` is an element or undefined whatever its
 *   properties say, so `x[n - 1] !== undefined` proves there are at least n.
 *   A lying `length` can thus make nano-simd compute fewer elements than an
 *   array holds (as any JavaScript reading `length` would), never more.
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

const isProxy = types.isProxy;

/** The typed arrays the catalog's dtypes are stored in. */
export type FloatArray = Float32Array | Float64Array;

/** A typed array's element count as the engine sees it: 0 when detached or out of bounds. */
export function genuineLength(view: ArrayBufferView): number {
  return TypedArrayPrototypeGetLength(view);
}

/** A typed array's byte offset as the engine sees it. */
export function genuineByteOffset(view: ArrayBufferView): number {
  return TypedArrayPrototypeGetByteOffset(view);
}

/** A typed array's ArrayBuffer or SharedArrayBuffer as the engine sees it. */
export function genuineBuffer(view: ArrayBufferView): ArrayBufferLike {
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
      const disguised = view !== "Float32Array" && FunctionPrototypeSymbolHasInstance(Float32Array, value);
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
export const MAX_ELEMENTS = 2 ** 32 - 1;

/** The engine's own immutable-buffer getter, if the engine really has immutable buffers (Bun 1.4.5 does not). */
export const isImmutableBuffer = ArrayBufferPrototypeGetImmutable;

/** A value usable as an element count: a non-negative safe integer. */
export function isLength(value: unknown): value is number {
  return typeof value === "number" && NumberIsSafeInteger(value) && value >= 0;
}

/** `view.length` as JavaScript reads it (an own property or a getter may answer), read once. */
export function lengthProperty(name: string, view: ArrayLike<unknown>): number {
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
export function expectUsable(name: string, view: ArrayBufferView): void {
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
 * Proves that `view` (a genuine typed array) holds the n > 0 elements its
 * length property claimed: no property can intercept an element read on a
 * genuine typed array. Else the TypeError of a view whose memory is gone,
 * or a RangeError giving what it really holds.
 */
export function expectHolds(name: string, view: ArrayBufferView & { readonly [index: number]: unknown }, n: number): void {
  if (view[n - 1] !== undefined) return;
  expectUsable(name, view);
  throw new RangeError(`${name}.length says ${n} but ${name} holds only ${genuineLength(view)} elements (its length property is not the array's own)`);
}

/** The element counts the native ABI can take (see MAX_ELEMENTS): a RangeError beyond. */
export function expectSupportedLength(n: number): void {
  if (n > MAX_ELEMENTS) throw new RangeError(`arrays longer than ${MAX_ELEMENTS} elements are not supported, got ${n}`);
}

/** A TypeError when `out` sits on an immutable ArrayBuffer (asked of the engine's own getter: no user code runs). */
export function expectWritable(out: ArrayBufferView): void {
  if (isImmutableBuffer !== undefined && isImmutableBuffer(genuineBuffer(out))) {
    throw new TypeError("out is backed by an immutable ArrayBuffer and cannot be written");
  }
}

/** The list API's checks on one argument: an array-like with a sane length, read once. */
export function checkList(name: string, value: unknown): number {
  if (value === null || typeof value !== "object") {
    throw new TypeError(`${name} must be an array-like of numbers, got ${describe(value)}`);
  }
  const length = (value as { length?: unknown }).length;
  if (!isLength(length)) {
    // A template, not String(): user code may have replaced the global String.
    const shown = typeof length === "number" || length === undefined ? `${length}` : `of type ${describe(length)}`;
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
