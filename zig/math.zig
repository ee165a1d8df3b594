//! Correctly rounded float32 exp, log, tanh, sigmoid, sin and cos, one SIMD
//! vector at a time, with bit-identical results on every instruction set.
//!
//! The method (the idea CORE-MATH uses for binary32):
//!  1. Widen each float32 lane to float64 and evaluate the function there with
//!     a table and a short polynomial. The float64 value is within about
//!     2^-51 (relative) of the exact result: 27 bits more than float32 keeps.
//!  2. Round to float32. That is the correctly rounded result unless the exact
//!     value and our float64 value lie on different sides of a float32
//!     rounding boundary. `roundChecked` tests this directly: it widens the
//!     float64 value by a proven error margin (`margin`, 2^-46) both ways and
//!     rounds both ends; if they agree, so does the exact value.
//!  3. The rare lanes whose interval straddles a boundary (3 to 82 in the
//!     252,645,135 inputs of a stride-17 sweep, depending on the function)
//!     are recomputed one by one in float128 (113-bit
//!     significand, software arithmetic) to ~2^-100, and rounded from there.
//!
//! Why results are identical on every ISA: only IEEE basic operations
//! (+ - * /, conversions, integer ops) are used, in Zig's strict float mode,
//! and never @mulAdd. Each of those is correctly rounded by definition, so SSE2,
//! AVX2, AVX-512 and NEON compute the same bits; a fused multiply-add would
//! round once instead of twice and change them. Table lookups are per lane.
//! float128 is software (compiler-rt) on every target, also correctly rounded.

const std = @import("std");

// ---------------------------------------------------------------------------
// Small vector helpers
// ---------------------------------------------------------------------------

fn F64s(comptime lanes: comptime_int) type {
    return @Vector(lanes, f64);
}
fn I64s(comptime lanes: comptime_int) type {
    return @Vector(lanes, i64);
}
fn splat(comptime lanes: comptime_int, v: f64) F64s(lanes) {
    return @splat(v);
}
fn splatI(comptime lanes: comptime_int, v: i64) I64s(lanes) {
    return @splat(v);
}
fn shiftBy(comptime lanes: comptime_int, comptime s: u6) @Vector(lanes, u6) {
    return @splat(s);
}

/// Adding then subtracting 1.5 * 2^52 rounds a float64 of magnitude < 2^51
/// to the nearest integer (ties to even), and leaves that integer in the low
/// bits of the sum: a float->int round that is plain IEEE addition, hence the
/// same on every ISA (no cvt instruction with its own rounding mode).
const round_shifter: f64 = 0x1.8p52;
const round_shifter_bits: i64 = @bitCast(round_shifter);

/// The float64 error bound every fast path below is proven to stay inside
/// (the analyses at each function give ~2^-51; this leaves a 32x margin).
const margin: f64 = 0x1p-46;

/// Rounds float64 `y` to float32 and says per lane whether that rounding is
/// certainly the rounding of the exact value, which lies within
/// |y| * margin of y. Rounding is monotone, so if y(1 - margin) and
/// y(1 + margin) round to the same float32, everything between them does.
/// Non-finite y (special values set exactly by the caller) never need help.
inline fn roundChecked(comptime lanes: comptime_int, y: F64s(lanes)) struct { value: @Vector(lanes, f32), unsure: @Vector(lanes, bool) } {
    const value: @Vector(lanes, f32) = @floatCast(y);
    const width = @abs(y) * splat(lanes, margin);
    const low: @Vector(lanes, f32) = @floatCast(y - width);
    const high: @Vector(lanes, f32) = @floatCast(y + width);
    const finite = @abs(y) < splat(lanes, std.math.inf(f64));
    return .{ .value = value, .unsure = @select(bool, finite, low != high, @as(@Vector(lanes, bool), @splat(false))) };
}

/// Replaces the unsure lanes of `value` with the scalar slow path.
inline fn fixUnsure(comptime lanes: comptime_int, x: @Vector(lanes, f32), value: @Vector(lanes, f32), unsure: @Vector(lanes, bool), comptime slowPath: fn (f32) f32) @Vector(lanes, f32) {
    var result = value;
    // One well-predicted branch per vector; the loop runs about once per
    // five million inputs.
    if (@reduce(.Or, unsure)) {
        inline for (0..lanes) |i| {
            if (unsure[i]) result[i] = slowPath(x[i]);
        }
    }
    return result;
}

/// Multiplies by 2^k (k within the normal float64 exponent range) by building
/// the power of two from its bits: exact, and no int->float conversion.
inline fn powerOfTwo(comptime lanes: comptime_int, k: I64s(lanes)) F64s(lanes) {
    return @bitCast((k + splatI(lanes, 1023)) << shiftBy(lanes, 52));
}

// ---------------------------------------------------------------------------
// float128 slow paths (scalar, rare). Each is accurate to ~2^-100 relative,
// far beyond the ~2^-64 the hardest float32 cases need.
// ---------------------------------------------------------------------------

const ln2_q: f128 = 0.693147180559945309417232121458176568075500134;
const half_pi_q: f128 = 1.57079632679489661923132169163975144209858469969;

/// 2^k as float128, for |k| < 16000.
fn powerOfTwoQ(k: i32) f128 {
    return @bitCast(@as(u128, @intCast(k + 16383)) << 112);
}

/// e^r - 1 for |r| <= 0.36 by its Taylor series, summed until the terms stop
/// mattering (|term| < 2^-118 |sum|): no cancellation for small r.
fn expm1TaylorQ(r: f128) f128 {
    var term: f128 = r;
    var sum: f128 = r;
    var n: f128 = 2;
    while (@abs(term) > @abs(sum) * 0x1p-118) : (n += 1) {
        term = term * r / n;
        sum += term;
    }
    return sum;
}

/// e^y for |y| < 11000: y = k ln2 + r with |r| <= ln2/2, then e^r from the
/// series of r/2^8 squared back eight times (1 + m)^2 = 1 + (2m + m^2),
/// keeping the small part m separate so the squarings lose nothing to 1 + m.
fn expQ(y: f128) f128 {
    const k: i32 = @intFromFloat(@round(@as(f64, @floatCast(y)) * 1.4426950408889634));
    const r = y - @as(f128, @floatFromInt(k)) * ln2_q;
    var m = expm1TaylorQ(r * 0x1p-8);
    for (0..8) |_| m = 2 * m + m * m;
    return (1 + m) * powerOfTwoQ(k);
}

/// e^y - 1, accurate relative to the result also when y is near zero.
fn expm1Q(y: f128) f128 {
    if (@abs(y) < 0.35) return expm1TaylorQ(y);
    return expQ(y) - 1;
}

fn expSlow(x: f32) f32 {
    if (x != x) return x;
    if (x > 100) return std.math.inf(f32);
    if (x < -110) return 0;
    return @floatCast(expQ(x));
}

/// ln(x) for a positive normal or subnormal float32: x = 2^e m with m in
/// [sqrt(1/2), sqrt 2), ln m = 2 atanh(s) with s = (m-1)/(m+1), |s| < 0.172,
/// whose series gains 5 bits a term.
fn logQ(x: f128) f128 {
    const bits: u128 = @bitCast(x);
    var e: i32 = @as(i32, @intCast(bits >> 112)) - 16383;
    var m: f128 = @bitCast((bits & ((@as(u128, 1) << 112) - 1)) | (@as(u128, 16383) << 112));
    if (m > 1.41421356237309504880168872420969807856967188) {
        m /= 2;
        e += 1;
    }
    const s = (m - 1) / (m + 1);
    const s2 = s * s;
    var power = s;
    var sum = s;
    var n: f128 = 3;
    while (true) : (n += 2) {
        power *= s2;
        const term = power / n;
        if (@abs(term) <= @abs(sum) * 0x1p-118) break;
        sum += term;
    }
    return @as(f128, @floatFromInt(e)) * ln2_q + 2 * sum;
}

fn logSlow(x: f32) f32 {
    if (x != x) return x;
    if (x < 0) return std.math.nan(f32);
    if (x == 0) return -std.math.inf(f32);
    if (x == std.math.inf(f32)) return x;
    // float128 has no subnormals in float32's range: every float32 is normal there.
    return @floatCast(logQ(x));
}

fn tanhSlow(x: f32) f32 {
    if (x != x) return x;
    const a: f128 = @abs(x);
    // tanh(a) rounds to 1 for a > 9.02 (1 - tanh a ~ 2e^(-2a) < 2^-25).
    const t: f128 = if (a > 12) 1 else blk: {
        const em1 = expm1Q(2 * a);
        break :blk em1 / (em1 + 2);
    };
    const rounded: f32 = @floatCast(t);
    return if (x < 0) -rounded else rounded;
}

fn sigmoidSlow(x: f32) f32 {
    if (x != x) return x;
    if (x > 120) return 1; // 1 - sigmoid(x) < e^-120: rounds to 1
    if (x < -120) return 0; // sigmoid(x) < e^-120 < 2^-150: rounds to 0
    return @floatCast(1 / (1 + expQ(-@as(f128, x))));
}

// ---------------------------------------------------------------------------
// Argument reduction for sin/cos: x = (q + f) * pi/2 with q an integer and
// |f| <= 1/2, returned as f * 2^128 in an i128 (two's complement).
// ---------------------------------------------------------------------------

/// The bits of 2/pi after the binary point, preceded by 64 zero bits so that
/// windows starting "before" the point read zeros. Generated with mpmath at
/// 1200-bit precision: floor(2/pi * 2^512), split into 64-bit words.
const two_over_pi_words = [_]u64{
    0x0000000000000000, 0xA2F9836E4E441529, 0xFC2757D1F534DDC0, 0xDB6295993C439041,
    0xFE5163ABDEBBC561, 0xB7246E3A424DD2E0, 0x06492EEA09D1921C, 0xFE1DEB1CB129A73E,
    0xE88235F52EBB4484,
};

/// 64 bits of 2/pi starting at bit `start` of `two_over_pi_words`.
fn twoOverPiBits(start: u32) u64 {
    const word = start / 64;
    const shift: u6 = @intCast(start % 64);
    if (shift == 0) return two_over_pi_words[word];
    return (two_over_pi_words[word] << shift) | (two_over_pi_words[word + 1] >> @intCast(64 - @as(u7, shift)));
}

const Reduced = struct { quadrant: u32, fraction: i128 };

/// Payne–Hanek reduction in integers, exact to ~2^-160 of a quadrant, for a
/// positive finite float32 |x| >= pi/4 of any size.
/// x = m 2^e with m a 24-bit integer. x 2/pi = sum over bits b_i of 2/pi of
/// m b_i 2^(e-i). Terms with i <= e - 2 are multiples of 4: they do not change
/// the quadrant or the fraction, so they are skipped; that is what keeps the
/// product small for x up to 3.4e38. The next 192 bits W of 2/pi times m give,
/// mod 2^192, the value x 2/pi mod 4 scaled by 2^190.
fn reduceLarge(ax: f32) Reduced {
    const bits: u32 = @bitCast(ax);
    const m: u64 = (bits & 0x7FFFFF) | 0x800000; // |x| >= pi/4 is normal
    const e: i32 = @as(i32, @intCast(bits >> 23)) - 150;
    const start: u32 = @intCast(e + 62); // index of bit b_(e-1), after the 64-bit pad
    const w0 = twoOverPiBits(start);
    const w1 = twoOverPiBits(start + 64);
    const w2 = twoOverPiBits(start + 128);
    // m * (w0:w1:w2) mod 2^192, in 64-bit limbs (low to high).
    const p2 = @as(u128, m) * w2;
    const p1 = @as(u128, m) * w1;
    const p0 = @as(u128, m) * w0;
    const limb0: u64 = @truncate(p2);
    const mid = (p2 >> 64) + @as(u64, @truncate(p1));
    const limb1: u64 = @truncate(mid);
    const limb2: u64 = @as(u64, @truncate(mid >> 64)) +% @as(u64, @truncate(p1 >> 64)) +% @as(u64, @truncate(p0));
    // Bits 190-191 are the quadrant; bits 62-189 the fraction's top 128 bits.
    const fraction_high = (limb2 << 2) | (limb1 >> 62);
    const fraction_low = (limb1 << 2) | (limb0 >> 62);
    const fraction: i128 = @bitCast((@as(u128, fraction_high) << 64) | fraction_low);
    // A fraction >= 1/2 reads as negative: it belongs to the next quadrant.
    const quadrant: u32 = @intCast(((limb2 >> 62) + (fraction_high >> 63)) & 3);
    return .{ .quadrant = quadrant, .fraction = fraction };
}

/// sin(r) and cos(r) in float128 for |r| <= pi/4 + tiny, by Taylor series.
fn sinQ(r: f128) f128 {
    const r2 = r * r;
    var term = r;
    var sum = r;
    var n: f128 = 2;
    while (@abs(term) > @abs(sum) * 0x1p-118) : (n += 2) {
        term = -term * r2 / (n * (n + 1));
        sum += term;
    }
    return sum;
}
fn cosQ(r: f128) f128 {
    const r2 = r * r;
    var term: f128 = 1;
    var sum: f128 = 1;
    var n: f128 = 1;
    while (@abs(term) > 0x1p-118) : (n += 2) {
        term = -term * r2 / (n * (n + 1));
        sum += term;
    }
    return sum;
}

/// sin (want_cos = false) or cos of float32 x, in float128 for any finite x.
fn sinCosQ(x: f32, comptime want_cos: bool) f128 {
    const ax = @abs(x);
    var quadrant: u32 = 0;
    var r: f128 = ax;
    if (ax >= 0.785) {
        const reduced = reduceLarge(ax);
        quadrant = reduced.quadrant;
        r = @as(f128, @floatFromInt(reduced.fraction)) * 0x1p-128 * half_pi_q;
    }
    if (want_cos) quadrant +%= 1; // cos(x) = sin(x + pi/2)
    const magnitude = if (quadrant & 1 == 0) sinQ(r) else cosQ(r);
    const sign_flip = (quadrant & 2 != 0) != (!want_cos and x < 0);
    return if (sign_flip) -magnitude else magnitude;
}

fn sinSlow(x: f32) f32 {
    if (!std.math.isFinite(x)) return std.math.nan(f32);
    if (x == 0) return x; // keeps the sign of zero
    return @floatCast(sinCosQ(x, false));
}
fn cosSlow(x: f32) f32 {
    if (!std.math.isFinite(x)) return std.math.nan(f32);
    return @floatCast(sinCosQ(x, true));
}

// ---------------------------------------------------------------------------
// exp core: e^y = 2^(k/64) e^r, y = k ln2/64 + r, |r| <= ln2/128
// ---------------------------------------------------------------------------

/// 2^(j/64), j = 0..63, as an unevaluated sum hi + lo of two float64s (~2^-106):
/// computed at compile time in float128 by the slow path's own exp.
const exp2_table = blk: {
    @setEvalBranchQuota(200_000);
    var hi: [64]f64 = undefined;
    var lo: [64]f64 = undefined;
    for (0..64) |j| {
        const t = expQ(@as(f128, @floatFromInt(j)) / 64 * ln2_q);
        hi[j] = @floatCast(t);
        lo[j] = @floatCast(t - hi[j]);
    }
    break :blk .{ .hi = hi, .lo = lo };
};

/// 64/ln2, and ln2/64 split so that k * ln2_64_hi is exact for |k| < 2^17
/// (ln2_64_hi keeps 36 significant bits).
const inv_ln2_64: f64 = 92.33248261689366;
const ln2_64_hi: f64 = 0x1.62e42fefap-7;
const ln2_64_lo: f64 = @floatCast(ln2_q / 64 - @as(f128, ln2_64_hi));

/// e^y = scale * (hi + lo) for float64 y in [-745/2, 745/2] with at most 24
/// significant bits (every caller passes a float32 times a power of two):
/// scale = 2^(k div 64) exactly, hi = 2^((k mod 64)/64) rounded, and
/// lo = the table's low part (if with_table_low) plus hi (e^r - 1). Kept
/// apart so tanh can form e^y - 1 without cancellation.
///
/// Error: k * ln2_64_hi is exact, y - k ln2_64_hi is exact (Sterbenz), the
/// rounding of r is <= 2^-53 |r| and the table error 2^-106: r is good to
/// ~2^-60 absolute. The degree-6 Taylor polynomial of e^r - 1 on
/// |r| <= 2^-7.5 truncates at r^7/7! < 2^-64, its Horner evaluation errs by
/// ~2^-53 |r|. So hi + lo is within ~2^-52 of the exact value.
inline fn expParts(comptime lanes: comptime_int, comptime with_table_low: bool, y: F64s(lanes)) struct { scale: F64s(lanes), hi: F64s(lanes), lo: F64s(lanes) } {
    const shifted = y * splat(lanes, inv_ln2_64) + splat(lanes, round_shifter);
    const k_float = shifted - splat(lanes, round_shifter);
    const k = @as(I64s(lanes), @bitCast(shifted)) - splatI(lanes, round_shifter_bits);
    const r = (y - k_float * splat(lanes, ln2_64_hi)) - k_float * splat(lanes, ln2_64_lo);
    // e^r - 1 = r + r^2/2 + ... + r^6/720
    var p = splat(lanes, 1.0 / 720.0);
    p = p * r + splat(lanes, 1.0 / 120.0);
    p = p * r + splat(lanes, 1.0 / 24.0);
    p = p * r + splat(lanes, 1.0 / 6.0);
    p = p * r + splat(lanes, 0.5);
    const em1_r = r + (r * r) * p;
    const j = k & splatI(lanes, 63);
    var table_hi: F64s(lanes) = undefined;
    var table_lo: F64s(lanes) = @splat(0);
    inline for (0..lanes) |i| {
        table_hi[i] = exp2_table.hi[@intCast(j[i])];
        // The low part matters only to tanh's e^y - 1 (cancellation); for e^y
        // itself hi's 2^-53 rounding is far inside the margin, and each
        // per-lane lookup costs a load and an insert.
        if (with_table_low) table_lo[i] = exp2_table.lo[@intCast(j[i])];
    }
    return .{
        .scale = powerOfTwo(lanes, k >> shiftBy(lanes, 6)),
        .hi = table_hi,
        .lo = table_lo + table_hi * em1_r,
    };
}

inline fn isNan(comptime lanes: comptime_int, x: @Vector(lanes, f32)) @Vector(lanes, bool) {
    return x != x;
}

/// e^x, correctly rounded. exp(-Inf) = 0, exp(+Inf) = +Inf, NaN stays NaN.
pub fn exp(comptime lanes: comptime_int, x: @Vector(lanes, f32)) @Vector(lanes, f32) {
    const wide: F64s(lanes) = @floatCast(x);
    // e^100 overflows float32 and e^-110 rounds to 0, and both are normal
    // float64s: clamping keeps every later step in range. (@max/@min turn
    // NaN into the bound; NaN is put back below.)
    const y = @max(@min(wide, splat(lanes, 100)), splat(lanes, -110));
    const parts = expParts(lanes, false, y);
    const value = parts.scale * (parts.hi + parts.lo);
    const checked = roundChecked(lanes, @select(f64, isNan(lanes, x), wide, value));
    return fixUnsure(lanes, x, checked.value, checked.unsure, expSlow);
}

/// 1 / (1 + e^-x), correctly rounded. 1 + e^-x has no cancellation (e^-x > 0),
/// so the relative error stays that of e^-x plus two roundings.
pub fn sigmoid(comptime lanes: comptime_int, x: @Vector(lanes, f32)) @Vector(lanes, f32) {
    const wide: F64s(lanes) = @floatCast(x);
    const y = @max(@min(-wide, splat(lanes, 120)), splat(lanes, -120));
    const parts = expParts(lanes, false, y);
    const value = splat(lanes, 1) / (splat(lanes, 1) + parts.scale * (parts.hi + parts.lo));
    const checked = roundChecked(lanes, @select(f64, isNan(lanes, x), wide, value));
    return fixUnsure(lanes, x, checked.value, checked.unsure, sigmoidSlow);
}

/// tanh x, correctly rounded, from e^(2|x|) - 1 = E: tanh|x| = E / (E + 2).
/// E is formed as (scale hi - 1) + scale lo: for small |x| the first part is
/// exactly 0 or exact by Sterbenz, so no bits are lost to cancellation.
pub fn tanh(comptime lanes: comptime_int, x: @Vector(lanes, f32)) @Vector(lanes, f32) {
    const wide: F64s(lanes) = @floatCast(x);
    // tanh rounds to 1 from |x| = 9.02 on; 10 keeps 1 - tanh far from a
    // rounding boundary.
    const a = @min(@abs(wide), splat(lanes, 10));
    const parts = expParts(lanes, true, a + a);
    const em1 = (parts.scale * parts.hi - splat(lanes, 1)) + parts.scale * parts.lo;
    const magnitude = em1 / (em1 + splat(lanes, 2));
    // tanh is odd: copy x's sign (this also keeps tanh(-0) = -0).
    const value = @select(f64, wide < splat(lanes, 0), -magnitude, @select(f64, wide == splat(lanes, 0), wide, magnitude));
    const checked = roundChecked(lanes, @select(f64, isNan(lanes, x), wide, value));
    return fixUnsure(lanes, x, checked.value, checked.unsure, tanhSlow);
}

// ---------------------------------------------------------------------------
// log core: x = 2^e m, m in [sqrt(1/2), sqrt 2); m c_i = 1 + r exactly
// ---------------------------------------------------------------------------

/// Table index i = round(128 (m - 1)) runs over -37..53. c_i is 1/(1 + i/128)
/// rounded to 28 bits, so m c_i (24 + 28 bits) is exact in float64, and
/// |r| = |m c_i - 1| <= 2^-7.5. minus_log_c[i] = -ln c_i rounded to float64
/// from float128. c_0 = 1 and -ln c_0 = 0: near x = 1, ln x = log1p(r) with
/// r = x - 1 exact, so small results keep full relative accuracy.
const log_index_low = -37;
const log_table = blk: {
    @setEvalBranchQuota(400_000);
    var c: [91]f64 = undefined;
    var minus_log_c: [91]f64 = undefined;
    for (0..91) |slot| {
        const i: f64 = @as(f64, @floatFromInt(@as(i32, @intCast(slot)) + log_index_low));
        const exact: f64 = 1.0 / (1.0 + i / 128.0);
        const bits: u64 = @bitCast(exact);
        const rounded: f64 = @bitCast((bits + (1 << 24)) & ~@as(u64, (1 << 25) - 1)); // keep 28 bits
        c[slot] = rounded;
        minus_log_c[slot] = @floatCast(-logQ(rounded));
    }
    break :blk .{ .c = c, .minus_log_c = minus_log_c };
};
const ln2_hi: f64 = 0x1.62e42fefap-1; // 36 bits: e * ln2_hi exact for |e| < 2^17
const ln2_lo: f64 = @floatCast(ln2_q - @as(f128, ln2_hi));

/// ln x, correctly rounded. log(0) = -Inf, log(x < 0) = NaN, log(+Inf) = +Inf.
///
/// Error: e ln2_hi exact; the table entry errs by 2^-53 |ln c|; log1p(r) by
/// its degree-9 Taylor polynomial truncates at r^10/10 < 2^-55 |r| and rounds
/// ~2^-53 |r|. The sum's terms never cancel by more than a factor ~2 (for
/// i != 0 the result is >= ln(1 + 0.5/128) while |ln c_i| <= 2|result|), so
/// the relative error stays ~2^-51.
pub fn log(comptime lanes: comptime_int, x: @Vector(lanes, f32)) @Vector(lanes, f32) {
    const wide: F64s(lanes) = @floatCast(x);
    // Lanes holding 0, negatives, Inf or NaN get their results from the
    // selects at the end; computing them on 1.0 meanwhile keeps the table
    // index in range without a per-lane clamp.
    const ordinary = (wide > splat(lanes, 0)) & (wide < splat(lanes, std.math.inf(f64)));
    const input = @select(f64, ordinary, wide, splat(lanes, 1));
    // Every float32, subnormals included, is a normal float64: read e and m
    // from the float64 bits. Subtracting sqrt(1/2)'s bits first moves the
    // exponent step from m = 1 to m = sqrt(2).
    const bits: I64s(lanes) = @bitCast(input);
    const e = (bits - splatI(lanes, 0x3FE6A09E667F3BCD)) >> shiftBy(lanes, 52);
    const m: F64s(lanes) = @bitCast(bits - (e << shiftBy(lanes, 52)));
    const shifted = (m - splat(lanes, 1)) * splat(lanes, 128) + splat(lanes, round_shifter);
    const slot = @as(I64s(lanes), @bitCast(shifted)) - splatI(lanes, round_shifter_bits + log_index_low);
    var c: F64s(lanes) = undefined;
    var minus_log_c: F64s(lanes) = undefined;
    inline for (0..lanes) |i| {
        c[i] = log_table.c[@intCast(slot[i])];
        minus_log_c[i] = log_table.minus_log_c[@intCast(slot[i])];
    }
    const r = m * c - splat(lanes, 1);
    // log1p(r) = r - r^2/2 + r^3/3 - ... + r^9/9
    var p = splat(lanes, 1.0 / 9.0);
    p = p * r - splat(lanes, 1.0 / 8.0);
    p = p * r + splat(lanes, 1.0 / 7.0);
    p = p * r - splat(lanes, 1.0 / 6.0);
    p = p * r + splat(lanes, 1.0 / 5.0);
    p = p * r - splat(lanes, 1.0 / 4.0);
    p = p * r + splat(lanes, 1.0 / 3.0);
    p = p * r - splat(lanes, 0.5);
    const log1p_r = r + (r * r) * p;
    // e (|e| < 200) to float64 by the shifter trick: SSE2 and AVX2 have no
    // int64 -> float64 conversion, and the scalarised one costs ~2 ns a lane.
    const e_float = @as(F64s(lanes), @bitCast(e + splatI(lanes, round_shifter_bits))) - splat(lanes, round_shifter);
    const value = (e_float * splat(lanes, ln2_hi) + minus_log_c) + (e_float * splat(lanes, ln2_lo) + log1p_r);
    const inf = splat(lanes, std.math.inf(f64));
    var special = @select(f64, wide == splat(lanes, 0), -inf, value);
    special = @select(f64, wide < splat(lanes, 0), splat(lanes, std.math.nan(f64)), special);
    special = @select(f64, wide == inf, inf, special);
    special = @select(f64, isNan(lanes, x), wide, special);
    const checked = roundChecked(lanes, special);
    return fixUnsure(lanes, x, checked.value, checked.unsure, logSlow);
}

// ---------------------------------------------------------------------------
// sin / cos
// ---------------------------------------------------------------------------

/// Above this |x| the vector Cody–Waite reduction is not exact enough and the
/// lane takes the integer Payne–Hanek path (scalar, ~tens of ns).
const cody_waite_limit: f64 = 0x1p17;
/// 2/pi, and pi/2 in three parts: hi and mid keep 36 bits each so that
/// k * part is exact for k < 2^17; lo is the float64 rounding of the rest.
/// Together they carry pi/2 to ~2^-125.
const two_over_pi: f64 = 0.6366197723675814;
const half_pi_hi: f64 = 0x1.921fb54440000p0;
const half_pi_mid: f64 = @floatCast(half_pi_q - @as(f128, half_pi_hi));
const half_pi_mid36: f64 = @bitCast(@as(u64, @bitCast(half_pi_mid)) & ~@as(u64, (1 << 17) - 1));
const half_pi_lo: f64 = @floatCast(half_pi_q - @as(f128, half_pi_hi) - @as(f128, half_pi_mid36));
/// pi/2 * 2^-128: turns the reduction's i128 fraction into radians.
const half_pi_scaled: f64 = @floatCast(half_pi_q * 0x1p-128);

/// sin(r) and cos(r) for |r| <= pi/4 (+ 2^-50), by Taylor polynomials in r^2.
/// sin to r^17 truncates at r^19/19! (2^-63 relative); cos to r^16 at
/// r^18/18! (2^-59). Horner in float64: ~2^-52 relative.
inline fn sinCosPoly(comptime lanes: comptime_int, r: F64s(lanes)) struct { sin: F64s(lanes), cos: F64s(lanes) } {
    const r2 = r * r;
    var s = splat(lanes, 1.0 / 355687428096000.0); // 1/17!
    s = s * r2 - splat(lanes, 1.0 / 1307674368000.0);
    s = s * r2 + splat(lanes, 1.0 / 6227020800.0);
    s = s * r2 - splat(lanes, 1.0 / 39916800.0);
    s = s * r2 + splat(lanes, 1.0 / 362880.0);
    s = s * r2 - splat(lanes, 1.0 / 5040.0);
    s = s * r2 + splat(lanes, 1.0 / 120.0);
    s = s * r2 - splat(lanes, 1.0 / 6.0);
    var c = splat(lanes, 1.0 / 20922789888000.0); // 1/16!
    c = c * r2 - splat(lanes, 1.0 / 87178291200.0);
    c = c * r2 + splat(lanes, 1.0 / 479001600.0);
    c = c * r2 - splat(lanes, 1.0 / 3628800.0);
    c = c * r2 + splat(lanes, 1.0 / 40320.0);
    c = c * r2 - splat(lanes, 1.0 / 720.0);
    c = c * r2 + splat(lanes, 1.0 / 24.0);
    c = c * r2 - splat(lanes, 0.5);
    return .{ .sin = r + (r * r2) * s, .cos = splat(lanes, 1) + r2 * c };
}

/// Picks sin or cos of the reduced argument by quadrant and sign.
/// sin(q pi/2 + r) = sin r, cos r, -sin r, -cos r for q = 0..3; cos shifts q by 1.
inline fn fromQuadrant(comptime lanes: comptime_int, comptime want_cos: bool, quadrant: I64s(lanes), r: F64s(lanes)) F64s(lanes) {
    const q = if (want_cos) quadrant + splatI(lanes, 1) else quadrant;
    const sc = sinCosPoly(lanes, r);
    const odd = (q & splatI(lanes, 1)) != splatI(lanes, 0);
    const negative = (q & splatI(lanes, 2)) != splatI(lanes, 0);
    const magnitude = @select(f64, odd, sc.cos, sc.sin);
    return @select(f64, negative, -magnitude, magnitude);
}

/// One lane with |x| >= 2^17 (or Inf/NaN): Payne–Hanek, then the same float64
/// polynomial and check; float128 only when that is unsure.
fn sinCosLarge(x: f32, comptime want_cos: bool) f32 {
    if (!std.math.isFinite(x)) return std.math.nan(f32);
    const reduced = reduceLarge(@abs(x));
    const r: F64s(1) = @splat(@as(f64, @floatFromInt(reduced.fraction)) * half_pi_scaled);
    var value = fromQuadrant(1, want_cos, @splat(@as(i64, reduced.quadrant)), r);
    if (!want_cos and x < 0) value = -value;
    const checked = roundChecked(1, value);
    if (checked.unsure[0]) return if (want_cos) cosSlow(x) else sinSlow(x);
    return checked.value[0];
}

inline fn sinCos(comptime lanes: comptime_int, comptime want_cos: bool, x: @Vector(lanes, f32)) @Vector(lanes, f32) {
    const wide: F64s(lanes) = @floatCast(x);
    const ax = @abs(wide);
    // False for NaN too: non-finite lanes go to the large path, which returns NaN.
    const small = ax < splat(lanes, cody_waite_limit);
    const a = @select(f64, small, ax, splat(lanes, 0));
    // Cody–Waite: k = round(a 2/pi) < 2^17; a - k hi is exact (k hi is exact,
    // and Sterbenz), k mid is exact, and k lo errs by < 2^-106: r is within
    // ~2^-52 |r| + 2^-105 of a - k pi/2. float32 inputs below 2^17 never come
    // closer than 4.19e-9 (2^-27.8, at x = 252.89821; found by reducing every
    // one of them) to a multiple of pi/2, so that is ~2^-52 relative.
    const shifted = a * splat(lanes, two_over_pi) + splat(lanes, round_shifter);
    const k_float = shifted - splat(lanes, round_shifter);
    const quadrant = @as(I64s(lanes), @bitCast(shifted)) - splatI(lanes, round_shifter_bits);
    const r = ((a - k_float * splat(lanes, half_pi_hi)) - k_float * splat(lanes, half_pi_mid36)) - k_float * splat(lanes, half_pi_lo);
    var value = fromQuadrant(lanes, want_cos, quadrant, r);
    // sin is odd: computed on |x|, the sign of x goes back on (sin(-0) = -0).
    if (!want_cos) value = @select(f64, wide < splat(lanes, 0), -value, @select(f64, wide == splat(lanes, 0), wide, value));
    const checked = roundChecked(lanes, value);
    var result = fixUnsure(lanes, x, checked.value, @select(bool, small, checked.unsure, @as(@Vector(lanes, bool), @splat(false))), if (want_cos) cosSlow else sinSlow);
    if (!@reduce(.And, small)) {
        inline for (0..lanes) |i| {
            if (!small[i]) result[i] = sinCosLarge(x[i], want_cos);
        }
    }
    return result;
}

/// sin x, correctly rounded, for every float32 (sin(±Inf) = NaN, sin(-0) = -0).
pub fn sin(comptime lanes: comptime_int, x: @Vector(lanes, f32)) @Vector(lanes, f32) {
    return sinCos(lanes, false, x);
}

/// cos x, correctly rounded, for every float32 (cos(±Inf) = NaN).
pub fn cos(comptime lanes: comptime_int, x: @Vector(lanes, f32)) @Vector(lanes, f32) {
    return sinCos(lanes, true, x);
}

/// The scalar float128 evaluations, exposed for tests of the slow path alone.
pub const slow = struct {
    pub const exp = expSlow;
    pub const log = logSlow;
    pub const tanh = tanhSlow;
    pub const sigmoid = sigmoidSlow;
    pub const sin = sinSlow;
    pub const cos = cosSlow;
};

test "spot values" {
    const v: @Vector(4, f32) = .{ 0, 1, -1, 0.5 };
    const e = exp(4, v);
    try std.testing.expectEqual(@as(f32, 1), e[0]);
    try std.testing.expectEqual(@as(f32, 2.7182817), e[1]);
    const l = log(4, @Vector(4, f32){ 1, 2, 0.5, 10 });
    try std.testing.expectEqual(@as(f32, 0), l[0]);
    try std.testing.expectEqual(@as(f32, 0.6931472), l[1]);
    const s = sin(4, @Vector(4, f32){ 0, 1, 1e30, -0.0 });
    try std.testing.expectEqual(@as(f32, 0.84147096), s[1]);
}

test "the float64 path, the float128 path and every vector width agree" {
    // Both paths claim correct rounding, so they must match bit for bit.
    var prng = std.Random.DefaultPrng.init(13);
    const random = prng.random();
    const functions = .{ .{ exp, slow.exp }, .{ log, slow.log }, .{ tanh, slow.tanh }, .{ sigmoid, slow.sigmoid }, .{ sin, slow.sin }, .{ cos, slow.cos } };
    inline for (functions) |pair| {
        for (0..2000) |_| {
            var v: @Vector(16, f32) = undefined;
            inline for (0..16) |i| v[i] = @bitCast(random.int(u32));
            const wide = pair[0](16, v);
            inline for (0..16) |i| {
                const one = pair[0](1, @as(@Vector(1, f32), @splat(v[i])))[0];
                const precise = pair[1](v[i]);
                const w: u32 = @bitCast(wide[i]);
                if (w != @as(u32, @bitCast(one)) or (w != @as(u32, @bitCast(precise)) and precise == precise)) {
                    std.debug.print("x = {e}: 16 lanes {e}, 1 lane {e}, float128 {e}\n", .{ v[i], wide[i], one, precise });
                    return error.PathsDisagree;
                }
            }
        }
    }
}
