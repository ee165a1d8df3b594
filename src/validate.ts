/**
 * Argument checks for both APIs. Every check runs before any byte of `out` is
 * written, and every failure names the argument: a `TypeError` for the wrong
 * kind of thing, a `RangeError` for the wrong size or overlap.
 */

/** What a value is, for error messages: "Float64Array", "null", "string"... */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object" && typeof value !== "function") return typeof value;
  if (Array.isArray(value)) return "Array";
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" ? name : "object";
}

const hasImmutableBuffers = "transferToImmutable" in ArrayBuffer.prototype;

/**
 * A view whose memory is gone reports length 0, so it looks empty; only its
 * buffer tells. Called on the slow paths (a length is 0 or lengths differ).
 */
function unusable(view: Float32Array): string | null {
  const buffer = view.buffer as ArrayBuffer & { detached?: boolean; resizable?: boolean };
  if (buffer.detached) return "is detached (its ArrayBuffer was transferred)";
  if (view.length === 0 && buffer.resizable) {
    try {
      view.at(0); // throws only when the view lies outside its shrunken buffer
    } catch {
      return "is out of bounds (its resizable ArrayBuffer shrank below the view)";
    }
  }
  return null;
}

function expectUsable(name: string, view: Float32Array): void {
  const problem = unusable(view);
  if (problem !== null) throw new TypeError(`${name} ${problem}`);
}

function expectFloat32Array(name: string, value: unknown): asserts value is Float32Array {
  if (!(value instanceof Float32Array)) throw new TypeError(`${name} must be a Float32Array, got ${describe(value)}`);
}

/**
 * `out` may be exactly `input` (in place) or lie elsewhere; anything in
 * between would make each backend read half-updated values differently.
 * Equal lengths mean the views can only overlap partially when their
 * byteOffsets differ by less than their size, so the (sometimes costly)
 * `.buffer` read happens only then.
 */
function expectNoPartialOverlap(name: string, input: Float32Array, out: Float32Array): void {
  const bytes = out.byteLength;
  const shift = input.byteOffset - out.byteOffset;
  if (shift !== 0 && shift < bytes && shift > -bytes && input.buffer === out.buffer) {
    const range = (view: Float32Array) => `[${view.byteOffset}, ${view.byteOffset + view.byteLength})`;
    throw new RangeError(
      `out partially overlaps ${name}: out covers bytes ${range(out)} and ${name} covers bytes ${range(input)} of the same buffer. ` +
        `Pass the same view for in-place work, or non-overlapping memory.`,
    );
  }
}

/**
 * The buffer API's checks. Returns the element count to compute; 0 means
 * there is nothing to do (and nothing may be passed to native code).
 *
 * The common case (three Float32Arrays of one non-zero length whose byte
 * ranges cannot partially overlap) is decided here in about a nanosecond,
 * without calls; anything else goes to `checkBuffersSlowly`, which finds
 * and names the problem, or accepts after the full checks.
 */
export function checkBuffers(a: unknown, b: unknown, out: unknown): number {
  if (a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array) {
    const n = out.length;
    if (a.length === n && b.length === n && n !== 0 && !hasImmutableBuffers) {
      const origin = out.byteOffset;
      const shiftA = a.byteOffset - origin;
      const shiftB = b.byteOffset - origin;
      // Equal shifts of 0 (the usual case: whole arrays) mean exact aliasing or separate memory.
      if ((shiftA | shiftB) === 0) return n;
      const bytes = n * 4;
      if ((shiftA === 0 || shiftA >= bytes || shiftA <= -bytes) && (shiftB === 0 || shiftB >= bytes || shiftB <= -bytes)) return n;
    }
  }
  return checkBuffersSlowly(a, b, out);
}

function checkBuffersSlowly(a: unknown, b: unknown, out: unknown): number {
  expectFloat32Array("a", a);
  expectFloat32Array("b", b);
  expectFloat32Array("out", out);
  const n = out.length;
  if (a.length !== n || b.length !== n || n === 0) {
    expectUsable("a", a);
    expectUsable("b", b);
    expectUsable("out", out);
    if (a.length !== n || b.length !== n) {
      throw new RangeError(`a, b and out must have the same length, got a.length=${a.length}, b.length=${b.length}, out.length=${n}`);
    }
    return 0;
  }
  if (hasImmutableBuffers && (out.buffer as ArrayBuffer & { immutable?: boolean }).immutable) {
    throw new TypeError("out is backed by an immutable ArrayBuffer and cannot be written");
  }
  expectNoPartialOverlap("a", a, out);
  expectNoPartialOverlap("b", b, out);
  return n;
}

/** The list API's checks on one argument: an array-like with a sane length. */
export function checkList(name: string, value: unknown): ArrayLike<unknown> {
  if (value === null || typeof value !== "object") {
    throw new TypeError(`${name} must be an array-like of numbers, got ${describe(value)}`);
  }
  const length = (value as { length?: unknown }).length;
  if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0) {
    throw new TypeError(`${name} must be an array-like of numbers, got ${describe(value)} with length ${String(length)}`);
  }
  return value as ArrayLike<unknown>;
}

export function checkListLengths(a: ArrayLike<unknown>, b: ArrayLike<unknown>): number {
  if (a.length !== b.length) throw new RangeError(`a and b must have the same length, got a.length=${a.length}, b.length=${b.length}`);
  return a.length;
}

export function notANumber(name: string, index: number, value: unknown): TypeError {
  return new TypeError(`${name}[${index}] must be a number, got ${describe(value)}`);
}
