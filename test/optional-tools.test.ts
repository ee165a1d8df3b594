/**
 * A machine without the optional tools (qemu-user, llvm, binutils): the
 * tests that need them skip and say which tool and package are missing,
 * and under CI=true the same run fails. Proven by running those test files
 * in a child `bun test` whose PATH holds only bun and node (the Zig
 * launcher from npm is a node script).
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUN } from "./helpers.ts";
import { EMULATED, OPTIONAL_TOOLS } from "./tools.ts";

const ROOT = join(import.meta.dir, "..");
const bin = mkdtempSync(join(tmpdir(), "nano-simd-bare-path-"));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

const NEEDS_TOOLS = ["test/qemu-dispatch.test.ts", "test/prebuilds.test.ts", "test/disassembly.test.ts"];

function bareRun(ci: boolean) {
  const { CI: _, ...env } = process.env;
  return Bun.spawnSync([BUN, "test", ...NEEDS_TOOLS], {
    cwd: ROOT,
    env: { ...env, PATH: bin, ...(ci ? { CI: "true" } : {}) },
    stdout: "pipe",
    stderr: "pipe",
  });
}

test.skipIf(process.platform === "win32" || EMULATED)(
  "with only bun and node on the PATH, the tests that need optional tools skip and name them; under CI=true they fail",
  () => {
    symlinkSync(process.execPath, join(bin, "bun"));
    const node = Bun.which("node");
    if (node) symlinkSync(node, join(bin, "node"));
    for (const tool of Object.keys(OPTIONAL_TOOLS)) expect(Bun.which(tool, { PATH: bin })).toBeNull();

    const developer = bareRun(false);
    const output = developer.stdout.toString() + developer.stderr.toString();
    expect(output).toContain("skipping x86-64 dispatch under qemu CPU models (test/qemu-dispatch.test.ts): qemu-x86_64 not found on the PATH (Debian: apt-get install qemu-user)");
    expect(output).toContain("llvm-nm, llvm-objdump, llvm-readobj, readelf not found on the PATH (Debian: apt-get install llvm binutils)");
    expect(output).toContain("objdump, llvm-objdump not found on the PATH (Debian: apt-get install binutils llvm)");
    expect(output).toMatch(/\n\s*0 fail\n/);
    expect(output).toMatch(/\n\s*[1-9]\d* skip\n/);
    expect(developer.exitCode).toBe(0);

    const ci = bareRun(true);
    const ciOutput = ci.stdout.toString() + ci.stderr.toString();
    expect(ciOutput).toContain("under CI=true every optional tool must be installed");
    expect(ci.exitCode).not.toBe(0);
  },
  120_000,
);
