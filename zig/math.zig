//! Correctly rounded float32 exp, log, tanh, sigmoid, sin and cos, one SIMD
//! vector at a time, with bit-identical results on every instruction set.
//!
//! The method (the idea CORE-MATH uses for binary32):
//!  1. Widen each float32 lane to float64 and evaluate the function there: a
//!     range reduction and a polynomial. No tables in memory (a lookup costs
//!     a load and an insert per lane); on AVX-512, exp, sigmoid and log read
//!     16-entry tables held in two registers (one vpermi2pd per 8 lanes).
//!     The float64 value is within about 2^-47.6 to 2^-50 (relative) of the
//!     exact result: some 24 bits more than float32 keeps.
//!  2. Round to float32. That is the correctly rounded result unless the exact
//!     value and our float64 value lie on different sides of a float32
//!     rounding boundary. `roundChecked` tests this from the bits the
//!     rounding drops, against a proven error margin (`margin`, 2^-46).
//!  3. The rare lanes that test unsure are recomputed one by one in float128
//!     (113-bit significand, software arithmetic) to ~2^-100, and rounded
//!     from there.
//!  On AVX-512, exp and log first try a float32 tier (expSingle, logSingle:
//!  16 lanes a register, leading terms kept exact as float32 pairs, its own
//!  rounding test); a vector it cannot settle takes the steps above.
//!
//! Why results are identical on every ISA: the fast path may differ between
//! backends (a CPU with FMA fuses `mulAdd`, one without rounds twice), but
//! every error bound below is proven for the worse, unfused case, so the
//! rounding test is sound on both and each result is the correctly rounded
//! value: one value per input, whatever computed it. The float128 slow path
//! is software (compiler-rt) on every target. `bun run accuracy` checks all
//! 2^32 inputs per backend, and the tests compare the backends bit for bit.

const std = @import("std");
const builtin = @import("builtin");

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

/// round(x c) as a float64 and as an integer, by the shifter (|x c| < 2^51).
inline fn roundedProduct(comptime lanes: comptime_int, x: F64s(lanes), comptime c: f64) struct { float: F64s(lanes), int: I64s(lanes) } {
    const shifted = mulAdd(lanes, x, splat(lanes, c), splat(lanes, round_shifter));
    return .{ .float = shifted - splat(lanes, round_shifter), .int = @as(I64s(lanes), @bitCast(shifted)) - splatI(lanes, round_shifter_bits) };
}

/// The float64 error bound every fast path below is proven to stay inside,
/// relative to the result (the analyses at each function give 2^-47.6 for
/// exp and sigmoid's AVX-512 table path, and 2^-48.8 (tanh) to 2^-50 for
/// the rest even without FMA; this leaves a factor of 3 and more).
const margin: f64 = 0x1p-46;

/// A float32 result per lane, and whether the rounding that gave it is unsure.
fn Checked(comptime lanes: comptime_int) type {
    return struct { value: @Vector(lanes, f32), unsure: @Vector(lanes, bool) };
}

/// Rounds float64 `y` to float32 and says per lane whether that rounding is
/// certainly the rounding of the exact value z, |z - y| <= margin |y|.
///
/// A float64 keeps 29 significand bits more than a float32; rounding to
/// float32 drops them (`dropped`), and the only float32 rounding boundaries
/// are the midpoints, where the dropped bits read exactly 2^28. With
/// 2^E <= |y| < 2^(E+1), margin |y| < 2^(E-45) = 2^7 float64 ulps, so z
/// rounds like y unless the dropped bits are within 2^7 of 2^28: two
/// integer operations, where widening y both ways and rounding each end took
/// three float64 -> float32 conversions. That reading holds where float32
/// is normal; near and below 2^-126 (subnormal results) the lanes take the
/// widened test instead. Non-finite y (special values the caller set
/// exactly) drop zeros and never need help.
inline fn roundChecked(comptime lanes: comptime_int, y: F64s(lanes)) Checked(lanes) {
    var checked = roundCheckedNormal(lanes, y);
    // y < 2^-126 rounds to at most 2^-126: testing the float32 value (one
    // compare on all lanes) against 2^-125 catches every such y.
    const subnormal = @abs(checked.value) < @as(@Vector(lanes, f32), @splat(0x1p-125));
    if (@reduce(.Or, subnormal)) {
        const width = @abs(y) * splat(lanes, margin);
        const low: @Vector(lanes, f32) = @floatCast(y - width);
        const high: @Vector(lanes, f32) = @floatCast(y + width);
        checked.unsure = @select(bool, subnormal, low != high, checked.unsure);
    }
    return checked;
}

/// roundChecked for a y known to round to a normal float32 (|y| >= 2^-126
/// certainly): the integer test alone.
inline fn roundCheckedNormal(comptime lanes: comptime_int, y: F64s(lanes)) Checked(lanes) {
    const value: @Vector(lanes, f32) = @floatCast(y);
    // dropped - (2^28 - slack) mod 2^29 lies in [0, 2 slack) exactly when
    // its bits 8..28 are zero (the borrow into bit 29 is masked off): a
    // subtract and a mask test. AVX-512 tests the 64-bit lanes into a mask
    // register directly; elsewhere narrowing to 32-bit lanes first measured
    // 3-6% faster (AVX2 has no 64-bit compare into a mask), while on
    // AVX-512 the narrowing (vpmovqd, two uops) cost 5-9%.
    // The mask looks at bits below 29 only, so on 64-bit lanes the
    // subtraction may run on all of y's bits (one uop fewer than masking the
    // dropped bits out first); the 32-bit lanes keep y's low 32 bits.
    const Bits = @Vector(lanes, if (has_avx512) u64 else u32);
    const slack = 1 << 7;
    const low_bits: Bits = @truncate(@as(@Vector(lanes, u64), @bitCast(y)));
    const offset = low_bits -% @as(Bits, @splat((1 << 28) - slack));
    const window_mask = (1 << 29) - 2 * slack;
    if (comptime has_avx512 and (lanes == 8 or lanes == 16)) {
        // vptestnmq ANDs and tests in one instruction, but LLVM emits the
        // expression below as a vpandq and a vptestnmq of the result with
        // itself: written out, one uop fewer per 8 lanes (exp 3% faster).
        const parts: [lanes / 8]@Vector(8, u64) = @bitCast(offset);
        var masks: [lanes / 8]@Vector(8, bool) = undefined;
        inline for (&masks, parts) |*m, part| m.* = asm ("vptestnmq %[mask], %[part], %[out]"
            : [out] "=k" (-> @Vector(8, bool)),
            : [part] "v" (part),
              [mask] "v" (@as(@Vector(8, u64), @splat(window_mask))),
        );
        const unsure = if (lanes == 8) masks[0] else @shuffle(bool, masks[0], masks[1], [16]i32{ 0, 1, 2, 3, 4, 5, 6, 7, -1, -2, -3, -4, -5, -6, -7, -8 });
        return .{ .value = value, .unsure = unsure };
    }
    const unsure = (offset & @as(Bits, @splat(window_mask))) == @as(Bits, @splat(0));
    return .{ .value = value, .unsure = unsure };
}

/// How many lanes this object's kernels have sent to the float128 slow path
/// (each backend is its own object, so each has its own count). The tests
/// read it through nsimd_math_slow_lanes to check that the rounding test
/// does send the inputs nearest a rounding boundary there: the results
/// alone cannot show it, as the fast path mostly rounds those right anyway.
/// A relaxed atomic add, on a path taken about once in two million lanes.
pub var slow_lanes: std.atomic.Value(u64) = .init(0);

/// Replaces the unsure lanes of `value` with the scalar slow path.
inline fn fixUnsure(comptime lanes: comptime_int, x: @Vector(lanes, f32), value: @Vector(lanes, f32), unsure: @Vector(lanes, bool), comptime slowPath: fn (f32) f32) @Vector(lanes, f32) {
    var result = value;
    // One well-predicted branch per vector: a lane is unsure when its dropped
    // bits fall in a window of 2^8 out of 2^29, about one in two million.
    if (@reduce(.Or, unsure)) {
        inline for (0..lanes) |i| {
            if (unsure[i]) {
                _ = slow_lanes.fetchAdd(1, .monotonic);
                result[i] = slowPath(x[i]);
            }
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
// Arithmetic shared by the fast paths
// ---------------------------------------------------------------------------

/// Whether this object's CPU has AVX-512 (the register tables, and the
/// rounding test on 64-bit lanes). Known at compile time per backend.
const has_avx512 = builtin.cpu.arch == .x86_64 and std.Target.x86.featureSetHas(builtin.cpu.features, .avx512f);

/// Whether this object's CPU fuses a multiply-add in one instruction. Each
/// backend is its own object, so this is known at compile time per backend.
const has_fma = switch (builtin.cpu.arch) {
    .x86_64 => std.Target.x86.featureSetHas(builtin.cpu.features, .fma),
    .aarch64, .aarch64_be => true,
    else => false,
};

/// a * b + c: one instruction and one rounding where the CPU has FMA, a
/// multiply and an add elsewhere (never compiler-rt's software fma: slow, and
/// wrong in Zig 0.16). The error bounds below hold for the unfused case, the
/// worse of the two.
inline fn mulAdd(comptime lanes: comptime_int, a: F64s(lanes), b: F64s(lanes), c: F64s(lanes)) F64s(lanes) {
    return if (has_fma) @mulAdd(F64s(lanes), a, b, c) else a * b + c;
}

/// c[0] + c[1] t + c[2] t^2 + ... by Estrin's scheme: pairs c[i] + c[i+1] t
/// first, then pairs of pairs joined by t^2, t^4, ...
/// Horner's rule (one mulAdd per coefficient, each waiting for the last)
/// made a chain of up to 9 multiply-adds of 4 cycles each, longer than the
/// core can hide behind other vectors; here the chain is about log2(c.len)
/// + 1 long, for one multiply more per doubling. Measured (math_speed, n =
/// 65,536, AMD EPYC Zen 5, lowest of 7 interleaved runs, ns an element):
/// avx512 log 0.476 -> 0.449, tanh 0.587 -> 0.554, sigmoid 0.384 -> 0.376,
/// sin 0.466 -> 0.438, cos 0.506 -> 0.480, exp 0.308 -> 0.322 (medians 0.335
/// -> 0.325: noise); avx2 log 1.025 -> 0.985, tanh 1.439 -> 1.372, sigmoid
/// 1.014 -> 0.931, exp, sin and cos within 2%.
/// Every polynomial here has terms that fall by a factor of 3 or more, so
/// each partial sum's rounding is relative to a value no larger than the
/// whole: the evaluation errs by a few roundings of Q, as Horner's did.
inline fn estrin(comptime lanes: comptime_int, comptime c: []const f64, t: F64s(lanes)) F64s(lanes) {
    // Each level pairs its terms, (even + odd * power), and squares power.
    var level: [c.len]F64s(lanes) = undefined;
    inline for (c, 0..) |coefficient, i| level[i] = splat(lanes, coefficient);
    var power = t;
    comptime var width = c.len;
    inline while (width > 1) {
        const next = (width + 1) / 2;
        inline for (0..next) |i| {
            level[i] = if (2 * i + 1 < width) mulAdd(lanes, level[2 * i + 1], power, level[2 * i]) else level[2 * i];
        }
        width = next;
        if (width > 1) power = power * power;
    }
    return level[0];
}

// ---------------------------------------------------------------------------
// exp core: e^y = 2^k e^r, y = k ln2 + r, |r| <= ln2/2
// ---------------------------------------------------------------------------

const log2e: f64 = 1.4426950408889634;
/// ln2 split so that k * ln2_hi is exact for |k| < 2^17 (36 significant bits).
const ln2_hi: f64 = 0x1.62e42fefap-1;
const ln2_lo: f64 = @floatCast(ln2_q - @as(f128, ln2_hi));

/// 1/n! for n = 2..7 (float64 roundings), the Taylor coefficients of e^r
/// for the table's short r (tableParts). exp and sigmoid stop at r^6
/// (`inverse_factorials[0..5]`), whose truncation r^7/7! < 2^-51 is small
/// beside e^r ~ 1; tanh needs e^r - 1 ~ r itself to 2^-54 and takes r^7 too
/// (r^6/6! relative to r would leave 2^-45.5).
const inverse_factorials = blk: {
    var c: [6]f64 = undefined;
    var f: f64 = 1;
    for (2..8) |n| {
        f *= n;
        c[n - 2] = 1.0 / f;
    }
    break :blk c;
};

/// Q(r) = (e^r - 1 - r)/r^2 on |r| <= ln2/2, lowest degree first: a
/// Chebyshev fit from scripts/math_coefficients.py (mpmath), whose float64
/// polynomial is within 2^-54.3 of e^r - 1. The Taylor coefficients needed one
/// term more for 2^-50.9.
const exp_parts_coefficients = [_]f64{ 0x1.0000000000001p-1, 0x1.5555555555556p-3, 0x1.5555555553d64p-5, 0x1.11111111109b4p-7, 0x1.6c16c1788b646p-10, 0x1.a01a01a7c3d59p-13, 0x1.a019b90eefe8ep-16, 0x1.71de0daf7a6ccp-19, 0x1.2891834686c7ep-22, 0x1.af38a71a18cb9p-26 };

/// e^y = scale (1 + p) for float64 y in [-120, 120]: scale = 2^k exactly and
/// p = e^r - 1. No table: a table in memory would need a lookup per lane (a
/// load and an insert each, which cost more than the polynomial saved; see
/// expValue for AVX-512's register table). Kept apart so tanh can form
/// e^y - 1 without cancellation.
///
/// Error (unfused): k ln2_hi is exact and so is y - k ln2_hi (Sterbenz);
/// k ln2_lo and the subtraction leave r within 2^-53 |r| + 2^-81. The
/// polynomial (exp_parts_coefficients, to r^11) is within 2^-54.3 of e^r - 1 on
/// |r| <= 0.347, and its evaluation (`estrin`; terms falling by 3x and more)
/// errs by ~2^-52 relative to p. So 1 + p is within ~2^-51 of e^r.
inline fn expParts(comptime lanes: comptime_int, y: F64s(lanes)) struct { scale: F64s(lanes), p: F64s(lanes) } {
    const k = roundedProduct(lanes, y, log2e);
    const r = mulAdd(lanes, -k.float, splat(lanes, ln2_lo), mulAdd(lanes, -k.float, splat(lanes, ln2_hi), y));
    const q = estrin(lanes, &exp_parts_coefficients, r);
    return .{ .scale = powerOfTwo(lanes, k.int), .p = mulAdd(lanes, r * r, q, r) };
}

/// 2^(j/16) for j = 0..15, each the float64 rounding of a float128 value
/// (within 2^-53 relative; 2^(1/16) is four float128 square roots of 2),
/// stored as bit patterns less j << 48: expValue adds k << 48 = (16 m + j)
/// << 48 to an entry, which leaves 2^(j/16) 2^m with no masking step.
const exp2_sixteenths = blk: {
    @setEvalBranchQuota(100_000);
    const root: f128 = @sqrt(@sqrt(@sqrt(@sqrt(@as(f128, 2)))));
    var t: [16]f64 = undefined;
    var power: f128 = 1;
    for (&t, 0..) |*entry, j| {
        const rounded: f64 = @floatCast(power);
        entry.* = @bitCast(@as(u64, @bitCast(rounded)) -% (@as(u64, j) << 48));
        power *= root;
    }
    break :blk t;
};

/// AVX-512's two-register permute: lane i gets entry (index[i] & 15) of the
/// 16 float64s held in `low` (0-7) and `high` (8-15), in one instruction.
extern fn @"llvm.x86.avx512.vpermi2var.pd.512"(low: @Vector(8, f64), index: @Vector(8, i64), high: @Vector(8, f64)) @Vector(8, f64);

/// table[index & 15] per lane, from two registers: no memory access.
inline fn lookup16(comptime lanes: comptime_int, comptime table: [16]f64, index: I64s(lanes)) F64s(lanes) {
    const low: @Vector(8, f64) = table[0..8].*;
    const high: @Vector(8, f64) = table[8..16].*;
    const index_parts: [lanes / 8]@Vector(8, i64) = @bitCast(index);
    var parts: [lanes / 8]@Vector(8, f64) = undefined;
    inline for (&parts, index_parts) |*part, i| part.* = @"llvm.x86.avx512.vpermi2var.pd.512"(low, i, high);
    return @bitCast(parts);
}

/// Whether a function may use the 16-entry register tables: AVX-512, and
/// whole 8-lane float64 registers (the kernels' narrower tails do without).
fn useRegisterTables(comptime lanes: comptime_int) bool {
    return has_avx512 and lanes % 8 == 0;
}

/// ln2/16 rounded to float64 (2^-59.26 from the exact value), for the
/// table's reduction: one fused multiply-add, see expValue.
const ln2_16: f64 = @floatCast(ln2_q / 16);

/// e^y for float64 y in [-120, 120], within 2^-47.6 relative: for exp and
/// sigmoid, which need the value. The table's parts on AVX-512 (tableParts),
/// expParts elsewhere.
inline fn expValue(comptime lanes: comptime_int, y: F64s(lanes)) F64s(lanes) {
    const parts = if (comptime useRegisterTables(lanes)) tableParts(lanes, y, inverse_factorials[0..5]) else expParts(lanes, y);
    return mulAdd(lanes, parts.scale, parts.p, parts.scale);
}

/// e^y - 1 for float64 y in [0, 20], for tanh: (scale - 1) + scale p, with
/// no cancellation (see tanh).
///
/// Error of the table path (for y >= 0 the table's k is >= 0): k = 0 leaves
/// scale = 1 exactly and E = p, which the Taylor polynomial to r^7 gives to
/// 2^-53 relative. For k >= 1, E >= e^(ln2/32) - 1, and an error d in scale
/// or in r weighs d e^y / E relative to E: scale's entry is within 2^-53.4
/// at k = 1 (e^y / E <= 46.7: 2^-47.9) and 2^-53 beyond (e^y / E <= 23.3:
/// 2^-48.5), and ln2_16's 2^-59.26 times k <= 462 gives at most 2^-50.4.
/// With the roundings (~2^-51), E is within 2^-47.5 and E / (E + 2) within
/// 2^-47.3, under the margin of 2^-46. (The entries' errors and the ratios
/// were computed with mpmath.)
inline fn expMinusOne(comptime lanes: comptime_int, y: F64s(lanes)) F64s(lanes) {
    const parts = if (comptime useRegisterTables(lanes)) tableParts(lanes, y, &inverse_factorials) else expParts(lanes, y);
    return mulAdd(lanes, parts.scale, parts.p, parts.scale - splat(lanes, 1));
}

/// e^y = scale (1 + p) on AVX-512 (and whole 8-lane halves), with a 16-entry
/// table held in two registers: y = (16 m + j) ln2/16 + r with |r| <=
/// ln2/32, e^y = 2^m 2^(j/16) e^r. vpermi2pd picks 2^(j/16) in one
/// instruction, and the shorter r needs the Taylor polynomial only to r^6 or
/// r^7 where expParts needs a degree-11 fit (10 coefficients): per 8 lanes,
/// four or five fewer FMAs in the polynomial and one in the reduction, for
/// one permute and one integer add. Other ISAs have no variable 16-entry
/// permute, so they keep expParts.
///
/// Error (AVX-512 has FMA): r = fma(-k, ln2_16, y) rounds once, 2^-53 |r|,
/// and ln2_16 itself is 2^-59.26 from ln2/16, which k (|k| <= 2770 for
/// |y| <= 120) multiplies to 2^-47.8: one FMA where the split constant took
/// two. The table entry is within 2^-53 and the polynomial within 2^-51 +
/// 2^-53 |p|; with expValue's final fma, e^y is within about 2^-47.6, a third
/// of the margin.
inline fn tableParts(comptime lanes: comptime_int, y: F64s(lanes), comptime coefficients: []const f64) struct { scale: F64s(lanes), p: F64s(lanes) } {
    const U64s = @Vector(lanes, u64);
    // k = 16 m + j = round(16 y / ln2). The shifter's bits hold k in their
    // low bits: the permute reads bits 0-3 (j), and k << 48 (bits above 15
    // shift out) turns the entry into 2^(j/16) 2^m (see exp2_sixteenths).
    const shifted = mulAdd(lanes, y, splat(lanes, 16 * log2e), splat(lanes, round_shifter));
    const k = shifted - splat(lanes, round_shifter);
    const shifted_bits: U64s = @bitCast(shifted);
    const r = mulAdd(lanes, -k, splat(lanes, ln2_16), y);
    const entry: U64s = @bitCast(lookup16(lanes, exp2_sixteenths, @bitCast(shifted_bits)));
    const scale: F64s(lanes) = @bitCast(entry +% (shifted_bits << @splat(48)));
    return .{ .scale = scale, .p = mulAdd(lanes, r * r, estrin(lanes, coefficients, r), r) };
}

// ---------------------------------------------------------------------------
// exp in float32 arithmetic: 16 lanes per AVX-512 register instead of 8
// ---------------------------------------------------------------------------

/// The tier's one width: 16 float32 lanes, a whole AVX-512 register.
const F32x16 = @Vector(16, f32);
fn splat16(v: f32) F32x16 {
    return @splat(v);
}

/// Whether a function may try the float32 tier first: AVX-512 (FMA, and a
/// 32-entry table in two registers) and whole 16-lane registers.
fn useSingleTier(comptime lanes: comptime_int) bool {
    return has_avx512 and lanes == 16;
}

/// AVX-512's two-register permute on float32: lane i gets entry (index[i] &
/// 31) of the 32 float32s held in `low` (0-15) and `high` (16-31).
extern fn @"llvm.x86.avx512.vpermi2var.ps.512"(low: @Vector(16, f32), index: @Vector(16, i32), high: @Vector(16, f32)) @Vector(16, f32);

/// table[index & 31] per lane, from two registers: no memory access.
inline fn lookup32(comptime table: [32]f32, index: @Vector(16, u32)) @Vector(16, f32) {
    const low: @Vector(16, f32) = table[0..16].*;
    const high: @Vector(16, f32) = table[16..32].*;
    return @"llvm.x86.avx512.vpermi2var.ps.512"(low, @bitCast(index), high);
}

/// 2^(j/32) for j = 0..31 as a float32 pair: `high` is its float32 rounding
/// and `low` the float32 rounding of what that leaves out, so high + low is
/// within 2^-48 relative (2^(1/32) is five float128 square roots of 2).
const exp2_32nds = blk: {
    @setEvalBranchQuota(100_000);
    const root: f128 = @sqrt(@sqrt(@sqrt(@sqrt(@sqrt(@as(f128, 2))))));
    var high: [32]f32 = undefined;
    var low: [32]f32 = undefined;
    var power: f128 = 1;
    for (0..32) |j| {
        high[j] = @floatCast(power);
        low[j] = @floatCast(power - @as(f128, high[j]));
        power *= root;
    }
    break :blk .{ .high = high, .low = low };
};

/// ln2/32 in two float32 parts. k ln2_32_high is exact in the fma below (see
/// expSingle); ln2_32_low is the float32 rounding of the rest (together
/// within 2^-52.8 of ln2/32).
const ln2_32_high: f32 = @floatCast(ln2_q / 32);
const ln2_32_low: f32 = @floatCast(ln2_q / 32 - @as(f128, ln2_32_high));

/// Q(r) = (e^r - 1 - r)/r^2 on |r| <= ln2/64 (+ 2^-10 of it), lowest degree
/// first, float32: a Chebyshev fit (scripts/math_coefficients.py,
/// "exp_single"), within 2^-41.5 of e^r in r^2 Q(r).
const exp_single_coefficients = [_]f32{ 0x1p-1, 0x1.5555b8p-3, 0x1.555598p-5 };

/// How far y_high + y_low may be moved before rounding it could change the
/// result: expSingle's analysis bounds its error by 2^-34.07, and the test's
/// own roundings add 2^-37; this keeps a factor of 1.8 over both (the
/// largest error measured on all 2^32 inputs was 2^-34.78).
const exp_single_slack: f32 = 0x1p-33;

/// e^x on 16 float32 lanes in float32 arithmetic, |x| < 87 and no NaN, and
/// whether each lane's rounding is sure. Twice the lanes per instruction of
/// the float64 path for a similar count of instructions: the leading terms
/// stay exact as a pair of float32s (an fma gives a product's or a sum's
/// rounding error exactly), and only terms below 2^-13 of the result are
/// rounded.
///
/// The method: x = k ln2/32 + r with k = 32 m + j, |r| <= ln2/64, and e^x =
/// 2^m 2^(j/32) e^r = 2^m T (1 + r + r^2 Q(r)), T = T_high + T_low from two
/// register tables (vpermi2ps). With r = r_high + r_low, T (1 + r + r^2 Q)
/// is T_high + T_high r_high (kept exact as y_high + residual) plus the
/// small terms T_high s + T_low (1 + r_high), s = r^2 Q + r_low, rounded:
/// y = y_high + y_low. y is rounded to float32 twice, with y_low moved down
/// and up by the slack: if both agree, so does the exact e^x / 2^m
/// (rounding is monotone), and scaling by 2^m is exact (e^x is normal).
///
/// Error of y (in [0.98, 1.98]), absolute, every rounding at most 2^-24 of
/// its value:
///  - r_high = fma(-k, ln2_32_high, x) is exact: k ln2_32_high is a
///    multiple of 2^-29 (ln2_32_high's ulp), so is x wherever |x| >= 2^-6
///    (for smaller x, k is 0, or +-1 with x a multiple of 2^-30), and the
///    difference is below 2^-6: 24 bits at most.
///  - r_low = -k ln2_32_low (|k| <= 4017 for |x| < 87, |ln2_32_low| <
///    2^-33.9, |r_low| < 2^-21.99) is within 2^-45.2 of -k (ln2/32 -
///    ln2_32_high): its rounding, and k times ln2_32_low's own 2^-58.3.
///  - r = r_high + r_low rounds by 2^-31, which moves r^2 Q by 2^-37.5.
///  - The fit: 2^-41.5. T_low's rounding: 2^-49.
///  - r^2, Q's two fmas and s each round by 2^-38.05 (r^2 Q <= 2^-14.05).
///  - T_low (r_low + r^2 Q), left out: 2^-38.04. The fma T_low (1 + r_high)
///    and the residual (<= 2^-24) round by 2^-48 and 2^-49.
///  - The fma with T_high and the add of the residual round by 2^-37 each
///    (y_low < 2^-13). T_high <= 1.96 scales all but these two.
///  In all under 2^-34.07 (worst case of every rounding at once; the largest
///  error measured on all inputs was 2^-34.78). A lane is unsure about once
///  in 2^9 on ordinary data (3.1% of 16-lane vectors of uniform inputs in
///  [-1, 1], [-10, 10] or [-87, 87]); counted over all float32 inputs below
///  87 in size, most of them tiny and far from any boundary, once in 2^10.6
///  (0.46% of vectors).
inline fn expSingle(x: @Vector(16, f32)) Checked(16) {
    const V = F32x16;
    const U32s = @Vector(16, u32);
    // k = round(32 x / ln2) by the shifter 1.5 * 2^23 (|32 x / ln2| < 2^22):
    // the low 5 bits of the sum's bits are j, the rest above them m.
    const shifter: f32 = 0x1.8p23;
    const shifted = @mulAdd(V, x, splat16(@floatCast(32 / ln2_q)), splat16(shifter));
    const k = shifted - splat16(shifter);
    const shifted_bits: U32s = @bitCast(shifted);
    const r_high = @mulAdd(V, -k, splat16(ln2_32_high), x);
    const r_low = k * splat16(-ln2_32_low);
    const t_high = lookup32(exp2_32nds.high, shifted_bits);
    const t_low = lookup32(exp2_32nds.low, shifted_bits);
    // The polynomial takes r = r_high + r_low rounded (r_low matters there
    // through r^2 Q too: 2 r r_low Q is up to 2^-28.5 at |x| near 87).
    const c = exp_single_coefficients;
    const r = r_high + r_low;
    const r2 = r * r;
    const q = @mulAdd(V, r2, splat16(c[2]), @mulAdd(V, r, splat16(c[1]), splat16(c[0])));
    const s = @mulAdd(V, r2, q, r_low);
    // y_high is T_high + T_high r_high rounded, and `residual` what that
    // rounding left out (t_high - y_high is exact, and the fma rounds only
    // the residual itself, at most 2^-24).
    const y_high = @mulAdd(V, t_high, r_high, t_high);
    const residual = @mulAdd(V, t_high, r_high, t_high - y_high);
    const y_low = @mulAdd(V, t_high, s, @mulAdd(V, t_low, r_high, t_low)) + residual;
    const below = y_high + (y_low - splat16(exp_single_slack));
    const above = y_high + (y_low + splat16(exp_single_slack));
    // 2^m: m << 23 added to the exponent field (the result is normal).
    const scale_bits = (shifted_bits >> @splat(5)) << @splat(23);
    return .{ .value = @bitCast(@as(U32s, @bitCast(below)) +% scale_bits), .unsure = below != above };
}

/// Whether every lane lies strictly inside (-limit, limit); a NaN lane does
/// not. The common case of exp and sigmoid: one compare per 16 lanes and a
/// well-predicted branch, in place of clamps, a subnormal test and a NaN
/// select (measured: exp 0.57 -> 0.43 ns an element on AVX-512, 1.19 ->
/// 0.84 on AVX2; sigmoid 0.80 -> 0.69 and 1.47 -> 1.04). The same for tanh
/// (2^-124 <= |x| < 9) measured no faster, so tanh has none.
inline fn allWithin(comptime lanes: comptime_int, x: @Vector(lanes, f32), comptime limit: f32) bool {
    return @reduce(.And, @abs(x) < @as(@Vector(lanes, f32), @splat(limit)));
}

inline fn isNan(comptime lanes: comptime_int, x: @Vector(lanes, f32)) @Vector(lanes, bool) {
    return x != x;
}

/// `value` with its sign flipped where `x` is negative. The odd functions
/// are computed on |x| and rounded (rounding is symmetric about 0), then
/// signed: one XOR on the float32 lanes, and -0 stays -0.
inline fn withSignOf(comptime lanes: comptime_int, x: @Vector(lanes, f32), value: @Vector(lanes, f32)) @Vector(lanes, f32) {
    const U32s = @Vector(lanes, u32);
    const sign = @as(U32s, @bitCast(x)) & @as(U32s, @splat(0x8000_0000));
    return @bitCast(@as(U32s, @bitCast(value)) ^ sign);
}

/// e^x, correctly rounded. exp(-Inf) = 0, exp(+Inf) = +Inf, NaN stays NaN.
pub fn exp(comptime lanes: comptime_int, x: @Vector(lanes, f32)) @Vector(lanes, f32) {
    if (allWithin(lanes, x, 87)) {
        // e^x for |x| < 87 is a normal float32 (e^-87 > 2^-126, e^87 <
        // 2^128) and no lane is NaN: no clamps, no subnormal test, no NaN
        // select. With AVX-512 the float32 tier goes first; a vector with an
        // unsure lane (about 3% of vectors on ordinary data) is redone in
        // float64.
        if (comptime useSingleTier(lanes)) {
            const single = expSingle(x);
            if (!@reduce(.Or, single.unsure)) return single.value;
        }
        const checked = roundCheckedNormal(lanes, expValue(lanes, @floatCast(x)));
        return fixUnsure(lanes, x, checked.value, checked.unsure, expSlow);
    }
    // e^100 overflows float32 and e^-110 rounds to 0, and both are normal
    // float64s: clamping keeps every later step in range. (@max/@min turn
    // NaN into the bound; NaN is put back at the end.) Clamping the float32
    // lanes before widening, one instruction per 16 lanes instead of per 8,
    // measured 3-13% slower (exp and sigmoid, AVX-512): not done.
    const wide: F64s(lanes) = @floatCast(x);
    const y = @max(@min(wide, splat(lanes, 100)), splat(lanes, -110));
    const checked = roundChecked(lanes, expValue(lanes, y));
    return @select(f32, isNan(lanes, x), x, fixUnsure(lanes, x, checked.value, checked.unsure, expSlow));
}

/// 1 / (1 + e^-x), correctly rounded. 1 + e^-x has no cancellation (e^-x > 0),
/// so the relative error stays that of e^-x plus two roundings.
pub fn sigmoid(comptime lanes: comptime_int, x: @Vector(lanes, f32)) @Vector(lanes, f32) {
    if (allWithin(lanes, x, 87)) {
        // As in exp: 1/(1 + e^-x) > e^-87 > 2^-126 is normal, no lane is NaN.
        const checked = roundCheckedNormal(lanes, splat(lanes, 1) / (expValue(lanes, -@as(F64s(lanes), @floatCast(x))) + splat(lanes, 1)));
        return fixUnsure(lanes, x, checked.value, checked.unsure, sigmoidSlow);
    }
    const wide: F64s(lanes) = @floatCast(x);
    const y = @max(@min(-wide, splat(lanes, 120)), splat(lanes, -120));
    const checked = roundChecked(lanes, splat(lanes, 1) / (expValue(lanes, y) + splat(lanes, 1)));
    return @select(f32, isNan(lanes, x), x, fixUnsure(lanes, x, checked.value, checked.unsure, sigmoidSlow));
}

/// tanh x, correctly rounded, from e^(2|x|) - 1 = E: tanh|x| = E / (E + 2).
/// E is formed as (scale - 1) + scale p: for |x| < 0.17 scale is 1 and E = p
/// (no cancellation); otherwise scale - 1 is exact and E >= 0.41, within
/// 1/0.29 of scale (1 + p), so E keeps ~2^-49 relative accuracy.
pub fn tanh(comptime lanes: comptime_int, x: @Vector(lanes, f32)) @Vector(lanes, f32) {
    const ax = @abs(x);
    // The common vector: every lane below 10 in size and none NaN, which
    // skips the clamp and the NaN select. (One lane at a time, in the
    // scalar backend's ReleaseSmall build, the branch made tanh 3x slower:
    // that build keeps the plain code.)
    if (lanes > 1 and allWithin(lanes, x, 10)) {
        const checked = roundChecked(lanes, tanhOfMagnitude(lanes, @floatCast(ax)));
        return withSignOf(lanes, x, fixUnsure(lanes, ax, checked.value, checked.unsure, tanhSlow));
    }
    // tanh rounds to 1 from |x| = 9.02 on; 10 keeps 1 - tanh far from a
    // rounding boundary.
    const a = @min(@as(F64s(lanes), @floatCast(ax)), splat(lanes, 10));
    const checked = roundChecked(lanes, tanhOfMagnitude(lanes, a));
    const magnitude = fixUnsure(lanes, ax, checked.value, checked.unsure, tanhSlow);
    return @select(f32, isNan(lanes, x), x, withSignOf(lanes, x, magnitude));
}

inline fn tanhOfMagnitude(comptime lanes: comptime_int, a: F64s(lanes)) F64s(lanes) {
    // A true division. vrcp14pd's estimate and two Newton steps in its
    // place (within 2^-51.9 of the quotient) measured slower on an AMD EPYC
    // Zen 5, zig/math_speed.zig, avx512, four interleaved pairs: tanh
    // 0.62-0.65 -> 0.77-0.81 ns an element, sigmoid 0.46-0.49 -> 0.53-0.56.
    const em1 = expMinusOne(lanes, a + a);
    return em1 / (em1 + splat(lanes, 2));
}

// ---------------------------------------------------------------------------
// log core: x = 2^e m, m in [sqrt(1/2), sqrt 2), ln m = 2 atanh((m-1)/(m+1))
// ---------------------------------------------------------------------------

/// ln m = 2 atanh s = 2s + s^3 Q(s^2), Q near 2/3 + z (2/5 + z (2/7 + ...)),
/// on |s| <= 0.172, lowest degree first: a Chebyshev fit from
/// scripts/math_coefficients.py, within 2^-57.5 of ln m. The series needed two
/// terms more (to s^19).
const atanh_coefficients = [_]f64{ 0x1.5555555555558p-1, 0x1.99999999950b5p-2, 0x1.2492492e2ed09p-2, 0x1.c71c629739a16p-3, 0x1.7462cae405989p-3, 0x1.39fb7f933c60ep-3, 0x1.2b7bc779587e1p-3 };

const sqrt_half_bits: i64 = 0x3FE6A09E667F3BCD;

/// For log on AVX-512: m in [sqrt(1/2), sqrt 2) falls in one of 16
/// intervals, picked by bits 48-51 of m's bits minus sqrt(1/2)'s (1/32 wide
/// in m below 1, 1/16 above). Per interval, `inverse` is 1/c for its
/// midpoint c, rounded to 19 fractional bits so that m * inverse (24 bits
/// times 20) is exact, and `log_c` is -ln(inverse) (float128, rounded).
/// The interval holding 1 gets exactly 1 and 0, so ln x near 1 has no table
/// error to cancel against.
const log_table = blk: {
    @setEvalBranchQuota(1_000_000);
    var inverse: [16]f64 = undefined;
    var log_c: [16]f64 = undefined;
    for (0..16) |j| {
        const low: f64 = @bitCast(sqrt_half_bits + (j << 48));
        const high: f64 = @bitCast(sqrt_half_bits + ((j + 1) << 48));
        if (low <= 1 and 1 < high) {
            inverse[j] = 1;
            log_c[j] = 0;
        } else {
            inverse[j] = @round(2 / (low + high) * 0x1p19) * 0x1p-19;
            log_c[j] = @floatCast(-logQ(inverse[j]));
        }
    }
    break :blk .{ .inverse = inverse, .log_c = log_c };
};

/// Q(r) = (ln(1 + r) - r)/r^2 on |r| <= 0.0393, lowest degree first (near
/// -1/2, 1/3, -1/4, ...): a Chebyshev fit from scripts/math_coefficients.py,
/// within 2^-52.2 of ln(1 + r). The Taylor series needed one term more.
const log1p_table_coefficients = [_]f64{ -0x1.fffffffffffb0p-2, 0x1.555555555550cp-2, -0x1.00000001961f2p-2, 0x1.9999999c7c083p-3, -0x1.55552d382113dp-3, 0x1.249224ac992d2p-3, -0x1.00a23d132d128p-3, 0x1.c8436e84727b2p-4 };

/// ln m for m in [sqrt(1/2), sqrt 2) from its bits' offset t = bits(m) -
/// bits(sqrt(1/2)), on AVX-512: ln m = ln c + ln(1 + r), r = m/c - 1, with
/// no division (the atanh form's vdivpd is the slowest instruction there).
///
/// Error (AVX-512 has FMA): r = fma(m, inverse, -1) is exact (m inverse has
/// at most 44 bits, and r is a multiple of 2^-43 below 2^-4). |r| <= 0.0393
/// (the interval holding 1 reaches m = 1.0392), where the polynomial to r^9
/// is within 2^-52.2 of ln(1 + r); its evaluation adds ~2^-53. Where
/// ln c != 0, |ln c| <= 2.4 |ln m| (the intervals next to 1 are the worst),
/// so its rounding and the sum's add < 2^-51: ~2^-50.2 in all.
inline fn logOfMantissaTable(comptime lanes: comptime_int, m: F64s(lanes), t: I64s(lanes)) F64s(lanes) {
    // The permutes read bits 0-3 of the index: bits 48-51 of t.
    const index = t >> shiftBy(lanes, 48);
    const r = mulAdd(lanes, m, lookup16(lanes, log_table.inverse, index), splat(lanes, -1));
    return lookup16(lanes, log_table.log_c, index) + mulAdd(lanes, r * r, estrin(lanes, &log1p_table_coefficients, r), r);
}

/// ln x, correctly rounded. log(0) = -Inf, log(x < 0) = NaN, log(+Inf) = +Inf.
///
/// Without AVX-512 (or in the narrower tails), no table: a table in memory
/// needs a load and an insert per lane, which cost more than the polynomial
/// saved. s = (m - 1)/(m + 1) lies in [-0.172, 0.172], where the atanh
/// series gains 5 bits a term. With AVX-512, logOfMantissaTable.
///
/// Error (unfused): m - 1 and m + 1 are exact (m has 24 significant bits) and
/// the division rounds once, so s is within 2^-53 relative. The polynomial
/// (to s^15) is within 2^-57.5 relative, and its higher terms are <1% of 2s, so ln m keeps ~2^-51. e ln2_hi is exact;
/// |ln m| <= |ln x| whenever e != 0 (ln x >= ln sqrt 2 >= |ln m|), so the
/// sum adds only its roundings: ~2^-50 in all.
pub fn log(comptime lanes: comptime_int, x: @Vector(lanes, f32)) @Vector(lanes, f32) {
    // The common vector: every lane positive and finite (subnormals
    // included), tested as bits - 1 < bits(+Inf) - 1 unsigned: one
    // subtraction and one compare, and no selects before or after.
    // Measured (zig/math_speed.zig, Intel Xeon, ns an element): avx512
    // 0.740 -> 0.712, avx2 1.395 -> 1.01, sse 2.91 -> 2.47.
    const U32s = @Vector(lanes, u32);
    const below_inf = @as(U32s, @bitCast(x)) -% @as(U32s, @splat(1)) < @as(U32s, @splat(0x7F80_0000 - 1));
    if (@reduce(.And, below_inf)) {
        // With AVX-512 the float32 tier goes first, for normal inputs (it
        // reads the exponent from the float32 bits); a vector with an
        // unsure lane is redone in float64.
        if (comptime useSingleTier(lanes)) {
            if (@reduce(.And, x >= @as(@Vector(lanes, f32), @splat(0x1p-126)))) {
                const single = logSingle(x);
                if (!@reduce(.Or, single.unsure)) return single.value;
            }
        }
        const checked = roundCheckedNormal(lanes, logOfPositive(lanes, @floatCast(x)));
        return fixUnsure(lanes, x, checked.value, checked.unsure, logSlow);
    }
    // Lanes holding 0, negatives, Inf or NaN get their results from the
    // selects at the end; computing them on 1.0 meanwhile keeps every step
    // finite (and ln 1 = 0 never needs the slow path).
    const zero: @Vector(lanes, f32) = @splat(0);
    const inf: @Vector(lanes, f32) = @splat(std.math.inf(f32));
    const ordinary = (x > zero) & (x < inf);
    const input = @select(f64, ordinary, @as(F64s(lanes), @floatCast(x)), splat(lanes, 1));
    const checked = roundCheckedNormal(lanes, logOfPositive(lanes, input));
    const result = fixUnsure(lanes, x, checked.value, checked.unsure, logSlow);
    // ln 0 = -Inf, ln of a negative is NaN; +Inf and NaN are their own logs.
    const special = @select(f32, x == zero, -inf, @select(f32, x < zero, @as(@Vector(lanes, f32), @splat(std.math.nan(f32))), x));
    return @select(f32, ordinary, result, special);
}

/// ln x in float64 for x a positive finite float32 (widened): within
/// ~2^-50 relative (see log), and never subnormal: ln x is 0 exactly (x = 1,
/// which drops only zero bits and is never unsure) or at least 2^-25 in
/// magnitude, so the caller's rounding test is roundCheckedNormal.
inline fn logOfPositive(comptime lanes: comptime_int, input: F64s(lanes)) F64s(lanes) {
    // Every float32, subnormals included, is a normal float64: read e and m
    // from the float64 bits. Subtracting sqrt(1/2)'s bits first moves the
    // exponent step from m = 1 to m = sqrt(2).
    const bits: I64s(lanes) = @bitCast(input);
    const t = bits - splatI(lanes, sqrt_half_bits);
    const e = t >> shiftBy(lanes, 52);
    const m: F64s(lanes) = @bitCast(bits - (e << shiftBy(lanes, 52)));
    const log_m = if (comptime useRegisterTables(lanes)) logOfMantissaTable(lanes, m, t) else blk: {
        const s = (m - splat(lanes, 1)) / (m + splat(lanes, 1));
        const z = s * s;
        break :blk mulAdd(lanes, s * z, estrin(lanes, &atanh_coefficients, z), s + s);
    };
    // e (|e| < 200) to float64 by the shifter trick: SSE2 and AVX2 have no
    // int64 -> float64 conversion, and the scalarised one costs ~2 ns a lane.
    const e_float = @as(F64s(lanes), @bitCast(e + splatI(lanes, round_shifter_bits))) - splat(lanes, round_shifter);
    return mulAdd(lanes, e_float, splat(lanes, ln2_lo), mulAdd(lanes, e_float, splat(lanes, ln2_hi), log_m));
}

// ---------------------------------------------------------------------------
// log in float32 arithmetic: 16 lanes per AVX-512 register instead of 8
// ---------------------------------------------------------------------------

/// sqrt(1/2) rounded to float32, as bits (as sqrt_half_bits for float64).
const sqrt_half_f32_bits: i32 = 0x3F3504F3;

/// For logSingle: m in [sqrt(1/2), sqrt 2) falls in one of 32 intervals, by
/// bits 18-22 of bits(m) - bits(sqrt(1/2)) (1/64 wide below 1, 1/32 above).
/// Per interval, `inverse` is 1/c for its midpoint c rounded to float32, and
/// ln c = -ln(inverse) a float32 pair (`log_c_high` + `log_c_low`, within
/// 2^-48 relative). The interval holding 1 ([0.9884, 1.0080)) gets exactly
/// 1 and 0, so ln x near 1 is ln(1 + r) with nothing to cancel against.
const log_single_table = blk: {
    @setEvalBranchQuota(1_000_000);
    var inverse: [32]f32 = undefined;
    var log_c_high: [32]f32 = undefined;
    var log_c_low: [32]f32 = undefined;
    for (0..32) |j| {
        const low: f32 = @bitCast(@as(i32, sqrt_half_f32_bits + (j << 18)));
        const high: f32 = @bitCast(@as(i32, sqrt_half_f32_bits + ((j + 1) << 18)));
        if (low <= 1 and 1 < high) {
            inverse[j] = 1;
            log_c_high[j] = 0;
            log_c_low[j] = 0;
        } else {
            inverse[j] = @floatCast(2 / (@as(f128, low) + @as(f128, high)));
            const log_c = -logQ(inverse[j]);
            log_c_high[j] = @floatCast(log_c);
            log_c_low[j] = @floatCast(log_c - @as(f128, log_c_high[j]));
        }
    }
    break :blk .{ .inverse = inverse, .log_c_high = log_c_high, .log_c_low = log_c_low };
};

/// ln 2 in two float32 parts: the high part is ln 2 rounded to a multiple
/// of 2^-16 (at most 16 significant bits), so e ln2_single_high is exact for
/// every exponent of a normal float32 (-126 <= e <= 128, 8 bits); the low
/// part is the float32 rounding of the rest (together within 2^-44 of ln 2).
const ln2_single_high: f32 = @floatCast(@round(ln2_q * 0x1p16) * 0x1p-16);
const ln2_single_low: f32 = @floatCast(ln2_q - @as(f128, ln2_single_high));

/// P(r) = (ln(1 + r) - r + r^2/2) / r^3 ~ 1/3 - r/4 + r^2/5 - r^3/6
/// (Taylor), lowest degree first. The first term left out of ln(1 + r),
/// r^7/7, is below 2^-45 for |r| <= 0.0153: 2^-38 of the smallest |ln x|
/// it meets (0.0078), and 2^-41.3 of ln x ~ r in the interval holding 1.
const log_single_coefficients = [_]f32{ 1.0 / 3.0, -1.0 / 4.0, 1.0 / 5.0, -1.0 / 6.0 };

/// How far the rounding test moves y_low, relative to the result (see
/// logSingle's bound): 2^-33 |s3|, and |s3| >= 2^-24 unless it is 0.
const log_single_slack_exponent = 33;

/// ln x on 16 float32 lanes in float32 arithmetic, for x positive, normal
/// and finite, and whether each lane's rounding is sure. As expSingle: the
/// leading terms are kept exact as sums of float32s, and only the small ones
/// are rounded.
///
/// The method: x = 2^e m, m in [sqrt(1/2), sqrt 2), and with the table's c
/// and 1/c, ln x = e ln2 + ln c + ln(1 + r), r = m/c - 1, |r| < 2^-6.
/// ln(1 + r) = r - r^2/2 + r^3 P(r). The exact parts:
///  - m inverse = p_high + r_low (an fma gives the product's rounding
///    error exactly), and r_high = p_high - 1 is exact (Sterbenz): r =
///    r_high + r_low with |r_low| <= 2^-24 (0 in the interval holding 1).
///  - e ln2_single_high is exact; s1 = that + ln c_high, s2 = s1 + r_high and
///    s3 = s2 - r_high^2/2 are each Fast2Sums (3 operations, the error of
///    the add exactly), valid because the first operand's exponent is never
///    below the second's: |e ln2| >= 0.69 > |ln c| when e != 0; for e = 0,
///    |ln c| >= 0.0196 > |r| outside the interval holding 1 (where s1 = 0);
///    |s2| >= 0.0078 or s2 = r >= r^2/2 against r^2/2 <= 2^-13.
///  - r_high^2 = q_high + q_low exactly (fma).
/// y_low collects, rounded: the three adds' errors, e ln2_single_low,
/// ln c_low, -q_low/2, r_low's share r_low / (1 + r) (to its r^3 term) and
/// r_high^3 P(r_high).
///
/// Error, relative to ln x (rounding: 2^-24 of each value):
///  - r^3 P: r_high^3 (two roundings), P (coefficients and Horner) and its
///    fma: about 4.3 roundings of at most |r|^3/3 <= 2^-19.6 (|r| <=
///    0.0153), 2^-41.6 absolute; |ln x| >= 0.0078 there (x in the intervals
///    next to the one holding 1): 2^-34.6. Inside the interval holding 1,
///    |r| <= 0.0117 and ln x ~ r: 2^-36.4. With e != 0, |ln x| >= 0.34:
///    2^-40.
///  - P's truncation: 2^-38 where |ln x| is 0.0078 (log_single_coefficients).
///  - The other terms of y_low (up to 2^-17.4 of |ln x|, from r_low's share
///    near x = 1.008 and e ln2_single_low at e = +-1): their roundings add
///    under 2^-39.
///  - ln2's parts 2^-44 relative, ln c's pair 2^-49; r_low's share leaves
///    out r_low r^4 and (r_low/(1 + r))^2/2, under 2^-48 absolute (2^-41
///    of ln x).
///  - The test's own roundings (y_low -/+ width, |y_low| <= 2^-12.7 |s3|):
///    2^-36.7.
///  In all about 2^-34.1 where |ln x| is smallest (x near 1.008 and
///  0.988), under 2^-35.5 elsewhere; the slack 2^-33 keeps a factor of 2.2.
///  Measured over all 2^31 positive normal inputs: at most 2^-35.52 (x =
///  1.0080153). A lane is unsure once in 2^8.5 (4.4% of 16-lane vectors,
///  on all inputs and on ordinary data alike).
inline fn logSingle(x: F32x16) Checked(16) {
    const V = F32x16;
    const I32s = @Vector(16, i32);
    const bits: I32s = @bitCast(x);
    const t = bits - @as(I32s, @splat(sqrt_half_f32_bits));
    const e = t >> @splat(23);
    const m: V = @bitCast(bits - (e << @splat(23)));
    // The permutes read bits 0-4 of the index: bits 18-22 of t.
    const index: @Vector(16, u32) = @bitCast(t >> @splat(18));
    const inverse = lookup32(log_single_table.inverse, index);
    const log_c_high = lookup32(log_single_table.log_c_high, index);
    const log_c_low = lookup32(log_single_table.log_c_low, index);
    const p_high = m * inverse;
    const r_low = @mulAdd(V, m, inverse, -p_high);
    const r_high = p_high - splat16(1);
    const e_float: V = @floatFromInt(e);
    // The leading sum, kept exact as s3 plus the three errors.
    const e_ln2 = e_float * splat16(ln2_single_high);
    const s1 = e_ln2 + log_c_high;
    const err1 = log_c_high - (s1 - e_ln2);
    const s2 = s1 + r_high;
    const err2 = r_high - (s2 - s1);
    const q_high = r_high * r_high;
    const q_low = @mulAdd(V, r_high, r_high, -q_high);
    const half_square = q_high * splat16(-0.5);
    const s3 = s2 + half_square;
    const err3 = half_square - (s3 - s2);
    // r_low's share of ln(1 + r): r_low / (1 + r_high) to first order in
    // r_low, = r_low (1 - r_high)(1 + r_high^2) up to r_low r^4 < 2^-48.
    const one_minus_r = splat16(1) - r_high;
    const share = @mulAdd(V, q_high, one_minus_r, one_minus_r);
    const c = log_single_coefficients;
    var p = splat16(c[c.len - 1]);
    inline for (1..c.len) |k| p = @mulAdd(V, p, r_high, splat16(c[c.len - 1 - k]));
    var small = @mulAdd(V, e_float, splat16(ln2_single_low), log_c_low);
    small = ((small + err1) + err2) + err3;
    small = @mulAdd(V, q_low, splat16(-0.5), small);
    small = @mulAdd(V, r_low, share, small);
    const y_low = @mulAdd(V, q_high * r_high, p, small);
    // The slack relative to |s3| by exponent arithmetic: |s3| 2^-33 is its
    // bits minus 33 << 23 (integer operations, off the multipliers' ports)
    // for every |s3| >= 2^-93; the smallest nonzero |s3| is 2^-24 (x = 1 -
    // 2^-24), and s3 = 0 (x = 1, everything exact) clamps to 0.
    const U32s = @Vector(16, u32);
    const magnitude_bits = @as(I32s, @bitCast(@as(U32s, @bitCast(s3)) & @as(U32s, @splat(0x7FFF_FFFF))));
    const width_bits: I32s = @max(magnitude_bits - @as(I32s, @splat(log_single_slack_exponent << 23)), @as(I32s, @splat(0)));
    const width: V = @bitCast(width_bits);
    const below = s3 + (y_low - width);
    const above = s3 + (y_low + width);
    return .{ .value = below, .unsure = below != above };
}

// ---------------------------------------------------------------------------
// sin / cos
// ---------------------------------------------------------------------------

/// Above this |x| the vector Cody–Waite reduction is not exact enough and the
/// lane takes the integer Payne–Hanek path (scalar, ~tens of ns).
const cody_waite_limit: f64 = 0x1p17;
/// 1/pi, and pi in three parts: hi and mid keep 36 bits each so that
/// m * part is exact for |m| < 2^17 (m = k or k - 1/2, k < 2^16: see
/// reducedSinCos); lo is the float64 rounding of the rest. Together they
/// carry pi to ~2^-124. (Twice pi/2's parts: doubling is exact.)
const inverse_pi: f64 = @floatCast(1 / pi_q);
const pi_q: f128 = 2 * half_pi_q;
const pi_hi: f64 = 2 * half_pi_hi;
const half_pi_hi: f64 = 0x1.921fb54440000p0;
const half_pi_mid: f64 = @floatCast(half_pi_q - @as(f128, half_pi_hi));
const pi_mid36: f64 = 2 * @as(f64, @bitCast(@as(u64, @bitCast(half_pi_mid)) & ~@as(u64, (1 << 17) - 1)));
const pi_lo: f64 = @floatCast(pi_q - @as(f128, pi_hi) - @as(f128, pi_mid36));
/// pi in two parts for CPUs with FMA: pi_53 is pi rounded to float64,
/// pi_rest the float64 rounding of what it leaves out (~2^-106 from it).
/// See reducedSinCos.
const pi_53: f64 = @floatCast(pi_q);
const pi_rest: f64 = @floatCast(pi_q - @as(f128, pi_53));
/// pi/2 rounded to float64, for the large path's last step (sinCosLarge).
const half_pi_53: f64 = @floatCast(half_pi_q);
/// pi/2 * 2^-128: turns the reduction's i128 fraction into radians.
const half_pi_scaled: f64 = @floatCast(half_pi_q * 0x1p-128);

/// Q(z) with sin r = r + r^3 Q(r^2) on |r| <= pi/2 (+ 2^-30), lowest degree
/// first (near -1/3!, 1/5!, ...): a Chebyshev fit from
/// scripts/math_coefficients.py, eight coefficients, within 2^-54.6 of sin r
/// (relative). sin and cos both end in it: on |r| <= pi/4 they took a sine
/// and a cosine polynomial of six coefficients each, both evaluated for
/// every lane and one selected.
const sin_coefficients = [_]f64{ -0x1.5555555555555p-3, 0x1.1111111111107p-7, -0x1.a01a01a018aadp-13, 0x1.71de3a5456716p-19, -0x1.ae6455a1d7086p-26, 0x1.6124015b5eddfp-33, -0x1.ae5138c11f9acp-41, 0x1.89a4866f18958p-49 };

/// (-1)^k sin r for |r| <= pi/2 (+ 2^-30): a polynomial in r^2, then k's parity
/// flips the float64 sign bit. Error ~2^-51.5 relative: the fit's 2^-54.6,
/// the evaluation (the r^3 Q term is at most 0.37 of r) and the last add.
inline fn signedSin(comptime lanes: comptime_int, r: F64s(lanes), k: I64s(lanes)) F64s(lanes) {
    const U64s = @Vector(lanes, u64);
    const z = r * r;
    const value = mulAdd(lanes, r * z, estrin(lanes, &sin_coefficients, z), r);
    return @bitCast(@as(U64s, @bitCast(value)) ^ (@as(U64s, @bitCast(k)) << @splat(63)));
}

/// One lane with |x| >= 2^17 (or Inf/NaN), x >= 0: Payne–Hanek, then the
/// same float64 polynomial and check; float128 only when that is unsure.
fn sinCosLarge(x: f32, comptime want_cos: bool) f32 {
    if (!std.math.isFinite(x)) return std.math.nan(f32);
    const reduced = reduceLarge(x);
    // x = q pi/2 + f with |f| <= pi/4, and cos x = sin(x + pi/2): q + 1.
    // As k pi + r with |r| <= pi/2: for odd q, f moves half a turn toward
    // 0 (|f -/+ pi/2| >= pi/4, so pi/2's 2^-54 rounding stays 2^-53 of r).
    const q: i64 = @as(i64, reduced.quadrant) + @intFromBool(want_cos);
    const f = @as(f64, @floatFromInt(reduced.fraction)) * half_pi_scaled;
    var k = q >> 1;
    var r = f;
    if (q & 1 != 0) {
        if (f >= 0) {
            k += 1;
            r = f - half_pi_53;
        } else {
            r = f + half_pi_53;
        }
    }
    const checked = roundChecked(1, signedSin(1, @splat(r), @splat(k)));
    if (checked.unsure[0]) {
        _ = slow_lanes.fetchAdd(1, .monotonic);
        return if (want_cos) cosSlow(x) else sinSlow(x);
    }
    return checked.value[0];
}

/// sin |x| or cos |x|: cos is even, and sin takes x's sign back afterwards.
inline fn sinCosOfMagnitude(comptime lanes: comptime_int, comptime want_cos: bool, ax: @Vector(lanes, f32)) @Vector(lanes, f32) {
    const slowPath = if (want_cos) cosSlow else sinSlow;
    // False for NaN too: non-finite lanes go to the large path, which returns NaN.
    const small = ax < @as(@Vector(lanes, f32), @splat(cody_waite_limit));
    // The common vector: every lane below 2^17 and, for sin, none so tiny
    // that sin x (about x) could be subnormal (cos x never is below 2^17:
    // |cos x| >= 4.19e-9, see reducedSinCos). It skips the select of the
    // small lanes, the subnormal test and the large-lane loop.
    const plain = if (want_cos) small else small & (ax >= @as(@Vector(lanes, f32), @splat(0x1p-124)));
    if (@reduce(.And, plain)) {
        const checked = roundCheckedNormal(lanes, reducedSinCos(lanes, want_cos, @floatCast(ax)));
        return fixUnsure(lanes, ax, checked.value, checked.unsure, slowPath);
    }
    // Lanes past 2^17 are computed on 0 here and replaced below.
    const value = reducedSinCos(lanes, want_cos, @select(f64, small, @as(F64s(lanes), @floatCast(ax)), splat(lanes, 0)));
    const checked = if (want_cos) roundCheckedNormal(lanes, value) else roundChecked(lanes, value);
    var result = fixUnsure(lanes, ax, checked.value, checked.unsure & small, slowPath);
    if (!@reduce(.And, small)) {
        inline for (0..lanes) |i| {
            if (!small[i]) result[i] = sinCosLarge(ax[i], want_cos);
        }
    }
    return result;
}

/// sin a or cos a in float64 for 0 <= a < 2^17, as (-1)^k sin r with
/// |r| <= pi/2: sin a = (-1)^k sin(a - k pi) with k = round(a/pi), and
/// cos a = sin(a + pi/2) = (-1)^k sin(a - (k - 1/2) pi) with k = round(a/pi
/// + 1/2). One polynomial for both, and no select between two.
///
/// Cody–Waite with m = k or k - 1/2 (|m| < 2^16): a - m pi_hi is exact
/// where it matters (m pi_hi is exact; Sterbenz once a >= pi/4), m pi_mid36
/// is exact, and m pi_lo errs by < 2^-105: r is within ~2^-52 |r| + 2^-104
/// of a - m pi. Where a < pi/4 and m = 1/2 (cos) the first step may round,
/// by 2^-53 of |r| >= pi/4. float32 inputs below 2^17 never come closer
/// than 4.19e-9 (2^-27.8, at x = 252.89821; found by reducing every one of
/// them) to a multiple of pi/2, so that is ~2^-52 relative.
///
/// With FMA two parts do: fma(-m, pi_53, a) is exact where r can be small,
/// because for a >= pi/4 (a multiple of 2^-24) both a and m pi_53 = 2m
/// half-pi are multiples of 2^-52 and their difference is below 2 (|r| <=
/// pi/2 plus m 2^-52.9), so it fits in 53 bits. The second fma adds m times
/// pi_rest's 2^-106 error, under 2^-89: the same ~2^-52 |r| in all.
///
/// k comes from the shifter, from a/pi computed with inverse_pi's 2^-54
/// error (and, for cos, the rounding of a/pi + 1/2): |r| may pass pi/2 by
/// up to 2^-35, inside the polynomial's interval.
inline fn reducedSinCos(comptime lanes: comptime_int, comptime want_cos: bool, a: F64s(lanes)) F64s(lanes) {
    const k = if (want_cos)
        roundedProduct(lanes, mulAdd(lanes, a, splat(lanes, inverse_pi), splat(lanes, 0.5)), 1)
    else
        roundedProduct(lanes, a, inverse_pi);
    const m = if (want_cos) k.float - splat(lanes, 0.5) else k.float;
    const r = if (has_fma)
        mulAdd(lanes, -m, splat(lanes, pi_rest), mulAdd(lanes, -m, splat(lanes, pi_53), a))
    else
        mulAdd(lanes, -m, splat(lanes, pi_lo), mulAdd(lanes, -m, splat(lanes, pi_mid36), mulAdd(lanes, -m, splat(lanes, pi_hi), a)));
    return signedSin(lanes, r, k.int);
}

/// sin x, correctly rounded, for every float32 (sin(±Inf) = NaN, sin(-0) = -0).
pub fn sin(comptime lanes: comptime_int, x: @Vector(lanes, f32)) @Vector(lanes, f32) {
    return withSignOf(lanes, x, sinCosOfMagnitude(lanes, false, @abs(x)));
}

/// cos x, correctly rounded, for every float32 (cos(±Inf) = NaN).
pub fn cos(comptime lanes: comptime_int, x: @Vector(lanes, f32)) @Vector(lanes, f32) {
    return sinCosOfMagnitude(lanes, true, @abs(x));
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
