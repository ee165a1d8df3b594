/**
 * One source of truth: src/generated/catalog.ts is what `zig build catalog`
 * writes from zig/catalog.zig, the library reports the same catalog, and
 * every op of it has everything a user and the tests need.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CATALOG, CATALOG_JSON, OPS } from "../src/catalog.ts";
import * as nano from "../src/index.ts";
import { ZIG } from "./tools.ts";
import { REFERENCE } from "./reference/elementwise.ts";
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

test.each(OPS)("%s has a reference, a documented TS function, a JS loop and a NumPy line in the bench, and a docs/api.md line", (op) => {
  expect(typeof REFERENCE[op]).toBe("function");
  const fn = (nano as Record<string, unknown>)[`${op}Into`];
  expect(typeof fn).toBe("function");
  // The JSDoc sits right above the export in src/elementwise.ts.
  expect(read("src/elementwise.ts")).toMatch(new RegExp(`\\*/\\nexport const ${op}Into = `));
  expect(Object.hasOwn(JS_LOOPS, op)).toBe(true);
  expect(read("bench/numpy_families.py")).toContain(`"${op}": lambda`);
  expect(read("docs/api.md")).toContain(`${op}Into`);
});
