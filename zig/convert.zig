//! Element-type conversion (convertInto): `out[i] = round_Dst(src[i] * scale + offset)`.
//!
//! The contract, bit for bit on every backend:
//!   Step 1. t = src[i] * scale + offset with ONE rounding in float64 (a fused
//!           multiply-add). An offset of zero (either sign) adds nothing:
//!           t = round64(src[i] * scale), so -0 stays -0; with scale = 1 too,
//!           t = src[i] exactly.
//!   Step 2. t is rounded ONCE to Dst:
//!           float Dst: round to nearest even, as a JS store into that typed
//!             array does; every NaN becomes the positive quiet NaN JS writes
//!             (f32 0x7fc00000, f16 0x7e00, f64 0x7ff8000000000000);
//!           integer Dst: round half to even, saturate to Dst's range, NaN -> 0.
//!
//! Element types: f16, f32, f64, i32, i16, u16, i8, u8. A Uint8ClampedArray is
//! `u8` here: its rule (round half to even, saturate) is the integer rule, so
//! the u8 kernels serve it unchanged. Every pair of these types compiles; the
//! issue requires only X <-> f32 and f16 <-> f64.
//!
//! The code is generic over the vector length, and the scalar remainder runs
//! the same code on 1-lane vectors, so the vector and scalar parts of a
//! backend cannot disagree. The backends can only differ in HOW a step is
//! done (F16C or bit manipulation, hardware or emulated fused multiply-add),
//! never in the rounding: each path below is exact, and the tests compare
//! every backend's outputs bit for bit.

const std = @import("std");
const builtin = @import("builtin");
const streamStore = @import("elementwise.zig").streamStore;
const elementsToBoundary = @import("elementwise.zig").elementsToBoundary;

/// x86 F16C (vcvtph2ps / vcvtps2ph, x86-64-v3 and up) or AArch64 (fcvtl /
/// fcvtn, part of the base FP/SIMD ISA): half <-> single conversion in
/// hardware. Without it LLVM calls compiler-rt's __extendhfsf2/__truncsfhf2
/// once per element, so a bit-manipulation path is used instead (see
/// halfBitsToF32 / f32ToHalfBits).
pub const hardware_half: bool = switch (builtin.cpu.arch) {
    .x86_64 => std.Target.x86.featureSetHas(builtin.cpu.features, .f16c),
    .aarch64 => true,
    else => false,
};

/// A fused multiply-add instruction (x86 FMA3, x86-64-v3 and up; AArch64
/// always). Without it @mulAdd becomes a call to compiler-rt's software fma
/// per element; `emulatedMulAdd` is the faster exact alternative.
pub const hardware_fma: bool = switch (builtin.cpu.arch) {
    .x86_64 => std.Target.x86.featureSetHas(builtin.cpu.features, .fma),
    .aarch64 => true,
    else => false,
};

/// The quiet NaN a JS store writes into each float typed array, as bits.
const canonical_nan_f32: u32 = 0x7fc00000;
const canonical_nan_f16: u16 = 0x7e00;
const canonical_nan_f64: u64 = 0x7ff8000000000000;

fn isFloat(comptime T: type) bool {
    return @typeInfo(T) == .float;
}

fn bitsOf(comptime T: type) type {
    return std.meta.Int(.unsigned, @bitSizeOf(T));
}

fn checkElementType(comptime T: type) void {
    switch (T) {
        f16, f32, f64, i32, i16, u16, i8, u8 => {},
        else => @compileError("convert: unsupported element type " ++ @typeName(T)),
    }
}

/// The narrower of f32/f64 that holds every value of T exactly: f32 for f16,
/// f32 and integers of at most 24 bits (f32's significand), f64 otherwise.
fn ExactFloat(comptime T: type) type {
    return switch (T) {
        f16, f32, i16, u16, i8, u8 => f32,
        f64, i32 => f64,
        else => unreachable,
    };
}

/// Whether every value of T has at most 26 significant bits, which makes
/// `x * high_half(scale)` and `x * low_half(scale)` exact in f64 (26 + 26 <= 53).
fn narrowSignificand(comptime T: type) bool {
    return ExactFloat(T) == f32;
}

// ---------------------------------------------------------------------------
// Half precision

/// float16 bits -> float32, exact. Hardware: vcvtph2ps / fcvtl. Software:
/// shift the 5-bit exponent and 10-bit fraction into float32's fields and
/// multiply by 2^112 (the difference of the exponent biases 127 - 15), which
/// is exact and also scales float16 subnormals (which land as float32
/// subnormals) to their value; Inf/NaN get float32's all-ones exponent.
inline fn halfBitsToF32(comptime L: comptime_int, h: @Vector(L, u16)) @Vector(L, f32) {
    if (hardware_half) {
        const halves: @Vector(L, f16) = @bitCast(h);
        return @floatCast(halves);
    }
    const wide: @Vector(L, u32) = h;
    const magnitude = wide & @as(@Vector(L, u32), @splat(0x7fff));
    const sign = (wide & @as(@Vector(L, u32), @splat(0x8000))) << @splat(16);
    const shifted = magnitude << @splat(13);
    const rebiased: @Vector(L, u32) = @bitCast(@as(@Vector(L, f32), @bitCast(shifted)) * @as(@Vector(L, f32), @splat(0x1p112)));
    const not_finite = magnitude >= @as(@Vector(L, u32), @splat(0x7c00));
    const special = shifted | @as(@Vector(L, u32), @splat(0x7f800000));
    return @bitCast(@select(u32, not_finite, special, rebiased) | sign);
}

/// float32 -> float16 bits, one rounding to nearest even. Hardware:
/// vcvtps2ph (immediate 0 = round to nearest even) / fcvtn. Software, by
/// magnitude range:
///   >= 65536 or Inf/NaN: Inf (NaN is replaced by the caller);
///   < 2^-14 (float16 subnormal or zero): add 0.5, whose float32 ulp is 2^-24,
///     the float16 subnormal step, so the FPU's own round-to-nearest-even
///     does the rounding; the low bits of the sum are then the float16 bits;
///   otherwise: rebias the exponent, add 0xfff plus the lowest kept bit
///     (round half to even on the 13 dropped bits) and shift; a carry rolls
///     into the exponent, and [65520, 65536) becomes Inf as it must.
inline fn f32ToHalfBits(comptime L: comptime_int, x: @Vector(L, f32)) @Vector(L, u16) {
    if (hardware_half) {
        const halves: @Vector(L, f16) = @floatCast(x);
        return @bitCast(halves);
    }
    const U = @Vector(L, u32);
    const bits: U = @bitCast(x);
    const sign = (bits >> @splat(16)) & @as(U, @splat(0x8000));
    const magnitude = bits & @as(U, @splat(0x7fffffff));

    const half_ulp_anchor: @Vector(L, f32) = @splat(0.5);
    const subnormal_sum: U = @bitCast(@as(@Vector(L, f32), @bitCast(magnitude)) + half_ulp_anchor);
    const from_subnormal = subnormal_sum -% @as(U, @splat(0x3f000000));

    const lowest_kept_bit = (magnitude >> @splat(13)) & @as(U, @splat(1));
    const from_normal = (magnitude -% @as(U, @splat(112 << 23)) +% @as(U, @splat(0xfff)) +% lowest_kept_bit) >> @splat(13);

    const too_large = magnitude >= @as(U, @splat(0x47800000));
    const tiny = magnitude < @as(U, @splat(0x38800000));
    const finite_part = @select(u32, tiny, from_subnormal, from_normal);
    const result = @select(u32, too_large, @as(U, @splat(0x7c00)), finite_part) | sign;
    return @truncate(result);
}

/// float64 -> float32 rounded to ODD: truncate toward zero, and if anything
/// was cut off, set the last bit. A later round-to-nearest-even to any format
/// at least 2 bits narrower (float16 keeps 11 of float32's 24) is then the
/// same as rounding the float64 once: the odd bit stands for the lost bits,
/// so the narrower rounding never sees a false tie. This is how f64 -> f16
/// avoids the double rounding of f64 -> f32 -> f16.
inline fn f64ToF32RoundOdd(comptime L: comptime_int, t: @Vector(L, f64)) @Vector(L, f32) {
    const nearest: @Vector(L, f32) = @floatCast(t);
    const back: @Vector(L, f64) = @floatCast(nearest);
    const inexact = back != t;
    const rounded_away = @abs(back) > @abs(t);
    const bits: @Vector(L, u32) = @bitCast(nearest);
    // Sign-magnitude: one less in the bit pattern is one step toward zero.
    const toward_zero = @select(u32, inexact & rounded_away, bits -% @as(@Vector(L, u32), @splat(1)), bits);
    return @bitCast(@select(u32, inexact, toward_zero | @as(@Vector(L, u32), @splat(1)), toward_zero));
}

/// float64 -> float16 bits, one rounding. On AArch64 LLVM lowers the direct
/// conversion to fcvtxn (float64 -> float32 rounded to odd, in hardware) and
/// fcvtn, or to a scalar `fcvt h, d`: single rounding (checked with objdump).
/// On x86 it would call compiler-rt's __truncdfhf2 once per element, so the
/// round-to-odd step is done with vector instructions instead.
inline fn f64ToHalfBits(comptime L: comptime_int, t: @Vector(L, f64)) @Vector(L, u16) {
    if (builtin.cpu.arch == .aarch64) {
        const halves: @Vector(L, f16) = @floatCast(t);
        return @bitCast(halves);
    }
    return f32ToHalfBits(L, f64ToF32RoundOdd(L, t));
}

// ---------------------------------------------------------------------------
// Step 2: one rounding from the exact-or-once-rounded value t to Dst

/// Round half to even, saturate, NaN -> 0. The limits of every Dst here are
/// exact in C (f32 is only used for Dst of at most 16 bits), and they are
/// integers, so clamping before rounding equals rounding then saturating.
/// Each clamp is written as `x > lowest ? x : lowest`, which on x86 is
/// exactly one max (vmaxpd returns its second operand when the first is any
/// NaN): for an unsigned Dst, lowest is 0 and the same instruction sends NaN
/// to 0. Not on AArch64: there LLVM makes the clamp an fmaxnm, which turns a
/// signaling NaN into NaN (0xff9d9b9f -> 255, found by convert_check's
/// hashes under qemu), so the NaN select stays.
inline fn roundToInt(comptime Dst: type, comptime C: type, comptime L: comptime_int, comptime may_be_nan: bool, t: @Vector(L, C)) @Vector(L, Dst) {
    const V = @Vector(L, C);
    const lowest: V = @splat(@floatFromInt(std.math.minInt(Dst)));
    const highest: V = @splat(@floatFromInt(std.math.maxInt(Dst)));
    const zero: V = @splat(0);
    const nan_goes_with_clamp = builtin.cpu.arch == .x86_64 and std.math.minInt(Dst) == 0;
    var c = if (may_be_nan and !nan_goes_with_clamp) @select(C, t == t, t, zero) else t;
    c = @select(C, c > lowest, c, lowest);
    c = @select(C, c < highest, c, highest);
    // Every value is now inside Dst's range, and nearestInt's conversion is
    // exact. Through i32 because that is the conversion the hardware has.
    const as_i32 = nearestInt(C, L, c);
    if (Dst == i32) return as_i32;
    return @intCast(as_i32);
}

/// The widest vector of C one x86 conversion instruction rounds to int32 (0:
/// none here). AVX2 and AVX-512 only; the SSE and scalar backends and AArch64
/// keep the adds below.
fn conversionLanes(comptime C: type) comptime_int {
    if (builtin.cpu.arch != .x86_64) return 0;
    const features = builtin.cpu.features;
    const bits: comptime_int = if (std.Target.x86.featureSetHas(features, .avx512f)) 512 else if (std.Target.x86.featureSetHas(features, .avx2)) 256 else 0;
    return bits / @bitSizeOf(C);
}

/// x (an integer-valued range, |x| < 2^31) rounded to the nearest integer,
/// ties to even. Where the ISA has it, one vcvtpd2dq / vcvtps2dq per
/// register (LLVM's lrint: the current rounding mode, round to nearest even
/// in every process that leaves MXCSR alone, as all float arithmetic here
/// assumes). It replaced two adds and a truncating conversion; with the
/// NaN folded into the clamp (roundToInt), through the library on Zen 4 at
/// n = 65,536: float32 -> Uint8 x 255 + 0.5 0.286 -> 0.204 ns an element,
/// float32 x 32768 -> Int16 0.097-0.104 -> 0.071.
/// Elsewhere, adding and subtracting 1.5 * 2^(significand bits) rounds with
/// the FPU's round-to-nearest-even (the float mode is strict, so LLVM keeps
/// both operations); 1.5 keeps the sum in one binade for |x| < 2^(bits-1).
inline fn nearestInt(comptime C: type, comptime L: comptime_int, x: @Vector(L, C)) @Vector(L, i32) {
    const width = @min(L, conversionLanes(C));
    if (comptime width * @bitSizeOf(C) >= 128 and L % width == 0) {
        const name = comptime blk: {
            @setEvalBranchQuota(100_000);
            break :blk std.fmt.comptimePrint("llvm.lrint.v{d}i32.v{d}{s}", .{ width, width, @typeName(C) });
        };
        const lrint = @extern(*const fn (@Vector(width, C)) callconv(.c) @Vector(width, i32), .{ .name = name });
        var result: [L]i32 = undefined;
        const values: [L]C = x;
        inline for (0..L / width) |k| result[k * width ..][0..width].* = lrint(values[k * width ..][0..width].*);
        return result;
    }
    const magic: @Vector(L, C) = @splat(if (C == f32) 0x1.8p23 else 0x1.8p52);
    const whole = (x + magic) - magic;
    return @intFromFloat(whole);
}

inline fn canonicalNan(comptime T: type) T {
    return switch (T) {
        f32 => @bitCast(canonical_nan_f32),
        f64 => @bitCast(canonical_nan_f64),
        else => unreachable,
    };
}

/// t (f32 or f64) -> Dst with one rounding. `t` is either exact (the identity
/// path) or the once-rounded f64 of step 1.
/// `may_be_nan` is false for integer sources: with a finite scale and offset
/// their t is finite or +-Inf, so the NaN handling is left out (measured:
/// u8 -> f32 with scale and offset, avx512, 0.106 -> 0.062 ns an element).
inline fn roundTo(comptime Dst: type, comptime C: type, comptime L: comptime_int, comptime may_be_nan: bool, t: @Vector(L, C)) @Vector(L, Dst) {
    if (comptime !isFloat(Dst)) {
        // i32 limits are not exact in f32: widen (exactly) first.
        if (C == f32 and @bitSizeOf(Dst) > 16) return roundToInt(Dst, f64, L, may_be_nan, @floatCast(t));
        return roundToInt(Dst, C, L, may_be_nan, t);
    }
    const is_nan = t != t;
    if (Dst == f16) {
        const half_bits = if (C == f32) f32ToHalfBits(L, t) else f64ToHalfBits(L, t);
        if (!may_be_nan) return @bitCast(half_bits);
        const fixed = @select(u16, is_nan, @as(@Vector(L, u16), @splat(canonical_nan_f16)), half_bits);
        return @bitCast(fixed);
    }
    const rounded: @Vector(L, Dst) = if (C == Dst) t else @floatCast(t);
    if (!may_be_nan) return rounded;
    return @select(Dst, is_nan, @as(@Vector(L, Dst), @splat(canonicalNan(Dst))), rounded);
}

// ---------------------------------------------------------------------------
// Step 1

/// Which form of step 1 a call needs; chosen once per call from scale and
/// offset, so the loops below carry no per-element branch.
pub const Mode = enum {
    /// scale = 1, offset = 0: t = src exactly.
    identity,
    /// offset = 0: t = round64(src * scale), a single rounding, equal to
    /// fma(src, scale, -0) bit for bit (the sign of a zero product too).
    scale_only,
    /// offset = 0 and scale = 2^k, -100 <= k <= 100 (PCM's 1/32768 and
    /// 32768), for sources exact in f32 and outputs other than f64/i32:
    /// the product is computed in f32, twice the lanes of f64. Exact: a
    /// source of at most 24 bits times 2^k is exact in f32 unless it leaves
    /// f32's normal range, and there the two paths still agree: an f32
    /// overflow is Inf where t >= 2^128 (Inf as f32/f16, saturated as an
    /// integer), and an inexact f32 subnormal product (only f32 sources
    /// reach it) is itself the one rounding an f32 output needs, while
    /// f16 and integer outputs of anything below 2^-126 are +-0 either way.
    scale_power_of_two,
    /// scale = 1: t = round64(src + offset), equal to fma(src, 1, offset).
    offset_only,
    /// t = fma(src, scale, offset): @mulAdd (vfmadd / fmadd) where the ISA
    /// has an FMA unit, `softFma` one element at a time otherwise. (Not
    /// @mulAdd there: it calls compiler-rt's fma, which in Zig 0.16 returns
    /// NaN when the product is far smaller than the addend, e.g.
    /// fma(0x1p-1074, 1.0/255.0, -0.485); found by the conformance hashes.)
    fused,
    /// Same value as `fused`, without an FMA unit: an exact product split plus
    /// Boldo and Melquiond's round-to-odd sum. Only for sources of at most 26
    /// significant bits and scale/offset in a safe exponent range.
    fused_emulated,
    /// float32 to an 8-bit integer type, where step 1 would need float64
    /// (a scale such as 255 with an offset, or 127), on x86 with FMA:
    /// step 1 in float32 (twice float64's lanes, and no widening), and
    /// float64's exact `fused` for any vector with a lane too near a
    /// half-integer to be sure (see integerFromFloat32).
    integer_from_float32,
};

/// Step-1 constants, computed once per call.
pub const Params = struct {
    scale: f64,
    offset: f64,
    /// scale = scale_high + scale_low, each with at most 26 significant bits
    /// (Veltkamp's split), for `fused_emulated`.
    scale_high: f64,
    scale_low: f64,
    /// scale and offset rounded to float32, and the part of the error bound
    /// that does not grow with the result, for `integer_from_float32`.
    scale32: f32,
    offset32: f32,
    offset_slack: f32,
};

/// Magnitudes of scale and offset for which `emulatedMulAdd` stays clear of
/// overflow (|src| < 2^128 times |scale| < 2^700) and of underflow (every
/// partial product is a multiple of 2^-149 * 2^-752, far above 2^-1074).
const emulation_min = 0x1p-700;
const emulation_max = 0x1p700;

fn inEmulationRange(x: f64) bool {
    return @abs(x) >= emulation_min and @abs(x) <= emulation_max;
}

/// Whether x = +-2^k with -100 <= k <= 100.
fn isModeratePowerOfTwo(x: f64) bool {
    const bits: u64 = @bitCast(x);
    const biased_exponent: i32 = @intCast((bits >> 52) & 0x7ff);
    return bits & ((@as(u64, 1) << 52) - 1) == 0 and biased_exponent >= 1023 - 100 and biased_exponent <= 1023 + 100;
}

/// The cheapest exact form of step 1 for this call (see `Mode`).
pub fn chooseMode(comptime Src: type, comptime Dst: type, scale: f64, offset: f64) Mode {
    const f32_product_is_exact_enough = comptime ExactFloat(Src) == f32 and Dst != f64 and Dst != i32;
    if (offset == 0) {
        if (scale == 1) return .identity;
        if (f32_product_is_exact_enough and isModeratePowerOfTwo(scale)) return .scale_power_of_two;
    }
    if (comptime integerFromFloat32Applies(Src, Dst)) {
        if (inFloat32Range(scale, 0x1p100) and inFloat32Range(offset, 0x1p16)) return .integer_from_float32;
    }
    if (offset == 0) return .scale_only;
    if (scale == 1) return .offset_only;
    if (!hardware_fma and (comptime narrowSignificand(Src)) and inEmulationRange(scale) and inEmulationRange(offset))
        return .fused_emulated;
    return .fused;
}

/// float32 sources into 8-bit integers, on x86 with FMA and a conversion
/// instruction (AVX2, AVX-512): see integerFromFloat32. Not 16-bit ones:
/// results up to 32767 leave float32 only 9 bits of fraction, so a lane is
/// unsure once in ~36 at x 32767 and a third of the vectors went to the
/// float64 path: float32 -> Int16 x 32767 got slower (Zen 4, n = 65,536,
/// 0.220 -> 0.241 ns an element).
fn integerFromFloat32Applies(comptime Src: type, comptime Dst: type) bool {
    return Src == f32 and !isFloat(Dst) and @bitSizeOf(Dst) == 8 and hardware_fma and conversionLanes(f32) > 0;
}

/// 0, or a magnitude in [2^-100, limit]: a normal float32 once rounded,
/// whose rounding moves it by at most 2^-24 of itself.
fn inFloat32Range(x: f64, comptime limit: f64) bool {
    return x == 0 or (@abs(x) >= 0x1p-100 and @abs(x) <= limit);
}

/// The per-call constants of step 1.
pub fn makeParams(scale: f64, offset: f64) Params {
    // Veltkamp: with c = scale * (2^27 + 1), high = c - (c - scale) keeps the
    // top 26 bits of scale and low = scale - high the rest, both exactly.
    const c = scale * 134217729.0;
    const high = c - (c - scale);
    // Only used where inFloat32Range holds (chooseMode), so these narrowings
    // stay finite and normal there.
    const offset32: f32 = @floatCast(offset);
    return .{
        .scale = scale,
        .offset = offset,
        .scale_high = high,
        .scale_low = scale - high,
        .scale32 = @floatCast(scale),
        .offset32 = offset32,
        .offset_slack = @abs(offset32) * 0x1p-21 + 0x1p-24,
    };
}

/// fma(x, scale, offset) for x with at most 26 significant bits, without an
/// FMA instruction, exactly (same bits as @mulAdd):
///  1. x*high and x*low are exact (26 + 26 bits), and their sum is the exact
///     product; Fast2Sum turns it into product_high = round(x*scale) plus the
///     exact error product_low.
///  2. Boldo & Melquiond, "Emulation of FMA and correctly rounded sums: proved
///     algorithms using rounding to odd" (IEEE Trans. Computers, 2008):
///     (sum_high, sum_low) = TwoSum(offset, product_high);
///     v = round_to_odd(sum_low + product_low); result = round(sum_high + v).
/// Infinite or NaN x take the plain x*scale + offset, which is then the same
/// value as the fused one.
inline fn emulatedMulAdd(comptime L: comptime_int, x: @Vector(L, f64), p: Params) @Vector(L, f64) {
    const V = @Vector(L, f64);
    const scale: V = @splat(p.scale);
    const offset: V = @splat(p.offset);
    const part_high = x * @as(V, @splat(p.scale_high));
    const part_low = x * @as(V, @splat(p.scale_low));
    // Fast2Sum (|part_high| >= |part_low|).
    const product_high = part_high + part_low;
    const product_low = part_low - (product_high - part_high);
    // TwoSum(offset, product_high), no magnitude order needed.
    const sum_high = offset + product_high;
    const sum_low = twoSumError(L, offset, product_high, sum_high);
    const v = addRoundToOdd(L, sum_low, product_low);
    const fused = sum_high + v;
    const finite = @abs(x) < @as(V, @splat(std.math.inf(f64)));
    return @select(f64, finite, fused, x * scale + offset);
}

/// The exact rounding error of s = a + b (Knuth's TwoSum, 6 operations).
inline fn twoSumError(comptime L: comptime_int, a: @Vector(L, f64), b: @Vector(L, f64), s: @Vector(L, f64)) @Vector(L, f64) {
    const b_virtual = s - a;
    const a_virtual = s - b_virtual;
    return (a - a_virtual) + (b - b_virtual);
}

/// a + b rounded to odd: the nearest-even sum, moved one step toward the
/// exact value when that sum is inexact and its last bit is even (the odd
/// neighbour on that side is then the truncation with the sticky bit set).
inline fn addRoundToOdd(comptime L: comptime_int, a: @Vector(L, f64), b: @Vector(L, f64)) @Vector(L, f64) {
    const U = @Vector(L, u64);
    const s = a + b;
    const err = twoSumError(L, a, b, s);
    const bits: U = @bitCast(s);
    const err_bits: U = @bitCast(err);
    const one: U = @splat(1);
    const needs_fix = (err != @as(@Vector(L, f64), @splat(0))) & ((bits & one) == @as(U, @splat(0)));
    // Same sign: the exact value is farther from zero than s (one more in the
    // bit pattern); opposite signs: nearer (one less).
    const same_sign = ((bits ^ err_bits) >> @splat(63)) == @as(U, @splat(0));
    const moved = @select(u64, same_sign, bits +% one, bits -% one);
    return @bitCast(@select(u64, needs_fix, moved, bits));
}

inline fn softFmaVector(comptime L: comptime_int, x: @Vector(L, f64), scale: f64, offset: f64) @Vector(L, f64) {
    var result: @Vector(L, f64) = undefined;
    inline for (0..L) |lane| result[lane] = softFma(x[lane], scale, offset);
    return result;
}

/// fma(x, y, z) with one rounding to nearest even, in integer arithmetic,
/// one element at a time: float.zig's, which the elementwise `fmaInto`
/// uses on backends without an FMA unit too. The fallback for the cases
/// `emulatedMulAdd` does not cover.
pub const softFma = @import("float.zig").fmaFloat64;


inline fn toF64(comptime Src: type, comptime L: comptime_int, x: @Vector(L, Src)) @Vector(L, f64) {
    return switch (Src) {
        f64 => x,
        f32 => @floatCast(x),
        f16 => @floatCast(halfBitsToF32(L, @bitCast(x))),
        else => @floatFromInt(x),
    };
}

/// x as ExactFloat(Src), exactly.
inline fn toExactFloat(comptime Src: type, comptime L: comptime_int, x: @Vector(L, Src)) @Vector(L, ExactFloat(Src)) {
    return switch (Src) {
        f32, f64 => x,
        f16 => halfBitsToF32(L, @bitCast(x)),
        else => @floatFromInt(x),
    };
}

/// One vector of results.
pub inline fn convertVector(comptime Src: type, comptime Dst: type, comptime L: comptime_int, comptime mode: Mode, x: @Vector(L, Src), p: Params) @Vector(L, Dst) {
    if (mode == .identity) return roundTo(Dst, ExactFloat(Src), L, comptime isFloat(Src), toExactFloat(Src, L, x));
    if (mode == .scale_power_of_two) {
        // chooseMode picks this mode only for sources exact in f32.
        if (comptime ExactFloat(Src) != f32) unreachable else {
            const scale32: @Vector(L, f32) = @splat(@floatCast(p.scale));
            return roundTo(Dst, f32, L, comptime isFloat(Src), toExactFloat(Src, L, x) * scale32);
        }
    }
    if (mode == .integer_from_float32) {
        if (comptime !integerFromFloat32Applies(Src, Dst)) unreachable else return integerFromFloat32(Dst, L, x, p);
    }
    const V = @Vector(L, f64);
    const wide = toF64(Src, L, x);
    const t: V = switch (mode) {
        .identity, .scale_power_of_two, .integer_from_float32 => unreachable,
        .scale_only => wide * @as(V, @splat(p.scale)),
        .offset_only => wide + @as(V, @splat(p.offset)),
        .fused => if (hardware_fma)
            @mulAdd(V, wide, @splat(p.scale), @splat(p.offset))
        else
            softFmaVector(L, wide, p.scale, p.offset),
        .fused_emulated => emulatedMulAdd(L, wide, p),
    };
    return roundTo(Dst, f64, L, comptime isFloat(Src), t);
}

/// Step 1 in float32 for an 8-bit integer Dst: u = fma(x,
/// scale32, offset32) instead of t = fma(x, scale, offset) in float64.
/// Only the integer that t rounds to matters, so u will do wherever it is
/// far enough from a half-integer:
///   |u - z| <= 2^-24 (|x scale| + |offset| + |u|), z = x scale + offset
///   exactly (scale32 and offset32 are normal, each within 2^-24 of itself,
///   and the fma rounds once), which is under 2^-23 (|u| + |offset|) (1 +
///   2^-22); t is within 2^-53 |z| of z. `slack` = 2^-21 (|u| + |offset|)
///   + 2^-24 is more than twice both, and the 2^-24 also covers the rounding
///   of `distance + slack` (at most 2^-25 near 0.5). So when u's distance to
///   the nearest integer k plus slack is below 1/2, t lies strictly between
///   k - 1/2 and k + 1/2 and rounds to k, ties never in question.
/// A vector with any lane nearer than that takes the float64 `fused` path,
/// the exact one (same bits: fma(x, scale, 0) is round(x scale), and
/// fma(x, 1, offset) round(x + offset), for an integer result).
/// u is first clamped to [lowest - 1, highest + 1]: integers, which
/// saturate to lowest and highest as every u beyond them must (|u - z| is
/// then far below 1/2). NaN becomes 0, or lowest - 1 = -1 (then 0) for an
/// unsigned Dst; u = +-Inf clamps like a huge z.
inline fn integerFromFloat32(comptime Dst: type, comptime L: comptime_int, x: @Vector(L, f32), p: Params) @Vector(L, Dst) {
    const F = @Vector(L, f32);
    const lowest: F = @splat(@as(f32, @floatFromInt(std.math.minInt(Dst))) - 1);
    const highest: F = @splat(@as(f32, @floatFromInt(std.math.maxInt(Dst))) + 1);
    const u = @mulAdd(F, x, @splat(p.scale32), @splat(p.offset32));
    var c = if (std.math.minInt(Dst) < 0) @select(f32, u == u, u, @as(F, @splat(0))) else u;
    c = @select(f32, c > lowest, c, lowest);
    c = @select(f32, c < highest, c, highest);
    const k = nearestInt(f32, L, c);
    const distance = @abs(c - @as(F, @floatFromInt(k)));
    const slack = @mulAdd(F, @abs(c), @splat(0x1p-21), @splat(p.offset_slack));
    if (@reduce(.Or, distance + slack >= @as(F, @splat(0.5)))) return convertVector(f32, Dst, L, .fused, x, p);
    const I = @Vector(L, i32);
    const saturated = @max(@min(k, @as(I, @splat(std.math.maxInt(Dst)))), @as(I, @splat(std.math.minInt(Dst))));
    return @intCast(saturated);
}

// ---------------------------------------------------------------------------
// The whole-array loop

inline fn step(comptime Src: type, comptime Dst: type, comptime L: comptime_int, comptime mode: Mode, src: [*]const Src, out: [*]align(1) Dst, i: usize, p: Params) void {
    // Array-to-vector loads and stores keep the element alignment, so LLVM
    // emits unaligned moves: a typed array may start at any byte.
    const x: @Vector(L, Src) = src[i..][0..L].*;
    out[i..][0..L].* = convertVector(Src, Dst, L, mode, x, p);
}

/// Two independent vectors per iteration give the CPU loads, conversions and
/// stores of both in flight.
const unroll = 2;

/// `step` with a non-temporal store; out + i must be aligned to the vector.
inline fn streamStep(comptime Src: type, comptime Dst: type, comptime L: comptime_int, comptime mode: Mode, src: [*]const Src, out: [*]align(1) Dst, i: usize, p: Params) void {
    const x: @Vector(L, Src) = src[i..][0..L].*;
    streamStore(L * @sizeOf(Dst) * 8, out + i, convertVector(Src, Dst, L, mode, x, p));
}

inline fn convertLoop(comptime Src: type, comptime Dst: type, comptime lanes: comptime_int, comptime mode: Mode, src: [*]const Src, out: [*]align(1) Dst, n: usize, p: Params) void {
    var i: usize = 0;
    if (lanes > 1) {
        while (i + unroll * lanes <= n) : (i += unroll * lanes) {
            inline for (0..unroll) |u| step(Src, Dst, lanes, mode, src, out, i + u * lanes, p);
        }
        while (i + lanes <= n) : (i += lanes) step(Src, Dst, lanes, mode, src, out, i, p);
        // Narrower vectors for the tail, leaving at most 1 element (e.g. a
        // 15-element tail at 16 lanes: 8 + 4 + 2 + 1).
        comptime var width = lanes / 2;
        inline while (width >= 2) : (width /= 2) {
            if (i + width <= n) {
                step(Src, Dst, width, mode, src, out, i, p);
                i += width;
            }
        }
    }
    // The scalar remainder: the same computation on 1-lane vectors.
    while (i < n) : (i += 1) step(Src, Dst, 1, mode, src, out, i, p);
}

/// Above the cache, results go out with non-temporal stores: an ordinary
/// store first reads each line of `out` from memory only to overwrite it,
/// and `out` is most of a widening conversion's traffic (float16 -> float32:
/// 2 bytes read, 4 written, 4 more read for nothing). A scalar head runs
/// until out sits on a vector boundary, then whole vectors stream; the
/// rest goes through convertLoop. Only where one vector of results is one
/// x86 register (16, 32 or 64 bytes). `out` must be element-aligned, or the
/// head never reaches a boundary: library.zig's `streamable` sends any
/// other out down the cached loop.
inline fn convertLoopStreaming(comptime Src: type, comptime Dst: type, comptime lanes: comptime_int, comptime mode: Mode, src: [*]const Src, out: [*]align(1) Dst, n: usize, p: Params) void {
    const vector_bytes = lanes * @sizeOf(Dst);
    var i: usize = 0;
    if (comptime builtin.cpu.arch == .x86_64 and (vector_bytes == 16 or vector_bytes == 32 or vector_bytes == 64)) {
        const head = @min(n, elementsToBoundary(Dst, out, vector_bytes));
        while (i < head) : (i += 1) step(Src, Dst, 1, mode, src, out, i, p);
        while (i + unroll * lanes <= n) : (i += unroll * lanes) {
            // Each line of src 2 KiB ahead. Measured on an Intel Xeon VM
            // (AVX-512) at 20M elements, interleaved, best of 3: float32
            // -> Int16 0.459 -> 0.365 ns an element, float32 -> float16
            // 0.345 -> 0.231; the widening pairs, which read less than
            // they write, were unchanged (u8 -> float32 0.277 / 0.278).
            inline for (0..@max(1, unroll * lanes * @sizeOf(Src) / 64)) |line| @prefetch(src + i + (2048 + 64 * line) / @sizeOf(Src), .{});
            inline for (0..unroll) |u| streamStep(Src, Dst, lanes, mode, src, out, i + u * lanes, p);
        }
        while (i + lanes <= n) : (i += lanes) streamStep(Src, Dst, lanes, mode, src, out, i, p);
        asm volatile ("sfence" ::: .{ .memory = true });
    }
    convertLoop(Src, Dst, lanes, mode, src + i, out + i, n - i, p);
}

// ---------------------------------------------------------------------------
// 8-bit sources by table: AVX-512 VBMI's byte permutes

/// An 8-bit source has only 256 values, so a call can convert those once
/// (with the code above: the same bits) and look every element up. x86-64-v4
/// has no fast lookup of 256 entries (vpgatherdd measured 0.363 ns an
/// element against the arithmetic's 0.146, Zen 4), but AVX-512 VBMI
/// (Ice Lake, Zen 4 and later; not part of x86-64-v4, so the caller says
/// whether this CPU has it) permutes bytes: one vpermi2b picks 64 bytes out
/// of 128 held in two registers. The 256 results, split into their bytes,
/// are 4 planes of 256 bytes: 16 registers for a 4-byte Dst. Per 64
/// elements that is one vpermb, 8 vpermi2b, 4 blends on the index's top bit
/// and 8 unpacks that put the planes' bytes back together, in place of about
/// 32 widenings, float64 multiply-adds and narrowings. Measured through the
/// library (u8 x 1/255 - 0.485 -> f32, Zen 4, docs/conversions.md): n =
/// 65,536 0.157 -> 0.071 ns an element, 5M 0.165 -> 0.15 (memory-bound).
fn byteTableApplies(comptime Src: type, comptime Dst: type, comptime lanes: comptime_int) bool {
    return builtin.cpu.arch == .x86_64 and lanes == 16 and @bitSizeOf(Src) == 8 and @sizeOf(Dst) == 4;
}

/// The table's setup (256 conversions and the planes) must pay for itself:
/// at 2,048 elements it already does (through the library, Zen 4: 0.17 ->
/// 0.141 ns an element, the call's own cost included).
const byte_table_min_elements = 2048;

const Bytes64 = @Vector(64, u8);

/// vpermi2b: lane i gets byte (index[i] & 127) of low (0-63) ++ high (64-127).
/// Inline assembly, as the object is compiled for x86-64-v4, which lacks the
/// instruction's feature; the caller has checked the CPU has it.
inline fn permuteBytes2(low: Bytes64, index: Bytes64, high: Bytes64) Bytes64 {
    var result = index;
    asm ("vpermi2b %[high], %[low], %[result]"
        : [result] "+v" (result),
        : [low] "v" (low),
          [high] "v" (high),
    );
    return result;
}

/// vpermb: lane i gets byte (index[i] & 63) of `table`.
inline fn permuteBytes(table: Bytes64, index: Bytes64) Bytes64 {
    return asm ("vpermb %[table], %[index], %[result]"
        : [result] "=v" (-> Bytes64),
        : [table] "v" (table),
          [index] "v" (index),
    );
}

/// The unpacks interleave within each 128-bit quarter: the dword at
/// quarter q, slot t of result j comes from input byte 16q + 4j + t. Reading
/// the input through this order first (one vpermb) makes result j hold
/// elements 16j to 16j + 15 in order.
const quarter_transpose: Bytes64 = blk: {
    var order: [64]u8 = undefined;
    for (0..4) |q| for (0..4) |j| for (0..4) |t| {
        order[16 * q + 4 * j + t] = 16 * j + 4 * q + t;
    };
    break :blk order;
};

/// Per 128-bit quarter, the low (`high_half` false) or high 8 bytes of a and
/// b interleaved: vpunpcklbw / vpunpckhbw.
fn unpackMask(comptime lanes: comptime_int, comptime high_half: bool) [lanes]i32 {
    var mask: [lanes]i32 = undefined;
    const per_quarter = lanes / 4;
    for (0..4) |q| for (0..per_quarter / 2) |k| {
        const from = q * per_quarter + k + (if (high_half) per_quarter / 2 else 0);
        mask[q * per_quarter + 2 * k] = from;
        mask[q * per_quarter + 2 * k + 1] = ~@as(i32, from);
    };
    return mask;
}

fn interleave(comptime T: type, comptime lanes: comptime_int, comptime high_half: bool, a: @Vector(lanes, T), b: @Vector(lanes, T)) @Vector(lanes, T) {
    return @shuffle(T, a, b, unpackMask(lanes, high_half));
}

/// The 256 results of an 8-bit Src, indexed by the source's bits: computed
/// by convertLoop itself, so a lookup gives the very bits it would.
inline fn everyResult(comptime Src: type, comptime Dst: type, comptime lanes: comptime_int, comptime mode: Mode, p: Params) [256]Dst {
    var every_value: [256]Src = undefined;
    for (&every_value, 0..) |*v, bits| v.* = @bitCast(@as(u8, @intCast(bits)));
    var table: [256]Dst = undefined;
    convertLoop(Src, Dst, lanes, mode, &every_value, &table, 256, p);
    return table;
}

inline fn byteTableLoop(comptime Src: type, comptime Dst: type, comptime mode: Mode, comptime streaming: bool, src: [*]const Src, out: [*]align(1) Dst, n: usize, p: Params) void {
    const table = everyResult(Src, Dst, 16, mode, p);
    // planes[b][k]: byte b of table entry 64 k + lane.
    var planes: [4][4]Bytes64 = undefined;
    const words: [256]u32 = @bitCast(table);
    inline for (0..4) |b| inline for (0..4) |k| {
        const chunk: @Vector(64, u32) = words[64 * k ..][0..64].*;
        planes[b][k] = @truncate(chunk >> @splat(8 * b));
    };
    const bytes: [*]const u8 = @ptrCast(src);
    const out_words: [*]align(1) u32 = @ptrCast(out);
    var i: usize = 0;
    if (streaming) {
        // Non-temporal stores need out + i on a 64-byte boundary.
        const head = @min(n, elementsToBoundary(Dst, out, 64));
        while (i < head) : (i += 1) out_words[i] = words[bytes[i]];
    }
    while (i + 64 <= n) : (i += 64) {
        const x = permuteBytes(bytes[i..][0..64].*, quarter_transpose);
        const upper = x >= @as(Bytes64, @splat(128));
        var plane: [4]Bytes64 = undefined;
        inline for (0..4) |b| {
            const low = permuteBytes2(planes[b][0], x, planes[b][1]);
            const high = permuteBytes2(planes[b][2], x, planes[b][3]);
            plane[b] = @select(u8, upper, high, low);
        }
        const pairs01 = [2]@Vector(32, u16){ @bitCast(interleave(u8, 64, false, plane[0], plane[1])), @bitCast(interleave(u8, 64, true, plane[0], plane[1])) };
        const pairs23 = [2]@Vector(32, u16){ @bitCast(interleave(u8, 64, false, plane[2], plane[3])), @bitCast(interleave(u8, 64, true, plane[2], plane[3])) };
        inline for (0..4) |j| {
            const result: @Vector(16, u32) = @bitCast(interleave(u16, 32, j % 2 == 1, pairs01[j / 2], pairs23[j / 2]));
            if (streaming) streamStore(512, out_words + i + 16 * j, result) else out_words[i + 16 * j ..][0..16].* = result;
        }
    }
    if (streaming) asm volatile ("sfence" ::: .{ .memory = true });
    while (i < n) : (i += 1) out_words[i] = words[bytes[i]];
}

/// Converts src[0..n] into out[0..n]: out[i] = round_Dst(src[i] * scale + offset)
/// as described at the top of this file. `lanes` is the backend's vector bits
/// divided by the larger of the two element sizes (1 for the scalar backend).
/// scale and offset must be finite (checked by the caller); src and out must
/// not overlap.
/// `streaming`: the caller's choice of non-temporal stores (for arrays
/// larger than the cache; see convertLoopStreaming).
/// `byte_permutes`: whether this CPU has AVX-512 VBMI (see byteTableLoop).
pub fn convert(comptime Src: type, comptime Dst: type, comptime lanes: comptime_int, src: [*]const Src, out: [*]align(1) Dst, n: usize, scale: f64, offset: f64, streaming: bool, byte_permutes: bool) void {
    // Many inline vector steps (one set per loop flavour) for comptime to unroll.
    @setEvalBranchQuota(10_000);
    comptime checkElementType(Src);
    comptime checkElementType(Dst);
    const p = makeParams(scale, offset);
    const mode = chooseMode(Src, Dst, scale, offset);
    if (comptime @bitSizeOf(Src) == 8 and !hardware_fma) {
        // Without an FMA unit the fused modes cost ~2 ns an element (sse,
        // measured), but an 8-bit source has only 256 values: convert those
        // once, with the same code, and look the results up.
        if ((mode == .fused or mode == .fused_emulated) and n >= 1024) {
            const table = switch (mode) {
                inline .fused, .fused_emulated => |m| everyResult(Src, Dst, lanes, m, p),
                else => unreachable,
            };
            for (src[0..n], out[0..n]) |x, *o| o.* = table[@as(u8, @bitCast(x))];
            return;
        }
    }
    if (comptime byteTableApplies(Src, Dst, lanes)) {
        // Only where step 1 needs float64: the other modes widen, scale in
        // float32 and store in fewer instructions than the lookup (n =
        // 65,536 on Zen 4: u8 -> f32 unscaled 0.048 ns an element against
        // the table's 0.086, by a power of two 0.054 against 0.084).
        const needs_float64 = mode != .identity and mode != .scale_power_of_two;
        if (byte_permutes and needs_float64 and n >= byte_table_min_elements) {
            switch (mode) {
                inline else => |m| switch (streaming) {
                    inline else => |s| byteTableLoop(Src, Dst, m, s, src, out, n, p),
                },
            }
            return;
        }
    }
    // The software float16 code is a long chain of integer steps on each
    // vector; four vectors' worth per step gives the CPU independent work
    // (sse, n = 65,536: f16 -> f32 0.51 -> 0.29 ns an element, f32 -> f16
    // 0.52 -> 0.42, f64 -> f16 1.7 -> 1.1; other pairs gained nothing or lost).
    const software_half = !hardware_half and lanes > 1 and (Src == f16 or Dst == f16);
    const step_lanes = if (software_half) lanes * 4 else lanes;
    switch (mode) {
        inline else => |m| if (streaming and lanes > 1 and !software_half)
            convertLoopStreaming(Src, Dst, lanes, m, src, out, n, p)
        else
            convertLoop(Src, Dst, step_lanes, m, src, out, n, p),
    }
}

/// The C-callable kernel of one pair for one backend, e.g. for library.zig:
/// `@export(&convert_zig.kernel(f16, f32, 16), .{ .name = ..., .visibility = .hidden })`.
pub fn kernel(comptime Src: type, comptime Dst: type, comptime lanes: comptime_int) fn ([*]const Src, [*]align(1) Dst, usize, f64, f64, bool, bool) callconv(.c) void {
    return struct {
        fn run(src: [*]const Src, out: [*]align(1) Dst, n: usize, scale: f64, offset: f64, streaming: bool, byte_permutes: bool) callconv(.c) void {
            convert(Src, Dst, lanes, src, out, n, scale, offset, streaming, byte_permutes);
        }
    }.run;
}

/// lanes for a backend of `bits`-wide vectors (the scalar backend passes 1).
pub fn lanesFor(comptime bits: comptime_int, comptime Src: type, comptime Dst: type) comptime_int {
    return bits / @max(@bitSizeOf(Src), @bitSizeOf(Dst));
}

/// For the tests: `emulatedMulAdd` on one lane (it is used on every backend
/// without an FMA unit, but the tests must reach it on this CPU too).
pub fn emulatedMulAddForTest(x: @Vector(1, f64), p: Params) @Vector(1, f64) {
    return emulatedMulAdd(1, x, p);
}
