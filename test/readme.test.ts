/**
 * The README's runnable snippets: every ```ts runnable block is run against
 * the local package, and what it prints must equal the ```text block that
 * follows it. A README that drifts from the code fails here.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUN } from "./helpers.ts";

const ROOT = join(import.meta.dir, "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
// Inside the repository, so that `import ... from "nano-simd"` resolves to this package.
const SCRATCH = join(ROOT, "test", ".readme-snippets");

interface Snippet {
  line: number;
  code: string;
  expected: string | undefined;
}

function snippets(markdown: string): Snippet[] {
  const fence = /^```(\S*)([^\n]*)\n([\s\S]*?)^```$/gm;
  const blocks = [...markdown.matchAll(fence)].map((m) => ({
    lang: m[1]!,
    flags: m[2]!.trim(),
    body: m[3]!,
    line: markdown.slice(0, m.index).split("\n").length,
  }));
  return blocks.flatMap((block, i) =>
    block.lang === "ts" && block.flags === "runnable"
      ? [{ line: block.line, code: block.body, expected: blocks[i + 1]?.lang === "text" ? blocks[i + 1]!.body : undefined }]
      : [],
  );
}

const found = snippets(README);
mkdirSync(SCRATCH, { recursive: true });
afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

test("the README has runnable snippets, each followed by its output", () => {
  expect(found.length).toBeGreaterThanOrEqual(4);
  for (const snippet of found) expect(snippet.expected, `README.md:${snippet.line} has no \`\`\`text block after it`).toBeDefined();
});

test.each(found.map((s) => [s.line, s] as const))("README.md:%d prints what the README shows", (_, snippet) => {
  const file = join(SCRATCH, `snippet-${snippet.line}.ts`);
  writeFileSync(file, snippet.code);
  const run = Bun.spawnSync([BUN, file], { cwd: ROOT, stderr: "pipe", env: { ...process.env, NANO_SIMD_BACKEND: "" } });
  expect(run.stderr.toString()).toBe("");
  expect(run.stdout.toString().trimEnd()).toBe(snippet.expected!.trimEnd());
});
