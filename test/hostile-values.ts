/**
 * Hostile arguments shared by the hostile-input test and the fuzzer: values
 * that are not Float32Arrays however hard they pretend, and the tools that
 * make genuine ones lie.
 */

/** Float32Array.prototype on something that is not a Float32Array. */
export function disguised<T extends object>(value: T, own: Record<string, unknown> = {}): T {
  Object.setPrototypeOf(value, Float32Array.prototype);
  for (const [key, v] of Object.entries(own)) Object.defineProperty(value, key, { value: v });
  return value;
}

/** A Float32Array with own properties that lie. */
export function lying(view: Float32Array, own: Record<PropertyKey, unknown>): Float32Array {
  for (const key of Reflect.ownKeys(own)) Object.defineProperty(view, key, { value: own[key as string], configurable: true });
  return view;
}

/** A length-tracking view of `buffer` holding `values`, made before `resize` brought the buffer to their size. */
export function lengthTracking<T extends ArrayBuffer | SharedArrayBuffer>(buffer: T, resize: (buffer: T, bytes: number) => void, values: ArrayLike<number>): Float32Array {
  const view = new Float32Array(buffer);
  resize(buffer, 4 * values.length);
  view.set(values);
  return view;
}

/** A Float32Array of n elements whose buffer has been transferred away. */
export function detached(n: number): Float32Array {
  const view = new Float32Array(n);
  structuredClone(view.buffer, { transfer: [view.buffer] });
  return view;
}

/** A fixed-length view of n elements left outside its resizable buffer, which shrank: length 0, yet a non-null pointer. */
export function outOfBounds(n: number): Float32Array {
  const buffer = new ArrayBuffer(16 + 4 * n, { maxByteLength: 16 + 4 * n });
  const view = new Float32Array(buffer, 16, n);
  buffer.resize(8);
  return view;
}

/**
 * Not a Float32Array in any way the engine would accept: each must be a
 * TypeError naming the argument, "... must be a Float32Array, <got>...".
 * `make(n)` builds one the size of n float32 elements where size applies.
 */
export const NOT_FLOAT32: [label: string, make: (n: number) => unknown, got: string][] = [
  ["null", () => null, "got null"],
  ["undefined", () => undefined, "got undefined"],
  ["0 (bun:ffi would take a number as an address)", () => 0, "got number"],
  ["4096", () => 4096, "got number"],
  ["2 ** 40", () => 2 ** 40, "got number"],
  ["NaN", () => NaN, "got number"],
  ["a BigInt", () => 4096n, "got bigint"],
  ["a string", () => "abcd", "got string"],
  ["true", () => true, "got boolean"],
  ["a symbol", () => Symbol("x"), "got symbol"],
  ["a function", () => () => 0, "got function"],
  ["a plain object with a fake length and byteOffset", (n) => ({ length: n, byteOffset: 0, byteLength: 4 * n }), "got Object"],
  ["{ ptr: 4096 } (bun:ffi would take it as an address)", () => ({ ptr: 4096 }), "got Object"],
  ["an ArrayBuffer", (n) => new ArrayBuffer(4 * n), "got ArrayBuffer"],
  ["a SharedArrayBuffer", (n) => new SharedArrayBuffer(4 * n), "got SharedArrayBuffer"],
  ["a DataView", (n) => new DataView(new ArrayBuffer(4 * n)), "got DataView"],
  ["an Array", (n) => Array(n).fill(1), "got Array"],
  ["an Array with holes", (n) => Array(n), "got Array"],
  ["a Float64Array", (n) => new Float64Array(n), "got Float64Array"],
  ["a Float16Array", (n) => new Float16Array(n), "got Float16Array"],
  ["an Int8Array", (n) => new Int8Array(n), "got Int8Array"],
  ["a Uint8Array", (n) => new Uint8Array(n), "got Uint8Array"],
  ["a Uint8ClampedArray", (n) => new Uint8ClampedArray(n), "got Uint8ClampedArray"],
  ["an Int16Array", (n) => new Int16Array(n), "got Int16Array"],
  ["a Uint16Array", (n) => new Uint16Array(n), "got Uint16Array"],
  ["an Int32Array (same element size)", (n) => new Int32Array(n), "got Int32Array"],
  ["a Uint32Array (same element size)", (n) => new Uint32Array(n), "got Uint32Array"],
  ["a BigInt64Array", (n) => new BigInt64Array(n), "got BigInt64Array"],
  ["a BigUint64Array", (n) => new BigUint64Array(n), "got BigUint64Array"],
  ["a Proxy around a Float32Array", (n) => new Proxy(new Float32Array(n), {}), "got Proxy"],
  ["a Proxy that lies about length", (n) => new Proxy(new Float32Array(n), { get: (t, k) => (k === "length" ? n * 1000 + 1 : Reflect.get(t, k)) }), "got Proxy"],
  ["a revoked Proxy", (n) => {
    const { proxy, revoke } = Proxy.revocable(new Float32Array(n), {});
    revoke();
    return proxy;
  }, "got Proxy"],
  ["a Proxy whose every trap throws", (n) => new Proxy(new Float32Array(n), { get: () => { throw new Error("trap"); }, getPrototypeOf: () => { throw new Error("trap"); } }), "got Proxy"],
  ["a Float64Array given Float32Array.prototype (8-byte elements)", (n) => disguised(new Float64Array(n)), "got Float64Array (with Float32Array.prototype"],
  ["a Uint32Array given Float32Array.prototype", (n) => disguised(new Uint32Array(n)), "got Uint32Array (with Float32Array.prototype"],
  ["an Int8Array given Float32Array.prototype and an own byteLength", (n) => disguised(new Int8Array(n), { byteLength: 4 * n }), "got Int8Array (with"],
  ["an Int16Array made with Float32Array.prototype by Reflect.construct", (n) => {
    const newTarget = function () {} as unknown as new () => object;
    newTarget.prototype = Float32Array.prototype;
    return Reflect.construct(Int16Array, [n * 2], newTarget);
  }, "got Int16Array (with"],
  ["a DataView given Float32Array.prototype and an own length", (n) => disguised(new DataView(new ArrayBuffer(4 * n)), { length: n }), "got DataView (with Float32Array.prototype"],
  ["Object.create(Float32Array.prototype)", () => Object.create(Float32Array.prototype), "got an imitation of a Float32Array"],
  ["Object.create(Float32Array.prototype) with length and elements", (n) => disguised({ ...Array(n).fill(1) }, { length: n }), "got an imitation"],
  ["Float32Array.prototype itself", () => Float32Array.prototype, "got an imitation of a Float32Array"],
];

