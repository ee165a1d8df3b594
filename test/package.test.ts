/**
 * What `bun add nano-simd` gives a user. The package is packed with
 * `bun pm pack` (its prepack runs build:dist), installed with `bun add
 * <tarball>` into a fresh project in a temporary directory, with no Zig on the
 * PATH or in that project, and a script there computes with both APIs and
 * prints the backend it got from the prebuilt library.
 */
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { native } from "../src/native.ts";
import { BUN } from "./helpers.ts";

const ROOT = join(import.meta.dir, "..");
const scratch = mkdtempSync(join(tmpdir(), "nano-simd-package-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const PREBUILT = ["linux-x64/libnano_simd.so", "linux-arm64/libnano_simd.so", "darwin-x64/libnano_simd.dylib", "darwin-arm64/libnano_simd.dylib", "win32-x64/nano_simd.dll", "win32-arm64/nano_simd.dll"];

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
import { add, addInto, backend } from "nano-simd";
const list = add([1, 2, 3], [10, 20, 30]);
const buffer = addInto(new Float32Array([0.5, 1.5, 2.5, 3.5, 4.5]), new Float32Array([1, 2, 3, 4, 5]), new Float32Array(5));
console.log(JSON.stringify({ backend: backend(), list, buffer: [...buffer], from: import.meta.resolve("nano-simd") }));
`;

test(
  "bun pm pack, then bun add <tarball> in a fresh project without Zig: it imports and computes",
  () => {
    const tarball = join(scratch, mustSpawn([BUN, "pm", "pack", "--quiet", "--destination", scratch], ROOT).trim().split("\n").at(-1)!.split("/").at(-1)!);

    const files = mustSpawn(["tar", "tzf", tarball], scratch).split("\n").filter(Boolean);
    for (const path of ["package.json", "README.md", "LICENSE", "src/index.ts", "build.zig", "zig/catalog.zig", ...PREBUILT.map((file) => `prebuilds/${file}`)]) {
      expect(files).toContain(`package/${path}`);
    }
    expect(files.filter((path) => /^package\/(test|zig-out|node_modules|scripts|bench|examples|\.ci)\//.test(path))).toEqual([]);

    const project = join(scratch, "consumer");
    mkdirSync(project);
    // Trusted, so Bun would run any install script the package had: none may need Zig.
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", trustedDependencies: ["nano-simd"] }));
    writeFileSync(join(project, "index.ts"), CONSUMER_SCRIPT);
    expect(Bun.which("zig", { PATH: consumerEnv.PATH })).toBeNull();

    mustSpawn([BUN, "add", tarball], project, consumerEnv);
    const installed = join(project, "node_modules", "nano-simd");
    expect(existsSync(join(installed, "zig-out"))).toBe(false);
    expect(existsSync(join(project, "node_modules", "@zigc"))).toBe(false);

    const result = JSON.parse(mustSpawn([BUN, "index.ts"], project, consumerEnv));
    console.log(`fresh project with the packed tarball (${process.platform}-${process.arch}): backend ${result.backend}`);
    expect(result).toEqual({
      backend: native.runnable[0],
      list: [11, 22, 33],
      buffer: [1.5, 3.5, 5.5, 7.5, 9.5],
      from: Bun.pathToFileURL(join(installed, "src", "index.ts")).href,
    });
  },
  { timeout: 120_000 },
);
