"""NumPy's side of `bun run bench`: np.add(a, b, out=o) and a + b at the sizes
given on the command line. Prints one JSON object: {"version", "out": {n: ns},
"alloc": {n: ns}}, each the median of per-call times over timed batches."""
import json
import sys
import time

import numpy as np


def per_call_ns(fn, n, budget_s):
    # Batches long enough to swamp the timer, then the median batch.
    reps = max(1, int(2e6 // max(n, 1)))
    fn()
    samples = []
    deadline = time.perf_counter() + budget_s
    while len(samples) < 5 or (time.perf_counter() < deadline and len(samples) < 200):
        t0 = time.perf_counter_ns()
        for _ in range(reps):
            fn()
        samples.append((time.perf_counter_ns() - t0) / reps)
    samples.sort()
    return samples[len(samples) // 2]


def main():
    budget = float(sys.argv[1])
    sizes = [int(x) for x in sys.argv[2:]]
    out_ns, alloc_ns = {}, {}
    rng = np.random.default_rng(1)
    for n in sizes:
        a = rng.random(n, dtype=np.float32)
        b = rng.random(n, dtype=np.float32)
        o = np.empty_like(a)
        out_ns[n] = per_call_ns(lambda: np.add(a, b, out=o), n, budget)
        alloc_ns[n] = per_call_ns(lambda: a + b, n, budget)
    print(json.dumps({"version": np.__version__, "out": out_ns, "alloc": alloc_ns}))


main()
