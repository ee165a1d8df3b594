/**
 * What the README says about the generated code is checked against a fresh
 * disassembly: every ```asm <symbol> <arch> block must appear, line by line
 * and in order, in objdump's listing of that symbol, and the facts stated in
 * prose (AVX2 is ymm, AVX-512 is zmm, scalar and naive never use a packed
 * add) hold for the current build.
 */
import { expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { missingTools, zigBuild } from "./tools.ts";

const ROOT = join(import.meta.dir, "..");
// binutils' objdump reads the x86-64 builds, LLVM's the ARM64 ones.
const skip = missingTools("the disassembly checks (test/disassembly.test.ts)", "objdump", "llvm-objdump").length > 0;
const prefix = mkdtempSync(join(tmpdir(), "nsimd-asm-"));
/** A cross build of the whole catalog takes tens of seconds on a cold cache and a busy machine. */
const BUILD_TIMEOUT_MS = 300_000;

function disassemble(symbol: string, arch: "x86_64" | "aarch64"): string[] {
  const out = join(prefix, arch);
  zigBuild("-Dstrip=false", `-Dtarget=${arch}-linux`, "--prefix", out);
  const library = join(out, "lib", "libnano_simd.so");
  // The README's commands: binutils' objdump for x86-64, LLVM's for ARM64 (binutils here reads only x86).
  const command =
    arch === "x86_64"
      ? ["objdump", "-d", "--no-show-raw-insn", `--disassemble=${symbol}`, library]
      : ["llvm-objdump", "-d", "--no-show-raw-insn", `--disassemble-symbols=${symbol}`, library];
  const run = Bun.spawnSync(command, { stderr: "pipe" });
  if (run.exitCode !== 0) throw new Error(`${command[0]} failed: ${run.stderr}`);
  // "   3740:      \tvmovups\t(%rdi,%r8,4), %ymm0" -> "vmovups (%rdi,%r8,4),%ymm0"
  return run.stdout
    .toString()
    .split("\n")
    .filter((line) => /^\s+[0-9a-f]+:/.test(line))
    .map((line) => normalise(line.replace(/^\s+[0-9a-f]+:\s*/, "")));
}

/** Whitespace and comments do not count: "vaddps  (%rsi),%ymm0 ; add" -> "vaddps (%rsi),%ymm0". */
function normalise(instruction: string): string {
  return instruction.replace(/\s*(;|\/\/|#).*$/, "").replace(/\s*,\s*/g, ",").replace(/\s+/g, " ").trim();
}

// The README and the guide chapters in docs/ (a listing may move to a chapter).
const README = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((name) => name.endsWith(".md")).map((name) => join("docs", name))]
  .map((path) => readFileSync(join(ROOT, path), "utf8"))
  .join("\n");
const listings = [...README.matchAll(/^```asm (\S+) (x86_64|aarch64)\n([\s\S]*?)^```$/gm)].map((m) => ({
  symbol: m[1]!,
  arch: m[2] as "x86_64" | "aarch64",
  lines: m[3]!.split("\n").map(normalise).filter((line) => line !== "" && !line.startsWith("...")),
}));

test("the README has disassembly listings to check", () => {
  expect(listings.map((l) => l.symbol)).toEqual(expect.arrayContaining(["nsimd_kernel_add_f32_avx2", "nsimd_kernel_add_f32_neon", "nsimd_kernel_add_f32_scalar"]));
});

test.skipIf(skip).each(listings.map((l) => [l.symbol, l] as const))("README's listing of %s matches objdump, in order", (_, listing) => {
  const actual = disassemble(listing.symbol, listing.arch);
  let from = 0;
  for (const line of listing.lines) {
    const at = actual.indexOf(line, from);
    if (at === -1) throw new Error(`${listing.symbol}: "${line}" not found after line ${from} of:\n${actual.join("\n")}`);
    from = at + 1;
  }
}, BUILD_TIMEOUT_MS);

test.skipIf(skip)("AVX2 adds ymm registers, AVX-512 zmm, SSE xmm; scalar and the naive loop never a packed add", () => {
  const text = (symbol: string) => disassemble(symbol, "x86_64").join("\n");
  expect(text("nsimd_kernel_add_f32_avx2")).toMatch(/vaddps [^\n]*%ymm/);
  expect(text("nsimd_kernel_add_f32_avx512")).toMatch(/vaddps [^\n]*%zmm/);
  expect(text("nsimd_kernel_add_f32_sse")).toMatch(/addps %xmm/);
  expect(text("nsimd_kernel_add_f32_avx2_streaming")).toMatch(/vmovntps %ymm/);
  for (const symbol of ["nsimd_kernel_add_f32_scalar", "nsimd_add_f32_naive"]) {
    expect(text(symbol)).toMatch(/addss/);
    expect(text(symbol)).not.toMatch(/addps/);
  }
  rmSync(prefix, { recursive: true, force: true });
}, BUILD_TIMEOUT_MS);
