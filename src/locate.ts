/**
 * Where the native library is, without loading it: the loader (native.ts)
 * and the test preload both need the paths, and only the loader may open it.
 * The package's own paths start from this file's location, never from the
 * current working directory, so an installed package finds its library
 * whatever directory the program runs in.
 */
import { suffix } from "bun:ffi";
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/** The package root. */
export const ROOT = join(import.meta.dir, "..");
/** Named like the directories under prebuilds/: `${process.platform}-${process.arch}`. */
export const PLATFORM = `${process.platform}-${process.arch}`;
const FILE_NAME = process.platform === "win32" ? `nano_simd.${suffix}` : `libnano_simd.${suffix}`;

export type LibrarySource = "env" | "prebuilt" | "local";

/** The prebuilt library `zig build dist` ships for this platform. */
export function prebuiltPath(root: string = ROOT): string {
  return join(root, "prebuilds", PLATFORM, FILE_NAME);
}

/** The development build: `zig build` puts a DLL in zig-out/bin, other libraries in zig-out/lib. */
export function localPath(root: string = ROOT): string {
  return join(root, "zig-out", process.platform === "win32" ? "bin" : "lib", FILE_NAME);
}

/**
 * Where the library may be, best first; native.ts loads the first.
 * NANO_SIMD_LIBRARY alone when it is set, else whichever of the prebuilt and
 * the local build exist, the newer first when both do: in a checkout, a
 * local build newer than the prebuilt one is the one being edited.
 */
export function libraryCandidates(root: string = ROOT, explicit: string | undefined = process.env.NANO_SIMD_LIBRARY): { path: string; source: LibrarySource }[] {
  // A relative path means relative to where the user typed it; made absolute
  // so that dlopen does not search the system library path for a bare name.
  if (explicit) return [{ path: resolve(explicit), source: "env" }];
  const found = [
    { path: prebuiltPath(root), source: "prebuilt" as const },
    { path: localPath(root), source: "local" as const },
  ].filter((candidate) => existsSync(candidate.path));
  if (found.length === 2 && statSync(found[1]!.path).mtimeMs > statSync(found[0]!.path).mtimeMs) found.reverse();
  return found;
}
