"""NumPy's side of bench/reductions.ts: each reduction in float32 and
float64, median ns per call (lowest of 3 rounds), as JSON rows.
Usage: python3 bench/numpy_reductions.py N [N ...]"""
import json
import sys

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from numpy_families import timed  # noqa: E402


def filled(dtype, n, seed):
    i = np.arange(n)
    return (((i * 7 + seed * 13) % 101) / 37 - 1.3).astype(dtype)


def cosine(a, b):
    return 1 - np.dot(a, b) / np.sqrt(np.dot(a, a) * np.dot(b, b))


OPS = {
    "sum": lambda a, b: a.sum(),
    "dot": lambda a, b: np.dot(a, b),
    "min": lambda a, b: a.min(),
    "max": lambda a, b: a.max(),
    "argmin": lambda a, b: a.argmin(),
    "argmax": lambda a, b: a.argmax(),
    "norm": lambda a, b: np.linalg.norm(a),
    "sqeuclidean": lambda a, b: np.dot(a - b, a - b),
    "euclidean": lambda a, b: np.linalg.norm(a - b),
    "cosine": cosine,
}

rows = []
for n in map(int, sys.argv[1:]):
    for dtype, name in ((np.float32, "f32"), (np.float64, "f64")):
        a, b = filled(dtype, n, 1), filled(dtype, n, 2)
        for op, fn in OPS.items():
            rows.append({"section": "reductions", "op": op, "dtype": name, "n": n, "impl": "NumPy", "ns": timed(lambda: fn(a, b))})
print(json.dumps({"version": np.__version__, "rows": rows}))
