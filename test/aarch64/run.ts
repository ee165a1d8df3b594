/**
 * `bun run test:aarch64`: the whole `bun test` suite on ARM64, for real, on
 * this x86-64 machine. Bun's own linux-aarch64 binary (same version as the
 * Bun running this script) runs under qemu-aarch64 and loads the aarch64
 * library that `zig build dist` ships in prebuilds/linux-arm64/, so the NEON
 * kernels execute instruction by instruction instead of being assumed.
 *
 * Needs Debian's qemu-user (qemu-aarch64) and libc6-arm64-cross (the aarch64
 * glibc loader Bun links against, under /usr/aarch64-linux-gnu). binfmt_misc
 * is not mounted here, so qemu is always called explicitly, also for the Bun
 * processes the tests themselves start (see NANO_SIMD_TEST_BUN).
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ZIG, mustRun, zigBuild } from "../tools.ts";

const ROOT = join(import.meta.dir, "..", "..");
const SYSROOT = "/usr/aarch64-linux-gnu";
const CACHE = join(ROOT, "node_modules", ".cache", "nano-simd", `bun-linux-aarch64-${Bun.version}`);
const LIBRARY = join(ROOT, "prebuilds", "linux-arm64", "libnano_simd.so");

/** Bun for linux-aarch64 from npm, fetched once into node_modules/.cache. */
function aarch64Bun(): string {
  const bun = join(CACHE, "package", "bin", "bun");
  if (existsSync(bun)) return bun;
  mkdirSync(CACHE, { recursive: true });
  const spec = `@oven/bun-linux-aarch64@${Bun.version}`;
  console.error(`test:aarch64: fetching ${spec} with npm pack...`);
  mustRun(["npm", "pack", spec, "--silent", "--pack-destination", CACHE]);
  mustRun(["tar", "xzf", `oven-bun-linux-aarch64-${Bun.version}.tgz`], CACHE);
  return bun;
}

/**
 * test/aarch64/qemu-mprotect.zig as an aarch64 library: works around qemu 7.2's
 * zero-length mprotect bug, which otherwise aborts Bun (see that file).
 */
function mprotectShim(): string {
  const shim = join(CACHE, "libqemu-mprotect.so");
  mustRun([ZIG, "build-lib", "-dynamic", "-target", "aarch64-linux-gnu", "-lc", "-O", "ReleaseSmall", "-fstrip", join(import.meta.dir, "qemu-mprotect.zig"), `-femit-bin=${shim}`]);
  return shim;
}

/**
 * A tiny `bun` that puts qemu in front of the aarch64 binary. The tests start
 * Bun processes of their own; without binfmt_misc the kernel cannot execute
 * an aarch64 file directly, so they launch this instead of process.execPath.
 */
function qemuLauncher(bun: string, shim: string): string {
  const launcher = join(CACHE, "bun-under-qemu");
  writeFileSync(launcher, `#!/bin/sh\nexec qemu-aarch64 -L '${SYSROOT}' -E 'LD_PRELOAD=${shim}' '${bun}' "$@"\n`);
  chmodSync(launcher, 0o755);
  return launcher;
}

for (const [tool, hint] of [
  ["qemu-aarch64", "apt-get install qemu-user"],
  [join(SYSROOT, "lib", "ld-linux-aarch64.so.1"), "apt-get install libc6-arm64-cross"],
] as const) {
  if (!Bun.which(tool) && !existsSync(tool)) throw new Error(`test:aarch64 needs ${tool}: ${hint}`);
}

// Up to date with the Zig sources: a no-op when nothing changed.
zigBuild("dist");
const launcher = qemuLauncher(aarch64Bun(), mprotectShim());
const env = { ...process.env, NANO_SIMD_LIBRARY: LIBRARY, NANO_SIMD_TEST_BUN: launcher };

// Which backend this run tests, asked of the aarch64 Bun itself: it must be
// NEON, or the run would prove nothing about the NEON kernels.
const probe = Bun.spawnSync([launcher, "-e", `const n = await import("./src/index.ts"); console.log(process.arch, n.backends().join(","), n.backend());`], { cwd: ROOT, env, stdout: "pipe", stderr: "inherit" });
const [arch, runnable, backend] = probe.stdout.toString().trim().split(" ");
if (probe.exitCode !== 0 || arch !== "arm64" || backend !== "neon") {
  throw new Error(`test:aarch64: expected arm64 with backend neon, got "${probe.stdout.toString().trim()}" (exit ${probe.exitCode})`);
}
console.error(`test:aarch64: Bun ${Bun.version} for linux-aarch64 under qemu-aarch64 (process.arch ${arch}), library ${LIBRARY}, runnable ${runnable}, testing backend ${backend}`);

// Emulation runs 10-20x slower than the host, so the per-test limit is 60 s
// rather than bun's 5 s (the 10,000-call fuzz test takes ~6 s under qemu).
const suite = Bun.spawnSync([launcher, "test", "--timeout", "60000", ...process.argv.slice(2)], { cwd: ROOT, env, stdout: "inherit", stderr: "inherit" });
process.exit(suite.exitCode ?? 1);
