/**
 * Which backend runs. The state lives in this module, so it belongs to the
 * JavaScript realm that imported it: a Worker that forces "sse" has its own
 * copy and leaves the main thread's choice alone.
 */
import { OP_NAMES, isBackend, type Backend, type Op } from "./catalog.ts";
import { native, type NativeKernel } from "./native.ts";
import { RangeError, TypeError, copyArray } from "./primordials.ts";

// After import, nothing here iterates or calls a method user code could
// replace ("the rule", validate.ts): setBackend decides which machine code
// runs, so a patched `includes` must not let it pick a backend the CPU lacks.

export type BackendChoice = Backend | "auto";

/** The kernels of the active backend, one per op: what `addInto` calls. */
export const activeKernels: Record<Op, NativeKernel> = { ...native.kernels[native.runnable[0]!] };

let active: Backend = native.runnable[0]!;
/** How the active backend was chosen. */
export type BackendChooser = "auto" | "env" | "setBackend";

let chosenBy: BackendChooser = "auto";

const runnable = native.runnable;

function isRunnable(name: Backend): boolean {
  for (let i = 0; i < runnable.length; i++) if (runnable[i] === name) return true;
  return false;
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
  const kernels = native.kernels[name];
  for (let i = 0; i < OP_NAMES.length; i++) activeKernels[OP_NAMES[i]!] = kernels[OP_NAMES[i]!];
  active = name;
  chosenBy = by;
}

/** The backend that `add`, `addInto` and friends use now. */
export function backend(): Backend {
  return active;
}

/** Backends this CPU can run, best first. */
export function backends(): Backend[] {
  return copyArray(runnable, runnable.length);
}

/** Force a backend for this realm, or go back to the best one with "auto". */
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
