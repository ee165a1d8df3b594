/**
 * Finding the library: NANO_SIMD_LIBRARY, then prebuilds/<platform>-<arch>/,
 * then the local build (the newer of the two wins), always from the
 * package's own directory, and a clear error when there is none.
 */
import { afterAll, expect, test } from "bun:test";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { PLATFORM, ROOT, libraryCandidates, localPath, prebuiltPath } from "../src/locate.ts";
import { native } from "../src/native.ts";
import { BUN } from "./helpers.ts";

const scratch = mkdtempSync(join(tmpdir(), "nano-simd-loader-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A package root in the scratch directory, holding a copy of the loaded library where asked, with that modification time. */
function packageRoot(name: string, libraries: { prebuilt?: Date; local?: Date }): string {
  const root = join(scratch, name);
  for (const [path, time] of [
    [prebuiltPath(root), libraries.prebuilt],
    [localPath(root), libraries.local],
  ] as const) {
    if (!time) continue;
    mkdirSync(dirname(path), { recursive: true });
    copyFileSync(native.path, path);
    utimesSync(path, time, time);
  }
  return root;
}

const earlier = new Date("2026-01-01T00:00:00Z");
const later = new Date("2026-01-02T00:00:00Z");

test("NANO_SIMD_LIBRARY comes first and alone, made absolute against the current directory", () => {
  const root = packageRoot("env", { prebuilt: earlier, local: later });
  expect(libraryCandidates(root, "/some/where/libx.so")).toEqual([{ path: "/some/where/libx.so", source: "env" }]);
  expect(libraryCandidates(root, "libx.so")).toEqual([{ path: resolve("libx.so"), source: "env" }]);
});

test("prebuilds/<platform>-<arch>/ and the local build are each used when alone", () => {
  expect(libraryCandidates(packageRoot("prebuilt-only", { prebuilt: later }), "")).toEqual([{ path: prebuiltPath(join(scratch, "prebuilt-only")), source: "prebuilt" }]);
  expect(libraryCandidates(packageRoot("local-only", { local: later }), "")).toEqual([{ path: localPath(join(scratch, "local-only")), source: "local" }]);
  expect(prebuiltPath(ROOT)).toContain(join("prebuilds", PLATFORM));
});

test("a local build newer than the prebuilt one wins, an older one does not", () => {
  const sources = (root: string) => libraryCandidates(root, "").map((candidate) => candidate.source);
  expect(sources(packageRoot("local-newer", { prebuilt: earlier, local: later }))).toEqual(["local", "prebuilt"]);
  expect(sources(packageRoot("prebuilt-newer", { prebuilt: later, local: earlier }))).toEqual(["prebuilt", "local"]);
});

/** Imports the loader of a copy of src/ under `root`, from the directory `cwd`, with NANO_SIMD_LIBRARY as given. */
function importCopy(root: string, cwd: string, library?: string) {
  cpSync(join(ROOT, "src"), join(root, "src"), { recursive: true });
  mkdirSync(cwd, { recursive: true });
  const { NANO_SIMD_LIBRARY: _, ...env } = process.env;
  if (library) env.NANO_SIMD_LIBRARY = library;
  const script = `const { native } = await import(${JSON.stringify(join(root, "src", "native.ts"))}); console.log(native.source, native.path);`;
  return Bun.spawnSync([BUN, "-e", script], { cwd, env, stdout: "pipe", stderr: "pipe" });
}

test("the library is found from the package's directory, whatever the current directory", () => {
  const root = packageRoot("elsewhere", { prebuilt: later });
  const run = importCopy(root, join(scratch, "some-other-directory"));
  expect(run.stderr.toString()).toBe("");
  expect(run.stdout.toString().trim()).toBe(`prebuilt ${prebuiltPath(root)}`);
});

test("with no library, the import fails naming the platform and how to build one", () => {
  const root = join(scratch, "empty");
  const run = importCopy(root, root);
  expect(run.exitCode).not.toBe(0);
  const message = run.stderr.toString();
  expect(message).toContain(`nano-simd: no native library for ${PLATFORM}: neither ${prebuiltPath(root)} (prebuilt) nor ${localPath(root)} (local build) exists.`);
  expect(message).toContain(`Build it with \`zig build\` (Zig 0.16) in ${root}`);
});

test("a NANO_SIMD_LIBRARY that does not exist is an error naming it, not a fallback", () => {
  const root = packageRoot("missing-explicit", { prebuilt: later });
  const run = importCopy(root, root, "no/such/libnano_simd.so");
  expect(run.exitCode).not.toBe(0);
  expect(run.stderr.toString()).toContain(`nano-simd: NANO_SIMD_LIBRARY is ${join(root, "no/such/libnano_simd.so")}, which does not exist`);
});
