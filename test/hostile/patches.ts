/**
 * Ways user code can patch built-ins after importing nano-simd. Each patch
 * applies itself and returns its undo. `outcome` says what a call may do
 * under it:
 *   "same"            exactly what it does in a clean realm;
 *   "same or refused" that, or a TypeError/RangeError with nothing written
 *                     (the patch shrinks or detaches the caller's own
 *                     buffers, or makes `length` itself lie).
 * `beforeImport` runs before nano-simd is imported (a polyfill), which is
 * why this module does not import nano-simd itself.
 */
import type { Realm } from "./calls.ts";

export interface Patch {
  name: string;
  outcome: "same" | "same or refused";
  beforeImport?: () => void;
  apply: (realm: Realm) => () => void;
}

// The harness's own intrinsics, taken before any patch.
const defineProperty = Object.defineProperty;
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const deleteProperty = Reflect.deleteProperty;
const uncurryThis = Function.prototype.bind.bind(Function.prototype.call) as <A extends unknown[], R>(f: (...args: A) => R) => (self: unknown, ...args: A) => R;
const resize = uncurryThis(ArrayBuffer.prototype.resize as (bytes: number) => void);
const transfer = uncurryThis(ArrayBuffer.prototype.transfer as () => ArrayBuffer);
const TypedArrayPrototype: object = Object.getPrototypeOf(Float32Array.prototype);
const ArrayIteratorPrototype: { next: () => IteratorResult<unknown> } = Object.getPrototypeOf([][Symbol.iterator]());
const originalNext = uncurryThis(ArrayIteratorPrototype.next);
const isArray = Array.isArray;
const StringPrototype = String.prototype;
const ArrayPrototype = Array.prototype;

/** Replaces owner[key] (a value or accessor) with `descriptor`; the undo puts the original back or deletes it. */
function replace(owner: object, key: PropertyKey, descriptor: PropertyDescriptor): () => void {
  const original = getOwnPropertyDescriptor(owner, key);
  defineProperty(owner, key, { configurable: true, ...descriptor });
  return () => (original ? defineProperty(owner, key, original) : deleteProperty(owner, key));
}

/** Several replacements undone together, last first. */
function all(...undos: (() => void)[]): () => void {
  return () => {
    for (let i = undos.length - 1; i >= 0; i--) undos[i]!();
  };
}

const LIE = 2 ** 20;

/** A getter on owner[key] that answers `answer(this, original)`. */
function getterAnswering(owner: object, key: PropertyKey, answer: (self: unknown, original: (self: unknown) => unknown) => unknown): () => void {
  const original = getOwnPropertyDescriptor(owner, key)?.get;
  const callOriginal = original ? uncurryThis(original) : () => undefined;
  return replace(owner, key, {
    get(this: unknown) {
      return answer(this, callOriginal);
    },
  });
}

/** What a hostile getter does before answering: shrink every victim to nothing, and call back into nano-simd. */
function sabotage(realm: Realm): void {
  for (let i = 0; i < realm.victims.length; i++) {
    try {
      resize(realm.victims[i], 0);
    } catch {
      // already detached
    }
  }
  try {
    realm.reenter(); // a call back into nano-simd while a call is being checked
  } catch {
    // nothing to see
  }
}

/** Detaches every victim (its memory moves to a new buffer the attacker keeps), once. */
function transferVictims(realm: Realm): void {
  while (realm.victims.length > 0) {
    const victim = realm.victims.pop()!;
    try {
      const stolen = transfer(victim);
      realm.stolen.push([stolen, new Uint8Array(stolen).slice()]);
    } catch {
      // already detached
    }
  }
}

const constantly = (value: unknown) =>
  function () {
    return value;
  };

/** A replacement that fails loudly if the library calls it. */
function thrower(): never {
  throw new Error("a replaced global was called");
}

function Hostile(this: unknown) {
  throw new Error("a species constructor ran");
}

const INDEX_SETTERS = 8;

export const PATCHES: Patch[] = [
  { name: "no patch", outcome: "same", apply: () => () => {} },
  { name: "Array iterator next ends at once", outcome: "same", apply: () => replace(ArrayIteratorPrototype, "next", { value: constantly({ done: true, value: undefined }), writable: true }) },
  { name: "Array iterator next: pairs skipped, numbers become -2^20 (finding 1)", outcome: "same", apply: () =>
    replace(ArrayIteratorPrototype, "next", { writable: true, value: function (this: unknown) {
      let step = originalNext(this);
      while (!step.done && isArray(step.value) && step.value.length === 2) step = originalNext(this);
      return typeof step.value === "number" ? { done: false, value: -LIE } : step;
    } }) },
  { name: "Array.prototype[Symbol.iterator] yields nothing", outcome: "same", apply: () => replace(Array.prototype, Symbol.iterator, { writable: true, value: function* () {} }) },
  { name: "Function.prototype.call lies", outcome: "same", apply: () => replace(Function.prototype, "call", { writable: true, value: constantly(LIE) }) },
  { name: "Function.prototype.call throws", outcome: "same", apply: () => replace(Function.prototype, "call", { writable: true, value: () => {
    throw new Error("patched call");
  } }) },
  { name: "Function.prototype.apply and bind lie", outcome: "same", apply: () => all(
    replace(Function.prototype, "apply", { writable: true, value: constantly(LIE) }),
    replace(Function.prototype, "bind", { writable: true, value: constantly(constantly(LIE)) }),
  ) },
  { name: "Reflect.apply lies", outcome: "same", apply: () => replace(Reflect, "apply", { writable: true, value: constantly(LIE) }) },
  { name: "Object.defineProperty, setPrototypeOf and assign do nothing", outcome: "same", apply: () => all(
    replace(Object, "defineProperty", { writable: true, value: (target: unknown) => target }),
    replace(Object, "setPrototypeOf", { writable: true, value: (target: unknown) => target }),
    replace(Object, "assign", { writable: true, value: (target: unknown) => target }),
  ) },
  { name: "Symbol.species and constructor point at a hostile constructor", outcome: "same", apply: () => all(
    replace(Array, Symbol.species, { get: () => Hostile }),
    replace(TypedArrayPrototype.constructor as object, Symbol.species, { get: () => Hostile }),
    replace(Float32Array, Symbol.species, { get: () => Hostile }),
    replace(Array.prototype, "constructor", { writable: true, value: Hostile }),
    replace(Float32Array.prototype, "constructor", { writable: true, value: Hostile }),
  ) },
  { name: "%TypedArray%.prototype getters other than length lie", outcome: "same", apply: () => all(
    getterAnswering(TypedArrayPrototype, "byteOffset", () => LIE),
    getterAnswering(TypedArrayPrototype, "byteLength", () => LIE),
    getterAnswering(TypedArrayPrototype, "buffer", () => new ArrayBuffer(8)),
    getterAnswering(TypedArrayPrototype, Symbol.toStringTag, () => "Float32Array"),
  ) },
  { name: "%TypedArray%.prototype length says 16 more", outcome: "same or refused", apply: () =>
    getterAnswering(TypedArrayPrototype, "length", (self, original) => (original(self) as number) + 16) },
  { name: "%TypedArray%.prototype length shrinks the victims and re-enters nano-simd", outcome: "same or refused", apply: (realm) =>
    getterAnswering(TypedArrayPrototype, "length", (self, original) => {
      sabotage(realm);
      return original(self);
    }) },
  { name: "ArrayBuffer.prototype getters lie and shrink the victims", outcome: "same or refused", apply: (realm) => all(
    ...(["byteLength", "maxByteLength", "resizable", "detached"] as const).map((key) =>
      getterAnswering(ArrayBuffer.prototype, key, () => {
        sabotage(realm);
        return key === "detached" ? false : LIE;
      })),
  ) },
  { name: "immutable polyfilled before import; its getter shrinks out (finding 2)", outcome: "same or refused",
    beforeImport: () => {
      defineProperty(ArrayBuffer.prototype, "transferToImmutable", { configurable: true, writable: true, value: function (this: ArrayBuffer) {
        return this.transfer();
      } });
      defineProperty(ArrayBuffer.prototype, "immutable", { configurable: true, get: () => false });
    },
    apply: (realm) => getterAnswering(ArrayBuffer.prototype, "immutable", () => {
      sabotage(realm);
      return false;
    }) },
  { name: "immutable polyfilled before import; its getter transfers out (finding 2)", outcome: "same or refused",
    beforeImport: () => {
      defineProperty(ArrayBuffer.prototype, "transferToImmutable", { configurable: true, writable: true, value: function (this: ArrayBuffer) {
        return this.transfer();
      } });
      defineProperty(ArrayBuffer.prototype, "immutable", { configurable: true, get: () => false });
    },
    apply: (realm) => getterAnswering(ArrayBuffer.prototype, "immutable", () => {
      transferVictims(realm);
      return false;
    }) },
  { name: "index setters on Array.prototype and Object.prototype swallow writes (finding 4)", outcome: "same", apply: () => {
    // Filled in place: once the setters are in, a push onto a plain array would be swallowed too.
    const undos = new Array<() => void>(2 * INDEX_SETTERS).fill(() => {});
    for (let i = 0; i < INDEX_SETTERS; i++) {
      undos[2 * i] = replace(Array.prototype, i, { get: () => undefined, set: () => {} });
      undos[2 * i + 1] = replace(Object.prototype, String(i + INDEX_SETTERS), { get: () => undefined, set: () => {} });
    }
    return all(...undos);
  } },
  { name: "a Proxy put between Array.prototype and Object.prototype swallows index writes", outcome: "same", apply: () => {
    const original = Object.getPrototypeOf(Array.prototype) as object;
    const isIndex = (key: PropertyKey) => typeof key === "string" && /^\d+$/.test(key);
    const swallow = new Proxy(original, { set: (target, key, value, receiver) => isIndex(key) || Reflect.set(target, key, value, receiver) });
    Object.setPrototypeOf(Array.prototype, swallow);
    return () => Object.setPrototypeOf(Array.prototype, original);
  } },
  { name: "globals replaced: Float32Array, Array, TypeError, RangeError, Math.fround, Number.isSafeInteger, Array.isArray, includes", outcome: "same", apply: () => all(
    replace(globalThis, "Float32Array", { writable: true, value: Uint8Array }),
    replace(globalThis, "Array", { writable: true, value: Hostile }),
    replace(globalThis, "TypeError", { writable: true, value: Hostile }),
    replace(globalThis, "RangeError", { writable: true, value: Hostile }),
    replace(Math, "fround", { writable: true, value: (x: number) => x + 1 }),
    replace(Number, "isSafeInteger", { writable: true, value: () => true }),
    replace(Array, "isArray", { writable: true, value: () => true }),
    replace(Array.prototype, "includes", { writable: true, value: () => true }),
    replace(Array.prototype, "map", { writable: true, value: () => [] }),
    replace(Array.prototype, "slice", { writable: true, value: () => [] }),
    replace(RegExp.prototype, "exec", { writable: true, value: () => null }),
  ) },
  { name: "more globals replaced: Number, Float64Array, Object, String, BigInt, Math's functions, isFinite, isNaN, Object.is, Number's statics, String and Array methods", outcome: "same", apply: () => all(
    replace(Number, "isInteger", { writable: true, value: () => true }),
    replace(Number, "isFinite", { writable: true, value: () => true }),
    replace(Number, "isNaN", { writable: true, value: () => false }),
    replace(Object, "is", { writable: true, value: () => true }),
    replace(Object, "keys", { writable: true, value: () => [] }),
    replace(Object, "hasOwn", { writable: true, value: () => true }),
    ...(["min", "max", "abs", "floor", "trunc", "ceil", "round", "sqrt", "sign"] as const).map((name) => replace(Math, name, { writable: true, value: () => LIE })),
    replace(globalThis, "isFinite", { writable: true, value: () => true }),
    replace(globalThis, "isNaN", { writable: true, value: () => false }),
    replace(globalThis, "Number", { writable: true, value: thrower }),
    replace(globalThis, "Float64Array", { writable: true, value: Uint8Array }),
    replace(globalThis, "Object", { writable: true, value: Hostile }),
    replace(globalThis, "String", { writable: true, value: thrower }),
    replace(globalThis, "BigInt", { writable: true, value: thrower }),
    // Through the prototypes taken at import: by now the global String is the thrower.
    ...(["slice", "split", "padStart", "toLowerCase", "replace", "concat"] as const).map((name) => replace(StringPrototype, name, { writable: true, value: thrower })),
    ...(["join", "push", "indexOf", "filter", "forEach"] as const).map((name) => replace(ArrayPrototype, name, { writable: true, value: thrower })),
  ) },
];
