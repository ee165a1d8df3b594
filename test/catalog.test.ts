/**
 * One source of truth: src/generated/catalog.ts is what `zig build catalog`
 * writes from zig/catalog.zig, the library reports the same catalog, and
 * every op of it has everything a user and the tests need.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ARRAY_NAME, CATALOG, CATALOG_JSON, ELEMENT_BYTES, ELEMENTS, OPS, apiName, isElementwise, type ElementwiseOp, type Op } from "../src/catalog.ts";
import * as nano from "../src/index.ts";
import { ZIG } from "./tools.ts";
import { REFERENCE } from "./reference/elementwise.ts";
import { referenceConvert } from "./reference/convert.ts";
import { exactDot, exactSqeuclidean, fsum, referenceCosine, referenceEuclidean, referenceNorm } from "./reference/reduce.ts";
import { JS_LOOPS } from "../bench/js-loops.ts";

const ROOT = join(import.meta.dir, "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

test("src/generated/catalog.ts is what `zig build catalog` writes now (rerun it after editing zig/catalog.zig)", () => {
  const run = Bun.spawnSync([ZIG, "build", "print-catalog"], { cwd: ROOT, stderr: "pipe" });
  expect(run.stderr.toString()).toBe("");
  expect(read("src/generated/catalog.ts")).toBe(run.stdout.toString());
}, 120_000);

test("the generated constants agree with each other", () => {
  expect(JSON.parse(CATALOG_JSON)).toEqual(CATALOG);
});

test("each element type of the catalog names a typed array of the engine with that many bytes per element", () => {
  expect(ELEMENTS.length).toBe(8);
  for (const element of ELEMENTS) {
    const Array = (globalThis as unknown as Record<string, { BYTES_PER_ELEMENT: number }>)[ARRAY_NAME[element]]!;
    expect(Array.BYTES_PER_ELEMENT).toBe(ELEMENT_BYTES[element]);
  }
});

/** The independent reference of each reduction (test/reference/reduce.ts, or the definition itself). */
const REDUCTION_REFERENCE: Record<Exclude<Op, ElementwiseOp>, unknown> = {
  sum: fsum,
  dot: exactDot,
  min: Math.min,
  max: Math.max,
  argmin: "first index of Math.min, NaN first (test/shapes/reductions.test.ts firstIndex)",
  argmax: "first index of Math.max, NaN first (test/shapes/reductions.test.ts firstIndex)",
  norm: referenceNorm,
  sqeuclidean: exactSqeuclidean,
  euclidean: referenceEuclidean,
  cosine: referenceCosine,
  dotRows: "dot per row",
  sqeuclideanRows: "sqeuclidean per row",
  cosineRows: "cosine per row",
  convert: referenceConvert,
};

test.each(OPS)("%s has a reference, a documented public function, a bench entry and a docs/api.md line", (op) => {
  expect(isElementwise(op) ? REFERENCE[op] : REDUCTION_REFERENCE[op]).toBeDefined();
  const name = apiName(op);
  expect(typeof (nano as Record<string, unknown>)[name]).toBe("function");
  // Its JSDoc sits right above its definition in the family's module.
  expect(read(isElementwise(op) ? "src/elementwise.ts" : op === "convert" ? "src/convert.ts" : "src/reductions.ts")).toMatch(new RegExp(`\\*/\\n(export const|export function) ${name}\\b`));
  if (isElementwise(op)) {
    expect(Object.hasOwn(JS_LOOPS, op)).toBe(true);
    expect(read("bench/numpy_families.py")).toContain(`"${op}": lambda`);
  } else if (op === "convert") {
    expect(read("bench/conversions.ts")).toContain("nano.convertInto(");
  } else {
    expect(read("bench/reductions.ts")).toContain(op.endsWith("Rows") ? `${op}Into` : `  ${op}: (`);
  }
  expect(read("docs/api.md")).toContain(`### ${name}`);
});
