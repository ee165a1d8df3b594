/**
 * ns per element of the peers the math kernels are compared with, at
 * n = 65,536 on the same input ranges as `accuracy_main bench`:
 * a JS `Math.*` loop into a Float32Array (this Bun), and NumPy's float32
 * ufuncs with `out=` (python3 on PATH). Best of 7 rounds of 20 calls.
 *
 *   bun bench/math-peers.ts
 */

const n = 65_536;
const rounds = 7;
const callsPerRound = 20;

/** Deterministic inputs: uniform in [-10, 10], or (0, 1000] for log. */
function makeInput(forLog: boolean): Float32Array {
  const a = new Float32Array(n);
  let seed = 42;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const u = seed / 2 ** 32;
    a[i] = forLog ? u * 1000 + 1e-3 : u * 20 - 10;
  }
  return a;
}

/**
 * One loop per function, written out, so each call site sees a single callee
 * and the JIT can inline it (a shared loop calling `f(a[i])` would be
 * megamorphic and measure the call, not Math.*).
 */
const jsLoops: Record<string, (a: Float32Array, out: Float32Array) => void> = {
  exp: (a, out) => { for (let i = 0; i < a.length; i++) out[i] = Math.exp(a[i]!); },
  log: (a, out) => { for (let i = 0; i < a.length; i++) out[i] = Math.log(a[i]!); },
  tanh: (a, out) => { for (let i = 0; i < a.length; i++) out[i] = Math.tanh(a[i]!); },
  sigmoid: (a, out) => { for (let i = 0; i < a.length; i++) out[i] = 1 / (1 + Math.exp(-a[i]!)); },
  sin: (a, out) => { for (let i = 0; i < a.length; i++) out[i] = Math.sin(a[i]!); },
  cos: (a, out) => { for (let i = 0; i < a.length; i++) out[i] = Math.cos(a[i]!); },
};

/** Best time per element of one JS loop over the whole array. */
function timeJs(loop: (a: Float32Array, out: Float32Array) => void, a: Float32Array, out: Float32Array): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = Bun.nanoseconds();
    for (let c = 0; c < callsPerRound; c++) loop(a, out);
    best = Math.min(best, Bun.nanoseconds() - start);
  }
  return best / (callsPerRound * n);
}

const numpyScript = `
import time, numpy as np
n = ${n}
rng = np.random.default_rng(42)
a = rng.uniform(-10, 10, n).astype(np.float32)
pos = rng.uniform(1e-3, 1000, n).astype(np.float32)
o = np.empty(n, np.float32)
t = np.empty(n, np.float32)
def sigmoid(x, out):
    np.negative(x, out=t); np.exp(t, out=t); np.add(t, 1, out=t); np.divide(1, t, out=out)
def sigmoid_expression(x, out):
    return 1 / (1 + np.exp(-x))
cases = [("exp", np.exp, a), ("log", np.log, pos), ("tanh", np.tanh, a),
         ("sigmoid", sigmoid, a), ("sigmoid_expression", sigmoid_expression, a), ("sin", np.sin, a), ("cos", np.cos, a)]
for name, fn, x in cases:
    best = 1e9
    for r in range(${rounds}):
        s = time.perf_counter_ns()
        for c in range(${callsPerRound}):
            fn(x, out=o)
        best = min(best, time.perf_counter_ns() - s)
    print(name, best / (${callsPerRound} * n))
`;

const numpy = Bun.spawnSync(["python3", "-c", numpyScript]);
if (numpy.exitCode !== 0) console.error(numpy.stderr.toString());
const numpyTimes = new Map<string, number>();
for (const line of numpy.stdout.toString().trim().split("\n")) {
  const [name, ns] = line.split(" ");
  if (name && ns) numpyTimes.set(name, Number(ns));
}

console.log(`n = ${n}, ns per element (best of ${rounds} x ${callsPerRound} calls)`);
console.log("function   JS Math loop   NumPy out=");
for (const [name, loop] of Object.entries(jsLoops)) {
  const a = makeInput(name === "log");
  const out = new Float32Array(n);
  const js = timeJs(loop, a, out);
  const np = numpyTimes.get(name);
  const npCell = np === undefined ? "-" : np.toFixed(3);
  const extra = name === "sigmoid" ? `  (1/(1+np.exp(-x)), allocating: ${numpyTimes.get("sigmoid_expression")?.toFixed(3)})` : "";
  console.log(`${name.padEnd(10)} ${js.toFixed(3).padStart(12)} ${npCell.padStart(12)}${extra}`);
}
