/**
 * Which backend runs. The state lives in this module, so it belongs to the
 * JavaScript realm that imported it: a Worker that forces "sse" has its own
 * copy and leaves the main thread's choice alone.
 *
 * Each op keeps a slot with its kernels for the active backend, one per
 * dtype, bound on first use; choosing another backend empties the slots.
 */
import type { Backend, DType, Op } from "./catalog.ts";
import { isBackend } from "./catalog.ts";
import { native, type NativeKernel } from "./native.ts";

export type BackendChoice = Backend | "auto";
/** How the active backend was chosen. */
export type BackendChooser = "auto" | "env" | "setBackend";

let active: Backend = native.runnable[0]!;
let chosenBy: BackendChooser = "auto";

/** One op's kernels on the active backend: `slot.f32 ?? slot.bind("f32")`. */
export interface KernelSlot {
  f32: NativeKernel | undefined;
  f64: NativeKernel | undefined;
  /** Binds the active backend's kernel for `dtype` into the slot and returns it. */
  bind(dtype: DType): NativeKernel;
}

const slots: KernelSlot[] = [];

/** The slot an API function keeps for its op (made once, at import). */
export function kernelSlot(op: Op): KernelSlot {
  const slot: KernelSlot = {
    f32: undefined,
    f64: undefined,
    bind(dtype) {
      const kernel = native.bindKernel(op, dtype, active);
      slot[dtype] = kernel;
      return kernel;
    },
  };
  slots.push(slot);
  return slot;
}

function validNames(): string {
  return `${native.runnable.map((name) => `"${name}"`).join(", ")} or "auto"`;
}

function resolve(name: unknown, where: string): Backend {
  if (name === "auto") return native.runnable[0]!;
  if (typeof name !== "string") {
    throw new TypeError(`${where}: backend name must be a string, got ${typeof name}. Valid: ${validNames()}`);
  }
  if (!isBackend(name)) {
    throw new RangeError(`${where}: unknown backend "${name}". Valid on this CPU: ${validNames()}`);
  }
  if (!native.runnable.includes(name)) {
    throw new RangeError(`${where}: backend "${name}" cannot run on this CPU. Valid on this CPU: ${validNames()}`);
  }
  return name;
}

function activate(name: Backend, by: BackendChooser): void {
  active = name;
  chosenBy = by;
  for (let i = 0; i < slots.length; i++) {
    slots[i]!.f32 = undefined;
    slots[i]!.f64 = undefined;
  }
}

/** The backend every op of this realm uses now. */
export function backend(): Backend {
  return active;
}

/** Backends this CPU can run, best first. */
export function backends(): Backend[] {
  return [...native.runnable];
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
