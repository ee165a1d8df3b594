/**
 * The runnable snippets of the README and of every guide chapter (docs/*.md,
 * bench/README.md): every ```ts runnable block is run against the local
 * package, and what it prints must equal the ```text block that follows it.
 * A document that drifts from the code fails here. A new chapter in docs/
 * is picked up without editing this file; it must have at least one.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUN } from "./helpers.ts";

const ROOT = join(import.meta.dir, "..");
/** docs/api.md is generated reference, with signatures but nothing to run. */
const CHAPTERS = readdirSync(join(ROOT, "docs")).filter((name) => name.endsWith(".md") && name !== "api.md").map((name) => `docs/${name}`);
const DOCUMENTS = ["README.md", ...CHAPTERS, "bench/README.md"];
// Inside the repository, so that `import ... from "nano-simd"` resolves to this package.
const SCRATCH = join(ROOT, "test", ".readme-snippets");

interface Snippet {
  document: string;
  line: number;
  code: string;
  expected: string | undefined;
}

function snippets(document: string): Snippet[] {
  const markdown = readFileSync(join(ROOT, document), "utf8");
  const fence = /^```(\S*)([^\n]*)\n([\s\S]*?)^```$/gm;
  const blocks = [...markdown.matchAll(fence)].map((m) => ({
    lang: m[1]!,
    flags: m[2]!.trim(),
    body: m[3]!,
    line: markdown.slice(0, m.index).split("\n").length,
  }));
  return blocks.flatMap((block, i) =>
    block.lang === "ts" && block.flags === "runnable"
      ? [{ document, line: block.line, code: block.body, expected: blocks[i + 1]?.lang === "text" ? blocks[i + 1]!.body : undefined }]
      : [],
  );
}

const found = DOCUMENTS.flatMap(snippets);
mkdirSync(SCRATCH, { recursive: true });
afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

test("the README has runnable snippets, each followed by its output", () => {
  expect(found.filter((snippet) => snippet.document === "README.md").length).toBeGreaterThanOrEqual(4);
  for (const snippet of found) expect(snippet.expected, `${snippet.document}:${snippet.line} has no \`\`\`text block after it`).toBeDefined();
});

test.each(CHAPTERS)("%s has at least one runnable snippet", (chapter) => {
  expect(found.filter((snippet) => snippet.document === chapter).length).toBeGreaterThan(0);
});

test.each(found.map((s) => [`${s.document}:${s.line}`, s] as const))("%s prints what the document shows", (_, snippet) => {
  const file = join(SCRATCH, `snippet-${snippet.document.replace(/\W/g, "-")}-${snippet.line}.ts`);
  writeFileSync(file, snippet.code);
  const run = Bun.spawnSync([BUN, file], { cwd: ROOT, stderr: "pipe", env: { ...process.env, NANO_SIMD_BACKEND: "" } });
  expect(run.stderr.toString()).toBe("");
  expect(run.stdout.toString().trimEnd()).toBe(snippet.expected!.trimEnd());
});
