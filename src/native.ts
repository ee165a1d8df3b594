/**
 * Finding and opening the shared library, and describing its C ABI to
 * bun:ffi. Everything here runs once, at import.
 */
import { CString, dlopen, suffix, type FFIFunction } from "bun:ffi";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { BACKENDS, OP_NAMES, isBackend, type Backend, type Op } from "./catalog.ts";

/** Must equal `abi_version` in zig/library.zig. */
const ABI_VERSION = 1;

const ROOT = join(import.meta.dir, "..");
const FILE_NAME = process.platform === "win32" ? `nano_simd.${suffix}` : `libnano_simd.${suffix}`;

export type LibrarySource = "env" | "prebuilt" | "local";

/** Where the library may be, in the order the loader tries. */
export function libraryCandidates(): { path: string; source: LibrarySource }[] {
  const candidates: { path: string; source: LibrarySource }[] = [];
  const explicit = process.env.NANO_SIMD_LIBRARY;
  if (explicit) return [{ path: explicit, source: "env" }];
  const prebuilt = { path: join(ROOT, "prebuilds", `${process.platform}-${process.arch}`, FILE_NAME), source: "prebuilt" as const };
  // `zig build` puts a DLL in zig-out/bin and other libraries in zig-out/lib.
  const local = { path: join(ROOT, "zig-out", process.platform === "win32" ? "bin" : "lib", FILE_NAME), source: "local" as const };
  for (const candidate of [prebuilt, local]) if (existsSync(candidate.path)) candidates.push(candidate);
  // In a checkout, a local build newer than the prebuilt one is the one being edited.
  if (candidates.length === 2 && statSync(local.path).mtimeMs > statSync(prebuilt.path).mtimeMs) candidates.reverse();
  return candidates;
}

/**
 * C signature shared by every compute export: (a, b, out, n: u32) -> status.
 * `buffer`, not `ptr`: the engine itself refuses anything but a TypedArray or
 * DataView (a number would otherwise be taken as a raw address), at no cost.
 */
const KERNEL = { args: ["buffer", "buffer", "buffer", "u32"], returns: "i32" } as const satisfies FFIFunction;

const DESCRIBE = {
  nsimd_abi_version: { args: [], returns: "u32" },
  nsimd_op_names: { args: [], returns: "cstring" },
  nsimd_backend_names: { args: [], returns: "cstring" },
  nsimd_runnable_backends: { args: [], returns: "u32" },
  nsimd_cpu_feature_names: { args: [], returns: "cstring" },
  nsimd_cpu_features: { args: [], returns: "u32" },
} as const satisfies Record<string, FFIFunction>;

/** One compute export: pointers are typed arrays passed straight through. */
export type NativeKernel = (a: Float32Array, b: Float32Array, out: Float32Array, n: number) => number;

export function kernelSymbol(op: Op, variant: Backend | "naive"): string {
  return `nsimd_${op}_f32_${variant}`;
}

export interface NativeLibrary {
  path: string;
  source: LibrarySource;
  /** Backends compiled into this library, best first. */
  backends: Backend[];
  /** Backends this CPU can run, best first (detection ran in Zig). */
  runnable: Backend[];
  cpuFeatures: Record<string, boolean>;
  /** kernels[variant][op] */
  kernels: Record<Backend | "naive", Record<Op, NativeKernel>>;
  symbols: string[];
}

const names = (text: CString | string | null) => String(text).split(",");

function open(path: string, source: LibrarySource): NativeLibrary {
  const describe = dlopen(path, DESCRIBE).symbols;
  const abi = describe.nsimd_abi_version();
  if (abi !== ABI_VERSION) {
    throw new Error(`nano-simd: ${path} speaks ABI ${abi}, this package needs ${ABI_VERSION}; rebuild it with \`zig build\``);
  }
  const ops = names(describe.nsimd_op_names());
  if (ops.join() !== OP_NAMES.join()) {
    throw new Error(`nano-simd: ${path} computes [${ops}] but src/catalog.ts lists [${OP_NAMES}]; rebuild it with \`zig build\``);
  }
  const compiled = names(describe.nsimd_backend_names());
  const backends = compiled.filter(isBackend);
  if (backends.length !== compiled.length) {
    throw new Error(`nano-simd: ${path} has backends [${compiled}], src/catalog.ts knows [${BACKENDS}]`);
  }
  const mask = describe.nsimd_runnable_backends();
  const runnable = backends.filter((_, i) => (mask >>> i) & 1);
  const featureMask = describe.nsimd_cpu_features();
  const cpuFeatures = Object.fromEntries(names(describe.nsimd_cpu_feature_names()).map((name, i) => [name, ((featureMask >>> i) & 1) === 1]));

  const variants = [...backends, "naive" as const];
  const declared: Record<string, typeof KERNEL> = {};
  for (const variant of variants) for (const op of OP_NAMES) declared[kernelSymbol(op, variant)] = KERNEL;
  const symbols = dlopen(path, declared).symbols as unknown as Record<string, NativeKernel>;
  const kernels = {} as NativeLibrary["kernels"];
  for (const variant of variants) {
    kernels[variant] = {} as Record<Op, NativeKernel>;
    for (const op of OP_NAMES) kernels[variant][op] = symbols[kernelSymbol(op, variant)]!;
  }
  return { path, source, backends, runnable, cpuFeatures, kernels, symbols: [...Object.keys(DESCRIBE), ...Object.keys(declared)].sort() };
}

function load(): NativeLibrary {
  const candidates = libraryCandidates();
  if (candidates.length === 0) {
    throw new Error(
      `nano-simd: no native library for ${process.platform}-${process.arch}. ` +
        `Build it with \`zig build\` (or \`bun install\`, which runs it) in ${ROOT}, or point NANO_SIMD_LIBRARY at one.`,
    );
  }
  const { path, source } = candidates[0]!;
  return open(path, source);
}

export const native: NativeLibrary = load();
