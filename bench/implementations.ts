/**
 * Everything `bun run bench` times, by name. Each runs in its own process
 * (bench/measure.ts), so one implementation's JIT profile never leaks into
 * another's: forcing "sse" in the same process would make addInto's call
 * site polymorphic and slow down every later measurement.
 */
import { dlopen } from "bun:ffi";
import { join } from "node:path";
import * as nano from "../src/index.ts";
import { native } from "../src/native.ts";

/** Prepares inputs for n elements and returns the function to time. */
export type Setup = (n: number) => () => unknown;

function float32Triple(n: number, seed: number) {
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = (i + seed) * 0.5;
    b[i] = 1 + ((i + seed) % 7);
  }
  return { a, b, out: new Float32Array(n) };
}

/**
 * Inputs for one timed function. Small arrays rotate through 8 separate
 * triples: with one fixed triple the JIT can hoist a 1-element loop out of
 * mitata's loop and report a fraction of a nanosecond (it did: 0.3 ns).
 * Large arrays use one triple, so the memory traffic is what it claims.
 */
function float32Inputs(n: number, run: (a: Float32Array, b: Float32Array, out: Float32Array) => unknown): () => unknown {
  if (n > 4096) {
    const { a, b, out } = float32Triple(n, 0);
    return () => run(a, b, out);
  }
  const triples = Array.from({ length: 8 }, (_, seed) => float32Triple(n, seed));
  let next = 0;
  return () => {
    const t = triples[(next = (next + 1) & 7)]!;
    return run(t.a, t.b, t.out);
  };
}

function listInputs(n: number) {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    a.push(i * 0.5);
    b.push(1 + (i % 7));
  }
  return { a, b };
}

/** The plain loop a Bun user would write without nano-simd. */
function jsLoop(a: Float32Array, b: Float32Array, out: Float32Array) {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! + b[i]!;
  return out;
}

/**
 * The memory-bandwidth probe's mixed-stream pass (zig/bandwidth_probe.zig,
 * `zig build probe`): `stream(src, out, steps, reads, writes)` reads `reads`
 * vectors and writes `writes` vectors `steps` times; `vectorBytes` is the
 * vector size, to which `out` must be aligned.
 */
export function streamProbe() {
  const path = join(import.meta.dir, "..", "zig-out", "lib", "libnano_simd_probe.so");
  const { symbols } = dlopen(path, {
    nsimd_probe_stream: { args: ["ptr", "ptr", "u32", "u32", "u32"], returns: "void" },
    nsimd_probe_vector_bytes: { args: [], returns: "u32" },
  });
  return { stream: symbols.nsimd_probe_stream, vectorBytes: symbols.nsimd_probe_vector_bytes() };
}

function probe() {
  const path = join(import.meta.dir, "..", "zig-out", "lib", "libnano_simd_probe.so");
  return dlopen(path, { nsimd_probe_pass: { args: ["ptr", "ptr", "ptr", "u32", "u32", "bool"], returns: "void" } }).symbols.nsimd_probe_pass;
}

export const IMPLEMENTATIONS: Record<string, Setup> = {
  // The buffer API, with the backend chosen automatically, or forced.
  addInto: (n) => float32Inputs(n, nano.addInto),
  ...Object.fromEntries(
    nano.backends().map((name) => [
      `addInto[${name}]`,
      (n: number) => {
        nano.setBackend(name);
        return float32Inputs(n, nano.addInto);
      },
    ]),
  ),
  // The floor: the best backend's kernel called through bun:ffi with no checks at all.
  bareFfi: (n) => {
    const kernel = native.kernel("add", "f32", nano.backend());
    return float32Inputs(n, (a, b, out) => kernel(a, b, out, n));
  },
  jsLoop: (n) => float32Inputs(n, jsLoop),
  // Streaming stores switched off, to measure what they bring.
  "addInto[cached stores]": (n) => {
    native.setStreamingThresholdBytes(2 ** 32 - 1);
    return float32Inputs(n, nano.addInto);
  },
  // The list API at its three levels.
  addJs: (n) => {
    const { a, b } = listInputs(n);
    return () => nano.addJs(a, b);
  },
  addNaive: (n) => {
    const { a, b } = listInputs(n);
    return () => nano.addNaive(a, b);
  },
  add: (n) => {
    const { a, b } = listInputs(n);
    return () => nano.add(a, b);
  },
  // The memory-bandwidth probes (zig/bandwidth_probe.zig), 1 and 2 threads.
  ...Object.fromEntries(
    [1, 2].flatMap((threads) =>
      [true, false].map((streaming) => [
        `probe[${threads}T ${streaming ? "streaming" : "cached"}]`,
        (n: number) => {
          const pass = probe();
          return float32Inputs(n, (a, b, out) => pass(a, b, out, n, threads, streaming));
        },
      ]),
    ),
  ),
};
