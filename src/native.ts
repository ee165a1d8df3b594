/**
 * Opening the shared library (found by locate.ts) and describing its C ABI
 * to bun:ffi. Everything here runs once, at import.
 */
import { CString, dlopen, type FFIFunction } from "bun:ffi";
import { existsSync } from "node:fs";
import { BACKENDS, OP_NAMES, isBackend, type Backend, type Op } from "./catalog.ts";
import { expectLoadableLibrary } from "./library-file.ts";
import { PLATFORM, ROOT, libraryCandidates, localPath, prebuiltPath, type LibrarySource } from "./locate.ts";

/** Must equal `abi_version` in zig/library.zig. */
const ABI_VERSION = 2;

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
  nsimd_last_level_cache_bytes: { args: [], returns: "u32" },
  nsimd_streaming_threshold: { args: [], returns: "u32" },
  nsimd_set_streaming_threshold: { args: ["u32"], returns: "void" },
} as const satisfies Record<string, FFIFunction>;

/** The exports that describe and tune the library (all but the compute kernels). */
export const DESCRIBE_SYMBOLS = Object.keys(DESCRIBE);

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
  /** Last-level cache size in bytes as CPUID reports it; 0 when it does not. */
  lastLevelCacheBytes: number;
  /** Arrays at least this long use streaming stores (x86), derived from the cache size. */
  streamingThreshold: () => number;
  /** Override it for this process; 0 restores the default. For tests and benchmarks. */
  setStreamingThreshold: (elements: number) => void;
}

const names = (text: CString | string | null) => String(text).split(",");

function open(path: string, source: LibrarySource): NativeLibrary {
  // The header first: for another OS or architecture, dlopen's own error misleads.
  expectLoadableLibrary(path);
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
  return {
    path,
    source,
    backends,
    runnable,
    cpuFeatures,
    kernels,
    symbols: [...DESCRIBE_SYMBOLS, ...Object.keys(declared)].sort(),
    lastLevelCacheBytes: describe.nsimd_last_level_cache_bytes(),
    streamingThreshold: describe.nsimd_streaming_threshold,
    setStreamingThreshold: describe.nsimd_set_streaming_threshold,
  };
}

function load(): NativeLibrary {
  const candidates = libraryCandidates();
  if (candidates.length === 0) {
    throw new Error(
      `nano-simd: no native library for ${PLATFORM}: neither ${prebuiltPath()} (prebuilt) nor ${localPath()} (local build) exists. ` +
        `Build it with \`zig build\` (Zig 0.16) in ${ROOT}, or build one anywhere with \`zig build -Dtarget=<triple>\` and set NANO_SIMD_LIBRARY to its path.`,
    );
  }
  const { path, source } = candidates[0]!;
  if (source === "env" && !existsSync(path)) throw new Error(`nano-simd: NANO_SIMD_LIBRARY is ${path}, which does not exist`);
  // The first candidate is the one meant (an explicit path, or the newer of
  // two builds); falling back silently to an older one would hide a stale
  // or broken build, so its error is the error.
  return open(path, source);
}

export const native: NativeLibrary = load();
