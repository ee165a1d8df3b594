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
/** The engine's Uint16Array constructor. */
const SafeUint16Array = Uint16Array;
export {
  SafeArray as Array,
  SafeError as Error,
  SafeFloat32Array as Float32Array,
  SafeRangeError as RangeError,
  SafeTypeError as TypeError,
  SafeUint16Array as Uint16Array,
};

/** `Array.isArray`. */
export const ArrayIsArray: (value: unknown) => value is unknown[] = Array.isArray;
/** `ArrayBuffer.isView`. */
export const ArrayBufferIsView: (value: unknown) => value is ArrayBufferView = ArrayBuffer.isView;
/** `Number.isSafeInteger`. */
export const NumberIsSafeInteger: (value: unknown) => boolean = Number.isSafeInteger;
/** `Number.isFinite`. */
export const NumberIsFinite: (value: unknown) => boolean = Number.isFinite;
/** `Object.hasOwn`. */
export const ObjectHasOwn: (object: object, key: PropertyKey) => boolean = Object.hasOwn;
/** `Math.fround`. */
export const MathFround: (value: number) => number = Math.fround;
/** `Array.from` with its `this` (the constructor) first; see copyArray. */
const ArrayFrom = uncurryThis(Array.from as (this: never, items: ArrayLike<unknown>, map: (value: unknown, index: number) => unknown) => unknown[]);

/** `value instanceof constructor` by the prototype chain alone, ignoring any own `Symbol.hasInstance` (a Proxy's traps in the chain can still run). */
export const FunctionPrototypeSymbolHasInstance: (constructor: unknown, value: unknown) => boolean = uncurryThis(
  FunctionPrototype[Symbol.hasInstance] as (this: never, value: unknown) => boolean,
);
/** `regExp.exec(text)`: the original exec (RegExp.prototype.test would look `exec` up at call time). */
export const RegExpPrototypeExec: (regExp: RegExp, text: string) => RegExpExecArray | null = uncurryThis(RegExp.prototype.exec as (this: never, text: string) => RegExpExecArray | null);

/** A typed array's element count as the engine sees it: 0 when detached or out of bounds, whatever `length` says. */
export const TypedArrayPrototypeGetLength = uncurryThis(getterOf(TypedArrayPrototype, "length")) as (view: unknown) => number;
/** A typed array's size in bytes as the engine sees it: 0 when detached or out of bounds. */
export const TypedArrayPrototypeGetByteLength = uncurryThis(getterOf(TypedArrayPrototype, "byteLength")) as (view: unknown) => number;
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

const ObjectPrototype: object = Object.prototype;
const ArrayPrototype: object = Array.prototype;
const ObjectGetPrototypeOf = Object.getPrototypeOf;
const ReflectOwnKeys = Reflect.ownKeys;
const StringPrototypeCharCodeAt = uncurryThis(String.prototype.charCodeAt as (this: never, index: number) => number);

/** Whether `owner` has an own integer-keyed property (own keys list those first, in ascending order). */
function hasIndexKey(owner: object): boolean {
  const keys = ReflectOwnKeys(owner);
  if (keys.length === 0 || typeof keys[0] !== "string") return false;
  const digit = StringPrototypeCharCodeAt(keys[0], 0);
  return digit >= 48 && digit <= 57; // "0".."9"; a non-index like "1a" only sends copyArray the slower way
}

/**
 * Whether `array[i] = value` on a new array lands in an own data property
 * for every i: only a property at an integer key on Array.prototype or
 * Object.prototype (a setter, a read-only value), or a Proxy put between
 * them, could take the write instead. About 1 µs to ask.
 */
function nothingInterceptsIndexWrites(): boolean {
  return ObjectGetPrototypeOf(ArrayPrototype) === ObjectPrototype && !hasIndexKey(ArrayPrototype) && !hasIndexKey(ObjectPrototype);
}

/** From this length on, copyArray asks nothingInterceptsIndexWrites and then fills a plain array, when it may. */
const CHECKED_FILL_FROM = 4096;

/**
 * A new array holding `source[0..length)` as own data properties: no setter
 * on Array.prototype or Object.prototype sees an element, and nothing
 * iterates. Short arrays, and any array when something could intercept a
 * write, come from `Array.from` over an array-like with no prototype (so no
 * iterator, and every index reads undefined), which creates each element
 * itself while the map function supplies its value. Long arrays are filled
 * plainly once nothingInterceptsIndexWrites() says no write can be taken:
 * measured at 1M elements, 0.65 ms against 1.4 ms (up to 5 ms when user
 * code has used Array.from with other map functions). Swapping the array's
 * prototype out while filling it would be as fast but give every result a
 * hidden class of its own (seen with bun:jsc's describe()).
 */
export function copyArray<T>(source: ArrayLike<T>, length: number): T[] {
  if (length >= CHECKED_FILL_FROM && nothingInterceptsIndexWrites()) {
    const copy = new SafeArray<T>(length);
    for (let i = 0; i < length; i++) copy[i] = source[i]!;
    return copy;
  }
  const shape = { __proto__: null, length } as unknown as ArrayLike<unknown>;
  return ArrayFrom(SafeArray, shape, (_: unknown, i: number) => source[i]!) as T[];
}
