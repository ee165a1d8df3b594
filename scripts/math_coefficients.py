"""Near-minimax polynomial coefficients for zig/math.zig, and their errors.

    python3 scripts/math_coefficients.py        (needs mpmath; Debian: python3-mpmath)

Each fast path in zig/math.zig evaluates a small polynomial Q after a range
reduction. Taylor coefficients are exact to write down but waste accuracy at
the ends of the interval; a Chebyshev fit (mpmath.chebyfit, close to the
minimax polynomial) spreads the error evenly, so the same accuracy needs one
or two coefficients fewer: one or two FMAs fewer per vector.

For each polynomial this prints the coefficients rounded to float64 (float32
for the float32 tier's; as Zig hex literals, lowest degree first, the order
math.zig's `estrin` reads) and the largest error of that rounded polynomial, measured in 400-bit arithmetic
on 20,001 points plus both ends, as the error of the *function value* it
causes (the weights below). math.zig's error analyses quote these numbers.
"""
import struct

from mpmath import mp, mpf, sqrt, sin, expm1, log1p, atanh, log, pi, chebyfit

mp.prec = 400


def with_limit(f, small):
    """f(t), or the series value `small(t)` where f's formula would cancel."""
    return lambda t: small(t) if abs(t) < mpf(2) ** -80 else f(t)


# name, Q, interval, coefficients, weight(t): how an error e in Q(t) shows up
# relative to the function's value.
POLYNOMIALS = [
    # e^r = 1 + r + r^2 Q(r) with the 16-entry table: |r| <= ln2/32 (+ rounding).
    ("exp_table", with_limit(lambda r: (expm1(r) - r) / r**2, lambda r: mpf(1) / 2 + r / 6),
     (-log(2) / 32 * (1 + mpf(2) ** -20), log(2) / 32 * (1 + mpf(2) ** -20)), 5,
     lambda r: r**2),
    # e^r = 1 + r + r^2 Q(r) in the float32 tier (32-entry table): |r| <=
    # ln2/64 (+ 2^-10 of it). Coefficients rounded to float32; the error is
    # absolute on e^r, as expSingle's analysis counts it.
    ("exp_single", with_limit(lambda r: (expm1(r) - r) / r**2, lambda r: mpf(1) / 2 + r / 6),
     (-log(2) / 64 * (1 + mpf(2) ** -10), log(2) / 64 * (1 + mpf(2) ** -10)), 3,
     lambda r: r**2, "f32"),
    # e^r - 1 = r + r^2 Q(r) without a table: |r| <= ln2/2 (+ rounding).
    # Weight relative to e^r - 1 for tanh's E = e^(2a) - 1 (r^2/|r|/(1 - |r|/2)).
    ("exp_parts", with_limit(lambda r: (expm1(r) - r) / r**2, lambda r: mpf(1) / 2 + r / 6),
     (-mpf("0.3466"), mpf("0.3466")), 10,
     lambda r: abs(r) / (1 - abs(r) / 2)),
    # ln(1 + r) = r + r^2 Q(r) with the table: |r| <= 0.0393.
    ("log1p_table", with_limit(lambda r: (log1p(r) - r) / r**2, lambda r: -mpf(1) / 2 + r / 3),
     (-mpf("0.0393"), mpf("0.0393")), 8,
     lambda r: abs(r) / (1 - abs(r))),
    # ln m = 2s + s^3 Q(s^2), s = (m-1)/(m+1), |s| <= 0.172; in z = s^2.
    ("atanh", with_limit(lambda z: (2 * atanh(sqrt(z)) - 2 * sqrt(z)) / (sqrt(z) * z), lambda z: mpf(2) / 3 + 2 * z / 5),
     (mpf(0), mpf("0.172") ** 2), 7,
     lambda z: z / 2),
    # sin r = r + r^3 Q(r^2), |r| <= pi/2 (+ 2^-30, beyond the reduction's
    # 2^-35 of slack); in z = r^2. sin and cos both reduce to it.
    ("sin", with_limit(lambda z: (sin(sqrt(z)) - sqrt(z)) / (sqrt(z) * z), lambda z: -mpf(1) / 6 + z / 120),
     (mpf(0), (pi / 2 + mpf(2) ** -30) ** 2), 8,
     lambda z: z / (sin(sqrt(z)) / sqrt(z)) if z > 0 else mpf(0)),
]


def to_float32(x):
    """x rounded to the nearest float32 (ties to even), as a Python float."""
    return struct.unpack("f", struct.pack("f", x))[0]


def main():
    for name, q, (lo, hi), n, weight, *dtype in POLYNOMIALS:
        single = dtype == ["f32"]
        fitted, _ = chebyfit(q, [lo, hi], n, error=True)
        coefficients = [float(c) for c in reversed(fitted)]  # lowest degree first, float64
        if single:
            coefficients = [to_float32(c) for c in coefficients]
        worst = mpf(0)
        for i in range(20001):
            t = lo + (hi - lo) * i / 20000
            value = mpf(0)
            for c in reversed(coefficients):
                value = value * t + mpf(c)
            worst = max(worst, abs(value - q(t)) * weight(t))
        kind = "f32" if single else "f64"
        print(f"// {name}: {n} coefficients on [{float(lo):.6g}, {float(hi):.6g}], "
              f"largest error of the {kind} polynomial 2^{float(log(worst, 2)):.1f} (relative to the value)")
        print(f"const {name}_coefficients = [_]{kind}{{ " + ", ".join(c.hex() for c in coefficients) + " };")


if __name__ == "__main__":
    main()
