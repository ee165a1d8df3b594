/**
 * What a user gets from the packed package. It is packed with `bun pm pack`
 * (its prepack builds prebuilds/ and dist/types) in a staged copy of the
 * package, so the checkout keeps its files and its library, and installed
 * with `bun add <tarball>` into a fresh project in a temporary directory,
 * with no Zig on the PATH. There it must: compute with both APIs; type-check
 * a program using every export under the strictest common settings; build
 * into a `bun build --compile` executable that runs from another directory
 * without node_modules, and into a `bun build --target bun` bundle; and,
 * imported from Node, fail with one sentence naming the requirement.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publicApi } from "../scripts/declarations.ts";
import { native } from "../src/native.ts";
import { BUN } from "./helpers.ts";
import { EMULATED, stagedEnv, stagedPackage } from "./tools.ts";

const ROOT = join(import.meta.dir, "..");
const scratch = mkdtempSync(join(tmpdir(), "nano-simd-package-"));
// The copy holds a whole node_modules (Zig included): removing it can take more than 5 s.
afterAll(() => rmSync(scratch, { recursive: true, force: true }), 60_000);

const PREBUILT = ["linux-x64/libnano_simd.so", "linux-arm64/libnano_simd.so", "darwin-x64/libnano_simd.dylib", "darwin-arm64/libnano_simd.dylib", "win32-x64/nano_simd.dll", "win32-arm64/nano_simd.dll"];
const VERSION: string = require(join(ROOT, "package.json")).version;

/**
 * The consumer's whole environment: system directories only, so neither the
 * repository's node_modules/.bin/zig nor any other Zig is reachable, and no
 * NANO_SIMD_* variable leaks in from this test run.
 */
const consumerEnv = { PATH: "/usr/bin:/bin", HOME: scratch, TMPDIR: scratch, BUN_INSTALL_CACHE_DIR: join(scratch, "bun-cache") };

function mustSpawn(argv: string[], cwd: string, env: Record<string, string> = { ...process.env } as Record<string, string>): string {
  const run = Bun.spawnSync(argv, { cwd, env, stdout: "pipe", stderr: "pipe" });
  if (run.exitCode !== 0) throw new Error(`${argv.join(" ")} failed (${run.exitCode ?? run.signalCode}):\n${run.stdout}\n${run.stderr}`);
  return run.stdout.toString();
}

const CONSUMER_SCRIPT = `
import { add, addInto, backend, info } from "nano-simd";
const list = add([1, 2, 3], [10, 20, 30]);
const buffer = addInto(new Float32Array([0.5, 1.5, 2.5, 3.5, 4.5]), new Float32Array([1, 2, 3, 4, 5]), new Float32Array(5));
console.log(JSON.stringify({ backend: backend(), list, buffer: [...buffer], version: info().version, source: info().library.source }));
`;

const project = join(scratch, "consumer");
let tarball = "";
let files: string[] = [];

beforeAll(() => {
  // Packed in the staged copy: prepack writes prebuilds/ and dist/ there, not in the checkout.
  const packed = mustSpawn([BUN, "pm", "pack", "--quiet", "--destination", scratch], stagedPackage(), stagedEnv()).trim().split("\n").at(-1)!;
  tarball = join(scratch, packed.split("/").at(-1)!);
  files = mustSpawn(["tar", "tzf", tarball], scratch).split("\n").filter(Boolean);

  mkdirSync(project);
  // Trusted, so Bun would run any install script the package had: none may need Zig.
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", trustedDependencies: ["nano-simd"] }));
  writeFileSync(join(project, "index.ts"), CONSUMER_SCRIPT);
  expect(Bun.which("zig", { PATH: consumerEnv.PATH })).toBeNull();
  mustSpawn([BUN, "add", tarball], project, consumerEnv);
}, 180_000);

test("the tarball holds the sources, the declarations and six prebuilt libraries, and nothing of the repository's own", () => {
  for (const path of ["package.json", "README.md", "LICENSE", "src/index.ts", "src/requires-bun.js", "dist/types/index.d.ts", "build.zig", "zig/catalog.zig", ...PREBUILT.map((file) => `prebuilds/${file}`)]) {
    expect(files).toContain(`package/${path}`);
  }
  expect(files.filter((path) => /^package\/(test|zig-out|node_modules|scripts|bench|examples|docs|\.ci)\//.test(path))).toEqual([]);
});

test("bun add <tarball> in a fresh project without Zig: it imports and computes", () => {
  const installed = join(project, "node_modules", "nano-simd");
  expect(existsSync(join(installed, "zig-out"))).toBe(false);
  expect(existsSync(join(project, "node_modules", "@zigc"))).toBe(false);
  const result = JSON.parse(mustSpawn([BUN, "index.ts"], project, consumerEnv));
  console.log(`fresh project with the packed tarball (${process.platform}-${process.arch}): backend ${result.backend}`);
  expect(result).toEqual({ backend: native.runnable[0], list: [11, 22, 33], buffer: [1.5, 3.5, 5.5, 7.5, 9.5], version: VERSION, source: "prebuilt" });
});

/**
 * A program that calls the main functions with real values, then names
 * every export the declarations have (read from them, so a new export is
 * covered without editing this test).
 */
function strictProgram(): string {
  const api = publicApi();
  const values = api.filter((entry) => entry.kind === "function" || entry.kind === "value").map((entry) => entry.name);
  const types = api.filter((entry) => entry.kind === "type" || entry.kind === "interface").map((entry) => entry.name);
  return `import { ${[...values, ...types.map((name) => `type ${name}`)].join(", ")} } from "nano-simd";

const a = new Float32Array([1, 2, 3]);
const out: Float32Array = addInto(a, a, new Float32Array(3));
const sums: number[] = add([1, 2], [3, 4]);
const first: number | undefined = sums[0];
const report: Info = info();
const avx2: boolean | undefined = report.cpu.features["avx2"];
const active: Backend = backend();
setBackend("auto");
console.log(out, first, avx2, active, report.version, formatInfo(report).length);

export const everyValue = [${values.join(", ")}] as const;
export type EveryType = [${types.join(", ")}];
`;
}

const STRICT = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noPropertyAccessFromIndexSignature: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noUnusedLocals: true,
  skipLibCheck: false,
  noEmit: true,
  target: "ES2022",
  lib: ["ES2022", "DOM"],
  types: [],
};

const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

/** Runs the repository's tsc in a copy of the consumer project with these module settings; its output. */
function typeCheck(name: string, settings: Record<string, string>, program: string): { exitCode: number | null; output: string } {
  const dir = join(scratch, name);
  mkdirSync(dir);
  cpSync(join(project, "node_modules"), join(dir, "node_modules"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...STRICT, ...settings }, files: ["main.ts"] }));
  writeFileSync(join(dir, "main.ts"), program);
  const run = Bun.spawnSync([BUN, TSC, "-p", dir], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  return { exitCode: run.exitCode, output: run.stdout.toString() + run.stderr.toString() };
}

const MODULE_SETTINGS = [
  ["NodeNext", { module: "NodeNext", moduleResolution: "NodeNext" }],
  ["bundler", { module: "ESNext", moduleResolution: "bundler" }],
] as const;

// tsc and --compile test the host's tooling, not the architecture: the host run does them.
test.skipIf(EMULATED).each(MODULE_SETTINGS)("a strict project (module %s) type-checks a program using every export with zero errors", (name, settings) => {
  const check = typeCheck(`strict-${name}`, settings, strictProgram());
  expect(check.output).toBe("");
  expect(check.exitCode).toBe(0);
  // And the types are real: a wrong use is an error, not `any`.
  const wrong = typeCheck(`wrong-${name}`, settings, `import { addInto } from "nano-simd";\nexport const text: string = addInto(new Float32Array(1), new Float32Array(1), new Float32Array(1));\n`);
  expect(wrong.output).toContain("error TS2322");
}, 60_000);

test.skipIf(EMULATED)("bun build --compile: the executable runs from another directory, without node_modules, on the embedded library", () => {
  const executable = join(scratch, "compiled", process.platform === "win32" ? "app.exe" : "app");
  mustSpawn([BUN, "build", "--compile", "index.ts", "--outfile", executable], project, consumerEnv);
  const elsewhere = join(scratch, "elsewhere");
  mkdirSync(elsewhere);
  const result = JSON.parse(mustSpawn([executable], elsewhere, consumerEnv));
  expect(result).toEqual({ backend: native.runnable[0], list: [11, 22, 33], buffer: [1.5, 3.5, 5.5, 7.5, 9.5], version: VERSION, source: "embedded" });
}, 120_000);

test("bun build --target bun: the bundle carries the library beside it and runs from another directory", () => {
  const outdir = join(scratch, "bundle");
  mustSpawn([BUN, "build", "--target", "bun", "index.ts", "--outdir", outdir], project, consumerEnv);
  rmSync(join(project, "node_modules"), { recursive: true, force: true, maxRetries: 0 });
  try {
    const result = JSON.parse(mustSpawn([BUN, join(outdir, "index.js")], scratch, consumerEnv));
    expect(result).toEqual({ backend: native.runnable[0], list: [11, 22, 33], buffer: [1.5, 3.5, 5.5, 7.5, 9.5], version: VERSION, source: "embedded" });
  } finally {
    mustSpawn([BUN, "add", tarball], project, consumerEnv);
  }
}, 120_000);

test.skipIf(!Bun.which("node") || EMULATED)("imported under Node, it fails with one sentence naming Bun >= 1.4.5 and bun:ffi", () => {
  writeFileSync(join(project, "node.mjs"), `import "nano-simd";\n`);
  const run = Bun.spawnSync(["node", "node.mjs"], { cwd: project, stdout: "pipe", stderr: "pipe" });
  expect(run.exitCode).not.toBe(0);
  expect(run.stderr.toString()).toContain(
    "Error: nano-simd needs Bun >= 1.4.5: it calls its Zig kernels through bun:ffi, which Node, tsx and other runtimes do not have; run your program with `bun`.",
  );
});
