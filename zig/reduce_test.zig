//! Tests of zig/reduce.zig, standalone (no catalog needed):
//!
//!   zig test zig/reduce_test.zig -O ReleaseSafe                    # everything
//!   zig test zig/reduce_test.zig -O ReleaseFast -mcpu=x86_64 --test-filter hash
//!
//! The "hash" test prints one hash of every result over a fixed set of
//! pseudo-random inputs (lengths 0..300 and a few large ones, special values
//! included). Building it for x86_64, x86_64_v3, x86_64_v4 and aarch64 (under
//! qemu) and comparing the printed hashes checks bit-identity across ISAs;
//! inside one binary the same test checks lanes 1, 2, 4 and 8 against each
//! other. zig/reduce_check_isas.sh does all of that.

const std = @import("std");
const reduce = @import("reduce.zig");

const all_lanes = .{ 1, 2, 4, 8 };
const u = 0x1p-53;

// ---------------------------------------------------------------------------
// An exact accumulator: a 4480-bit two's complement fixed-point number whose
// lowest bit weighs 2^-2200. Every double is m * 2^e with m < 2^53 and
// e >= -1074, so every double and every product of two doubles is an exact
// integer multiple of 2^-2148 and fits.
// ---------------------------------------------------------------------------

const Exact = struct {
    const limb_count = 70;
    const lowest_exponent = -2200;
    limbs: [limb_count]u64 = @splat(0),

    const Decomposed = struct { mantissa: u64, exponent: i32, negative: bool };

    fn decompose(x: f64) Decomposed {
        const bits: u64 = @bitCast(x);
        const biased: i32 = @intCast((bits >> 52) & 0x7ff);
        const fraction = bits & ((1 << 52) - 1);
        std.debug.assert(biased != 0x7ff); // finite inputs only
        return .{
            .mantissa = if (biased == 0) fraction else fraction | (1 << 52),
            .exponent = if (biased == 0) -1074 else biased - 1075,
            .negative = bits >> 63 == 1,
        };
    }

    /// Adds (or subtracts) mantissa * 2^exponent.
    fn addScaled(self: *Exact, negative: bool, mantissa: u128, exponent: i32) void {
        if (mantissa == 0) return;
        const position: u32 = @intCast(exponent - lowest_exponent);
        const first = position / 64;
        const wide: u256 = @as(u256, mantissa) << @intCast(position % 64);
        var carry: u1 = 0;
        var k: usize = 0;
        while (first + k < limb_count) : (k += 1) {
            const part: u64 = if (k < 4) @truncate(wide >> @intCast(64 * k)) else 0;
            if (k >= 4 and carry == 0) break;
            const limb = &self.limbs[first + k];
            if (negative) {
                const step1 = @subWithOverflow(limb.*, part);
                const step2 = @subWithOverflow(step1[0], carry);
                limb.* = step2[0];
                carry = step1[1] | step2[1];
            } else {
                const step1 = @addWithOverflow(limb.*, part);
                const step2 = @addWithOverflow(step1[0], carry);
                limb.* = step2[0];
                carry = step1[1] | step2[1];
            }
        }
    }

    fn add(self: *Exact, x: f64) void {
        const d = decompose(x);
        self.addScaled(d.negative, d.mantissa, d.exponent);
    }

    fn addProduct(self: *Exact, x: f64, y: f64) void {
        const dx = decompose(x);
        const dy = decompose(y);
        self.addScaled(dx.negative != dy.negative, @as(u128, dx.mantissa) * dy.mantissa, dx.exponent + dy.exponent);
    }

    /// The value, to about 2^-60 relative (good enough to measure errors).
    fn approximate(self: Exact) f64 {
        var magnitude = self.limbs;
        const negative = magnitude[limb_count - 1] >> 63 == 1;
        if (negative) { // two's complement negation
            var carry: u1 = 1;
            for (&magnitude) |*limb| {
                const r = @addWithOverflow(~limb.*, carry);
                limb.* = r[0];
                carry = r[1];
            }
        }
        var top: usize = limb_count;
        while (top > 0 and magnitude[top - 1] == 0) top -= 1;
        if (top == 0) return 0;
        var value: f64 = 0;
        var k = top;
        while (k > 0 and k + 3 > top) : (k -= 1) {
            value += std.math.ldexp(@as(f64, @floatFromInt(magnitude[k - 1])), @as(i32, @intCast(64 * (k - 1))) + lowest_exponent);
        }
        return if (negative) -value else value;
    }
};

/// gamma(k) = k u / (1 - k u).
fn gamma(k: usize) f64 {
    const ku = @as(f64, @floatFromInt(k)) * u;
    return ku / (1 - ku);
}

/// h of the documented error bound: roundings a term passes through.
fn roundingDepth(n: usize) usize {
    if (n <= 1) return 0;
    const per_chain = (@min(n, reduce.block_len) + reduce.accumulators - 1) / reduce.accumulators;
    const blocks = (n + reduce.block_len - 1) / reduce.block_len;
    return (per_chain - 1) + std.math.log2_int_ceil(usize, blocks) + std.math.log2_int(usize, reduce.accumulators);
}

// ---------------------------------------------------------------------------
// Deterministic inputs built from integer random bits only (no libm), so
// that every ISA generates the same bits.
// ---------------------------------------------------------------------------

const Kind = enum {
    /// Magnitudes from 2^-20 to 2^20, both signs.
    moderate,
    /// moderate, with one element in 8 a special value.
    specials,
    /// f64: magnitudes near 1e200 (overflow unless rescaled).
    huge,
    /// f64: magnitudes near 1e-200 (underflow unless rescaled).
    tiny,
};

fn randomFloat(comptime T: type, random: std.Random, min_exp: i32, max_exp: i32) T {
    const U = std.meta.Int(.unsigned, @bitSizeOf(T));
    const mantissa_bits = std.math.floatMantissaBits(T);
    const bias = std.math.floatExponentMax(T);
    const e = random.intRangeAtMost(i32, min_exp, max_exp);
    const fraction = random.int(U) & ((@as(U, 1) << mantissa_bits) - 1);
    const sign: U = if (random.boolean()) @as(U, 1) << (@bitSizeOf(T) - 1) else 0;
    return @bitCast(sign | (@as(U, @intCast(e + bias)) << mantissa_bits) | fraction);
}

fn specialValue(comptime T: type, random: std.Random) T {
    const values = [_]T{ std.math.nan(T), std.math.inf(T), -std.math.inf(T), 0.0, -0.0, std.math.floatTrueMin(T), -std.math.floatMin(T), std.math.floatMax(T), -std.math.floatMax(T), 1.0, -1.0 };
    return values[random.uintLessThan(usize, values.len)];
}

fn fill(comptime T: type, random: std.Random, kind: Kind, out: []T) void {
    for (out) |*v| v.* = switch (kind) {
        .moderate => randomFloat(T, random, -20, 20),
        .specials => if (random.uintLessThan(u8, 8) == 0) specialValue(T, random) else randomFloat(T, random, -20, 20),
        .huge => if (T == f64) randomFloat(T, random, 660, 670) else randomFloat(T, random, 100, 127),
        .tiny => if (T == f64) randomFloat(T, random, -670, -660) else randomFloat(T, random, -126, -100),
    };
}

// ---------------------------------------------------------------------------
// Bit identity across lanes, and the hash for bit identity across ISAs
// ---------------------------------------------------------------------------

fn canonicalBits(x: f64) u64 {
    return if (std.math.isNan(x)) 0x7ff8000000000000 else @bitCast(x);
}

/// All single-array and pair results for one input, for one `lanes`.
fn results(comptime T: type, comptime lanes: comptime_int, a: []const T, b: []const T, rows_out: []T) [14]u64 {
    const n = a.len;
    var r: [14]u64 = undefined;
    r[0] = canonicalBits(reduce.sum(T, lanes, a.ptr, n));
    r[1] = canonicalBits(reduce.dot(T, lanes, a.ptr, b.ptr, n));
    r[2] = canonicalBits(reduce.sqeuclidean(T, lanes, a.ptr, b.ptr, n));
    r[3] = canonicalBits(reduce.norm(T, lanes, a.ptr, n));
    r[4] = canonicalBits(reduce.euclidean(T, lanes, a.ptr, b.ptr, n));
    r[5] = canonicalBits(reduce.cosine(T, lanes, a.ptr, b.ptr, n));
    r[6] = canonicalBits(reduce.min(T, lanes, a.ptr, n));
    r[7] = canonicalBits(reduce.max(T, lanes, a.ptr, n));
    r[8] = if (n > 0) reduce.argmin(T, lanes, a.ptr, n) else 0;
    r[9] = if (n > 0) reduce.argmax(T, lanes, a.ptr, n) else 0;
    // Rows: a as rows of dim 3 (or fewer rows when it does not divide), b's
    // first elements as the query.
    const dim = 3;
    const rows = n / dim;
    var rows_hash = std.hash.Wyhash.init(0);
    inline for (.{ reduce.rowsDot, reduce.rowsSqeuclidean, reduce.rowsCosine }) |rowsFn| {
        rowsFn(T, lanes, a.ptr, b.ptr, rows_out.ptr, rows, dim);
        for (rows_out[0..rows]) |x| rows_hash.update(std.mem.asBytes(&canonicalBits(x)));
    }
    r[10] = rows_hash.final();
    // Rows equal the single calls rounded to T.
    var mismatches: u64 = 0;
    for (0..rows) |row| {
        reduce.rowsCosine(T, lanes, a.ptr + row * dim, b.ptr, rows_out.ptr, 1, dim);
        const single: T = @floatCast(reduce.cosine(T, lanes, a.ptr + row * dim, b.ptr, dim));
        if (canonicalBits(single) != canonicalBits(rows_out[0])) mismatches += 1;
    }
    r[11] = mismatches;
    r[12] = canonicalBits(reduce.sum(T, lanes, b.ptr, n));
    r[13] = canonicalBits(reduce.norm(T, lanes, b.ptr, n));
    return r;
}

const hash_lengths = blk: {
    var lengths: [301 + 9]usize = undefined;
    for (0..301) |i| lengths[i] = i;
    const large = [_]usize{ 1023, 1024, 1025, 2047, 3073, 5000, 16 * 1024 + 5, 65_537, 100_003 };
    for (large, 0..) |n, i| lengths[301 + i] = n;
    break :blk lengths;
};

fn hashOneType(comptime T: type, hasher: *std.hash.Wyhash, random: std.Random) !void {
    const max_n = 100_003 + 1;
    const a_store = try std.testing.allocator.alloc(T, max_n);
    defer std.testing.allocator.free(a_store);
    const b_store = try std.testing.allocator.alloc(T, max_n);
    defer std.testing.allocator.free(b_store);
    const rows_out = try std.testing.allocator.alloc(T, max_n);
    defer std.testing.allocator.free(rows_out);
    for (std.enums.values(Kind)) |kind| {
        for (hash_lengths) |n| {
            // Offset 1: a typed-array view is only element-aligned.
            const offset = n % 2;
            const a = a_store[offset..][0..n];
            const b = b_store[offset..][0..n];
            fill(T, random, kind, a);
            fill(T, random, kind, b);
            const reference = results(T, 1, a, b, rows_out);
            try std.testing.expectEqual(@as(u64, 0), reference[11]);
            inline for (all_lanes) |lanes| {
                const got = results(T, lanes, a, b, rows_out);
                if (!std.mem.eql(u64, &reference, &got)) {
                    std.debug.print("{s} {s} n={d}: lanes {d} differ from lanes 1\n  {any}\n  {any}\n", .{ @typeName(T), @tagName(kind), n, lanes, reference, got });
                    return error.LanesDisagree;
                }
            }
            hasher.update(std.mem.sliceAsBytes(&reference));
        }
    }
}

test "hash: every lanes count gives the same bits; print the hash for ISA comparison" {
    var prng = std.Random.DefaultPrng.init(0x12);
    var hasher = std.hash.Wyhash.init(0);
    try hashOneType(f32, &hasher, prng.random());
    try hashOneType(f64, &hasher, prng.random());
    std.debug.print("reduce results hash: {x:0>16}\n", .{hasher.final()});
}

// ---------------------------------------------------------------------------
// The documented order, written a second time as plain scalar code
// ---------------------------------------------------------------------------

/// The order of the module doc comment, literally: blocks, partial sums by
/// index, a binary-counter tree of blocks, then the halving fold. Written
/// without vectors so that it cannot share a mistake with reduce.zig.
fn specificationSum(values: []const f64) f64 {
    const K = reduce.accumulators;
    var pending: [64][K]f64 = undefined;
    var blocks: usize = 0;
    var start: usize = 0;
    while (start < values.len) : (start += reduce.block_len) {
        var partial: [K]f64 = @splat(0.0);
        const end = @min(values.len, start + reduce.block_len);
        for (start..end) |i| partial[(i - start) % K] += values[i];
        var level: usize = 0;
        while (blocks >> @intCast(level) & 1 == 1) : (level += 1) {
            for (0..K) |j| partial[j] = pending[level][j] + partial[j];
        }
        pending[level] = partial;
        blocks += 1;
    }
    var total: [K]f64 = @splat(0.0);
    var first = true;
    for (0..64) |level| {
        if (blocks >> @intCast(level) & 1 == 0) continue;
        if (first) {
            total = pending[level];
        } else {
            for (0..K) |j| total[j] = pending[level][j] + total[j];
        }
        first = false;
    }
    var half: usize = K / 2;
    while (half >= 1) : (half /= 2) {
        for (0..half) |j| total[j] += total[j + half];
    }
    return total[0];
}

test "sum follows the documented order exactly" {
    var prng = std.Random.DefaultPrng.init(7);
    const random = prng.random();
    const values = try std.testing.allocator.alloc(f64, 40_000);
    defer std.testing.allocator.free(values);
    // Wildly varied magnitudes: a different order would change the bits.
    for (values) |*v| v.* = randomFloat(f64, random, -60, 60);
    for ([_]usize{ 0, 1, 15, 16, 17, 1000, 1024, 1025, 3 * 1024 + 7, 5 * 1024, 7 * 1024 + 1, 40_000 }) |n| {
        const expected = specificationSum(values[0..n]);
        inline for (all_lanes) |lanes| {
            try std.testing.expectEqual(@as(u64, @bitCast(expected)), @as(u64, @bitCast(reduce.sum(f64, lanes, values.ptr, n))));
        }
    }
}

// ---------------------------------------------------------------------------
// Accuracy against the exact accumulator, on adversarial inputs
// ---------------------------------------------------------------------------

const Checked = enum { sum, dot, sqeuclidean };

/// |computed - exact| <= gamma(h + extra) * sum |term| for `what` on a, b.
fn expectWithinBound(comptime T: type, comptime what: Checked, a: []const T, b: []const T, label: []const u8, verbose: bool) !void {
    const n = a.len;
    var exact: Exact = .{};
    var magnitude: Exact = .{};
    for (a, b) |x_t, y_t| {
        const x: f64 = x_t;
        const y: f64 = y_t;
        switch (what) {
            .sum => {
                exact.add(x);
                magnitude.add(@abs(x));
            },
            .dot => {
                exact.addProduct(x, y);
                magnitude.addProduct(@abs(x), @abs(y));
            },
            .sqeuclidean => {
                // (x - y)^2 = x^2 - 2xy + y^2, all exact products.
                exact.addProduct(x, x);
                exact.addProduct(-2 * x, y);
                exact.addProduct(y, y);
                magnitude.addProduct(x, x);
                magnitude.addProduct(-2 * x, y);
                magnitude.addProduct(y, y);
            },
        }
    }
    const computed = switch (what) {
        .sum => reduce.sum(T, 8, a.ptr, n),
        .dot => reduce.dot(T, 8, a.ptr, b.ptr, n),
        .sqeuclidean => reduce.sqeuclidean(T, 8, a.ptr, b.ptr, n),
    };
    const extra: usize = switch (what) {
        .sum => 0,
        .dot => if (T == f32) 0 else 1,
        .sqeuclidean => 3,
    };
    var residual = exact;
    residual.add(-computed);
    const err = @abs(residual.approximate());
    const bound = gamma(roundingDepth(n) + extra) * magnitude.approximate() * (1 + 1e-12);
    if (!(err <= bound)) {
        std.debug.print("{s} {s} {s} n={d}: error {e} > bound {e} (exact {e}, computed {e})\n", .{ label, @tagName(what), @typeName(T), n, err, bound, exact.approximate(), computed });
        return error.OutsideErrorBound;
    }
    if (!verbose) return;
    // The plain left-to-right loop, for the record (it is what JS computes).
    var naive: f64 = 0;
    for (a, b) |x, y| naive += switch (what) {
        .sum => @as(f64, x),
        .dot => @as(f64, x) * @as(f64, y),
        .sqeuclidean => (@as(f64, x) - @as(f64, y)) * (@as(f64, x) - @as(f64, y)),
    };
    var naive_residual = exact;
    naive_residual.add(-naive);
    const exact_value = exact.approximate();
    std.debug.print("  {s:<28} {s:<11} {s} n={d:>8}: |error| {e:.2} (bound {e:.2}; left-to-right loop {e:.2}), exact {e:.6}\n", .{ label, @tagName(what), @typeName(T), n, err, bound, @abs(naive_residual.approximate()), exact_value });
}

fn shuffle(comptime T: type, random: std.Random, values: []T) void {
    random.shuffle(T, values);
}

test "accuracy: heavy cancellation, 1e8 plus millions of tiny values, alternating signs, 10M elements" {
    const allocator = std.testing.allocator;
    var prng = std.Random.DefaultPrng.init(99);
    const random = prng.random();
    const big_n = 10_000_000;
    const a64 = try allocator.alloc(f64, big_n);
    defer allocator.free(a64);
    const b64 = try allocator.alloc(f64, big_n);
    defer allocator.free(b64);
    const a32 = try allocator.alloc(f32, big_n);
    defer allocator.free(a32);
    const b32 = try allocator.alloc(f32, big_n);
    defer allocator.free(b32);

    // Heavy cancellation: values up to 2^60 and their negatives, shuffled,
    // plus small values: the exact sum is tiny against sum |x|.
    {
        const n = 200_000;
        for (0..n / 2) |i| {
            a64[i] = randomFloat(f64, random, 0, 60);
            a64[n / 2 + i] = -a64[i] + randomFloat(f64, random, -10, -5);
        }
        shuffle(f64, random, a64[0..n]);
        for (0..n) |i| b64[i] = randomFloat(f64, random, -2, 2);
        try expectWithinBound(f64, .sum, a64[0..n], b64[0..n], "heavy cancellation", true);
        try expectWithinBound(f64, .dot, a64[0..n], b64[0..n], "heavy cancellation", true);
        for (0..n) |i| {
            a32[i] = @floatCast(a64[i]);
            b32[i] = @floatCast(b64[i]);
        }
        try expectWithinBound(f32, .sum, a32[0..n], b32[0..n], "heavy cancellation", true);
        try expectWithinBound(f32, .dot, a32[0..n], b32[0..n], "heavy cancellation", true);
    }
    // 1e8 followed by 3 million values of about 1e-9: a left-to-right sum
    // never moves off 1e8 (its ulp is 1.5e-8).
    {
        const n = 3_000_001;
        a64[0] = 1e8;
        for (1..n) |i| a64[i] = 1e-9 * (1 + @as(f64, @floatFromInt(i % 7)) / 8);
        for (0..n) |i| b64[i] = 1;
        try expectWithinBound(f64, .sum, a64[0..n], b64[0..n], "1e8 + 3M tiny", true);
        for (0..n) |i| a32[i] = @floatCast(a64[i]);
        try expectWithinBound(f32, .sum, a32[0..n], a32[0..n], "1e8 + 3M tiny", true);
        // The 3M tiny values contribute about 4.3e-3: visible in our sum.
        const s = reduce.sum(f64, 8, a64.ptr, n);
        try std.testing.expect(s - 1e8 > 4e-3);
    }
    // Alternating signs, slowly varying magnitudes.
    {
        const n = 1_000_000;
        for (0..n) |i| {
            const magnitude = 1 + @as(f64, @floatFromInt(i)) * 1e-7;
            a64[i] = if (i % 2 == 0) magnitude else -magnitude;
            b64[i] = if (i % 3 == 0) -magnitude else magnitude;
            a32[i] = @floatCast(a64[i]);
            b32[i] = @floatCast(b64[i]);
        }
        try expectWithinBound(f64, .sum, a64[0..n], b64[0..n], "alternating signs", true);
        try expectWithinBound(f64, .dot, a64[0..n], b64[0..n], "alternating signs", true);
        try expectWithinBound(f64, .sqeuclidean, a64[0..n], b64[0..n], "alternating signs", true);
        try expectWithinBound(f32, .sum, a32[0..n], b32[0..n], "alternating signs", true);
        try expectWithinBound(f32, .dot, a32[0..n], b32[0..n], "alternating signs", true);
    }
    // 10M random elements of varied magnitude and sign.
    {
        for (0..big_n) |i| {
            a64[i] = randomFloat(f64, random, -30, 30);
            b64[i] = randomFloat(f64, random, -30, 30);
            a32[i] = @floatCast(a64[i]);
            b32[i] = @floatCast(b64[i]);
        }
        try expectWithinBound(f64, .sum, a64, b64, "10M random", true);
        try expectWithinBound(f64, .dot, a64, b64, "10M random", true);
        try expectWithinBound(f64, .sqeuclidean, a64, b64, "10M random", true);
        try expectWithinBound(f32, .sum, a32, b32, "10M random", true);
        try expectWithinBound(f32, .dot, a32, b32, "10M random", true);
        try expectWithinBound(f32, .sqeuclidean, a32, b32, "10M random", true);
    }
}

test "accuracy: random lengths 0..2100 within the bound" {
    var prng = std.Random.DefaultPrng.init(5);
    const random = prng.random();
    var a: [2100]f64 = undefined;
    var b: [2100]f64 = undefined;
    var a32: [2100]f32 = undefined;
    var b32: [2100]f32 = undefined;
    var n: usize = 0;
    while (n < a.len) : (n += 1 + n / 8) {
        fill(f64, random, .moderate, &a);
        fill(f64, random, .moderate, &b);
        fill(f32, random, .moderate, &a32);
        fill(f32, random, .moderate, &b32);
        inline for (.{ Checked.sum, Checked.dot, Checked.sqeuclidean }) |what| {
            try expectWithinBound(f64, what, a[0..n], b[0..n], "random", false);
            try expectWithinBound(f32, what, a32[0..n], b32[0..n], "random", false);
        }
    }
}

// ---------------------------------------------------------------------------
// norm, euclidean, cosine: no overflow or underflow, against f128
// ---------------------------------------------------------------------------

/// sqrt(sum x^2), sqrt(sum (a-b)^2) and the cosine distance in f128, whose
/// exponent range (2^±16383) holds every square of a double, and whose 113-bit
/// significand holds each square exactly.
const Wide = struct {
    fn norm(a: []const f64) f128 {
        var s: f128 = 0;
        for (a) |x| s += @as(f128, x) * x;
        return @sqrt(s);
    }
    fn euclidean(a: []const f64, b: []const f64) f128 {
        var s: f128 = 0;
        for (a, b) |x, y| {
            const d = @as(f128, x) - y;
            s += d * d;
        }
        return @sqrt(s);
    }
    fn cosine(a: []const f64, b: []const f64) f128 {
        var ab: f128 = 0;
        var aa: f128 = 0;
        var bb: f128 = 0;
        for (a, b) |x, y| {
            ab += @as(f128, x) * y;
            aa += @as(f128, x) * x;
            bb += @as(f128, y) * y;
        }
        return 1 - ab / @sqrt(aa * bb);
    }
};

fn expectRelative(expected: f128, actual: f64, bound: f64, label: []const u8) !void {
    const err: f64 = @floatCast(@abs((@as(f128, actual) - expected) / expected));
    if (!(err <= bound)) {
        std.debug.print("{s}: expected {e}, got {e}, relative error {e} > {e}\n", .{ label, @as(f64, @floatCast(expected)), actual, err, bound });
        return error.OutsideErrorBound;
    }
}

test "norm, euclidean and cosine never overflow or underflow (f64 near 1e+-200 and the range ends)" {
    var prng = std.Random.DefaultPrng.init(3);
    const random = prng.random();
    var a: [1500]f64 = undefined;
    var b: [1500]f64 = undefined;
    for ([_][2]i32{ .{ 660, 670 }, .{ -670, -660 }, .{ 990, 1015 }, .{ -1022, -1000 }, .{ -5, 5 }, .{ 500, 520 } }) |range| {
        for ([_]usize{ 1, 2, 7, 16, 100, 1500 }) |n| {
            for (0..n) |i| {
                a[i] = randomFloat(f64, random, range[0], range[1]);
                b[i] = randomFloat(f64, random, range[0], range[1]);
            }
            const h = roundingDepth(n);
            const root_bound = gamma(h + 3) / 2 + 2 * u;
            inline for (all_lanes) |lanes| {
                const nrm = reduce.norm(f64, lanes, &a, n);
                const euc = reduce.euclidean(f64, lanes, &a, &b, n);
                const cos = reduce.cosine(f64, lanes, &a, &b, n);
                if (!(std.math.isFinite(nrm) and nrm > 0)) {
                    std.debug.print("norm of {d} elements in 2^[{d}, {d}] with lanes {d} is {e}\n", .{ n, range[0], range[1], lanes, nrm });
                    return error.NormOutOfRange;
                }
                try expectRelative(Wide.norm(a[0..n]), nrm, root_bound, "norm");
                try expectRelative(Wide.euclidean(a[0..n], b[0..n]), euc, root_bound, "euclidean");
                const wide_cos = Wide.cosine(a[0..n], b[0..n]);
                const cos_err: f64 = @floatCast(@abs(@as(f128, cos) - wide_cos));
                if (!(cos_err <= 2 * gamma(h + 1) + 6 * u)) {
                    std.debug.print("cosine of {d} elements in 2^[{d}, {d}]: {e}, expected {e}\n", .{ n, range[0], range[1], cos, @as(f64, @floatCast(wide_cos)) });
                    return error.OutsideErrorBound;
                }
            }
        }
    }
    // Exact cases: 3-4-5 triangles (times 2^660, 2^-670, 2^1019, 2^-1074), and a vector
    // that is its own scaled copy (cosine distance 0).
    const pairs = [_][2]f64{ .{ 0x1.8p661, 0x1p662 }, .{ 0x1.8p-669, 0x1p-668 }, .{ 0x1.8p1020, 0x1p1021 }, .{ 3 * 0x1p-1074, 4 * 0x1p-1074 } };
    const fives = [_]f64{ 0x1.4p662, 0x1.4p-668, 0x1.4p1021, 5 * 0x1p-1074 };
    for (pairs, fives) |pair, five| {
        inline for (all_lanes) |lanes| {
            try std.testing.expectEqual(five, reduce.norm(f64, lanes, &pair, 2));
            const zeros = [_]f64{ 0, 0 };
            try std.testing.expectEqual(five, reduce.euclidean(f64, lanes, &pair, &zeros, 2));
            const doubled = [_]f64{ pair[0] * 2, pair[1] * 2 };
            try std.testing.expectEqual(@as(f64, 0), reduce.cosine(f64, lanes, &pair, &doubled, 2));
        }
    }
    // A result beyond the range is Inf, not NaN: sqrt(2) * max.
    const maxes = [_]f64{ std.math.floatMax(f64), std.math.floatMax(f64) };
    try std.testing.expect(std.math.isPositiveInf(reduce.norm(f64, 8, &maxes, 2)));
    // Scaled by 2^-1 it fits: max * sqrt(2) / 2 ~ 1.27e308.
    const halves = [_]f64{ std.math.floatMax(f64) / 2, std.math.floatMax(f64) / 2 };
    try expectRelative(Wide.norm(&halves), reduce.norm(f64, 8, &halves, 2), 2 * u, "norm near max");
}

test "cosine conventions: zero vectors, NaN, Inf; f32 large values need no rescaling" {
    const zero = [_]f64{ 0, -0.0, 0 };
    const some = [_]f64{ 1, 2, 3 };
    const tiny = [_]f64{ 0x1p-1074, 0, 0 }; // not all zero, but its square underflows
    const with_nan = [_]f64{ 1, std.math.nan(f64), 3 };
    const with_inf = [_]f64{ 1, std.math.inf(f64), 3 };
    inline for (all_lanes) |lanes| {
        try std.testing.expectEqual(@as(f64, 0), reduce.cosine(f64, lanes, &zero, &zero, 3));
        try std.testing.expectEqual(@as(f64, 1), reduce.cosine(f64, lanes, &zero, &some, 3));
        try std.testing.expectEqual(@as(f64, 1), reduce.cosine(f64, lanes, &some, &zero, 3));
        try std.testing.expectEqual(@as(f64, 0), reduce.cosine(f64, lanes, &some, &some, 3));
        try std.testing.expectEqual(@as(f64, 0), reduce.cosine(f64, lanes, &tiny, &tiny, 3));
        try std.testing.expectEqual(@as(f64, 1), reduce.cosine(f64, lanes, &tiny, &zero, 3));
        try std.testing.expect(std.math.isNan(reduce.cosine(f64, lanes, &with_nan, &some, 3)));
        try std.testing.expect(std.math.isNan(reduce.cosine(f64, lanes, &with_nan, &zero, 3)));
        try std.testing.expect(std.math.isNan(reduce.cosine(f64, lanes, &with_inf, &some, 3)));
        try std.testing.expectEqual(@as(f64, 2), reduce.cosine(f64, lanes, &some, &[_]f64{ -1, -2, -3 }, 3));
        // Empty: sums, dot, norm, distances are 0; cosine of two empty
        // vectors is the both-zero case, 0.
        try std.testing.expectEqual(@as(f64, 0), reduce.cosine(f64, lanes, &some, &some, 0));
        try std.testing.expectEqual(@as(u64, 0), @as(u64, @bitCast(reduce.sum(f64, lanes, &some, 0))));
        try std.testing.expectEqual(@as(u64, 0), @as(u64, @bitCast(reduce.dot(f64, lanes, &some, &some, 0))));
        try std.testing.expectEqual(@as(u64, 0), @as(u64, @bitCast(reduce.norm(f32, lanes, &[_]f32{1}, 0))));
        try std.testing.expectEqual(@as(u64, 0), @as(u64, @bitCast(reduce.euclidean(f64, lanes, &some, &some, 0))));
        try std.testing.expectEqual(@as(u64, 0), @as(u64, @bitCast(reduce.sqeuclidean(f64, lanes, &some, &some, 0))));
        // f32 extremes: squares up to 1.2e77 and down to 2e-90 are normal f64.
        const big32 = [_]f32{ std.math.floatMax(f32), std.math.floatMax(f32) };
        const max32: f64 = std.math.floatMax(f32);
        try std.testing.expectEqual(@sqrt(2 * max32 * max32), reduce.norm(f32, lanes, &big32, 2));
        const small32 = [_]f32{ std.math.floatTrueMin(f32), 0 };
        try std.testing.expectEqual(@as(f64, std.math.floatTrueMin(f32)), reduce.norm(f32, lanes, &small32, 2));
        try std.testing.expectEqual(@as(f64, 0), reduce.cosine(f32, lanes, &small32, &small32, 2));
        // sum of -0s is +0, like a JS loop that starts at 0.
        const minus_zeros = [_]f64{ -0.0, -0.0 };
        try std.testing.expectEqual(@as(u64, 0), @as(u64, @bitCast(reduce.sum(f64, lanes, &minus_zeros, 2))));
    }
}

// ---------------------------------------------------------------------------
// min, max, argmin, argmax against Math.min/Math.max written out
// ---------------------------------------------------------------------------

/// Math.max(...a) / Math.min(...a), by the spec's rules, one element at a
/// time: NaN if any NaN; +0 beats -0 for max, -0 beats +0 for min.
fn referenceExtreme(comptime T: type, a: []const T, comptime which: reduce.Extreme) f64 {
    var best: f64 = if (which == .max) -std.math.inf(f64) else std.math.inf(f64);
    for (a) |x_t| {
        const x: f64 = x_t;
        if (std.math.isNan(x)) return std.math.nan(f64);
        const better = if (which == .max)
            x > best or (x == 0 and best == 0 and !std.math.signbit(x))
        else
            x < best or (x == 0 and best == 0 and std.math.signbit(x));
        if (better) best = x;
    }
    return best;
}

/// NumPy's argmax/argmin with the -0 < +0 order: first NaN, else the first
/// index holding the extreme (bit-equal to referenceExtreme's result).
fn referenceArg(comptime T: type, a: []const T, comptime which: reduce.Extreme) usize {
    for (a, 0..) |x, i| if (std.math.isNan(x)) return i;
    const extreme: T = @floatCast(referenceExtreme(T, a, which));
    for (a, 0..) |x, i| if (canonicalBits(x) == canonicalBits(extreme)) return i;
    unreachable;
}

fn expectExtremes(comptime T: type, a: []const T) !void {
    const n = a.len;
    inline for (all_lanes) |lanes| {
        const expected = [4]u64{
            canonicalBits(referenceExtreme(T, a, .min)),
            canonicalBits(referenceExtreme(T, a, .max)),
            if (n > 0) referenceArg(T, a, .min) else 0,
            if (n > 0) referenceArg(T, a, .max) else 0,
        };
        const got = [4]u64{
            canonicalBits(reduce.min(T, lanes, a.ptr, n)),
            canonicalBits(reduce.max(T, lanes, a.ptr, n)),
            if (n > 0) reduce.argmin(T, lanes, a.ptr, n) else 0,
            if (n > 0) reduce.argmax(T, lanes, a.ptr, n) else 0,
        };
        if (!std.mem.eql(u64, &expected, &got)) {
            std.debug.print("{s} n={d} lanes={d}: min, max, argmin, argmax expected {any}, got {any}\n  input starts {any}\n", .{ @typeName(T), n, lanes, expected, got, a[0..@min(n, 8)] });
            return error.WrongExtreme;
        }
    }
}

test "min, max, argmin, argmax: Math.min/max rules, first index, first NaN" {
    var prng = std.Random.DefaultPrng.init(11);
    const random = prng.random();
    // Lengths around argBlock: 2048 float64s or 4096 float32s a block.
    var a64: [9000]f64 = undefined;
    var a32: [9000]f32 = undefined;
    for ([_]usize{ 0, 1, 2, 3, 5, 15, 16, 17, 31, 33, 64, 100, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097, 5000, 8193, 9000 }) |n| {
        for (std.enums.values(Kind)) |kind| {
            fill(f64, random, kind, a64[0..n]);
            fill(f32, random, kind, a32[0..n]);
            try expectExtremes(f64, a64[0..n]);
            try expectExtremes(f32, a32[0..n]);
        }
        if (n == 0) continue;
        // No NaN but many ties: small integers, and zeros of both signs.
        for (0..n) |i| {
            a64[i] = @floatFromInt(random.intRangeAtMost(i8, -3, 3));
            if (a64[i] == 0 and random.boolean()) a64[i] = -0.0;
            a32[i] = @floatCast(a64[i]);
        }
        try expectExtremes(f64, a64[0..n]);
        try expectExtremes(f32, a32[0..n]);
        // Only zeros: max is +0 where the first +0 is.
        for (0..n) |i| {
            a64[i] = if (random.uintLessThan(u8, 4) == 0) 0.0 else -0.0;
            a32[i] = @floatCast(a64[i]);
        }
        try expectExtremes(f64, a64[0..n]);
        try expectExtremes(f32, a32[0..n]);
        // One NaN (negative sign bit, then positive) at every kind of place.
        for ([_]usize{ 0, n / 2, n - 1 }) |where| {
            for (0..n) |i| a64[i] = randomFloat(f64, random, -3, 3);
            a64[where] = -std.math.nan(f64);
            for (0..n) |i| a32[i] = @floatCast(a64[i]);
            try expectExtremes(f64, a64[0..n]);
            try expectExtremes(f32, a32[0..n]);
            a64[where] = std.math.nan(f64);
            a32[where] = std.math.nan(f32);
            try expectExtremes(f64, a64[0..n]);
            try expectExtremes(f32, a32[0..n]);
        }
        // The extreme in the last element, and Inf/-Inf.
        for (0..n) |i| a64[i] = randomFloat(f64, random, -3, 3);
        a64[n - 1] = std.math.inf(f64);
        a64[0] = -std.math.inf(f64);
        for (0..n) |i| a32[i] = @floatCast(a64[i]);
        try expectExtremes(f64, a64[0..n]);
        try expectExtremes(f32, a32[0..n]);
    }
}

test "rows: every output equals the single call rounded to the element type" {
    var prng = std.Random.DefaultPrng.init(21);
    const random = prng.random();
    const nrows = 37;
    inline for (.{ f32, f64 }) |T| {
        // 1025 and 4096: several blocks against the converted float32 query; 4097: converted per row.
        for ([_]usize{ 0, 1, 3, 16, 17, 100, 768, 1025, 4096, 4097 }) |dim| {
            const rows = try std.testing.allocator.alloc(T, nrows * dim);
            defer std.testing.allocator.free(rows);
            const query = try std.testing.allocator.alloc(T, dim);
            defer std.testing.allocator.free(query);
            var out: [nrows]T = undefined;
            for (std.enums.values(Kind)) |kind| {
                fill(T, random, kind, rows);
                fill(T, random, kind, query);
                // A zero row: cosine's convention.
                if (dim > 0) @memset(rows[0..dim], 0);
                inline for (all_lanes) |lanes| {
                    inline for (.{ .{ reduce.rowsDot, reduce.dot }, .{ reduce.rowsSqeuclidean, reduce.sqeuclidean }, .{ reduce.rowsCosine, reduce.cosine } }) |pair| {
                        pair[0](T, lanes, rows.ptr, query.ptr, &out, nrows, dim);
                        for (0..nrows) |r| {
                            const single: T = @floatCast(pair[1](T, lanes, rows.ptr + r * dim, query.ptr, dim));
                            try std.testing.expectEqual(canonicalBits(single), canonicalBits(out[r]));
                        }
                    }
                }
            }
        }
    }
}
