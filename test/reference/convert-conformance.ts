/**
 * `bun run test:conformance`: zig/convert_check.zig built for each x86-64
 * level this CPU runs (x86-64-v4, v3 and the baseline) and for AArch64 under
 * qemu-aarch64 when it is installed, each run compared line for line with
 * test/reference/convert-hashes.txt, which the JS reference computes
 * (test/reference/convert.test.ts checks that file against it).
 *
 * Every line is one conversion pair and one scale/offset case over 4,133
 * fixed inputs (random bit patterns, signaling NaNs among them), hashed: so
 * each ISA's own code generation is checked bit for bit against an
 * independent reference. This is what caught LLVM turning a clamp into
 * AArch64's fmaxnm, which let the signaling NaN 0xff9d9b9f through as 255.
 * The library's own tests run the same kernels, but inlined into other
 * code, where LLVM had happened to keep the NaN right.
 *
 * Each build takes 15-25 s of one core; .ci/run runs this as its own step.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZIG } from "../tools.ts";

const ROOT = join(import.meta.dir, "..", "..");
const expected = readFileSync(join(import.meta.dir, "convert-hashes.txt"), "utf8").trimEnd().split("\n");

/** The x86 levels /proc/cpuinfo says this CPU runs (v3: AVX2, FMA, F16C; v4: the AVX-512 set). */
function x86Levels(): string[] {
  if (process.arch !== "x64") return [];
  const flags = new Set(readFileSync("/proc/cpuinfo", "utf8").match(/^flags\s*:(.*)$/m)?.[1]?.trim().split(/\s+/) ?? []);
  const levels = ["x86_64"];
  if (["avx2", "fma", "f16c", "bmi2"].every((flag) => flags.has(flag))) levels.push("x86_64_v3");
  if (["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"].every((flag) => flags.has(flag))) levels.push("x86_64_v4");
  return levels;
}

const targets: { name: string; build: string[]; run: (binary: string) => string[] }[] = x86Levels().map((level) => ({
  name: level,
  build: ["-mcpu", level],
  run: (binary: string) => [binary],
}));
if (Bun.which("qemu-aarch64")) {
  targets.push({ name: "aarch64 (qemu)", build: ["-target", "aarch64-linux"], run: (binary: string) => ["qemu-aarch64", binary] });
} else {
  console.warn("convert conformance: qemu-aarch64 not found (Debian: apt-get install qemu-user), AArch64 skipped");
}

const scratch = mkdtempSync(join(tmpdir(), "nano-simd-conformance-"));
let failed = 0;
try {
  // The builds run side by side: each is one compiler process.
  const binaries = await Promise.all(
    targets.map(async (target) => {
      const binary = join(scratch, `convert_check_${target.name.split(" ")[0]}`);
      const build = Bun.spawn([ZIG, "build-exe", join(ROOT, "zig", "convert_check.zig"), "-O", "ReleaseFast", ...target.build, `-femit-bin=${binary}`], { cwd: ROOT, stderr: "inherit" });
      if ((await build.exited) !== 0) throw new Error(`building convert_check for ${target.name} failed`);
      return binary;
    }),
  );
  targets.forEach((target, t) => {
    // convert_check prints to stderr: a header line, then one line per pair and case.
    const run = Bun.spawnSync(target.run(binaries[t]!), { stdout: "pipe", stderr: "pipe" });
    const lines = run.stderr.toString().trimEnd().split("\n").slice(1);
    const differing = expected.flatMap((line, i) => (lines[i] === line ? [] : [`expected ${line}, got ${lines[i] ?? "nothing"}`]));
    if (run.exitCode !== 0 || lines.length !== expected.length || differing.length > 0) {
      failed++;
      console.error(`${target.name}: ${differing.length} of ${expected.length} lines differ from the JS reference (exit ${run.exitCode})`);
      for (const line of differing.slice(0, 10)) console.error(`  ${line}`);
    } else {
      console.log(`${target.name}: all ${expected.length} pair x case hashes equal the JS reference`);
    }
  });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed === 0 ? 0 : 1);
