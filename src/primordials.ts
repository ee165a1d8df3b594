/**
 * The built-ins nano-simd relies on, captured once when this module is
 * imported and never looked up again. User code may replace
 * `Function.prototype.call`, a prototype getter or `Math.fround` after
 * import; what is captured here stays the engine's own. (The idea is Node's
 * internal "primordials"; see "The rule" in validate.ts for why.)
 *
 * Methods are "uncurried": `TypedArrayPrototypeAt(view, 0)` means
 * `view.at(0)` with the original `at`, and never reads `.call` at call time.
 * Constructors are re-exported under their own names, so that
 * `new TypeError(...)` in a module importing them builds the engine's
 * TypeError even if `globalThis.TypeError` was replaced.
 */

const FunctionPrototype = Function.prototype;

/**
 * `uncurryThis(f)(self, ...args)` is `f.call(self, ...args)` with the
 * original `call`: `bind` and `call` are both taken now, and the bound
 * function reads no property when invoked.
 */
const uncurryThis: <T extends (this: never, ...args: never[]) => unknown>(method: T) => (self: unknown, ...args: Parameters<T>) => ReturnType<T> =
  FunctionPrototype.bind.bind(FunctionPrototype.call) as never;

/** The getter behind `owner[key]`, read now; throws if the engine has none (it would be a bug to run without it). */
function getterOf(owner: object, key: PropertyKey): (this: unknown) => unknown {
  const get = Object.getOwnPropertyDescriptor(owner, key)?.get;
  if (get === undefined) throw new Error(`nano-simd: the engine has no getter ${String(key)}`);
  return get;
}

const TypedArrayPrototype: object = Object.getPrototypeOf(Float32Array.prototype);

/** The engine's TypeError constructor. */
const SafeTypeError = TypeError;
/** The engine's RangeError constructor. */
const SafeRangeError = RangeError;
/** The engine's Error constructor. */
const SafeError = Error;
/** The engine's Array constructor. */
const SafeArray = Array;
/** The engine's Float32Array constructor. */
const SafeFloat32Array = Float32Array;
export { SafeArray as Array, SafeError as Error, SafeFloat32Array as Float32Array, SafeRangeError as RangeError, SafeTypeError as TypeError };

/** `Array.prototype`, to give a result array its prototype back (see list-api.ts `toList`). */
export const ArrayPrototype: unknown[] = Array.prototype;
/** `Array.isArray`. */
export const ArrayIsArray: (value: unknown) => value is unknown[] = Array.isArray;
/** `ArrayBuffer.isView`. */
export const ArrayBufferIsView: (value: unknown) => value is ArrayBufferView = ArrayBuffer.isView;
/** `Number.isSafeInteger`. */
export const NumberIsSafeInteger: (value: unknown) => boolean = Number.isSafeInteger;
/** `Math.fround`. */
export const MathFround: (value: number) => number = Math.fround;
/** `Object.setPrototypeOf`. */
export const ObjectSetPrototypeOf: (target: object, proto: object | null) => object = Object.setPrototypeOf;

/** `value instanceof constructor` by the prototype chain alone, ignoring any own `Symbol.hasInstance` (a Proxy's traps in the chain can still run). */
export const FunctionPrototypeSymbolHasInstance: (constructor: unknown, value: unknown) => boolean = uncurryThis(
  FunctionPrototype[Symbol.hasInstance] as (this: never, value: unknown) => boolean,
);
/** `regExp.exec(text)`: the original exec (RegExp.prototype.test would look `exec` up at call time). */
export const RegExpPrototypeExec: (regExp: RegExp, text: string) => RegExpExecArray | null = uncurryThis(RegExp.prototype.exec as (this: never, text: string) => RegExpExecArray | null);

/** A typed array's element count as the engine sees it: 0 when detached or out of bounds, whatever `length` says. */
export const TypedArrayPrototypeGetLength = uncurryThis(getterOf(TypedArrayPrototype, "length")) as (view: unknown) => number;
/** A typed array's byte offset as the engine sees it. */
export const TypedArrayPrototypeGetByteOffset = uncurryThis(getterOf(TypedArrayPrototype, "byteOffset")) as (view: unknown) => number;
/** A typed array's buffer as the engine sees it (materialises the buffer of a small array, which may move its storage). */
export const TypedArrayPrototypeGetBuffer = uncurryThis(getterOf(TypedArrayPrototype, "buffer")) as (view: unknown) => ArrayBufferLike;
/** The engine's name for a typed array ("Float32Array"...), or undefined for anything else; never throws. */
export const TypedArrayPrototypeGetSymbolToStringTag = uncurryThis(getterOf(TypedArrayPrototype, Symbol.toStringTag)) as (value: unknown) => string | undefined;
/** `view.at(index)`: throws a TypeError only when the view is detached or outside its shrunken resizable buffer. */
export const TypedArrayPrototypeAt = uncurryThis((TypedArrayPrototype as { at: (this: never, index: number) => unknown }).at);
/** `buffer.detached` as the engine sees it; throws for a SharedArrayBuffer. */
export const ArrayBufferPrototypeGetDetached = uncurryThis(getterOf(ArrayBuffer.prototype, "detached")) as (buffer: unknown) => boolean;

/**
 * `buffer.immutable` with the engine's own getter, or undefined when the
 * engine has no immutable ArrayBuffers (Bun 1.4.5). A polyfill is not
 * enough: it cannot make a buffer refuse writes, and a getter of its own
 * would be user code on the safety path. So the getter counts only if a
 * buffer it calls immutable really ignores a write.
 */
export const ArrayBufferPrototypeGetImmutable: ((buffer: unknown) => boolean) | undefined = (() => {
  const transfer = (ArrayBuffer.prototype as { transferToImmutable?: unknown }).transferToImmutable;
  const get = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "immutable")?.get;
  if (typeof transfer !== "function" || get === undefined) return undefined;
  try {
    const probe = uncurryThis(transfer as (this: never) => unknown)(new ArrayBuffer(1));
    const bytes = new Uint8Array(probe as ArrayBuffer);
    try {
      bytes[0] = 1;
    } catch {
      // the engine may throw on a write to an immutable buffer
    }
    const immutable = uncurryThis(get as (this: never) => unknown) as (buffer: unknown) => boolean;
    return bytes[0] === 0 && immutable(probe) === true ? immutable : undefined;
  } catch {
    return undefined;
  }
})();

/**
 * A new array holding `source[0..length)` as own data properties. It has no
 * prototype while it is filled, so no setter on Array.prototype or
 * Object.prototype sees an element, and nothing iterates.
 */
export function copyArray<T>(source: ArrayLike<T>, length: number): T[] {
  const copy = new SafeArray<T>(length);
  ObjectSetPrototypeOf(copy, null);
  for (let i = 0; i < length; i++) copy[i] = source[i]!;
  ObjectSetPrototypeOf(copy, ArrayPrototype);
  return copy;
}
