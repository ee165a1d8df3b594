/**
 * The catalog, typed for TypeScript. Everything comes from
 * src/generated/catalog.ts, which `zig build catalog` writes from
 * zig/catalog.zig (test/catalog.test.ts fails when it is stale), and the
 * loader refuses a library whose own copy differs (native.ts). Nothing here
 * restates an op, a dtype or a backend by hand.
 */
import { CATALOG } from "./generated/catalog.ts";
import { MathFround as fround, ObjectHasOwn } from "./primordials.ts";

export { ABI_VERSION, CATALOG, CATALOG_JSON, STATUS, STATUS_TEXT } from "./generated/catalog.ts";

/** Every op of the catalog. */
export type Op = keyof typeof CATALOG.ops;
/** How an op reads and writes memory: one validator and one C signature per shape. */
export type Shape = keyof typeof CATALOG.shapes;
/** Ops of one shape. */
export type OpOfShape<S extends Shape> = { [K in Op]: (typeof CATALOG.ops)[K]["shape"] extends S ? K : never }[Op];
/** Element types: "f32" is Float32Array, "f64" Float64Array. */
export type DType = (typeof CATALOG.ops)[Op]["dtypes"][number];
/** A compiled variant of the kernels, named for its instruction set. */
export type Backend = keyof typeof CATALOG.backends;
/** The ops the list API (addJs / addNaive / add) and the naive loops keep. */
export type ListOp = (typeof CATALOG.listOps)[number];

/** Ops computed element by element into an `out` of the same length. */
export type ElementwiseOp = OpOfShape<"unary" | "binary" | "ternary">;

export const OPS = Object.keys(CATALOG.ops) as Op[];
export const ELEMENTWISE_OPS = OPS.filter((op) => isElementwise(op)) as ElementwiseOp[];

/** The ops declared with a ULP accuracy contract: the math functions (expInto ... cosInto). */
export const MATH_OPS = OPS.filter((op) => {
  const accuracy: unknown = CATALOG.ops[op].accuracy;
  return typeof accuracy === "object" && accuracy !== null && "ulp" in accuracy;
}) as ElementwiseOp[];

export function isElementwise(op: Op): op is ElementwiseOp {
  const shape = CATALOG.ops[op].shape;
  return shape === "unary" || shape === "binary" || shape === "ternary";
}

/**
 * The public function of an op: `${op}Into` when it writes an `out` array
 * (elementwise and rows shapes), the op's own name when it returns a number.
 */
export function apiName(op: Op): string {
  return CATALOG.shapes[CATALOG.ops[op].shape].result === "array" ? `${op}Into` : op;
}
export const LIST_OPS: readonly ListOp[] = CATALOG.listOps;
export const BACKENDS = Object.keys(CATALOG.backends) as Backend[];

export function shapeOf(op: Op): Shape {
  return CATALOG.ops[op].shape;
}

/** Array inputs before `out` for ops of this shape. */
export function inputCount(shape: Shape): number {
  return CATALOG.shapes[shape].inputs;
}

/** An element type of convertInto: the kind of typed array (a Uint8ClampedArray is "u8"). */
export type Element = keyof typeof CATALOG.elements;
/** Every element type, in the catalog's order. */
export const ELEMENTS = Object.keys(CATALOG.elements) as Element[];
/** convertInto's [source, destination] pairs. */
export const CONVERSIONS: readonly (readonly [Element, Element])[] = CATALOG.conversions;

/** Bytes per element of each element type (convertInto's, and so the dtypes'). */
export const ELEMENT_BYTES = Object.fromEntries(ELEMENTS.map((element) => [element, CATALOG.elements[element].bytes])) as Record<Element, number>;
export const DTYPE_BYTES: Record<DType, number> = ELEMENT_BYTES;
/** The typed array that holds each element type: "Float16Array", "Int8Array"... */
export const ARRAY_NAME = Object.fromEntries(ELEMENTS.map((element) => [element, CATALOG.elements[element].array])) as Record<Element, string>;

/** Elements one instruction handles: register bits / element bits (1 for scalar). */
export function lanes(backend: Backend, dtype: DType): number {
  const bits: number = CATALOG.backends[backend].bits;
  return bits === 0 ? 1 : bits / (8 * DTYPE_BYTES[dtype]);
}

/** Whether `name` is a backend of the catalog (Object.hasOwn captured at import: user code may replace it). */
export function isBackend(name: unknown): name is Backend {
  return typeof name === "string" && ObjectHasOwn(CATALOG.backends, name);
}

/** The list API's float32 meaning of each list op: round the inputs, apply, round the result. */
export const LIST_FORMULAS: Record<ListOp, (x: number, y: number) => number> = {
  add: (x, y) => fround(fround(x) + fround(y)),
  sub: (x, y) => fround(fround(x) - fround(y)),
  mul: (x, y) => fround(fround(x) * fround(y)),
  div: (x, y) => fround(fround(x) / fround(y)),
};
