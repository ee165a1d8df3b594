"""NumPy's side of bench/conversions.ts: each conversion case, median ns
per call (lowest of 3 rounds), as JSON rows.
Usage: python3 bench/numpy_conversions.py N [N ...]"""
import json
import sys

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from numpy_families import timed  # noqa: E402

rows = []
for n in map(int, sys.argv[1:]):
    i = np.arange(n)
    f32 = ((i * 7 % 101) / 37 - 1.3).astype(np.float32)
    f16 = f32.astype(np.float16)
    i16 = (i * 7919 % 65536 - 32768).astype(np.int16)
    u8 = (i * 31 % 256).astype(np.uint8)
    o32, o16, oi16 = np.empty(n, np.float32), np.empty(n, np.float16), np.empty(n, np.int16)
    cases = {
        "f32 -> f16": lambda: np.copyto(o16, f32, casting="unsafe"),
        "f16 -> f32": lambda: np.copyto(o32, f16),
        "i16 x 1/32768 -> f32": lambda: np.multiply(i16, np.float32(1 / 32768), out=o32),
        # NumPy's closest: multiply, round half to even, clip, cast (unsafe).
        "f32 x 32768 -> i16": lambda: np.copyto(oi16, np.clip(np.rint(f32 * 32768), -32768, 32767), casting="unsafe"),
        "u8 x 1/255 - 0.485 -> f32": lambda: np.subtract(np.multiply(u8, np.float32(1 / 255), out=o32), np.float32(0.485), out=o32),
    }
    for label, fn in cases.items():
        rows.append({"case": label, "n": n, "impl": "NumPy", "ns": timed(fn)})
print(json.dumps({"version": np.__version__, "rows": rows}))
