/**
 * The README's Quick start, run as written: its ```sh quickstart clone
 * blocks in a fresh copy of this repository (the files git would clone, no
 * node_modules, no build), its ```sh quickstart project blocks in a new
 * project beside it, whose index.ts is the Quick start's ```ts snippet.
 * Every command must succeed, and `bun index.ts` must print what the README
 * shows. Two commands are not run here: `bun test` (this test is part of it)
 * and the benchmark (timings on a loaded machine; .ci/run runs it).
 */
import { afterAll, expect, test } from "bun:test";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { EMULATED } from "./tools.ts";

const ROOT = join(import.meta.dir, "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const QUICK_START = README.slice(README.indexOf("## Quick start"), README.indexOf("\n## ", README.indexOf("## Quick start") + 1));

const NOT_RUN_HERE = [/^bun test\b/, /^bun run bench\b/];

/** The commands of each ```sh quickstart <where> block, in order, comments stripped. */
const blocks = [...QUICK_START.matchAll(/^```sh quickstart (clone|project)\n([\s\S]*?)^```$/gm)].map((match) => ({
  where: match[1] as "clone" | "project",
  commands: match[2]!
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter(Boolean),
}));
const program = QUICK_START.match(/^```ts runnable\n([\s\S]*?)^```$/m)?.[1];
const printed = QUICK_START.match(/^```ts runnable\n[\s\S]*?^```\n\n```text\n([\s\S]*?)^```$/m)?.[1];

const scratch = mkdtempSync(join(tmpdir(), "nano-simd-quickstart-"));
// The copy holds a whole node_modules (Zig included): removing it can take more than 5 s.
afterAll(() => rmSync(scratch, { recursive: true, force: true }), 60_000);

test("the Quick start has commands for the clone and the project, and a program with its output", () => {
  expect(blocks.map((block) => block.where)).toEqual(expect.arrayContaining(["clone", "project"]));
  expect(program).toBeDefined();
  expect(printed).toBeDefined();
});

test.skipIf(EMULATED)(
  "the Quick start's commands run as written on a fresh copy of the repository",
  () => {
    // The files a clone has: tracked ones, and new ones not ignored (this checkout's work in progress).
    const listed = Bun.spawnSync(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, stdout: "pipe" });
    expect(listed.exitCode).toBe(0);
    const clone = join(scratch, "nano-simd");
    for (const path of listed.stdout.toString().split("\0").filter(Boolean)) {
      mkdirSync(dirname(join(clone, path)), { recursive: true });
      cpSync(join(ROOT, path), join(clone, path));
    }
    const project = join(scratch, "my-app");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "my-app", private: true, type: "module" }));
    writeFileSync(join(project, "index.ts"), program!);

    // The user's environment, less this test run's own settings; Zig shares
    // the checkout's build cache only to save minutes of compiling.
    const { NANO_SIMD_LIBRARY: _library, NANO_SIMD_BACKEND: _backend, ...env } = process.env;
    const outputs: string[] = [];
    for (const block of blocks) {
      for (const command of block.commands) {
        if (NOT_RUN_HERE.some((pattern) => pattern.test(command))) continue;
        const run = Bun.spawnSync(["bash", "-c", command], {
          cwd: block.where === "clone" ? clone : project,
          env: { ...env, ZIG_LOCAL_CACHE_DIR: join(ROOT, ".zig-cache") },
          stdout: "pipe",
          stderr: "pipe",
        });
        const output = run.stdout.toString();
        if (run.exitCode !== 0) throw new Error(`\`${command}\` in ${block.where} failed (${run.exitCode}):\n${output}\n${run.stderr}`);
        if (block.where === "project") outputs.push(output);
      }
    }
    expect(outputs.at(-1)!.trimEnd()).toBe(printed!.trimEnd());
  },
  600_000,
);
