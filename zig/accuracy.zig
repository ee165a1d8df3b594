//! The exhaustive accuracy checker's core: feed every float32 (or every
//! stride-th one, plus a list of special and boundary inputs) through a kernel,
//! compare each result with a correctly rounded reference, and count.
//!
//! The reference is independent of math.zig:
//!  - first the float64 functions of Zig's compiler-rt (musl's exp, log, sin,
//!    cos, tanh; error below 1-2 float64 ulps, i.e. ~2^-52 relative);
//!  - when that float64 value lies within 2^-40 (relative: ~4000 times its
//!    error) of a float32 rounding boundary, the value is recomputed in
//!    float128 by the routines below (other formulas than math.zig's slow
//!    paths: direct Taylor series, Newton on exp for log, and an exact
//!    big-integer remainder by pi/2 for sin/cos), accurate to ~2^-100.
//!  - every input where the kernel disagrees with the reference is recomputed
//!    in float128 as well before it is counted, so a float64 reference error
//!    can never be reported as a kernel error.
//! `zig/accuracy_check.py` verifies the float128 reference with mpmath on all
//! hard cases of a strided run and on random inputs.

const std = @import("std");

/// A kernel as a backend exports it: n float32 inputs to n outputs.
pub const Kernel = *const fn (input: [*]const f32, output: [*]f32, n: usize) callconv(.c) void;

pub const Function = enum { exp, log, tanh, sigmoid, sin, cos };

// ---------------------------------------------------------------------------
// The reference
// ---------------------------------------------------------------------------

const ln2: f128 = 0.693147180559945309417232121458176568075500134;
/// floor(pi/2 * 2^400), from mpmath at 1200 bits.
const half_pi_fixed: u640 = 0x1921fb54442d18469898cc51701b839a252049c1114cf98e804177d4c76273644a29410f31c6809bbdf2a33679a7486366056;
const fixed_point_bits = 400;

/// e^y for |y| < 11000 in float128: y = n ln2 + r, |r| <= 0.35, then the
/// plain Taylor series of e^r, summed until terms fall below 2^-120.
fn expReference(y: f128) f128 {
    const n: i32 = @intFromFloat(@round(@as(f64, @floatCast(y / ln2))));
    const r = y - @as(f128, @floatFromInt(n)) * ln2;
    var term: f128 = 1;
    var sum: f128 = 1;
    var i: f128 = 1;
    while (@abs(term) > 0x1p-120) : (i += 1) {
        term = term * r / i;
        sum += term;
    }
    return sum * @as(f128, @bitCast(@as(u128, @intCast(n + 16383)) << 112));
}

/// e^y - 1: series directly for |y| < 1 (no cancellation), else e^y - 1.
fn expm1Reference(y: f128) f128 {
    if (@abs(y) >= 1) return expReference(y) - 1;
    var term: f128 = y;
    var sum: f128 = y;
    var i: f128 = 2;
    while (@abs(term) > @abs(sum) * 0x1p-120) : (i += 1) {
        term = term * y / i;
        sum += term;
    }
    return sum;
}

/// ln x by Newton's method on e^y = x from the float64 log: each step
/// y += x e^-y - 1 squares the error (2^-52 -> 2^-104 -> float128's limit).
fn logReference(x: f128) f128 {
    var y: f128 = @log(@as(f64, @floatCast(x)));
    for (0..2) |_| y += x * expReference(-y) - 1;
    return y;
}

/// sin (or cos) of a finite float32 in float128. The reduction is exact
/// integer division: |x| 2^400 = q (pi/2 2^400) + rem, computed in 640-bit
/// integers; the truncation of pi/2 costs q 2^-400 < 2^-270 radians.
fn sinCosReference(x: f32, comptime want_cos: bool) f128 {
    const ax: f128 = @abs(x);
    var quadrant: u64 = 0;
    var r: f128 = ax;
    if (ax > 0.78) {
        const bits: u32 = @bitCast(@abs(x));
        const m: u640 = (bits & 0x7FFFFF) | 0x800000;
        const e: i32 = @as(i32, @intCast(bits >> 23)) - 150;
        const scaled: u640 = m << @intCast(e + fixed_point_bits);
        var q: u640 = scaled / half_pi_fixed;
        var rem: i1024 = @intCast(scaled % half_pi_fixed);
        if (rem > half_pi_fixed / 2) {
            rem -= half_pi_fixed;
            q += 1;
        }
        quadrant = @truncate(q & 3);
        // Keep the top 120 significant bits for the conversion to float128.
        const magnitude: u1024 = @intCast(@abs(rem));
        const length: i32 = 1024 - @as(i32, @clz(magnitude));
        const drop: u10 = @intCast(@max(0, length - 120));
        const top: f128 = @floatFromInt(@as(u128, @intCast(magnitude >> drop)));
        const scale: f128 = @bitCast(@as(u128, @intCast(@as(i32, drop) - fixed_point_bits + 16383)) << 112);
        r = top * scale;
        if (rem < 0) r = -r;
    }
    if (want_cos) quadrant +%= 1;
    const r2 = r * r;
    var term: f128 = if (quadrant & 1 == 0) r else 1;
    var sum: f128 = term;
    var i: f128 = if (quadrant & 1 == 0) 2 else 1;
    while (@abs(term) > @abs(sum) * 0x1p-120) : (i += 2) {
        term = -term * r2 / (i * (i + 1));
        sum += term;
    }
    const negative = (quadrant & 2 != 0) != (!want_cos and x < 0);
    return if (negative) -sum else sum;
}

/// The function in float128, for finite x where the float64 value was unsure.
pub fn precise(function: Function, x: f32) f128 {
    const xq: f128 = x;
    return switch (function) {
        .exp => if (x > 200) std.math.inf(f128) else if (x < -200) 0 else expReference(xq),
        .log => logReference(xq),
        .tanh => blk: {
            if (@abs(x) > 20) break :blk if (x > 0) 1 else -1;
            const e = expm1Reference(2 * @abs(xq));
            const t = e / (e + 2);
            break :blk if (x < 0) -t else t;
        },
        .sigmoid => if (x > 200) 1 else if (x < -200) 0 else 1 / (1 + expReference(-xq)),
        .sin => sinCosReference(x, false),
        .cos => sinCosReference(x, true),
    };
}

/// The function in float64 from compiler-rt (musl algorithms).
pub fn approximate(function: Function, x: f32) f64 {
    const xd: f64 = x;
    return switch (function) {
        .exp => @exp(xd),
        .log => @log(xd),
        .tanh => std.math.tanh(xd),
        .sigmoid => 1 / (1 + @exp(-xd)),
        .sin => @sin(xd),
        .cos => @cos(xd),
    };
}

pub const Reference = struct {
    /// The correctly rounded float32 result.
    rounded: f32,
    /// The exact value to ~2^-50 or better (for ULP distances).
    value: f64,
    /// True when the float128 fallback decided the rounding.
    hard: bool,
    /// For hard cases: how far the exact value lies from the nearest float32
    /// rounding boundary, relative to the value (inf when not hard).
    closeness: f64 = std.math.inf(f64),
};

/// |q - m| / |q| for the float32 midpoint m nearest to q (normal results).
fn midpointCloseness(q: f128) f64 {
    const r: f32 = @floatCast(q);
    if (!std.math.isFinite(r) or r == 0) return std.math.inf(f64);
    const up: f128 = std.math.nextAfter(f32, r, std.math.inf(f32));
    const down: f128 = std.math.nextAfter(f32, r, -std.math.inf(f32));
    const rq: f128 = r;
    const nearest = @min(@abs(q - (rq + up) / 2), @abs(q - (rq + down) / 2));
    return @floatCast(nearest / @abs(q));
}

const reference_margin: f64 = 0x1p-40;

pub fn reference(function: Function, x: f32) Reference {
    const y = approximate(function, x);
    if (!std.math.isFinite(x) or !std.math.isFinite(y) or y == 0) {
        return .{ .rounded = @floatCast(y), .value = y, .hard = false };
    }
    const width = @abs(y) * reference_margin;
    const low: f32 = @floatCast(y - width);
    const high: f32 = @floatCast(y + width);
    if (low == high) return .{ .rounded = low, .value = y, .hard = false };
    const q = precise(function, x);
    return .{ .rounded = @floatCast(q), .value = @floatCast(q), .hard = true, .closeness = midpointCloseness(q) };
}

/// Distance from `got` to the exact value in units of the float32 spacing at
/// the exact value (2^(exponent - 23), at least 2^-149).
pub fn ulpError(got: f32, exact: f64) f64 {
    if (got == exact) return 0;
    const a = @abs(exact);
    var spacing: f64 = 0x1p-149;
    if (a >= 0x1p-126) {
        const exponent: i64 = @as(i64, @intCast(@as(u64, @bitCast(a)) >> 52)) - 1023;
        spacing = std.math.ldexp(@as(f64, 1), @intCast(exponent - 23));
    }
    return @abs(@as(f64, got) - exact) / spacing;
}

fn sameResult(a: f32, b: f32) bool {
    if (a != a and b != b) return true; // any NaN matches NaN
    return @as(u32, @bitCast(a)) == @as(u32, @bitCast(b));
}

/// Inputs whose expected result is a special value, or that are special
/// themselves: Inf, NaN, zeros, and results of Inf, NaN or zero.
fn isSpecialCase(x: f32, expected: f32) bool {
    return !std.math.isFinite(x) or x == 0 or !std.math.isFinite(expected) or expected == 0;
}

// ---------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------

pub const Report = struct {
    checked: u64 = 0,
    /// Results that differ from the correctly rounded one (any bit; NaN = NaN).
    not_correctly_rounded: u64 = 0,
    /// Of those, results where input or expected output is Inf, NaN or ±0.
    special_mismatches: u64 = 0,
    /// Largest distance to the exact value, in float32 ULPs (0.5 = correctly
    /// rounded at worst). Special mismatches (NaN vs number) are not in it.
    max_ulp: f64 = 0,
    worst_input: u32 = 0,
    /// Inputs where the float128 reference had to decide.
    hard_cases: u64 = 0,
    /// Up to 8 inputs that were not correctly rounded, for a first look.
    examples: [8]u32 = @splat(0),
    /// The 16 inputs whose exact values lie closest to a float32 rounding
    /// boundary (relative distance alongside), for `boundaryInputs`' lists.
    hardest: [16]u32 = @splat(0),
    hardest_closeness: [16]f64 = @splat(std.math.inf(f64)),

    /// Keeps `x` if it is among the 16 closest seen so far.
    fn noteHard(self: *Report, x: u32, closeness: f64) void {
        var worst: usize = 0;
        for (self.hardest_closeness, self.hardest, 0..) |c, seen, i| {
            if (seen == x and std.math.isFinite(c)) return;
            if (c > self.hardest_closeness[worst]) worst = i;
        }
        if (closeness < self.hardest_closeness[worst]) {
            self.hardest[worst] = x;
            self.hardest_closeness[worst] = closeness;
        }
    }

    fn merge(self: *Report, other: Report) void {
        for (0..@min(8 -| self.not_correctly_rounded, other.not_correctly_rounded)) |i| {
            self.examples[self.not_correctly_rounded + i] = other.examples[i];
        }
        for (other.hardest, other.hardest_closeness) |x, c| self.noteHard(x, c);
        self.checked += other.checked;
        self.not_correctly_rounded += other.not_correctly_rounded;
        self.special_mismatches += other.special_mismatches;
        self.hard_cases += other.hard_cases;
        if (other.max_ulp > self.max_ulp) {
            self.max_ulp = other.max_ulp;
            self.worst_input = other.worst_input;
        }
    }
};

const block = 4096;

/// The most kernels one pass checks (every backend of one architecture).
pub const max_kernels = 8;

/// Checks one block of inputs already placed in `input` through every kernel,
/// computing each reference once: the reference costs far more than a kernel.
fn checkBlock(function: Function, kernels: []const Kernel, input: []const f32, reports: []Report) void {
    var outputs: [max_kernels][block]f32 = undefined;
    for (kernels, 0..) |kernel, k| kernel(input.ptr, &outputs[k], input.len);
    for (input, 0..) |x, i| {
        const first_ref = reference(function, x);
        for (reports[0..kernels.len], 0..) |*report, k| {
            const got = outputs[k][i];
            var ref = first_ref;
            if (ref.hard) {
                report.noteHard(@bitCast(x), ref.closeness);
                report.hard_cases += 1;
            }
            if (!sameResult(got, ref.rounded) and !ref.hard and std.math.isFinite(x)) {
                // Confirm a disagreement with the float128 reference before counting it.
                const q = precise(function, x);
                ref = .{ .rounded = @floatCast(q), .value = @floatCast(q), .hard = true };
            }
            report.checked += 1;
            if (!sameResult(got, ref.rounded)) {
                if (report.not_correctly_rounded < 8) report.examples[report.not_correctly_rounded] = @bitCast(x);
                report.not_correctly_rounded += 1;
                if (isSpecialCase(x, ref.rounded) or (got != got)) {
                    report.special_mismatches += 1;
                    continue;
                }
            }
            if (std.math.isFinite(ref.value) and std.math.isFinite(got)) {
                const err = ulpError(got, ref.value);
                if (err > report.max_ulp) {
                    report.max_ulp = err;
                    report.worst_input = @bitCast(x);
                }
            } else if (!sameResult(got, ref.rounded)) {
                report.max_ulp = std.math.inf(f64);
                report.worst_input = @bitCast(x);
            }
        }
    }
}

/// Special and boundary inputs checked on every run, whatever the stride:
/// zeros, Infs, NaNs, subnormal and normal limits, every power of two and its
/// neighbours, and each function's own thresholds with 16 neighbours a side.
pub fn boundaryInputs(function: Function, list: *std.ArrayList(f32), gpa: std.mem.Allocator) !void {
    const fixed = [_]u32{ 0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FFFFFFF, 0xFFFFFFFF, 0x00000001, 0x80000001, 0x007FFFFF, 0x807FFFFF, 0x00800000, 0x80800000, 0x7F7FFFFF, 0xFF7FFFFF };
    for (fixed) |b| try list.append(gpa, @bitCast(b));
    for (1..255) |exponent| {
        for ([_]u32{ 0, 0x80000000 }) |sign| {
            const base: u32 = sign | (@as(u32, @intCast(exponent)) << 23);
            for ([_]u32{ base -% 2, base -% 1, base, base + 1, base + 2 }) |b| try list.append(gpa, @bitCast(b));
        }
    }
    const thresholds: []const f32 = switch (function) {
        // overflow, smallest normal result, smallest subnormal, rounding to 0, to 1
        .exp => &.{ 88.72283935546875, -87.33654475, -103.2789306640625, -103.97207708, 0x1p-24, -0x1p-25, 0x1p-25 },
        .log => &.{ 1.0, 0.5, 2.0, 0.70710677, 1.4142135 },
        .tanh => &.{ 9.010913, -9.010913, 0x1p-12, 0.55, 0.35 },
        .sigmoid => &.{ 17.328680, 16.635532, -87.33654475, -103.97207708, -88.72283935546875, 0x1p-24 },
        .sin, .cos => &.{ 0.78539816, 1.5707963, 3.1415927, 6.2831855, 0x1p17, -0x1p17, 0x1p-12, 1e38, 3.4e38, 31875.0, 1e22 },
    };
    for (thresholds) |t| {
        for ([_]f32{ t, -t }) |v| {
            const b: i64 = @as(u32, @bitCast(v));
            var d: i64 = -16;
            while (d <= 16) : (d += 1) try list.append(gpa, @bitCast(@as(u32, @intCast(b + d))));
        }
    }
}

const Shared = struct {
    function: Function,
    kernels: []const Kernel,
    stride: u64,
    total_blocks: u64,
    next_block: std.atomic.Value(u64) = .init(0),
};

fn worker(shared: *Shared, reports: *[max_kernels]Report) void {
    var input: [block]f32 = undefined;
    const per_block: u64 = block;
    while (true) {
        const index = shared.next_block.fetchAdd(1, .monotonic);
        if (index >= shared.total_blocks) return;
        const first = index * per_block;
        const count: usize = @intCast(@min(per_block, (@as(u64, 1) << 32) / shared.stride - first));
        for (0..count) |i| input[i] = @bitCast(@as(u32, @truncate((first + i) * shared.stride)));
        checkBlock(shared.function, shared.kernels, input[0..count], reports);
    }
}

/// Checks each of `kernels` (which all compute `function`) on every
/// stride-th float32 bit pattern (stride 1: all 2^32) plus `boundaryInputs`,
/// on `threads` threads; one report per kernel.
pub fn checkFunction(function: Function, kernels: []const Kernel, stride: u64, threads: usize, gpa: std.mem.Allocator) ![max_kernels]Report {
    std.debug.assert(kernels.len <= max_kernels);
    const inputs = (@as(u64, 1) << 32) / stride;
    var shared = Shared{ .function = function, .kernels = kernels, .stride = stride, .total_blocks = (inputs + block - 1) / block };
    var reports: [16][max_kernels]Report = @splat(@splat(.{}));
    var handles: [16]std.Thread = undefined;
    const n = @min(threads, 16);
    for (0..n) |t| handles[t] = try std.Thread.spawn(.{}, worker, .{ &shared, &reports[t] });
    for (0..n) |t| handles[t].join();

    var list: std.ArrayList(f32) = .empty;
    defer list.deinit(gpa);
    try boundaryInputs(function, &list, gpa);
    var boundary: [max_kernels]Report = @splat(.{});
    var start: usize = 0;
    while (start < list.items.len) : (start += block) {
        checkBlock(function, kernels, list.items[start..@min(start + block, list.items.len)], &boundary);
    }

    var total: [max_kernels]Report = @splat(.{});
    for (&total, 0..) |*t, k| {
        for (reports[0..n]) |r| t.merge(r[k]);
        t.merge(boundary[k]);
    }
    return total;
}

test "reference agrees with known values" {
    try std.testing.expectEqual(@as(f32, 2.7182817), reference(.exp, 1).rounded);
    try std.testing.expectEqual(@as(f32, 0.84147096), reference(.sin, 1).rounded);
    // Large arguments: the integer reduction against musl's (float64).
    for ([_]f32{ 1e22, 3.4e38, 12345.678, 0x1p17, 2.0 }) |x| {
        try std.testing.expectApproxEqRel(@sin(@as(f64, x)), @as(f64, @floatCast(precise(.sin, x))), 1e-15);
        try std.testing.expectApproxEqRel(@cos(@as(f64, x)), @as(f64, @floatCast(precise(.cos, x))), 1e-15);
    }
    try std.testing.expectApproxEqRel(@as(f64, @log(@as(f64, 3))), @as(f64, @floatCast(precise(.log, 3))), 1e-16);
}
