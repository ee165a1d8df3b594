/**
 * The six libraries `zig build dist` cross-compiles into prebuilds/: each
 * one's file format, architecture and export table, read with LLVM's tools
 * (Debian's `llvm` package), and no libc dependency for the Linux ones.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { CATALOG, type Op } from "../src/catalog.ts";
import { DESCRIBE_SYMBOLS, conversionSymbol, kernelSymbol, native } from "../src/native.ts";
import { missingTools, stagedEnv, stagedPackage } from "./tools.ts";

/** One row per prebuilt library: the directory src/native.ts looks in, and what LLVM must say about the file. */
const PREBUILDS = [
  { dir: "linux-x64", file: "libnano_simd.so", format: "elf64-x86-64", arch: "x86_64" },
  { dir: "linux-arm64", file: "libnano_simd.so", format: "elf64-littleaarch64", arch: "aarch64" },
  { dir: "darwin-x64", file: "libnano_simd.dylib", format: "Mach-O 64-bit x86-64", arch: "x86_64" },
  { dir: "darwin-arm64", file: "libnano_simd.dylib", format: "Mach-O arm64", arch: "aarch64" },
  { dir: "win32-x64", file: "nano_simd.dll", format: "COFF-x86-64", arch: "x86_64" },
  { dir: "win32-arm64", file: "nano_simd.dll", format: "COFF-ARM64", arch: "aarch64" },
] as const;

/** Backends per architecture, as zig/catalog.zig lists them. */
const BACKENDS = { x86_64: ["avx512", "avx2", "sse", "scalar"], aarch64: ["neon", "scalar"] } as const;

/** Symbols the toolchain adds on its own: Mach-O's header and DSO handle, the Windows DLL entry point and TLS directory. */
const TOOLCHAIN_EXPORTS = new Set(["_mh_dylib_header", "__dso_handle", "_DllMainCRTStartup", "__xl_a", "__xl_z", "_tls_end", "_tls_index", "_tls_start", "_tls_used"]);

function expectedExports(arch: keyof typeof BACKENDS): string[] {
  const kernels = [
    ...BACKENDS[arch].flatMap((variant) => (Object.keys(CATALOG.ops) as Op[]).flatMap((op) => CATALOG.ops[op].dtypes.map((dtype) => kernelSymbol(op, dtype, variant)))),
    ...CATALOG.listOps.map((op) => kernelSymbol(op, "f32", "naive")),
    ...BACKENDS[arch].flatMap((variant) => CATALOG.conversions.map(([source, destination]) => conversionSymbol(source, destination, variant))),
  ];
  return [...DESCRIBE_SYMBOLS, ...kernels].sort();
}

function tool(...argv: string[]): string {
  const run = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
  if (run.exitCode !== 0) throw new Error(`${argv.join(" ")} failed (${run.exitCode ?? run.signalCode}): ${run.stderr}`);
  return run.stdout.toString();
}

/** The names in a library's export table, read the way each format keeps it. */
function exportedNames(path: string, format: string): string[] {
  if (format.startsWith("elf")) return tool("llvm-nm", "--dynamic", "--defined-only", "--just-symbol-name", path).split("\n").filter(Boolean);
  if (format.startsWith("Mach-O")) {
    // "0x000020F0  _nsimd_abi_version": C names carry a leading underscore in Mach-O.
    return [...tool("llvm-objdump", "--macho", "--exports-trie", path).matchAll(/^0x[0-9A-F]+\s+_(\S+)$/gm)].map((match) => match[1]!);
  }
  return [...tool("llvm-readobj", "--coff-exports", path).matchAll(/^\s*Name: (\S+)$/gm)].map((match) => match[1]!);
}

const skip = missingTools("the prebuilt library checks (test/prebuilds.test.ts)", "llvm-nm", "llvm-objdump", "llvm-readobj", "readelf").length > 0;

// Build what this file checks from the current sources, in a staged copy of
// the package (prebuilds/ in the checkout would change which library loads).
const ROOT = stagedPackage();
if (!skip) {
  const build = Bun.spawnSync(["bun", "run", "build:dist"], { cwd: ROOT, env: stagedEnv(), stdout: "inherit", stderr: "inherit" });
  if (build.exitCode !== 0) throw new Error(`bun run build:dist failed in ${ROOT}`);
}

test("the catalog's backends per architecture are the ones this library was built with", () => {
  const arch = process.arch === "arm64" ? "aarch64" : "x86_64";
  expect([...BACKENDS[arch]]).toEqual(native.backends);
});

describe.skipIf(skip).each(PREBUILDS)("prebuilds/$dir/$file", ({ dir, file, format, arch }) => {
  const path = join(ROOT, "prebuilds", dir, file);

  test(`is ${format} for ${arch}`, () => {
    const headers = tool("llvm-readobj", "--file-headers", path);
    expect(headers).toContain(`Format: ${format}\n`);
    expect(headers).toContain(`Arch: ${arch}\n`);
  });

  test("exports the full nsimd_ C ABI of its architecture and nothing else of its own", () => {
    const names = exportedNames(path, format);
    expect(names.filter((name) => name.startsWith("nsimd")).sort()).toEqual(expectedExports(arch));
    expect(names.filter((name) => !name.startsWith("nsimd") && !TOOLCHAIN_EXPORTS.has(name))).toEqual([]);
  });

  if (dir.startsWith("linux")) {
    test("needs no shared library at all (readelf -d: no NEEDED), so glibc and musl systems load the same file", () => {
      const dynamic = tool("readelf", "-d", path);
      expect(dynamic).toContain("(SONAME)");
      expect(dynamic).not.toContain("(NEEDED)");
    });
  }
});
