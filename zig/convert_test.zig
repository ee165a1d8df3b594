//! Tests of zig/convert.zig, standalone. Run once per ISA; each run tests the
//! paths that CPU selects (F16C or bit manipulation, FMA or emulation):
//!
//!   zig test zig/convert_test.zig -O ReleaseFast -mcpu=x86_64      (sse: software f16, no fma)
//!   zig test zig/convert_test.zig -O ReleaseFast -mcpu=x86_64_v3   (avx2: F16C, FMA)
//!   zig test zig/convert_test.zig -O ReleaseFast -mcpu=x86_64_v4   (avx512)
//!   zig test zig/convert_test.zig -O ReleaseFast -target aarch64-linux \
//!       --test-cmd qemu-aarch64 --test-cmd -L --test-cmd /usr/aarch64-linux-gnu --test-cmd-bin
//!
//! Bit identity across ISAs and against the JS reference is checked by
//! zig/convert_check.zig and test/reference/convert-hashes.ts.

const std = @import("std");
const builtin = @import("builtin");
const convert = @import("convert.zig");
const check = @import("convert_check.zig");

const bits = check.vector_bits;

fn lanesOf(comptime Src: type, comptime Dst: type) comptime_int {
    return convert.lanesFor(bits, Src, Dst);
}

fn bitsEqual(a: anytype, b: @TypeOf(a)) bool {
    const U = std.meta.Int(.unsigned, @bitSizeOf(@TypeOf(a)));
    return @as(U, @bitCast(a)) == @as(U, @bitCast(b));
}

/// What a JS store writes for a NaN.
fn canonical(comptime T: type, x: T) T {
    if (!std.math.isNan(x)) return x;
    return switch (T) {
        f16 => @bitCast(@as(u16, 0x7e00)),
        f32 => @bitCast(@as(u32, 0x7fc00000)),
        f64 => @bitCast(@as(u64, 0x7ff8000000000000)),
        else => unreachable,
    };
}

/// Converts with the vector path, with the streaming vector path and with
/// the 1-lane path; all three must agree.
fn convertBoth(comptime Src: type, comptime Dst: type, src: []const Src, out: []Dst, scale: f64, offset: f64) !void {
    const scratch = try std.testing.allocator.alloc(Dst, out.len);
    defer std.testing.allocator.free(scratch);
    convert.convert(Src, Dst, lanesOf(Src, Dst), src.ptr, scratch.ptr, src.len, scale, offset, true, check.byteTablesHere());
    convert.convert(Src, Dst, lanesOf(Src, Dst), src.ptr, out.ptr, src.len, scale, offset, false, check.byteTablesHere());
    for (out, scratch) |v, s| try std.testing.expect(bitsEqual(v, s));
    convert.convert(Src, Dst, 1, src.ptr, scratch.ptr, src.len, scale, offset, false, false);
    for (out, scratch) |v, s| try std.testing.expect(bitsEqual(v, s));
}

// ---------------------------------------------------------------------------
// float16

test "all 65,536 float16 bit patterns to float32 and float64" {
    const n = 65536;
    const src = try std.testing.allocator.alloc(f16, n);
    defer std.testing.allocator.free(src);
    const out32 = try std.testing.allocator.alloc(f32, n);
    defer std.testing.allocator.free(out32);
    const out64 = try std.testing.allocator.alloc(f64, n);
    defer std.testing.allocator.free(out64);
    for (src, 0..) |*x, i| x.* = @bitCast(@as(u16, @intCast(i)));
    try convertBoth(f16, f32, src, out32, 1, 0);
    try convertBoth(f16, f64, src, out64, 1, 0);
    for (src, out32, out64) |h, o32, o64| {
        // The reference: one scalar conversion each (compiler-rt's
        // __extendhfsf2 on baseline x86, vcvtph2ps on F16C CPUs).
        var hv = h;
        std.mem.doNotOptimizeAway(&hv);
        const expected32: f32 = canonical(f32, @floatCast(hv));
        try std.testing.expect(bitsEqual(o32, expected32));
        try std.testing.expect(bitsEqual(o64, canonical(f64, @as(f64, expected32))));
    }
}

/// The f32 -> f16 reference: exact arithmetic on the value, independent of
/// both the hardware and the bit tricks. f16 values are k * 2^-24 for
/// subnormals and m * 2^(e-10) for normals; t = x / ulp is exact in f64.
fn referenceHalf(x: f64) u16 {
    if (std.math.isNan(x)) return 0x7e00;
    const sign: u16 = if (std.math.signbit(x)) 0x8000 else 0;
    const a = @abs(x);
    if (a >= 65520) return sign | 0x7c00;
    var exponent: i32 = if (a < 0x1p-14) -14 else std.math.ilogb(a);
    const ulp = std.math.ldexp(@as(f64, 1), exponent - 10);
    const scaled = a / ulp; // exact: a power-of-two division
    var m = @floor(scaled);
    const fraction = scaled - m;
    if (fraction > 0.5 or (fraction == 0.5 and @mod(m, 2) == 1)) m += 1;
    var mantissa: u32 = @intFromFloat(m);
    if (a < 0x1p-14) return sign | @as(u16, @intCast(mantissa)); // 0x400 = the smallest normal
    if (mantissa == 2048) {
        mantissa = 1024;
        exponent += 1;
    }
    return sign | @as(u16, @intCast((@as(u32, @intCast(exponent + 15)) << 10) | (mantissa - 1024)));
}

fn expectHalves(comptime Src: type, values: []const Src) !void {
    const out = try std.testing.allocator.alloc(f16, values.len);
    defer std.testing.allocator.free(out);
    try convertBoth(Src, f16, values, out, 1, 0);
    for (values, out) |x, h| {
        const expected = referenceHalf(x);
        const actual: u16 = @bitCast(h);
        if (expected != actual) {
            std.debug.print("{s} -> f16: {e} gave {x:0>4}, expected {x:0>4}\n", .{ @typeName(Src), x, actual, expected });
            return error.TestUnexpectedResult;
        }
    }
}

test "float32 -> float16: every rounding boundary, plus a strided sweep of all 2^32 inputs" {
    var list: std.ArrayList(f32) = .empty;
    defer list.deinit(std.testing.allocator);
    // For every positive float16 value h and its successor: the float32
    // values at, just below and just above the midpoint (every tie), and h
    // itself; both signs. This covers the subnormal edge (2^-25, the
    // smallest subnormal's half), the normal edge (2^-14) and overflow
    // (65504 .. 65520, the midpoint to Inf).
    var h: u16 = 0;
    while (h < 0x7c00) : (h += 1) {
        const low: f64 = @as(f16, @bitCast(h));
        const high: f64 = if (h == 0x7bff) 65536 else @as(f16, @bitCast(h + 1));
        const mid: f32 = @floatCast((low + high) / 2); // exact in f32
        const around = [_]f32{ @floatCast(low), mid, std.math.nextAfter(f32, mid, 0), std.math.nextAfter(f32, mid, std.math.inf(f32)) };
        for (around) |v| try list.appendSlice(std.testing.allocator, &.{ v, -v });
    }
    try list.appendSlice(std.testing.allocator, &.{ std.math.inf(f32), -std.math.inf(f32), std.math.nan(f32), -std.math.nan(f32), std.math.floatMax(f32), std.math.floatTrueMin(f32), 0x1p-149, 0x1p-26, 0x1.000002p-25 });
    try expectHalves(f32, list.items);

    // All 2^32 inputs take a while (zig/convert_exhaustive.zig); here every
    // 997th pattern, a prime stride, so every exponent and mantissa region.
    const stride = 997;
    const sweep = try std.testing.allocator.alloc(f32, (1 << 32) / stride + 1);
    defer std.testing.allocator.free(sweep);
    for (sweep, 0..) |*v, i| v.* = @bitCast(@as(u32, @truncate(i * stride)));
    try expectHalves(f32, sweep);
}

test "float64 -> float16 rounds once (no double rounding through float32)" {
    var list: std.ArrayList(f64) = .empty;
    defer list.deinit(std.testing.allocator);
    var h: u16 = 0;
    while (h < 0x7c00) : (h += 1) {
        const low: f64 = @as(f16, @bitCast(h));
        const high: f64 = if (h == 0x7bff) 65536 else @as(f16, @bitCast(h + 1));
        const mid = (low + high) / 2;
        // Just above/below a float16 midpoint by less than half a float32
        // ulp: float64 -> float32 would round onto the midpoint, and the
        // float16 tie would then go to even instead of the correct side.
        const tiny = (high - low) * 0x1p-40;
        const around = [_]f64{ mid, mid - tiny, mid + tiny, std.math.nextAfter(f64, mid, 0), std.math.nextAfter(f64, mid, std.math.inf(f64)), low };
        for (around) |v| try list.appendSlice(std.testing.allocator, &.{ v, -v });
    }
    try list.appendSlice(std.testing.allocator, &.{ std.math.inf(f64), -std.math.inf(f64), std.math.nan(f64), 1e300, -1e-300, 0x1p-1074, 0x1.0000000001p-25, 65519.999999999 });
    try expectHalves(f64, list.items);
    // The case named in the issue, explicitly: 1 + 2^-11 + 2^-40 is above the
    // midpoint between 1 and 1 + 2^-10, so it rounds up; through float32 it
    // would become the midpoint 1 + 2^-11 and round to even, down to 1.
    const one_up = [_]f64{1 + 0x1p-11 + 0x1p-40};
    var out: [1]f16 = undefined;
    convert.convert(f64, f16, 1, &one_up, &out, 1, 1, 0, false, false);
    try std.testing.expectEqual(@as(u16, 0x3c01), @as(u16, @bitCast(out[0])));
}

// ---------------------------------------------------------------------------
// integers

/// Round half to even, saturate, NaN -> 0, written plainly.
fn referenceInt(comptime T: type, t: f64) T {
    if (std.math.isNan(t)) return 0;
    const lowest: f64 = @floatFromInt(std.math.minInt(T));
    const highest: f64 = @floatFromInt(std.math.maxInt(T));
    if (t <= lowest) return std.math.minInt(T);
    if (t >= highest) return std.math.maxInt(T);
    const below = @floor(t);
    const fraction = t - below;
    var r = below;
    if (fraction > 0.5 or (fraction == 0.5 and @mod(below, 2) == 1)) r += 1;
    return @intFromFloat(r);
}

fn expectIntegerBoundaries(comptime T: type) !void {
    const lo: f64 = @floatFromInt(std.math.minInt(T));
    const hi: f64 = @floatFromInt(std.math.maxInt(T));
    var values: std.ArrayList(f32) = .empty;
    defer values.deinit(std.testing.allocator);
    const anchors = [_]f64{ lo - 1, lo - 0.5, lo, lo + 0.5, lo + 1, lo + 1.5, hi - 1.5, hi - 1, hi - 0.5, hi, hi + 0.5, hi + 1, 0, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5 };
    for (anchors) |a| {
        const f: f32 = @floatCast(a);
        try values.appendSlice(std.testing.allocator, &.{ f, std.math.nextAfter(f32, f, -std.math.inf(f32)), std.math.nextAfter(f32, f, std.math.inf(f32)) });
    }
    try values.appendSlice(std.testing.allocator, &.{ std.math.nan(f32), -std.math.nan(f32), std.math.inf(f32), -std.math.inf(f32), -0.0, std.math.floatMax(f32), -std.math.floatMax(f32), 0x1p-149 });
    const out = try std.testing.allocator.alloc(T, values.items.len);
    defer std.testing.allocator.free(out);
    try convertBoth(f32, T, values.items, out, 1, 0);
    for (values.items, out) |x, r| {
        const expected = referenceInt(T, x);
        if (expected != r) {
            std.debug.print("f32 -> {s}: {e} gave {d}, expected {d}\n", .{ @typeName(T), x, r, expected });
            return error.TestUnexpectedResult;
        }
    }
}

test "integer outputs: saturation at +-0.5 around each limit, ties to even, NaN, Inf" {
    try expectIntegerBoundaries(i32);
    try expectIntegerBoundaries(i16);
    try expectIntegerBoundaries(u16);
    try expectIntegerBoundaries(i8);
    try expectIntegerBoundaries(u8);
    // Spot values, written out: 40000 saturates (JS's Int16Array would wrap
    // it to -25536), 2.5 -> 2, -2.5 -> -2, 3.5 -> 4, 255.5 -> 255 (u8 limit).
    const src = [_]f32{ 40000, 2.5, -2.5, 3.5, std.math.nan(f32), -40000 };
    var out: [6]i16 = undefined;
    convert.convert(f32, i16, lanesOf(f32, i16), &src, &out, 6, 1, 0, false, false);
    try std.testing.expectEqualSlices(i16, &.{ 32767, 2, -2, 4, 0, -32768 }, &out);
}

// ---------------------------------------------------------------------------
// scale and offset

test "PCM: every int16 * 1/32768 -> float32 is exact, and * 32768 back is the identity" {
    var pcm: [65536]i16 = undefined;
    for (&pcm, 0..) |*s, i| s.* = @bitCast(@as(u16, @intCast(i)));
    var floats: [65536]f32 = undefined;
    var back: [65536]i16 = undefined;
    try convertBoth(i16, f32, &pcm, &floats, 1.0 / 32768.0, 0);
    for (pcm, floats) |s, f| try std.testing.expectEqual(@as(f32, @floatFromInt(s)) / 32768.0, f);
    try convertBoth(f32, i16, &floats, &back, 32768, 0);
    try std.testing.expectEqualSlices(i16, &pcm, &back);
    // Full scale +1.0 does not fit: it saturates to 32767.
    const loud = [_]f32{ 1.0, -1.0, 1.5, 0.99998 };
    var out: [4]i16 = undefined;
    convert.convert(f32, i16, 1, &loud, &out, 4, 32768, 0, false, false);
    try std.testing.expectEqualSlices(i16, &.{ 32767, -32768, 32767, 32767 }, &out);
}

test "image: every uint8 * 1/255 - mean, one fused rounding in float64" {
    var pixels: [256]u8 = undefined;
    for (&pixels, 0..) |*p, i| p.* = @intCast(i);
    const means = [_]f64{ 0.485, 0.456, 0.406, 0.5 };
    for (means) |mean| {
        var out: [256]f32 = undefined;
        try convertBoth(u8, f32, &pixels, &out, 1.0 / 255.0, -mean);
        for (pixels, out) |p, o| {
            const t = convert.softFma(@floatFromInt(p), 1.0 / 255.0, -mean);
            try std.testing.expect(bitsEqual(o, @as(f32, @floatCast(t))));
        }
    }
}

/// Random f64 operands with exponents spread over [-range, range], and
/// addends that nearly cancel the product (the hard cases for a fused sum).
const FmaCase = struct { x: f64, s: f64, o: f64 };
fn randomFmaCase(random: std.Random, comptime Src: type, range: i32) FmaCase {
    const x: f64 = switch (Src) {
        f32 => @as(f32, @bitCast(random.int(u32))),
        i16 => @floatFromInt(random.int(i16)),
        u8 => @floatFromInt(random.int(u8)),
        else => @bitCast(random.int(u64)),
    };
    const s = std.math.ldexp(random.float(f64) + 0.5, random.intRangeAtMost(i32, -range, range)) * (if (random.boolean()) @as(f64, 1) else -1);
    const o = switch (random.uintLessThan(u8, 4)) {
        0 => -(x * s), // near cancellation
        1 => -(x * s) * (1 + std.math.ldexp(@as(f64, 1), -random.intRangeAtMost(i32, 20, 60))),
        else => std.math.ldexp(random.float(f64) + 0.5, random.intRangeAtMost(i32, -range, range)) * (if (random.boolean()) @as(f64, 1) else -1),
    };
    return .{ .x = x, .s = s, .o = if (o == 0 or !std.math.isFinite(o)) 1.0 else o };
}

test "softFma equals the hardware fused multiply-add (when this CPU has one)" {
    if (!convert.hardware_fma) return error.SkipZigTest;
    var prng = std.Random.DefaultPrng.init(14);
    const random = prng.random();
    var mismatches: usize = 0;
    for (0..400_000) |i| {
        const c = if (i % 2 == 0) randomFmaCase(random, f64, 1100) else randomFmaCase(random, f32, 300);
        var x = c.x;
        std.mem.doNotOptimizeAway(&x);
        const hardware = @mulAdd(f64, x, c.s, c.o);
        const soft = convert.softFma(x, c.s, c.o);
        if (!bitsEqual(hardware, soft) and !(std.math.isNan(hardware) and std.math.isNan(soft))) {
            if (mismatches < 5) std.debug.print("softFma({e}, {e}, {e}) = {e}, hardware {e}\n", .{ x, c.s, c.o, soft, hardware });
            mismatches += 1;
        }
    }
    // Subnormal and tiny products against large addends (where Zig 0.16's
    // compiler-rt fma returns NaN).
    for ([_]f64{ 0x1p-1074, 0x1p-1030, 1.762152483543777e-308, -0x1.8p-1060 }) |x| {
        try std.testing.expect(bitsEqual(@mulAdd(f64, x, 1.0 / 255.0, -0.485), convert.softFma(x, 1.0 / 255.0, -0.485)));
    }
    try std.testing.expectEqual(@as(usize, 0), mismatches);
}

test "emulated fused multiply-add equals softFma for narrow sources in its range" {
    var prng = std.Random.DefaultPrng.init(1414);
    const random = prng.random();
    inline for (.{ f32, i16, u8 }) |Src| {
        for (0..100_000) |_| {
            const c = randomFmaCase(random, Src, 690);
            if (!(@abs(c.o) >= 0x1p-700 and @abs(c.o) <= 0x1p700)) continue;
            const params = convert.makeParams(c.s, c.o);
            const x: @Vector(1, f64) = @splat(c.x);
            const emulated = convert.emulatedMulAddForTest(x, params)[0];
            const expected = convert.softFma(c.x, c.s, c.o);
            if (!bitsEqual(emulated, expected) and !(std.math.isNan(emulated) and std.math.isNan(expected))) {
                std.debug.print("{s}: emulated fma({e}, {e}, {e}) = {e}, expected {e}\n", .{ @typeName(Src), c.x, c.s, c.o, emulated, expected });
                return error.TestUnexpectedResult;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// loops

test "tails and guard bands: every length 0..80 and some odd starts write exactly out[0..n], with and without streaming stores" {
    var prng = std.Random.DefaultPrng.init(7);
    const random = prng.random();
    inline for (.{ .{ f16, f32 }, .{ f32, f16 }, .{ u8, f32 }, .{ f32, u8 }, .{ i16, f32 }, .{ f64, f16 } }) |pair| {
        const Src = pair[0];
        const Dst = pair[1];
        var src_store: [200]Src = undefined;
        for (&src_store) |*v| v.* = switch (Src) {
            f16 => @bitCast(random.int(u16)),
            f32 => @floatCast(random.float(f64) * 600 - 300),
            f64 => random.float(f64) * 600 - 300,
            else => random.int(Src),
        };
        for ([_]usize{ 0, 1, 3 }) |start| for ([_]bool{ false, true }) |streaming| {
            for (0..81) |n| {
                var out_store: [200]Dst align(64) = undefined;
                var expected: [200]Dst = undefined;
                const guard: Dst = if (@typeInfo(Dst) == .float) 1234.5 else 77;
                @memset(&out_store, guard);
                const src = src_store[start..];
                convert.convert(Src, Dst, lanesOf(Src, Dst), src.ptr, out_store[start..].ptr, n, 0.75, 0.125, streaming, check.byteTablesHere());
                convert.convert(Src, Dst, 1, src.ptr, &expected, n, 0.75, 0.125, false, false);
                for (out_store, 0..) |v, i| {
                    if (i < start or i >= start + n) {
                        try std.testing.expect(bitsEqual(v, guard));
                    } else {
                        try std.testing.expect(bitsEqual(v, expected[i - start]));
                    }
                }
            }
        };
    }
}

test "8-bit sources by byte table (AVX-512 VBMI): every byte value at many scales and offsets, every tail and start, streaming or not, equal the arithmetic path" {
    if (comptime !(builtin.cpu.arch == .x86_64 and bits == 512)) return error.SkipZigTest;
    if (!check.byteTablesHere()) return error.SkipZigTest;
    const n_max = 2048 + 80;
    const allocator = std.testing.allocator;
    inline for (.{ .{ u8, f32 }, .{ i8, f32 }, .{ u8, i32 }, .{ i8, i32 } }) |pair| {
        const Src = pair[0];
        const Dst = pair[1];
        const src_store = try allocator.alloc(Src, n_max + 3);
        defer allocator.free(src_store);
        // Every byte value, then a shuffle of them: the planes' quarters and
        // the pre-permute are exercised in every position.
        var prng = std.Random.DefaultPrng.init(11);
        const random = prng.random();
        for (src_store, 0..) |*v, i| v.* = @bitCast(@as(u8, @truncate(if (i < 256) i else random.int(u8))));
        const out_store = try allocator.alignedAlloc(Dst, .@"64", n_max + 3);
        defer allocator.free(out_store);
        const expected = try allocator.alloc(Dst, n_max);
        defer allocator.free(expected);
        const cases = [_][2]f64{ .{ 1.0 / 255.0, -0.485 }, .{ 1.0 / 255.0, 0 }, .{ 1, 0.1 }, .{ -3.7e10, 1e11 }, .{ 1e-30, -1e-31 }, .{ 1.5e36, 0 }, .{ 0.75, 0.125 }, .{ 1.0 / 127.0, 0 } };
        for (cases) |case| {
            for ([_]usize{ 0, 1, 3 }) |start| for ([_]bool{ false, true }) |streaming| {
                var n: usize = 2048;
                while (n <= n_max) : (n += 13) {
                    const guard: Dst = if (@typeInfo(Dst) == .float) 1234.5 else 77;
                    @memset(out_store, guard);
                    const src = src_store[start..];
                    convert.convert(Src, Dst, 16, src.ptr, out_store[start..].ptr, n, case[0], case[1], streaming, true);
                    convert.convert(Src, Dst, 1, src.ptr, expected.ptr, n, case[0], case[1], false, false);
                    for (out_store, 0..) |v, i| {
                        if (i < start or i >= start + n) {
                            try std.testing.expect(bitsEqual(v, guard));
                        } else {
                            try std.testing.expect(bitsEqual(v, expected[i - start]));
                        }
                    }
                }
            };
        }
    }
}

/// round-half-even(fma(x, scale, offset)) saturated to Dst, NaN -> 0, in
/// float64 one element at a time: the contract, written independently of
/// convert.zig's modes.
fn integerReference(comptime Dst: type, x: f32, scale: f64, offset: f64) Dst {
    const t = @mulAdd(f64, x, scale, offset);
    if (std.math.isNan(t)) return 0;
    const lowest: f64 = @floatFromInt(std.math.minInt(Dst));
    const highest: f64 = @floatFromInt(std.math.maxInt(Dst));
    if (t <= lowest) return std.math.minInt(Dst);
    if (t >= highest) return std.math.maxInt(Dst);
    var rounded = @round(t); // half away from zero; ties go to even below
    if (@abs(t - @trunc(t)) == 0.5 and @mod(rounded, 2) != 0) rounded -= std.math.sign(t);
    return @intFromFloat(rounded);
}

test "float32 to 8-bit integers at and around every half-integer: step 1 in float32 (x86) gives float64's integers" {
    if (!convert.hardware_fma) return error.SkipZigTest; // softFma's own tests cover the rest
    const ulps = 24;
    const n = 256 * 2 * (2 * ulps + 1) + 7;
    var src: [n]f32 = undefined;
    var out8: [n]u8 = undefined;
    var outs8: [n]i8 = undefined;
    // Exact scales and offsets (255, 0.5, 127.5): u is float32's rounding of
    // the exact value, and wrong only where it lands on the half-integer
    // itself. Inexact ones (255.3, 0.7, ...): mostly the same (over all of
    // [0, 1), six of seven such pairs had u exactly k + 1/2 wherever it
    // rounded differently), but x 129.71 + 0.123 had 21 inputs wrong by a
    // step or more. Large offsets that cancel (-65357.3 against x 255.3
    // near 256) leave u off by up to ~2^-9, many float32 steps. Only the
    // slack catches those two kinds.
    const cases = [_][2]f64{ .{ 255, 0 }, .{ 255, 0.5 }, .{ 127.5, 127.5 }, .{ 127, 0 }, .{ 255.3, 0 }, .{ 254.9, 0.7 }, .{ 100.1, -0.3 }, .{ 129.71, 0.123 }, .{ 1.0 / 0.3, -0.25 }, .{ 200.7, 3.3 }, .{ 0.5, 0 }, .{ 3, 0.5 }, .{ 255.3, -65357.3 }, .{ 1000.1, -30000.7 }, .{ 3.7, -60000.1 } };
    for (cases) |case| {
        // For each integer k in range: the float32s nearest (k + 1/2 - offset) / scale, `ulps` either side.
        var i: usize = 0;
        for (0..256) |step| for ([_]f64{ -128, 0 }) |base| {
            const target = (base + @as(f64, @floatFromInt(step)) + 0.5 - case[1]) / case[0];
            var x: f32 = @floatCast(target);
            for (0..ulps) |_| x = std.math.nextAfter(f32, x, -std.math.inf(f32));
            for (0..2 * ulps + 1) |_| {
                src[i] = x;
                i += 1;
                x = std.math.nextAfter(f32, x, std.math.inf(f32));
            }
        };
        for ([_]f32{ std.math.nan(f32), -std.math.inf(f32), std.math.inf(f32), 0, -0.0, 3e38, -3e38 }) |special| {
            src[i] = special;
            i += 1;
        }
        convert.convert(f32, u8, lanesOf(f32, u8), &src, &out8, n, case[0], case[1], false, false);
        convert.convert(f32, i8, lanesOf(f32, i8), &src, &outs8, n, case[0], case[1], false, false);
        for (src, out8, outs8) |x, got8, gots8| {
            try std.testing.expectEqual(integerReference(u8, x, case[0], case[1]), got8);
            try std.testing.expectEqual(integerReference(i8, x, case[0], case[1]), gots8);
        }
        // The 1-lane path too.
        convert.convert(f32, u8, 1, &src, &out8, n, case[0], case[1], false, false);
        for (src, out8) |x, got8| try std.testing.expectEqual(integerReference(u8, x, case[0], case[1]), got8);
    }
}
