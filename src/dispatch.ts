/**
 * Which backend runs. The state lives in this module, so it belongs to the
 * JavaScript realm that imported it: a Worker that forces "sse" has its own
 * copy and leaves the main thread's choice alone.
 *
 * Each op keeps a slot with its kernels on the active backend, one per
 * dtype; choosing another backend refills the slots (every kernel was bound
 * at import, see native.ts).
 */
import type { Backend, DType, Op } from "./catalog.ts";
import { CATALOG, isBackend } from "./catalog.ts";
import { native, type CpuVendor, type NativeKernel } from "./native.ts";
import { RangeError, TypeError, copyArray } from "./primordials.ts";

// After import, nothing here iterates or calls a method user code could
// replace ("the rule", validate.ts): setBackend decides which machine code
// runs, so a patched `includes` must not let it pick a backend the CPU lacks.

export type BackendChoice = Backend | "auto";
/** How the active backend was chosen. */
export type BackendChooser = "auto" | "env" | "setBackend";

let active: Backend = native.runnable[0]!;
let chosenBy: BackendChooser = "auto";

/** One op's kernels on the active backend, by dtype (undefined for a dtype the op does not have). */
export interface KernelSlot {
  op: Op;
  f32: NativeKernel | undefined;
  f64: NativeKernel | undefined;
}

const slots: KernelSlot[] = [];

/** The active backend's conversion kernels, by the pair's position in the catalog's conversions. */
export const activeConversions: NativeKernel[] = [];

function fillConversions(): void {
  const pairs = CATALOG.conversions;
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    activeConversions[i] = native.conversion(pair[0], pair[1], active);
  }
}
fillConversions();

/** One exception to "every op runs the active backend's kernels" under auto. */
export interface AutoPreference {
  vendor: CpuVendor;
  /** CPUID's family number, when the rule holds for one core generation only. */
  family?: number;
  /** The backend auto chose. */
  on: Backend;
  ops: readonly Op[];
  dtypes: readonly DType[];
  /** The backend whose kernels those ops and dtypes run instead. */
  use: Backend;
}

/**
 * Where auto-dispatch takes an op's kernels from another backend than the
 * active one: on `vendor`'s CPUs (of `family`, when given), while auto chose
 * `on`, `ops` run `use`'s kernels for `dtypes`. A forced backend (setBackend,
 * NANO_SIMD_BACKEND other than "auto") always runs its own kernels. Every
 * backend gives the same bits (the tests check it), so a rule changes speed
 * only.
 *
 * Intel's AVX-512 cores divide and take square roots 256 bits at a time: a
 * 512-bit vdivpd / vsqrtpd costs more than two 256-bit ones. Measured on an
 * Intel Xeon VM (family 6 model 167), the same loop with 512-bit against
 * 256-bit vectors, best of 15 interleaved: sqrt float64 1.06x / 1.11x /
 * 1.08x slower at n = 4,096 / 65,536 / 1M, div float64 1.08x / 1.08x /
 * 1.01x, sqrt float32 1.06x / 1.11x / 1.00x, div float32 1.06x / 1.08x /
 * 1.01x. On an AMD Zen 5 the 512-bit kernels are up to 2x faster (bench/
 * README.md), so this is per vendor.
 *
 * AMD's Zen 4 (family 25; its Zen 3 siblings have no AVX-512) runs each
 * 512-bit instruction as two 256-bit halves, and the float32 products
 * (widened to float64 before they are summed) ran faster with 256-bit
 * vectors. Measured on an AMD EPYC Zen 4 VM (2 cores), zig/reduce_bench.zig
 * built for x86_64_v4 and x86_64_v3, two interleaved runs, ns an element
 * at n = 65,536: dot 0.104-0.106 against 0.076-0.077, cosine 0.148 against
 * 0.105, sqeuclidean 0.152 against 0.137-0.139, norm 0.066 against 0.061;
 * one pair of 768 (five runs): dot 80.4 ns against 56.6-68.5; at 5M no
 * slower (dot 0.23-0.28 against 0.22-0.23). Through the library (bench:reductions
 * --quick, two interleaved pairs, n = 65,536): dot 7.3-8.1 us against
 * 5.1-5.2 (NumPy 5.3-5.7). The float32 rows functions stay on 512 bits:
 * they widen the query once, and measured no slower there (10,000 x 768,
 * both backends alternated in one process, best of 36 calls, two runs:
 * within 5%). The float64 rows functions, out of cache (60 MB), ran faster
 * with 256 bits in the same runs: cosineRows 5.09-5.20 ms against
 * 3.39-3.58, sqeuclideanRows 4.82-4.95 against 3.80-3.92, dotRows
 * 4.37-4.75 against 4.00-4.34. On an AMD Zen 5 (family 26) the 512-bit dot
 * was the faster one (0.059 ns).
 */
export const AUTO_PREFERENCES: readonly AutoPreference[] = [
  { vendor: "intel", on: "avx512", ops: ["sqrt", "div"], dtypes: ["f32", "f64"], use: "avx2" },
  { vendor: "amd", family: 25, on: "avx512", ops: ["dot", "cosine", "sqeuclidean", "euclidean", "norm"], dtypes: ["f32"], use: "avx2" },
  { vendor: "amd", family: 25, on: "avx512", ops: ["dotRows", "sqeuclideanRows", "cosineRows"], dtypes: ["f64"], use: "avx2" },
];

function includes<T>(list: readonly T[], item: T): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === item) return true;
  return false;
}

/** The backend whose kernel of `op` for `dtype` runs now: the active one unless AUTO_PREFERENCES says otherwise. */
export function kernelBackend(op: Op, dtype: DType): Backend {
  if (chosenBy !== "auto") return active;
  for (let i = 0; i < AUTO_PREFERENCES.length; i++) {
    const rule = AUTO_PREFERENCES[i]!;
    if (rule.vendor !== native.cpuVendor || (rule.family !== undefined && rule.family !== native.cpuFamily)) continue;
    if (rule.on !== active || !isRunnable(rule.use)) continue;
    if (includes(rule.ops, op) && includes(rule.dtypes, dtype)) return rule.use;
  }
  return active;
}

/** The kernel of `op` for `dtype` that runs now, or undefined when the op does not have that dtype. */
function kernelOf(op: Op, dtype: DType): NativeKernel | undefined {
  const dtypes: readonly DType[] = CATALOG.ops[op].dtypes;
  for (let i = 0; i < dtypes.length; i++) if (dtypes[i] === dtype) return native.kernel(op, dtype, kernelBackend(op, dtype));
  return undefined;
}

function fill(slot: KernelSlot): void {
  slot.f32 = kernelOf(slot.op, "f32");
  slot.f64 = kernelOf(slot.op, "f64");
}

/**
 * The slot an API function keeps for its op (made once, at import). Made
 * with every field in one literal: JSC then treats the kernels as constants
 * and inlines the bun:ffi call (a slot whose fields were added one by one
 * cost fmaInto 13.3 ns a call against 8.1, n = 16).
 */
export function kernelSlot(op: Op): KernelSlot {
  const slot: KernelSlot = { op, f32: kernelOf(op, "f32"), f64: kernelOf(op, "f64") };
  slots[slots.length] = slot;
  return slot;
}

const runnable = native.runnable;

function isRunnable(name: Backend): boolean {
  return includes(runnable, name);
}

/** '"avx2", "sse", "scalar" or "auto"' */
function validNames(): string {
  let names = "";
  for (let i = 0; i < runnable.length; i++) names += `${i === 0 ? "" : ", "}"${runnable[i]}"`;
  return `${names} or "auto"`;
}

function resolve(name: unknown, where: string): Backend {
  if (name === "auto") return native.runnable[0]!;
  if (typeof name !== "string") {
    throw new TypeError(`${where}: backend name must be a string, got ${typeof name}. Valid: ${validNames()}`);
  }
  if (!isBackend(name)) {
    throw new RangeError(`${where}: unknown backend "${name}". Valid on this CPU: ${validNames()}`);
  }
  if (!isRunnable(name)) {
    throw new RangeError(`${where}: backend "${name}" cannot run on this CPU. Valid on this CPU: ${validNames()}`);
  }
  return name;
}

function activate(name: Backend, by: BackendChooser): void {
  active = name;
  chosenBy = by;
  for (let i = 0; i < slots.length; i++) fill(slots[i]!);
  fillConversions();
}

/** The backend every op of this realm uses now. */
export function backend(): Backend {
  return active;
}

/** Backends this CPU can run, best first. */
export function backends(): Backend[] {
  return copyArray(runnable, runnable.length);
}

/**
 * Force a backend for this realm, or go back to the best one with "auto".
 * Throws a TypeError for a non-string, a RangeError for a name this CPU cannot run.
 */
export function setBackend(name: BackendChoice): void {
  activate(resolve(name, "setBackend"), name === "auto" ? "auto" : "setBackend");
}

/** How the active backend was chosen. */
export function backendChoice(): BackendChooser {
  return chosenBy;
}

const fromEnv = process.env.NANO_SIMD_BACKEND;
if (fromEnv !== undefined && fromEnv !== "") {
  activate(resolve(fromEnv, "NANO_SIMD_BACKEND"), fromEnv === "auto" ? "auto" : "env");
}
