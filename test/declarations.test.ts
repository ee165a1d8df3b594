/**
 * The declarations users' TypeScript sees (scripts/declarations.ts emits
 * them as `prepack` does): every export is documented, and docs/api.md is
 * what `bun run docs:api` would write now. The list of exports is read from
 * the declarations, so a new export is checked without editing this file.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { apiMarkdown, publicApi, type ApiEntry } from "../scripts/declarations.ts";
import { EMULATED } from "./tools.ts";

const ROOT = join(import.meta.dir, "..");
// Architecture-independent, and minutes of tsc under emulation: the host run checks it.
const api: ApiEntry[] = EMULATED ? [] : publicApi();

test.skipIf(EMULATED)("the declarations export the package's API (read from dist/types/index.d.ts, not listed here)", () => {
  expect(api.length).toBeGreaterThan(0);
  expect(api.map((entry) => entry.name)).toEqual(expect.arrayContaining(["addInto", "add", "info", "Backend"]));
});

test.each(api.map((entry) => [entry.name, entry] as const))("%s has a doc comment", (_, entry) => {
  expect(entry.doc, `export ${entry.name} has no JSDoc comment in src/`).not.toBe("");
});

const functions = api.filter((entry) => entry.kind === "function");

test.each(functions.map((entry) => [entry.name, entry] as const))("%s documents what it throws (@throws tags, or \"Never throws\")", (_, entry) => {
  const throws = entry.tags.some((tag) => tag.name === "throws") || /never throws/i.test(entry.doc);
  expect(throws, `${entry.name}: add @throws {Error} tags, or say "Never throws."`).toBe(true);
});

const writers = api.filter((entry) => entry.kind === "function" && entry.parameters.includes("out"));

test.each(writers.map((entry) => [entry.name, entry] as const))("%s, which writes into out, states its aliasing rules", (_, entry) => {
  expect(writers.length).toBeGreaterThan(0);
  expect(entry.doc, `${entry.name}: say whether out may be an input (in place)`).toMatch(/in[- ]place/i);
  expect(entry.doc + entry.tags.map((tag) => tag.text).join(" "), `${entry.name}: say what a partial overlap does`).toMatch(/overlap/i);
});

test.skipIf(EMULATED)("docs/api.md is up to date (run `bun run docs:api`)", () => {
  expect(readFileSync(join(ROOT, "docs", "api.md"), "utf8")).toBe(apiMarkdown(api));
});
