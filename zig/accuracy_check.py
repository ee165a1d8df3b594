"""Cross-checks with mpmath (a third, independent implementation).

  python3 zig/accuracy_check.py reference DUMP_FILE
      DUMP_FILE holds lines "function input_hex reference_hex hard" written by
      `accuracy_main dump <fn> <stride>`: every input where the Zig reference
      needed its float128 fallback, plus every 997th input. Each reference
      value must equal mpmath's value rounded to nearest float32.

  python3 zig/accuracy_check.py numpy [COUNT]
      NumPy's float32 exp/log/tanh/sin/cos and 1/(1+exp(-x)) on COUNT random
      inputs per function (typical ranges) plus a bit-pattern sweep of all
      float32 (stride 65537), against mpmath: max ULP and the share of
      results that are not correctly rounded.

ULP = |result - exact| / 2^(floor(log2 |exact|) - 23), at least 2^-149: the
float32 spacing at the exact value (the definition zig/accuracy.zig uses).
"""
import struct
import sys

import mpmath as mp
import numpy as np

mp.mp.prec = 320  # enough for x up to 2^128 in sin/cos reduction, and ~190 bits left


def f32_from_bits(bits):
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def exact(function, x):
    x = mp.mpf(x)
    if function == "exp":
        return mp.exp(x)
    if function == "log":
        return mp.log(x)
    if function == "tanh":
        return mp.tanh(x)
    if function == "sigmoid":
        return 1 / (1 + mp.exp(-x))
    if function == "sin":
        return mp.sin(x)
    if function == "cos":
        return mp.cos(x)
    raise ValueError(function)


def round_to_f32(v):
    """The float32 nearest to the mpmath value v (no double rounding)."""
    guess = np.float32(float(v))  # may be off by one ulp (double rounding)
    if np.isinf(guess):
        return guess
    candidates = [np.nextafter(guess, np.float32(-np.inf)), guess, np.nextafter(guess, np.float32(np.inf))]
    return min(candidates, key=lambda c: abs(mp.mpf(float(c)) - v))


def ulp_error(got, v):
    a = abs(v)
    spacing = mp.mpf(2) ** -149
    if a >= mp.mpf(2) ** -126:
        spacing = mp.mpf(2) ** (mp.floor(mp.log(a, 2)) - 23)
    return float(abs(mp.mpf(float(got)) - v) / spacing)


def check_reference(path):
    bad = 0
    counts = {}
    for line in open(path):
        function, x_hex, ref_hex, hard = line.split()
        x = f32_from_bits(int(x_hex, 16))
        if x != x or x in (float("inf"), float("-inf")):
            continue
        if function == "log" and x <= 0:
            continue
        want = round_to_f32(exact(function, x))
        got = np.float32(f32_from_bits(int(ref_hex, 16)))
        key = (function, hard)
        counts[key] = counts.get(key, 0) + 1
        if np.float32(want).view(np.uint32) != got.view(np.uint32):
            bad += 1
            print("MISMATCH", function, x_hex, "reference", ref_hex, "mpmath", hex(np.float32(want).view(np.uint32)))
    for (function, hard), n in sorted(counts.items()):
        print(f"{function:8} {'float128 fallback' if hard == '1' else 'float64 path':18} {n:8} checked")
    print("mismatches:", bad)
    return bad


def numpy_table(count):
    rng = np.random.default_rng(1)
    sweep = np.arange(0, 2**32, 65537, dtype=np.uint64).astype(np.uint32).view(np.float32)
    functions = {
        "exp": (np.exp, lambda: rng.uniform(-87, 88, count)),
        "log": (np.log, lambda: np.exp(rng.uniform(-80, 80, count))),
        "tanh": (np.tanh, lambda: rng.uniform(-10, 10, count)),
        "sigmoid": (lambda a: np.float32(1) / (np.float32(1) + np.exp(-a)), lambda: rng.uniform(-30, 30, count)),
        "sin": (np.sin, lambda: rng.uniform(-1000, 1000, count)),
        "cos": (np.cos, lambda: rng.uniform(-1000, 1000, count)),
    }
    print(f"NumPy {np.__version__} float32 vs mpmath: {count} random inputs + {sweep.size} bit-pattern sweep")
    for name, (fn, make) in functions.items():
        for label, inputs in (("random", make().astype(np.float32)), ("sweep", sweep)):
            finite = inputs[np.isfinite(inputs)]
            if name == "log":
                finite = finite[finite > 0]
            with np.errstate(all="ignore"):
                got = fn(finite)
            worst, wrong, worst_x = 0.0, 0, None
            for x, g in zip(finite.tolist(), got.tolist()):
                v = exact(name, x)
                if not np.isfinite(g):
                    continue
                e = ulp_error(np.float32(g), v)
                if e > 0.5:
                    wrong += 1
                if e > worst:
                    worst, worst_x = e, x
            print(f"{name:8} {label:6} max {worst:.3f} ULP at {worst_x!r}; not correctly rounded {wrong}/{finite.size} ({100 * wrong / finite.size:.2f}%)")


if __name__ == "__main__":
    if sys.argv[1] == "reference":
        sys.exit(1 if check_reference(sys.argv[2]) else 0)
    numpy_table(int(sys.argv[2]) if len(sys.argv) > 2 else 20000)
