/**
 * `info()` and `bun run info`: what nano-simd found on this machine and why
 * it runs what it runs, in the spirit of NumPy's `show_runtime()`.
 * info() copies without iterating ("the rule", validate.ts); formatInfo()
 * only formats text for people and uses ordinary array methods: no memory
 * handed to native code goes through it.
 */
import packageJson from "../package.json" with { type: "json" };
import { CATALOG, OPS, lanes, type Backend } from "./catalog.ts";
import { backend, backendChoice, backends, kernelBackend, type BackendChooser } from "./dispatch.ts";
import { PLATFORM, type LibrarySource } from "./locate.ts";
import { native, type CpuVendor } from "./native.ts";
import { copyArray } from "./primordials.ts";

/** What {@link info} reports: the package, the library it loaded, the CPU, and the dispatch decision. */
export interface Info {
  /** nano-simd's version. */
  version: string;
  /** The Bun running it (`Bun.version`). */
  bun: string;
  /** `${process.platform}-${process.arch}`, e.g. `linux-x64`. */
  platform: string;
  /**
   * The native library: its path, where it came from (`"env"`:
   * NANO_SIMD_LIBRARY, `"prebuilt"`, `"local"`: zig-out, `"embedded"`: by
   * `bun build`), the backends compiled into it and its exported symbols.
   */
  library: { path: string; source: LibrarySource; compiledBackends: Backend[]; symbols: string[] };
  /** CPU detection: instruction sets and OS register state, the vendor (CPUID leaf 0; "unknown" off x86), the family number (CPUID leaf 1; 0 off x86), and the last-level cache size in bytes (0 when the CPU does not report it). */
  cpu: { features: Record<string, boolean>; vendor: CpuVendor; family: number; lastLevelCacheBytes: number };
  /**
   * Backends this CPU runs (best first), the active one, how it was chosen,
   * its lanes per instruction for each dtype, and the ops whose kernels auto
   * takes from another backend on this CPU ("op dtype" to backend; empty when
   * none, and always when a backend is forced).
   */
  backends: { runnable: Backend[]; active: Backend; chosenBy: BackendChooser; lanes: { f32: number; f64: number }; preferred: Record<string, Backend> };
  /** From this many bytes of traffic (read + written) a call uses streaming stores (x86). */
  tuning: { streamingThresholdBytes: number };
}

/**
 * Imported, not read from disk at run time: a bundle or a `bun build
 * --compile` executable carries it, and has no package.json beside it.
 */
const VERSION: string = packageJson.version;

/** The ops and dtypes whose kernels come from another backend than the active one, as "dot f32" to "avx2". */
function preferredBackends(): Record<string, Backend> {
  const preferred: Record<string, Backend> = {};
  const active = backend();
  for (let i = 0; i < OPS.length; i++) {
    const op = OPS[i]!;
    const dtypes = CATALOG.ops[op].dtypes;
    for (let k = 0; k < dtypes.length; k++) {
      const from = kernelBackend(op, dtypes[k]!);
      if (from !== active) preferred[`${op} ${dtypes[k]}`] = from;
    }
  }
  return preferred;
}

/**
 * What nano-simd found on this machine and why it runs what it runs, in the
 * spirit of NumPy's `show_runtime()`; a new object each call. Never throws.
 * `bun run info` prints it through {@link formatInfo}.
 */
export function info(): Info {
  return {
    version: VERSION,
    bun: Bun.version,
    platform: PLATFORM,
    library: { path: native.path, source: native.source, compiledBackends: copyArray(native.backends, native.backends.length), symbols: copyArray(native.kernelSymbols, native.kernelSymbols.length) },
    cpu: { features: { ...native.cpuFeatures }, vendor: native.cpuVendor, family: native.cpuFamily, lastLevelCacheBytes: native.lastLevelCacheBytes },
    backends: { runnable: backends(), active: backend(), chosenBy: backendChoice(), lanes: { f32: lanes(backend(), "f32"), f64: lanes(backend(), "f64") }, preferred: preferredBackends() },
    tuning: { streamingThresholdBytes: native.streamingThresholdBytes() },
  };
}

const SOURCE_TEXT: Record<LibrarySource, string> = {
  env: "NANO_SIMD_LIBRARY",
  prebuilt: "prebuilt, shipped in the package",
  local: "local build (zig build)",
  embedded: "embedded by bun build",
};

const CHOICE_TEXT = {
  auto: "auto: the best backend this CPU runs",
  env: "forced by NANO_SIMD_BACKEND",
  setBackend: "forced by setBackend()",
};

/** The report `bun run info` prints, as text: `report` (default: a fresh {@link info}) in aligned lines. Never throws. */
export function formatInfo(report: Info = info()): string {
  const yes = (flag: boolean | undefined) => (flag ? "yes" : "no");
  const features = Object.entries(report.cpu.features);
  const cache = report.cpu.lastLevelCacheBytes;
  return [
    `nano-simd ${report.version} on Bun ${report.bun}, ${report.platform}`,
    ``,
    `library      ${report.library.path}`,
    `             (${SOURCE_TEXT[report.library.source]}; backends compiled in: ${report.library.compiledBackends.join(", ")})`,
    ``,
    `cpu features ${features.filter(([name]) => !name.startsWith("os")).map(([name, on]) => `${name}=${yes(on)}`).join(" ")}`,
    `os state     ${features.filter(([name]) => name.startsWith("os")).map(([name, on]) => `${name}=${yes(on)}`).join(" ")}`,
    `             (os_ymm: the OS saves the 256-bit registers; os_zmm: and the AVX-512 ones)`,
    `vendor       ${report.cpu.vendor}, family ${report.cpu.family}`,
    `cache        last level ${cache ? `${(cache / 2 ** 20).toLocaleString("en-US", { maximumFractionDigits: 1 })} MiB` : "not reported by the CPU"}`,
    ``,
    `runnable     ${report.backends.runnable.join(" > ")}`,
    `active       ${report.backends.active} (${report.backends.lanes.f32} float32 or ${report.backends.lanes.f64} float64 per instruction), ${CHOICE_TEXT[report.backends.chosenBy]}`,
    ...Object.entries(report.backends.preferred).map(([kernel, name]) => `             ${kernel} runs ${name}'s kernels: faster on this CPU (src/dispatch.ts AUTO_PREFERENCES)`),
    `tuning       from ${report.tuning.streamingThresholdBytes.toLocaleString("en-US")} bytes of traffic a call uses streaming stores (default: half the last-level cache, at most 64 MiB, or 4 MiB when unreported)`,
    ``,
    `kernels      ${report.library.symbols.length} compute exports (every runnable backend's are bound at import):`,
    ...report.library.symbols.map((name) => `  ${name}`),
  ].join("\n");
}

if (import.meta.main) console.log(formatInfo());
