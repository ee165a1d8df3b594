/**
 * `bun test` preload (bunfig.toml): build the native library first when it is
 * missing or older than any Zig source, so that editing a kernel and running
 * `bun test` tests the edit, and a fresh clone needs only `bun install` and
 * `bun test`. Skipped when NANO_SIMD_LIBRARY points at a library to test.
 */
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { ROOT as root, localPath } from "../src/locate.ts";
import { zigBuild } from "./tools.ts";

const library = localPath();

function newestSource(): number {
  const sources = [join(root, "build.zig"), ...readdirSync(join(root, "zig")).map((name) => join(root, "zig", name))];
  return Math.max(...sources.map((path) => statSync(path).mtimeMs));
}

if (!process.env.NANO_SIMD_LIBRARY && (!existsSync(library) || statSync(library).mtimeMs < newestSource())) {
  console.error(`nano-simd: building the native library (${existsSync(library) ? "sources changed" : "missing"})...`);
  zigBuild();
  // Zig installs a cached build with the time it was first compiled, which
  // may be older than the sources (after a revert) or than prebuilds/: mark
  // it as just built, so it counts as up to date and the loader prefers it.
  const now = new Date();
  utimesSync(library, now, now);
}

// Say which library and backend this run tests: on the aarch64 run under
// qemu (test/aarch64/run.ts) this is the line that shows NEON was tested.
const { native } = await import("../src/native.ts");
const { backend } = await import("../src/dispatch.ts");
console.error(`nano-simd: testing ${native.path} (${native.source}) on ${process.platform}-${process.arch}: runnable ${native.runnable.join(",")}, backend ${backend()}`);
