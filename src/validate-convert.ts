/**
 * Validation for the conversion shape: `(src, out, scale, offset)`. It
 * follows "the rule" of validate.ts. The element types are the engine's
 * own (the typed array's internal name, read with the getter captured at
 * import), never what a prototype or a property says.
 */
import { ARRAY_NAME, CONVERSIONS, ELEMENTS, type Element } from "./catalog.ts";
import { NumberIsFinite, RangeError, TypeError, TypedArrayPrototypeGetSymbolToStringTag, Uint16Array } from "./primordials.ts";
import { ReturnsItsArgument, timeToBrand } from "./validate-elementwise.ts";
import {
  describe,
  expectHolds,
  expectSupportedLength,
  expectUsable,
  expectWritable,
  genuineBuffer,
  genuineByteOffset,
  genuineLength,
  isImmutableBuffer,
  lengthProperty,
} from "./validate.ts";

/** The native ABI passes the element count as a u32 (validate.ts MAX_ELEMENTS; local, as in validate-elementwise.ts). */
const MAX_ELEMENTS = 2 ** 32 - 1;

/** Element types as small numbers (their place in the catalog): the brands hold these. */
const CODE_OF = Object.fromEntries(ELEMENTS.map((element, code) => [element, code])) as Record<Element, number>;

/** Each typed array kind convertInto knows, by the engine's name for it. */
const ELEMENT_OF: Record<string, Element> = Object.create(null) as Record<string, Element>;
for (let code = 0; code < ELEMENTS.length; code++) ELEMENT_OF[ARRAY_NAME[ELEMENTS[code]!]] = ELEMENTS[code]!;
// Its rule (round half to even, saturate) is Uint8's: one kernel serves both.
ELEMENT_OF.Uint8ClampedArray = "u8";

/**
 * PAIR_INDEX[from * 8 + to]: the pair's position in CONVERSIONS (which is
 * also its slot in dispatch's activeConversions), or -1 when it is not
 * supported. Numbers, not "f32>f16" strings: building and looking up such a
 * string cost ~60 ns a call.
 */
const PAIR_INDEX = new Int8Array(ELEMENTS.length * ELEMENTS.length).fill(-1);
for (let i = 0; i < CONVERSIONS.length; i++) PAIR_INDEX[CODE_OF[CONVERSIONS[i]![0]] * ELEMENTS.length + CODE_OF[CONVERSIONS[i]![1]]] = i;

const SUPPORTED_TEXT =
  "Float64Array, Float16Array, Int32Array, Int16Array, Uint16Array, Int8Array, Uint8Array and Uint8ClampedArray to and from Float32Array, and Float16Array to and from Float64Array";

/** What the last successful check found: the pair's position in CONVERSIONS. */
export const checkedConversion = { pair: 0 };

/** Where the engine has immutable ArrayBuffers (not Bun 1.4.5), every call takes the slow path, which asks it about out. */
const fastPaths = isImmutableBuffer === undefined;

/**
 * Typed arrays proven genuine by an earlier check carry the private field
 * #element: their engine-level element type, which never changes. Testing
 * for the field and reading it replaces two reads of the engine's type name
 * (~20 ns each through the captured getter) and their lookups. As in
 * validate-elementwise.ts, nobody else can add the field, and no
 * reflection or Proxy shows it.
 */
class ElementBrand extends ReturnsItsArgument {
  #element: number;
  /**
   * For a Float16Array, what the fast path reads element n - 1 of to prove
   * the view holds n elements: a Uint16Array over the same bytes. JSC reads a Float16Array element through a slow path (8.6
   * ns, against 0.5 for the alias; a Float16Array's `in` costs the same and
   * the captured length getter 17 ns, Intel Xeon, Bun 1.4.5). The alias
   * proves as much: its buffer and byte offset are the view's, and its
   * length the view's at branding, so while alias[n - 1] is an element the
   * view holds at least n (a detached or shrunken buffer empties both; a
   * length-tracking view that grew past the alias takes the slow path).
   */
  #probe: { readonly [index: number]: unknown } | undefined;

  constructor(view: object, element: number) {
    super(view);
    this.#element = element;
    this.#probe = element === CODE_OF.f16 ? halfAlias(view as ArrayBufferView) : undefined;
  }

  static brand(view: object, element: number): void {
    if (#element in view) return;
    try {
      new ElementBrand(view, element);
    } catch {
      // An engine that refuses to brand non-extensible objects: stays on the slower path.
    }
  }

  /** The pair's position in CONVERSIONS when src and out are branded and scale and offset are finite numbers, else -1. */
  static pairOf(src: unknown, out: unknown, scale: unknown, offset: unknown): number {
    if (
      !fastPaths ||
      typeof src !== "object" || src === null || !(#element in src) ||
      typeof out !== "object" || out === null || !(#element in out) ||
      typeof scale !== "number" || typeof offset !== "number" ||
      // x - x is 0 for every finite x, NaN for NaN and the infinities.
      scale - scale !== 0 || offset - offset !== 0
    ) {
      return -1;
    }
    return PAIR_INDEX[src.#element * ELEMENTS.length + out.#element]!;
  }

  /** Whether a Float16Array branded (as pairOf found) holds at least n > 0 elements: an element read nothing can intercept. */
  static holds(view: object, n: number): boolean {
    return (view as ElementBrand).#probe![n - 1] !== undefined;
  }
}

/** Which sides of each pair are Float16Arrays: bit 0 src, bit 1 out. */
const HALF_SIDES = new Uint8Array(CONVERSIONS.length);
for (let i = 0; i < CONVERSIONS.length; i++) HALF_SIDES[i] = (CONVERSIONS[i]![0] === "f16" ? 1 : 0) | (CONVERSIONS[i]![1] === "f16" ? 2 : 0);

/** A Uint16Array over a Float16Array's bytes, built from the engine's own answers. */
function halfAlias(view: ArrayBufferView): Uint16Array {
  return new Uint16Array(genuineBuffer(view), genuineByteOffset(view), genuineLength(view));
}

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
  const pair = ElementBrand.pairOf(src, out, scale, offset);
  if (pair >= 0) {
    const source = src as Float32Array;
    const destination = out as Float32Array;
    // `length` as any JavaScript reads it, then proved by element reads,
    // which nothing can intercept on a genuine typed array.
    // (A Float16Array is read through its alias: see ElementBrand's #probe.
    // The reads stay here, one site per side: a helper shared by both
    // sides saw two array types at one read and cost 7 ns a call.)
    const n = destination.length;
    const half = HALF_SIDES[pair]!;
    if (
      typeof n === "number" && n > 0 && source.length === n && n <= MAX_ELEMENTS &&
      ((half & 2) === 0 ? destination[n - 1] !== undefined : ElementBrand.holds(destination, n)) &&
      ((half & 1) === 0 ? source[n - 1] !== undefined : ElementBrand.holds(source, n))
    ) {
      checkedConversion.pair = pair;
      return n;
    }
  }
  return checkSlowly(src, out, scale, offset);
}

/** Everything the fast path turns down, every error with its message, and the branding. */
function checkSlowly(src: unknown, out: unknown, scale: unknown, offset: unknown): number {
  finite("scale", scale);
  finite("offset", offset);
  const from = elementOf("src", src);
  const to = elementOf("out", out);
  const pair = PAIR_INDEX[CODE_OF[from] * ELEMENTS.length + CODE_OF[to]]!;
  if (pair < 0) {
    throw new TypeError(`convertInto does not convert ${ARRAY_NAME[from]} to ${ARRAY_NAME[to]}; supported: ${SUPPORTED_TEXT}`);
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
  expectHolds("src", source, n);
  expectHolds("out", destination, n);
  expectSupportedLength(n);
  expectWritable(destination);
  if (timeToBrand()) {
    ElementBrand.brand(source, CODE_OF[from]);
    ElementBrand.brand(destination, CODE_OF[to]);
  }
  checkedConversion.pair = pair;
  return n;
}
