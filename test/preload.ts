/**
 * `bun test` preload (bunfig.toml): build the native library first when it is
 * missing or older than any Zig source, so that editing a kernel and running
 * `bun test` tests the edit, and a fresh clone needs only `bun install` and
 * `bun test`. Skipped when NANO_SIMD_LIBRARY points at a library to test.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { suffix } from "bun:ffi";

const root = join(import.meta.dir, "..");
const library = join(root, "zig-out", process.platform === "win32" ? "bin" : "lib", `${process.platform === "win32" ? "" : "lib"}nano_simd.${suffix}`);

function newestSource(): number {
  const sources = [join(root, "build.zig"), ...readdirSync(join(root, "zig")).map((name) => join(root, "zig", name))];
  return Math.max(...sources.map((path) => statSync(path).mtimeMs));
}

if (!process.env.NANO_SIMD_LIBRARY && (!existsSync(library) || statSync(library).mtimeMs < newestSource())) {
  const zig = join(root, "node_modules", ".bin", process.platform === "win32" ? "zig.cmd" : "zig");
  console.error(`nano-simd: building the native library (${existsSync(library) ? "sources changed" : "missing"})...`);
  const build = Bun.spawnSync([zig, "build"], { cwd: root, stdout: "inherit", stderr: "inherit" });
  if (build.exitCode !== 0) throw new Error(`zig build failed with exit code ${build.exitCode}`);
}
