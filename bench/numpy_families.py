"""NumPy's side of bench/families.ts: each elementwise op with out=, in
float32 and float64, median ns per call (lowest of 3 rounds), as JSON rows.
Usage: python3 bench/numpy_families.py N [N ...]"""
import json
import sys
import time

import numpy as np


def timed(call):
    call()
    start = time.perf_counter_ns()
    calls = 0
    while time.perf_counter_ns() - start < 5e6:
        call()
        calls += 1
    per_round = max(5, int(30e6 / (time.perf_counter_ns() - start) * calls))
    best = float("inf")
    for _ in range(3):
        samples = []
        batch = max(1, per_round // 9)
        for _ in range(9):
            t0 = time.perf_counter_ns()
            for _ in range(batch):
                call()
            samples.append((time.perf_counter_ns() - t0) / batch)
        samples.sort()
        best = min(best, samples[4])
    return best


def filled(dtype, n, seed):
    i = np.arange(n)
    return (1 + ((i * 7 + seed * 13) % 101) / 37).astype(dtype)


# fma: NumPy has no fused multiply-add; multiply then add (two roundings) is
# what a NumPy user writes. clamp: np.clip with scalar bounds.
OPS = {
    "neg": lambda a, b, c, o: np.negative(a, out=o),
    "abs": lambda a, b, c, o: np.abs(a, out=o),
    "sqrt": lambda a, b, c, o: np.sqrt(a, out=o),
    "add": lambda a, b, c, o: np.add(a, b, out=o),
    "sub": lambda a, b, c, o: np.subtract(a, b, out=o),
    "mul": lambda a, b, c, o: np.multiply(a, b, out=o),
    "div": lambda a, b, c, o: np.divide(a, b, out=o),
    "minimum": lambda a, b, c, o: np.minimum(a, b, out=o),
    "maximum": lambda a, b, c, o: np.maximum(a, b, out=o),
    "fma": lambda a, b, c, o: np.add(np.multiply(a, b, out=o), c, out=o),
    "clamp": lambda a, b, c, o: np.clip(a, -0.5, 0.5, out=o),
    "exp": lambda a, b, c, o: np.exp(a, out=o),
    "log": lambda a, b, c, o: np.log(a, out=o),
    "tanh": lambda a, b, c, o: np.tanh(a, out=o),
    # NumPy has no sigmoid: the formula a NumPy user writes (allocating).
    "sigmoid": lambda a, b, c, o: np.divide(1, np.add(1, np.exp(np.negative(a, out=o), out=o), out=o), out=o),
    "sin": lambda a, b, c, o: np.sin(a, out=o),
    "cos": lambda a, b, c, o: np.cos(a, out=o),
}

if __name__ == "__main__":
    rows = []
    for n in map(int, sys.argv[1:]):
        for dtype, name in ((np.float32, "f32"), (np.float64, "f64")):
            a, b, c = (filled(dtype, n, k) for k in range(3))
            out = np.empty(n, dtype)
            for op, fn in OPS.items():
                rows.append({"op": op, "dtype": name, "n": n, "impl": "NumPy out=", "ns": timed(lambda: fn(a, b, c, out))})
    print(json.dumps({"version": np.__version__, "rows": rows}))
