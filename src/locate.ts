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

/**
 * Where the loaded library came from: NANO_SIMD_LIBRARY, the package's
 * prebuilds/, the local `zig build`, or a copy the bundler embedded in a
 * `bun build --compile` executable (or copied next to a `bun build` bundle).
 */
export type LibrarySource = "env" | "prebuilt" | "local" | "embedded";

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
export function libraryCandidates(root: string = ROOT, explicit: string | undefined = process.env["NANO_SIMD_LIBRARY"]): { path: string; source: LibrarySource }[] {
  // A relative path means relative to where the user typed it; made absolute
  // so that dlopen does not search the system library path for a bare name.
  if (explicit) return [{ path: resolve(explicit), source: "env" }];
  const found = [
    { path: prebuiltPath(root), source: "prebuilt" as const },
    { path: localPath(root), source: "local" as const },
  ].filter((candidate) => existsSync(candidate.path));
  if (found.length === 2 && statSync(found[1]!.path).mtimeMs > statSync(found[0]!.path).mtimeMs) found.reverse();
  if (found.length > 0 || root !== ROOT) return found;
  const embedded = embeddedPath();
  return embedded === undefined ? [] : [{ path: embedded, source: "embedded" }];
}

/**
 * The prebuilt library as Bun's bundler packed it. In a bundle there is no
 * package directory, so the files above do not exist; instead each
 * `require` of a prebuilt library below is turned by the bundler (its file
 * loader) into the path of a copy: inside the executable for `bun build
 * --compile` (`/$bunfs/root/libnano_simd-<hash>.so`, which bun:ffi's dlopen
 * opens as it is, measured with Bun 1.4.5), or next to the bundle for
 * `bun build --target bun` (a path relative to the bundle's directory).
 * The paths are literals so the bundler can see them: all six libraries
 * (about 160 KB together) go into every bundle. Run from source, none of
 * this is reached while a library exists on disk, and with none the
 * `require` throws (Bun reads a .so as JavaScript, or finds no file).
 */
function embeddedPath(): string | undefined {
  let path: unknown;
  try {
    switch (PLATFORM) {
      case "linux-x64":
        path = require("../prebuilds/linux-x64/libnano_simd.so");
        break;
      case "linux-arm64":
        path = require("../prebuilds/linux-arm64/libnano_simd.so");
        break;
      case "darwin-x64":
        path = require("../prebuilds/darwin-x64/libnano_simd.dylib");
        break;
      case "darwin-arm64":
        path = require("../prebuilds/darwin-arm64/libnano_simd.dylib");
        break;
      case "win32-x64":
        path = require("../prebuilds/win32-x64/nano_simd.dll");
        break;
      case "win32-arm64":
        path = require("../prebuilds/win32-arm64/nano_simd.dll");
        break;
    }
  } catch {
    return undefined;
  }
  return typeof path === "string" ? resolve(import.meta.dir, path) : undefined;
}
