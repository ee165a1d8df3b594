/**
 * Validation for the conversion shape: `(src, out, scale, offset)`. It
 * follows "the rule" of validate.ts. The element types are the engine's
 * own (the typed array's internal name, read with the getter captured at
 * import), never what a prototype or a property says.
 */
import { CONVERSIONS, type Element } from "./catalog.ts";
import { NumberIsFinite, RangeError, TypeError, TypedArrayPrototypeGetSymbolToStringTag } from "./primordials.ts";
import { describe, expectUsable, genuineBuffer, genuineLength, isImmutableBuffer, lengthProperty } from "./validate.ts";

/** The native ABI passes the element count as a u32. */
const MAX_ELEMENTS = 2 ** 32 - 1;

/** Each typed array kind convertInto knows, by the engine's name for it. */
const ELEMENT_OF: Record<string, Element> = Object.assign(Object.create(null) as Record<string, Element>, {
  Float16Array: "f16",
  Float32Array: "f32",
  Float64Array: "f64",
  Int32Array: "i32",
  Int16Array: "i16",
  Uint16Array: "u16",
  Int8Array: "i8",
  Uint8Array: "u8",
  // Its rule (round half to even, saturate) is Uint8's: one kernel serves both.
  Uint8ClampedArray: "u8",
});

const NAME_OF: Record<Element, string> = { f16: "Float16Array", f32: "Float32Array", f64: "Float64Array", i32: "Int32Array", i16: "Int16Array", u16: "Uint16Array", i8: "Int8Array", u8: "Uint8Array" };

/** "src>out" for every supported pair, made once at import. */
const SUPPORTED: Record<string, true> = Object.create(null);
for (let i = 0; i < CONVERSIONS.length; i++) SUPPORTED[`${CONVERSIONS[i]![0]}>${CONVERSIONS[i]![1]}`] = true;

const SUPPORTED_TEXT =
  "Float64Array, Float16Array, Int32Array, Int16Array, Uint16Array, Int8Array, Uint8Array and Uint8ClampedArray to and from Float32Array, and Float16Array to and from Float64Array";

/** What the last successful check found: the kernel's key ("src>out"). */
export const checkedConversion = { pair: "" };

function elementOf(name: string, view: unknown): Element {
  const tag = TypedArrayPrototypeGetSymbolToStringTag(view);
  const element = tag === undefined ? undefined : ELEMENT_OF[tag];
  if (element === undefined) throw new TypeError(`${name} must be a typed array (${SUPPORTED_TEXT}), got ${describe(view)}`);
  return element;
}

function finite(name: string, value: unknown): number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number, got ${describe(value)}`);
  if (!NumberIsFinite(value)) throw new RangeError(`${name} must be finite, got ${value}`);
  return value;
}

/**
 * The element count of a valid conversion, 0 when there is nothing to do.
 * Leaves the pair in `checkedConversion`.
 */
export function checkConversion(src: unknown, out: unknown, scale: unknown, offset: unknown): number {
  finite("scale", scale);
  finite("offset", offset);
  const from = elementOf("src", src);
  const to = elementOf("out", out);
  const pair = `${from}>${to}`;
  if (SUPPORTED[pair] !== true) {
    throw new TypeError(`convertInto does not convert ${NAME_OF[from]} to ${NAME_OF[to]}; supported: ${SUPPORTED_TEXT}`);
  }
  const source = src as Float32Array;
  const destination = out as Float32Array;
  // Lengths as JavaScript reads them (getters may run here, and only here).
  const n = lengthProperty("out", destination);
  const m = lengthProperty("src", source);
  // From here no user code runs: the engine's own answers only.
  if (m !== n || n === 0) {
    expectUsable("src", source);
    expectUsable("out", destination);
    if (m !== n) throw new RangeError(`src and out must have the same length, got src.length=${m}, out.length=${n}`);
    return 0;
  }
  if (source[n - 1] === undefined || destination[n - 1] === undefined) {
    const name = source[n - 1] === undefined ? "src" : "out";
    const view = name === "src" ? source : destination;
    expectUsable(name, view);
    throw new RangeError(`${name}.length says ${n} but ${name} holds only ${genuineLength(view)} elements (its length property is not the array's own)`);
  }
  if (n > MAX_ELEMENTS) throw new RangeError(`arrays longer than ${MAX_ELEMENTS} elements are not supported, got ${n}`);
  if (isImmutableBuffer !== undefined && isImmutableBuffer(genuineBuffer(destination))) {
    throw new TypeError("out is backed by an immutable ArrayBuffer and cannot be written");
  }
  checkedConversion.pair = pair;
  return n;
}
