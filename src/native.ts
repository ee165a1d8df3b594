/**
 * Opening the shared library (found by locate.ts) and describing its C ABI
 * to bun:ffi. Everything here runs once, at import: every kernel of every
 * backend this CPU can run is bound then, with one dlopen per backend.
 *
 * Why not bind lazily, at first use: bun:ffi builds each binding in
 * JavaScript, with ordinary array methods. Bound after user code has
 * patched built-ins, a kernel got a wrong signature here (its out came back
 * [0, 0, -102.3] for 1+10, 2+20, 3+30): memory-unsafe. So no binding
 * happens after import. It is cheap: one dlopen of a backend's 54 kernels
 * (every op and dtype of the catalog; the backend's 16 conversions are a
 * second dlopen) took 0.22 to 0.39 ms, against 9 to 33 us for a single
 * kernel (Intel Xeon VM, 2 cores, Bun 1.4.5, 2026-12-05).
 */
import { CString, dlopen, type FFIFunction } from "bun:ffi";
import { existsSync } from "node:fs";
import { ABI_VERSION, BACKENDS, CATALOG, CATALOG_JSON, isBackend, shapeOf, type Backend, type DType, type Element, type ListOp, type Op, type Shape } from "./catalog.ts";
import { expectLoadableLibrary } from "./library-file.ts";
import { PLATFORM, ROOT, libraryCandidates, localPath, prebuiltPath, type LibrarySource } from "./locate.ts";


/**
 * The C signature of each shape (zig/library.zig's header), all returning a
 * status: arrays, then counts as u32 (bun:ffi passes a u32 ~4.5 ns faster
 * than a u64), and for the reductions a one-element Float64Array that
 * receives the result. `buffer`, not `ptr`: the engine itself refuses
 * anything but a TypedArray or DataView (a number would otherwise be taken
 * as a raw address), at no cost.
 */
const SIGNATURES: Record<Shape, FFIFunction> = {
  unary: { args: ["buffer", "buffer", "u32", "u32"], returns: "i32" },
  binary: { args: ["buffer", "buffer", "buffer", "u32", "u32"], returns: "i32" },
  ternary: { args: ["buffer", "buffer", "buffer", "buffer", "u32", "u32"], returns: "i32" },
  reduce: { args: ["buffer", "u32", "buffer"], returns: "i32" },
  reduce2: { args: ["buffer", "buffer", "u32", "buffer"], returns: "i32" },
  index: { args: ["buffer", "u32", "buffer"], returns: "i32" },
  rows: { args: ["buffer", "buffer", "buffer", "u32", "u32"], returns: "i32" },
  // (src, out, n, scale, offset)
  convert: { args: ["buffer", "buffer", "u32", "f64", "f64"], returns: "i32" },
};

const DESCRIBE = {
  nsimd_abi_version: { args: [], returns: "u32" },
  nsimd_catalog: { args: [], returns: "cstring" },
  nsimd_backend_names: { args: [], returns: "cstring" },
  nsimd_runnable_backends: { args: [], returns: "u32" },
  nsimd_cpu_feature_names: { args: [], returns: "cstring" },
  nsimd_cpu_features: { args: [], returns: "u32" },
  nsimd_cpu_vendor: { args: [], returns: "u32" },
  nsimd_cpu_family: { args: [], returns: "u32" },
  nsimd_last_level_cache_bytes: { args: [], returns: "u32" },
  nsimd_streaming_threshold_bytes: { args: [], returns: "u32" },
  nsimd_set_streaming_threshold_bytes: { args: ["u32"], returns: "void" },
  nsimd_math_slow_lanes: { args: ["u32"], returns: "f64" },
  nsimd_advise_huge_pages: { args: ["ptr", "usize"], returns: "f64" },
} as const satisfies Record<string, FFIFunction>;

/** The exports that describe and tune the library (all but the compute kernels). */
export const DESCRIBE_SYMBOLS = Object.keys(DESCRIBE);

/**
 * One compute export. Its arguments are the shape's arrays (typed arrays
 * passed straight through: bun:ffi reads each address, byteOffset included,
 * at the call), then n and the broadcast mask.
 */
export type NativeKernel = (...args: (ArrayBufferView | number)[]) => number;

/** A conversion export's name: `nsimd_convert_<src>_<dst>_<backend>`. */
export function conversionSymbol(source: Element, destination: Element, variant: Backend): string {
  return `nsimd_convert_${source}_${destination}_${variant}`;
}

/** A compute export's name: `nsimd_<op>_<dtype>_<variant>`. */
export function kernelSymbol(op: Op, dtype: DType, variant: Backend | "naive"): string {
  return `nsimd_${op}_${dtype}_${variant}`;
}

export interface NativeLibrary {
  path: string;
  source: LibrarySource;
  /** Backends compiled into this library, best first. */
  backends: Backend[];
  /** Backends this CPU can run, best first (detection ran in Zig). */
  runnable: Backend[];
  cpuFeatures: Record<string, boolean>;
  /** Who designed the CPU (CPUID leaf 0); "unknown" off x86. */
  cpuVendor: CpuVendor;
  /** CPUID's family number (AMD's Zen 4 is 25, Zen 5 26); 0 off x86. */
  cpuFamily: number;
  /** Every compute export this library has, for every compiled backend. */
  kernelSymbols: string[];
  /** One runnable backend's compute export (bound at import). */
  kernel: (op: Op, dtype: DType, variant: Backend) => NativeKernel;
  /** The level-1 plain loop of a list op (float32). */
  naiveKernel: (op: ListOp) => NativeKernel;
  /** One runnable backend's conversion from `source` to `destination` (bound at import). */
  conversion: (source: Element, destination: Element, variant: Backend) => NativeKernel;
  /** Last-level cache size in bytes as CPUID reports it; 0 when it does not. */
  lastLevelCacheBytes: number;
  /** Calls whose traffic (bytes read + written) reaches this use streaming stores (x86). */
  streamingThresholdBytes: () => number;
  /** Override it for this process; 0 restores the default. For tests and benchmarks. */
  setStreamingThresholdBytes: (bytes: number) => void;
  /**
   * How many lanes one backend's math kernels have sent to their float128
   * slow path in this process: the tests check that the rounding test sends
   * the inputs nearest a rounding boundary there, and the math bench reports
   * how rare that is.
   */
  mathSlowLanes: (variant: Backend) => number;
  /** Asks Linux for huge pages under the 2 MiB-aligned middle of a typed array's bytes; the bytes that middle holds, or 0. */
  adviseHugePages: (array: ArrayBufferView, bytes: number) => number;
}

const names = (text: CString | string | null) => String(text).split(",");

export type CpuVendor = "unknown" | "intel" | "amd";
/** nsimd_cpu_vendor's numbers (zig/cpu.zig `Vendor`). */
const VENDORS: readonly CpuVendor[] = ["unknown", "intel", "amd"];

function open(path: string, source: LibrarySource): NativeLibrary {
  // The header first: for another OS or architecture, dlopen's own error
  // misleads. (Not for a library embedded by `bun build --compile`: node:fs
  // cannot open a /$bunfs path, and the build picked it for this platform.)
  if (source !== "embedded") expectLoadableLibrary(path);
  const describe = dlopen(path, DESCRIBE).symbols;
  const abi = describe.nsimd_abi_version();
  if (abi !== ABI_VERSION) {
    throw new Error(`nano-simd: ${path} speaks ABI ${abi}, this package needs ${ABI_VERSION}; rebuild it with \`bun run build\``);
  }
  // The generated TypeScript catalog and the library must describe the same
  // ops with the same shapes: a difference would be a wrong bun:ffi signature.
  if (String(describe.nsimd_catalog()) !== CATALOG_JSON) {
    throw new Error(`nano-simd: ${path} was built from a different catalog than src/generated/catalog.ts; rebuild it with \`bun run build\``);
  }
  const compiled = names(describe.nsimd_backend_names());
  const backends = compiled.filter(isBackend);
  if (backends.length !== compiled.length) {
    throw new Error(`nano-simd: ${path} has backends [${compiled}], the catalog knows [${BACKENDS}]`);
  }
  const mask = describe.nsimd_runnable_backends();
  const runnable = backends.filter((_, i) => (mask >>> i) & 1);
  const featureMask = describe.nsimd_cpu_features();
  const cpuFeatures = Object.fromEntries(names(describe.nsimd_cpu_feature_names()).map((name, i) => [name, ((featureMask >>> i) & 1) === 1]));

  // Every kernel of every runnable backend, and the naive loops, bound now.
  const bound: Record<string, NativeKernel> = Object.create(null);
  const kernelSymbols: string[] = [];
  const bindAll = (variant: Backend | "naive", ops: readonly Op[], runnable: boolean) => {
    const declared: Record<string, FFIFunction> = {};
    for (const op of ops) {
      for (const dtype of variant === "naive" ? (["f32"] as const) : CATALOG.ops[op].dtypes) declared[kernelSymbol(op, dtype, variant)] = SIGNATURES[shapeOf(op)];
    }
    kernelSymbols.push(...Object.keys(declared));
    if (runnable) Object.assign(bound, dlopen(path, declared).symbols);
  };
  const ops = (Object.keys(CATALOG.ops) as Op[]).filter((op) => op !== "convert");
  for (const variant of backends) {
    bindAll(variant, ops, runnable.includes(variant));
    const conversions: Record<string, FFIFunction> = {};
    for (const [source, destination] of CATALOG.conversions) conversions[conversionSymbol(source, destination, variant)] = SIGNATURES.convert;
    kernelSymbols.push(...Object.keys(conversions));
    if (runnable.includes(variant)) Object.assign(bound, dlopen(path, conversions).symbols);
  }
  bindAll("naive", CATALOG.listOps, true);
  return {
    path,
    source,
    backends,
    runnable,
    cpuFeatures,
    cpuVendor: VENDORS[describe.nsimd_cpu_vendor()] ?? "unknown",
    cpuFamily: describe.nsimd_cpu_family(),
    kernelSymbols: kernelSymbols.sort(),
    kernel: (op, dtype, variant) => bound[kernelSymbol(op, dtype, variant)]!,
    naiveKernel: (op) => bound[kernelSymbol(op, "f32", "naive")]!,
    conversion: (source, destination, variant) => bound[conversionSymbol(source, destination, variant)]!,
    lastLevelCacheBytes: describe.nsimd_last_level_cache_bytes(),
    streamingThresholdBytes: describe.nsimd_streaming_threshold_bytes,
    setStreamingThresholdBytes: describe.nsimd_set_streaming_threshold_bytes,
    mathSlowLanes: (variant) => describe.nsimd_math_slow_lanes(backends.indexOf(variant)),
    adviseHugePages: (array, bytes) => describe.nsimd_advise_huge_pages(array as NodeJS.TypedArray, bytes),
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
