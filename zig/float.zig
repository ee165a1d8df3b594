//! Float formulas the catalog's ops need beyond plain IEEE arithmetic:
//! JavaScript's Math.min/Math.max, and a fused multiply-add that is exact on
//! CPUs without an FMA instruction. Each works on scalars and on `@Vector`s.

const std = @import("std");
const builtin = @import("builtin");

/// Bits of a float (or vector of floats) as an unsigned integer of the same shape.
fn Bits(comptime T: type) type {
    return switch (@typeInfo(T)) {
        .vector => |v| @Vector(v.len, std.meta.Int(.unsigned, @bitSizeOf(v.child))),
        else => std.meta.Int(.unsigned, @bitSizeOf(T)),
    };
}

inline fn select(condition: anytype, yes: anytype, no: @TypeOf(yes)) @TypeOf(yes) {
    return switch (@typeInfo(@TypeOf(yes))) {
        .vector => |v| @select(v.child, condition, yes, no),
        else => if (condition) yes else no,
    };
}

/// `x and y`, lane by lane for vectors of bool.
inline fn both(x: anytype, y: @TypeOf(x)) @TypeOf(x) {
    return switch (@typeInfo(@TypeOf(x))) {
        .vector => @select(bool, x, y, x),
        else => x and y,
    };
}

/// `value` in every lane of T (or just `value` when T is a scalar).
inline fn splat(comptime T: type, value: anytype) T {
    return switch (@typeInfo(T)) {
        .vector => |v| @as(T, @splat(@as(v.child, value))),
        else => value,
    };
}

/// `x or y`, lane by lane for vectors of bool.
inline fn either(x: anytype, y: @TypeOf(x)) @TypeOf(x) {
    return switch (@typeInfo(@TypeOf(x))) {
        .vector => @select(bool, x, x, y),
        else => x or y,
    };
}

/// JavaScript's Math.min: NaN if either is NaN, and -0 is less than +0.
/// x86's `minps(x, y)` is `x < y ? x : y`: for a NaN or two equal zeros it
/// returns its second operand. Taking it both ways round and ORing the bits
/// fixes both: the results differ only where one operand is NaN or the two
/// are zeros of opposite sign, and OR keeps -0's sign bit. An all-ones
/// pattern (a NaN) is then ORed into every unordered lane. Six vector
/// instructions where the compare-and-select form it replaced took eight;
/// clampInto, which does both, went from 0.088 to 0.065 ns an element
/// (float32) and 0.180 to 0.130 (float64) at n = 65,536 on avx512.
pub inline fn jsMin(a: anytype, b: @TypeOf(a)) @TypeOf(a) {
    const T = @TypeOf(a);
    const min_ab: Bits(T) = @bitCast(select(a < b, a, b));
    const min_ba: Bits(T) = @bitCast(select(b < a, b, a));
    return @bitCast(min_ab | min_ba | nanMask(a, b));
}

/// JavaScript's Math.max: NaN if either is NaN, and +0 is greater than -0.
/// As jsMin, with AND: +0 AND -0 is +0.
pub inline fn jsMax(a: anytype, b: @TypeOf(a)) @TypeOf(a) {
    const T = @TypeOf(a);
    const max_ab: Bits(T) = @bitCast(select(a > b, a, b));
    const max_ba: Bits(T) = @bitCast(select(b > a, b, a));
    return @bitCast((max_ab & max_ba) | nanMask(a, b));
}

/// All ones (a NaN) where a or b is NaN, zero elsewhere, as bits.
inline fn nanMask(a: anytype, b: @TypeOf(a)) Bits(@TypeOf(a)) {
    const B = Bits(@TypeOf(a));
    const Lane = switch (@typeInfo(B)) {
        .vector => |v| v.child,
        else => B,
    };
    return select(either(a != a, b != b), splat(B, std.math.maxInt(Lane)), splat(B, 0));
}

/// Whether the CPU this code is compiled for has a fused multiply-add
/// instruction: x86-64-v3 and up, and every AArch64 CPU.
pub const has_fma_instruction = switch (builtin.cpu.arch) {
    .x86_64 => std.Target.x86.featureSetHas(builtin.cpu.features, .fma),
    .aarch64, .aarch64_be => true,
    else => false,
};

/// The element type of a float or of a vector of floats.
fn Scalar(comptime T: type) type {
    return switch (@typeInfo(T)) {
        .vector => |v| v.child,
        else => T,
    };
}

fn WithChild(comptime T: type, comptime Child: type) type {
    return switch (@typeInfo(T)) {
        .vector => |v| @Vector(v.len, Child),
        else => Child,
    };
}

/// a * b + c rounded once. With an FMA instruction that is @mulAdd. Without
/// one (sse, scalar), @mulAdd would become compiler-rt's software fma, and
/// Zig 0.16's is wrong twice over: fmaf rounds a tie twice (its code says
/// "TODO: Handle inexact case with double-rounding"), and fma returned NaN
/// for -4.8e-111 * 1.15e-306 + 2.9e-18 in our tests. So those backends use
/// the two exact routes below.
pub inline fn fusedMultiplyAdd(a: anytype, b: @TypeOf(a), c: @TypeOf(a)) @TypeOf(a) {
    const T = @TypeOf(a);
    if (has_fma_instruction) return @mulAdd(T, a, b, c);
    return if (Scalar(T) == f32) fmaFloat32ByRoundToOdd(a, b, c) else perLane(fmaFloat64, a, b, c);
}

/// float32 a * b + c with one rounding, in float64 arithmetic only. The
/// product of two float32 is exact in float64 (48 significant bits); the
/// sum is rounded to float64 and its exact error recovered (Knuth's
/// TwoSum). Rounding that sum "to odd" (when inexact, force the last bit to
/// 1) keeps the information that it was not a tie, so the final rounding to
/// float32's 24 bits is correct: round-to-odd at 53 bits followed by
/// round-to-nearest at p <= 51 bits equals one rounding (Boldo & Melquiond).
inline fn fmaFloat32ByRoundToOdd(a: anytype, b: @TypeOf(a), c: @TypeOf(a)) @TypeOf(a) {
    const F64 = WithChild(@TypeOf(a), f64);
    const U64 = WithChild(@TypeOf(a), u64);
    const zero = splat(F64, 0);
    const product = @as(F64, a) * @as(F64, b);
    const addend: F64 = c;
    const sum = product + addend;
    const product_part = sum - addend;
    const error_term = (product - product_part) + (addend - (sum - product_part));
    const bits: U64 = @bitCast(sum);
    // The other float64 neighbour of the exact value: one unit away from sum,
    // towards the error's side (away from zero when they share a sign).
    const away = (sum > zero) == (error_term > zero);
    const neighbour: F64 = @bitCast(select(away, bits +% splat(U64, 1), bits -% splat(U64, 1)));
    const inexact_and_even = both(error_term != zero, (bits & splat(U64, 1)) == splat(U64, 0));
    // Infinities and NaN make error_term NaN, which compares unequal to 0:
    // those sums are passed through unchanged.
    const finite = sum - sum == zero;
    return @floatCast(select(both(inexact_and_even, finite), neighbour, sum));
}

/// f(a[i], b[i], c[i]) lane by lane: for the rare formula that is integer
/// code per element rather than vector arithmetic.
inline fn perLane(comptime f: fn (f64, f64, f64) f64, a: anytype, b: @TypeOf(a), c: @TypeOf(a)) @TypeOf(a) {
    switch (@typeInfo(@TypeOf(a))) {
        .vector => |v| {
            var result: @TypeOf(a) = undefined;
            inline for (0..v.len) |i| result[i] = f(a[i], b[i], c[i]);
            return result;
        },
        else => return f(a, b, c),
    }
}

/// A finite non-zero float64 as integer significand x 2^exponent.
const Parts = struct {
    significand: u64,
    exponent: i32,
    negative: bool,

    fn of(x: f64) Parts {
        const bits: u64 = @bitCast(x);
        const field: i32 = @intCast(bits >> 52 & 0x7ff);
        const fraction = bits & ((1 << 52) - 1);
        return if (field == 0)
            .{ .significand = fraction, .exponent = -1074, .negative = bits >> 63 == 1 }
        else
            .{ .significand = fraction | (1 << 52), .exponent = field - 1075, .negative = bits >> 63 == 1 };
    }
};

/// `value` shifted so its top bit sits at bit 125 of a u128, which leaves
/// two bits of headroom for a carry; returns the shift.
fn normalize(value: u128) u7 {
    return @intCast(@as(u32, @clz(value)) - 2);
}

/// float64 a * b + c rounded once to nearest even, in integer arithmetic:
/// the 106-bit product and c are aligned in a 128-bit frame (what falls
/// below it only as a sticky bit, which cannot change a rounding 70 bits
/// further up), added, and rounded once, subnormal and overflow included.
pub fn fmaFloat64(a: f64, b: f64, c: f64) f64 {
    // Infinities, NaN and zero products: the plain expression has a single
    // rounding (an exact or infinite product) and IEEE's signed-zero rules.
    if (!std.math.isFinite(a) or !std.math.isFinite(b) or a == 0 or b == 0) return a * b + c;
    if (!std.math.isFinite(c)) return c;
    if (c == 0) return a * b;
    const pa = Parts.of(a);
    const pb = Parts.of(b);
    const pc = Parts.of(c);
    const product: u128 = @as(u128, pa.significand) * pb.significand;
    const product_shift = normalize(product);
    const addend_shift = normalize(pc.significand);
    const Term = struct { value: u128, exponent: i32, negative: bool };
    var x: Term = .{ .value = product << product_shift, .exponent = pa.exponent + pb.exponent - @as(i32, product_shift), .negative = pa.negative != pb.negative };
    var y: Term = .{ .value = @as(u128, pc.significand) << addend_shift, .exponent = pc.exponent - @as(i32, addend_shift), .negative = pc.negative };
    // x is the larger in magnitude (both have their top bit at 125).
    if (y.exponent > x.exponent or (y.exponent == x.exponent and y.value > x.value)) std.mem.swap(Term, &x, &y);
    const distance = x.exponent - y.exponent;
    const aligned: u128 = if (distance >= 127)
        1 // all of y lies below the frame: only "something was there" survives
    else blk: {
        const d: u7 = @intCast(distance);
        const lost = y.value & ((@as(u128, 1) << d) - 1);
        break :blk (y.value >> d) | @intFromBool(lost != 0);
    };
    const sum = if (x.negative == y.negative) x.value + aligned else x.value - aligned;
    if (sum == 0) return 0.0; // exact cancellation: +0 when rounding to nearest
    // Round sum * 2^x.exponent to float64: 53 bits, fewer when subnormal.
    const top: i32 = 127 - @as(i32, @clz(sum));
    const lowest_kept = @max(top + x.exponent - 52, -1074);
    const drop = lowest_kept - x.exponent;
    var significand: u128 = undefined;
    if (drop <= 0) {
        significand = sum << @intCast(-drop);
    } else {
        const d: u7 = @intCast(drop);
        significand = sum >> d;
        const remainder = sum & ((@as(u128, 1) << d) - 1);
        const half = @as(u128, 1) << (d - 1);
        if (remainder > half or (remainder == half and significand & 1 == 1)) significand += 1;
    }
    // value = significand * 2^lowest_kept; this sum of fields also covers
    // subnormals (field 0) and a rounding carry into the next binade.
    const magnitude: u128 = (@as(u128, @intCast(lowest_kept + 1074)) << 52) + significand;
    const sign: u64 = if (x.negative) 1 << 63 else 0;
    if (magnitude >= 0x7ff << 52) return @bitCast(sign | 0x7ff << 52);
    return @bitCast(sign | @as(u64, @intCast(magnitude)));
}

test "fmaFloat64 rounds once where two roundings differ, and keeps tiny products" {
    // (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 exactly; unfused it is 0.
    try std.testing.expectEqual(@as(f64, -0x1p-104), fmaFloat64(1 + 0x1p-52, 1 - 0x1p-52, -1));
    try std.testing.expectEqual(@as(f64, 2.9269197756234273e-18), fmaFloat64(-4.824974057037355e-111, 1.1528997003230834e-306, 2.9269197756234273e-18));
    try std.testing.expectEqual(std.math.inf(f64), fmaFloat64(1e308, 10, -1e300));
    try std.testing.expectEqual(@as(f64, 1e308), fmaFloat64(1e308, 2, -1e308));
    // A subnormal result: 2^-1074 * 0.5 + 2^-1074 = 1.5 * 2^-1074 -> ties to 2 * 2^-1074.
    try std.testing.expectEqual(@as(f64, 0x1p-1073), fmaFloat64(0x1p-1074, 0.5, 0x1p-1074));
}
