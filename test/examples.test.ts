/** Every example runs, and prints what the README says it prints. */
import { expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { BUN, backends } from "./helpers.ts";

const ROOT = join(import.meta.dir, "..");
const EXAMPLES = readdirSync(join(ROOT, "examples")).filter((name) => name.endsWith(".ts"));

/** A line each example must print (the ones whose numbers are not timings). */
const EXPECTED: Record<string, RegExp[]> = {
  "basic.ts": [/level 0, pure JS: +\[ 11, 22, 33, 44 \]/, /buffer API, addInto: +Float32Array\(4\) \[ 11, 22, 33, 44 \]/],
  "buffer-api.ts": [/with tax: +Float32Array\(8\) \[ 12\.5, 25, 37\.5, 50, 62\.5, 75, 87\.5, 100 \]/, /RangeError: out partially overlaps a/],
  "dispatch.ts": [/runnable: .*scalar/, /scalar +out\[12345\] = 1234\.5001220703125/],
  "list-vs-buffer.ts": [/buffer \(addInto\) +\d+\.\d+ ms/],
  "vector-search.ts": [/scored 100,000 embeddings of 128 floats in \d+\.\d ms/, /^nearest: 31337 \(0\.0\d+\)/m, /same as cosine\(\): true/],
  "audio-gain.ts": [/in peak 16382, out peak 32767/, /first samples out: 0, 2829, 5649, 8451, 11223/],
  "image-normalise.ts": [/R: -0\.485 0\.095/, /B: -0\.116 0\.465/],
};

test("there is an expectation for every example", () => {
  expect(EXAMPLES.sort()).toEqual(Object.keys(EXPECTED).sort());
});

test.each(EXAMPLES)("examples/%s runs and prints what it should", (name) => {
  const run = Bun.spawnSync([BUN, join(ROOT, "examples", name)], { cwd: ROOT, stderr: "pipe" });
  expect(run.stderr.toString()).toBe("");
  expect(run.exitCode).toBe(0);
  const output = run.stdout.toString();
  for (const line of EXPECTED[name]!) expect(output).toMatch(line);
}, 30_000);

test.each(backends())("examples/basic.ts lines its columns up with the %s backend", (name) => {
  const run = Bun.spawnSync([BUN, join(ROOT, "examples", "basic.ts")], { cwd: ROOT, env: { ...process.env, NANO_SIMD_BACKEND: name } });
  const lines = run.stdout.toString().trimEnd().split("\n");
  // Where each value starts: after the label and its padding.
  const columns = lines.map((line) => line.search(/ (\[|Float32Array)/));
  expect(lines).toHaveLength(4);
  expect(new Set(columns).size).toBe(1);
});
