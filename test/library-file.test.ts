/**
 * The loader reads a library's header before dlopen (src/library-file.ts):
 * a library for another OS or architecture is refused with an error naming
 * what the file is and what this process needs, instead of the system
 * loader's misleading "No such file or directory" (issue 9, finding 6).
 * Checked on the six prebuilds `zig build dist` makes, and on made-up headers.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expectLoadableLibrary, readLibraryKind } from "../src/library-file.ts";
import { ROOT } from "../src/locate.ts";
import { BUN } from "./helpers.ts";
import { stagedEnv, stagedPackage } from "./tools.ts";

const PREBUILDS = [
  { platform: "linux", arch: "x64", file: "libnano_simd.so", says: "a Linux (ELF) library for x64" },
  { platform: "linux", arch: "arm64", file: "libnano_simd.so", says: "a Linux (ELF) library for arm64" },
  { platform: "darwin", arch: "x64", file: "libnano_simd.dylib", says: "a macOS (Mach-O) library for x64" },
  { platform: "darwin", arch: "arm64", file: "libnano_simd.dylib", says: "a macOS (Mach-O) library for arm64" },
  { platform: "win32", arch: "x64", file: "nano_simd.dll", says: "a Windows (PE) DLL for x64" },
  { platform: "win32", arch: "arm64", file: "nano_simd.dll", says: "a Windows (PE) DLL for arm64" },
] as const;

// Built in a staged copy of the package: prebuilds/ in the checkout would
// win over zig-out/ and change which library every later test loads.
const STAGED = stagedPackage();
const build = Bun.spawnSync(["bun", "run", "build:dist"], { cwd: STAGED, env: stagedEnv(), stdout: "inherit", stderr: "inherit" });
if (build.exitCode !== 0) throw new Error(`bun run build:dist failed in ${STAGED}`);
const pathOf = (prebuild: (typeof PREBUILDS)[number]) => join(STAGED, "prebuilds", `${prebuild.platform}-${prebuild.arch}`, prebuild.file);

const scratch = mkdtempSync(join(tmpdir(), "nano-simd-library-file-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test("each prebuild's header says its OS and architecture", () => {
  for (const prebuild of PREBUILDS) {
    expect(readLibraryKind(pathOf(prebuild))).toEqual({ format: prebuild.platform === "linux" ? "ELF" : prebuild.platform === "darwin" ? "Mach-O" : "PE", arch: prebuild.arch });
  }
});

test("each prebuild loads only where it belongs; elsewhere the error names what it is and what is needed", () => {
  for (const file of PREBUILDS) {
    for (const process of PREBUILDS) {
      const check = () => expectLoadableLibrary(pathOf(file), process.platform, process.arch);
      if (file === process) {
        expect(check).not.toThrow();
      } else {
        expect(check).toThrow(`nano-simd: ${pathOf(file)} is ${file.says}, but this process (${process.platform}-${process.arch}) needs ${process.says}.`);
      }
    }
  }
});

test("a file that is no library, or too short for a header, is refused as such", () => {
  for (const [name, bytes] of [["empty", new Uint8Array(0)], ["text", new TextEncoder().encode("#!/bin/sh\necho hello\n")], ["half an ELF header", new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1])]] as const) {
    const path = join(scratch, name);
    writeFileSync(path, bytes);
    expect(() => expectLoadableLibrary(path, "linux", "x64")).toThrow(`nano-simd: ${path} is not a shared library (no ELF, Mach-O or PE header); this process (linux-x64) needs a Linux (ELF) library for x64.`);
  }
});

test("a macOS universal binary loads where one of its slices fits", () => {
  const header = Buffer.alloc(8 + 2 * 20);
  header.writeUInt32BE(0xcafebabe, 0);
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(0x01000007, 8);
  header.writeUInt32BE(0x0100000c, 28);
  const path = join(scratch, "universal.dylib");
  writeFileSync(path, header);
  expect(readLibraryKind(path)).toEqual({ format: "Mach-O", arch: "x64+arm64" });
  expect(() => expectLoadableLibrary(path, "darwin", "arm64")).not.toThrow();
  expect(() => expectLoadableLibrary(path, "linux", "x64")).toThrow("is a macOS (Mach-O) library for x64+arm64, but this process (linux-x64) needs a Linux (ELF) library for x64.");
});

test("NANO_SIMD_LIBRARY naming another architecture's build fails the import with that error, not 'No such file'", () => {
  const here = `${process.platform}-${process.arch}`;
  const other = PREBUILDS.find((prebuild) => prebuild.platform === process.platform && prebuild.arch !== process.arch) ?? PREBUILDS.find((prebuild) => `${prebuild.platform}-${prebuild.arch}` !== here)!;
  const run = Bun.spawnSync([BUN, "-e", `await import(${JSON.stringify(join(ROOT, "src", "index.ts"))})`], {
    env: { ...process.env, NANO_SIMD_LIBRARY: pathOf(other) },
    stdout: "pipe",
    stderr: "pipe",
  });
  expect(run.exitCode).not.toBe(0);
  const message = run.stderr.toString();
  expect(message).toContain(`nano-simd: ${pathOf(other)} is ${other.says}, but this process (${here})`);
  expect(message).not.toContain("No such file");
});
