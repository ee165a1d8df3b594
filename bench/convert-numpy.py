# NumPy baselines for issue 14 conversions (ns per element, best of 200): python3 bench/convert-numpy.py [n]
import numpy as np, time, sys
n = int(sys.argv[1]) if len(sys.argv) > 1 else 65536
rng = np.random.default_rng(1)
f32 = (rng.random(n, dtype=np.float32) * 2 - 1); f16 = f32.astype(np.float16)
i16 = rng.integers(-32768, 32767, n, dtype=np.int16); u8 = rng.integers(0, 256, n, dtype=np.uint8)
o32 = np.empty(n, np.float32); o16 = np.empty(n, np.float16); oi16 = np.empty(n, np.int16)
def best(label, fn, runs=200):
    for _ in range(10): fn()
    b = min((lambda t: (fn(), time.perf_counter_ns() - t)[1])(time.perf_counter_ns()) for _ in range(runs))
    print(f"{label:<40} n={n}: {b / n:.3f} ns/elem")
best("NumPy copyto f32 -> f16", lambda: np.copyto(o16, f32, casting="unsafe"))
best("NumPy copyto f16 -> f32", lambda: np.copyto(o32, f16))
best("NumPy astype f32 -> f16", lambda: f32.astype(np.float16))
best("NumPy astype f16 -> f32", lambda: f16.astype(np.float32))
best("NumPy multiply(i16, 1/32768, out=f32)", lambda: np.multiply(i16, np.float32(1/32768), out=o32))
best("NumPy u8 * (1/255) - 0.485 into f32", lambda: np.subtract(np.multiply(u8, np.float32(1/255), out=o32), np.float32(0.485), out=o32))
print("numpy", np.__version__)
