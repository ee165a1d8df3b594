//! Zig unit tests: every backend this CPU can run, every op and dtype of the
//! catalog, every broadcast pattern, cached and streaming stores, across
//! tail lengths and offsets, bit-exact against the formula applied one
//! element at a time.

const std = @import("std");
const builtin = @import("builtin");
const catalog = @import("catalog.zig");
const elementwise = @import("elementwise.zig");
const cpu = @import("cpu.zig");
const library = @import("library.zig");
const kernels = @import("kernels.zig");

const backends = catalog.backendsFor(builtin.cpu.arch);
const ops = std.enums.values(catalog.Op);

/// Lengths around every vector width (2 to 16 lanes) and the 4x unrolled blocks.
const lengths = [_]usize{ 0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 4099 };
const longest = 4099 + 3;

/// Random floats with the awkward values mixed in: NaN, +-Inf, +-0,
/// subnormals, the largest finite value.
fn fill(comptime T: type, random: std.Random, values: []T) void {
    const specials = [_]T{ std.math.nan(T), std.math.inf(T), -std.math.inf(T), 0.0, -0.0, std.math.floatTrueMin(T), -std.math.floatTrueMin(T), std.math.floatMax(T), 1.0e-39, 3.0, -3.0 };
    const Bits = std.meta.Int(.unsigned, @bitSizeOf(T));
    for (values) |*v| {
        v.* = switch (random.uintLessThan(u8, 8)) {
            0 => specials[random.uintLessThan(usize, specials.len)],
            // Small integers: equal inputs and exact results are common.
            1 => @floatFromInt(random.intRangeAtMost(i8, -4, 4)),
            else => @bitCast(random.int(Bits)),
        };
    }
}

/// Same bits, or both NaN (NaN payloads are not part of the contract: JS
/// cannot observe them).
fn same(comptime T: type, expected: T, actual: T) bool {
    if (std.math.isNan(expected)) return std.math.isNan(actual);
    const Bits = std.meta.Int(.unsigned, @bitSizeOf(T));
    return @as(Bits, @bitCast(expected)) == @as(Bits, @bitCast(actual));
}

fn expectKernelMatches(comptime op: catalog.Op, comptime T: type, run: *const elementwise.Kernel(T), random: std.Random, name: []const u8) !void {
    const arity = comptime op.declaration().shape.inputs();
    var storage: [3][longest]T = undefined;
    var out: [longest]T = undefined;
    for (lengths) |n| {
        // Odd offsets too: a typed array view is only element-aligned.
        for ([_]usize{ 0, 1, 2, 3 }) |offset| {
            for (0..(@as(usize, 1) << @intCast(arity))) |broadcast| {
                var inputs: [3][*]const T = undefined;
                for (0..3) |k| {
                    fill(T, random, storage[k][offset..][0..n]);
                    inputs[k] = storage[k][offset..].ptr;
                }
                run(&inputs, out[offset..].ptr, n, @intCast(broadcast));
                for (0..n) |i| {
                    var x: [3]T = undefined;
                    for (0..3) |k| x[k] = if (broadcast >> @intCast(k) & 1 == 1) storage[k][offset] else storage[k][offset + i];
                    const expected = op.apply(x[0], x[1], x[2]);
                    if (!same(T, expected, out[offset + i])) {
                        std.debug.print("{s} {t} {s} n={d} offset={d} broadcast={d} i={d}: inputs {e} {e} {e}, expected {e}, got {e}\n", .{ name, op, @typeName(T), n, offset, broadcast, i, x[0], x[1], x[2], expected, out[offset + i] });
                        return error.TestUnexpectedResult;
                    }
                }
            }
        }
    }
}

test "every runnable backend matches the formula bit for bit, cached and streaming" {
    @setEvalBranchQuota(100_000);
    var prng = std.Random.DefaultPrng.init(0x5eed);
    const features = cpu.detect();
    var tested: usize = 0;
    inline for (backends) |backend| {
        if (cpu.canRun(backend, features)) {
            inline for (ops) |op| {
                if (comptime op.declaration().shape.result() != .array or op.declaration().shape == .rows) continue;
                inline for (comptime op.declaration().dtypes) |dtype| {
                    try expectKernelMatches(op, dtype.Type(), library.backendKernel(op, dtype, backend, .cached), prng.random(), backend.name);
                    if (comptime kernels.streams(op, backend)) {
                        try expectKernelMatches(op, dtype.Type(), library.backendKernel(op, dtype, backend, .streaming), prng.random(), backend.name ++ " streaming");
                    }
                }
            }
            tested += 1;
        }
    }
    try std.testing.expect(tested >= 1);
}

// Every reduction, index and rows kernel of every runnable backend gives the
// scalar backend's bits (reduce.zig fixes one summation order for all).
test "reductions are bit-identical across every runnable backend" {
    @setEvalBranchQuota(100_000);
    var prng = std.Random.DefaultPrng.init(0xadd);
    const random = prng.random();
    const features = cpu.detect();
    const scalar = backends[backends.len - 1];
    inline for (ops) |op| {
        const shape = comptime op.declaration().shape;
        if (shape == .unary or shape == .binary or shape == .ternary) continue;
        inline for (comptime op.declaration().dtypes) |dtype| {
            const T = dtype.Type();
            var a: [2100]T = undefined;
            var b: [2100]T = undefined;
            for (&a, &b) |*x, *y| {
                x.* = @floatCast(random.floatNorm(f64) * 1e3);
                y.* = @floatCast(random.floatNorm(f64));
            }
            inline for (backends) |backend| {
                if (comptime !std.mem.eql(u8, backend.name, scalar.name)) if (cpu.canRun(backend, features)) {
                    const mine = library.backendKernel(op, dtype, backend, .cached);
                    const theirs = library.backendKernel(op, dtype, scalar, .cached);
                    for ([_]usize{ 1, 2, 15, 16, 17, 1023, 1024, 1025, 2100 }) |n| {
                        switch (shape) {
                            .reduce, .index => try std.testing.expectEqual(theirs(&a, n), mine(&a, n)),
                            .reduce2 => try std.testing.expectEqual(@as(u64, @bitCast(theirs(&a, &b, n))), @as(u64, @bitCast(mine(&a, &b, n)))),
                            .rows => {
                                var expected: [64]T = undefined;
                                var actual: [64]T = undefined;
                                const dim = n % 31 + 1;
                                theirs(&a, &b, &expected, 2048 / dim / 32, dim);
                                mine(&a, &b, &actual, 2048 / dim / 32, dim);
                                try std.testing.expectEqualSlices(T, expected[0 .. 2048 / dim / 32], actual[0 .. 2048 / dim / 32]);
                            },
                            else => unreachable,
                        }
                    }
                };
            }
        }
    }
}

test "Math.min and Math.max semantics: NaN wins, -0 < +0" {
    const nan = std.math.nan(f32);
    const cases = [_][3]f32{
        // a, b, min(a, b)
        .{ 0.0, -0.0, -0.0 }, .{ -0.0, 0.0, -0.0 }, .{ 1, nan, nan }, .{ nan, 1, nan }, .{ -1, 2, -1 },
    };
    for (cases) |case| {
        try std.testing.expect(same(f32, case[2], catalog.Op.minimum.apply(case[0], case[1], undefined)));
        const v = catalog.Op.minimum.apply(@as(@Vector(4, f32), @splat(case[0])), @splat(case[1]), undefined);
        try std.testing.expect(same(f32, case[2], v[3]));
    }
    try std.testing.expect(same(f32, 0.0, catalog.Op.maximum.apply(@as(f32, -0.0), 0.0, undefined)));
    try std.testing.expect(same(f32, 0.0, catalog.Op.maximum.apply(@as(f32, 0.0), -0.0, undefined)));
}

test "fma rounds once: (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46, not 0" {
    const x: f32 = 1 + 0x1p-23;
    const y: f32 = 1 - 0x1p-23;
    try std.testing.expectEqual(@as(f32, -0x1p-46), catalog.Op.fma.apply(x, y, -1));
}

test "naive kernels match the formula" {
    var a: [100]f32 = undefined;
    var b: [100]f32 = undefined;
    var out: [100]f32 = undefined;
    var prng = std.Random.DefaultPrng.init(0xfeed);
    fill(f32, prng.random(), &a);
    fill(f32, prng.random(), &b);
    inline for (catalog.list_ops) |op| {
        elementwise.naive(op)(&a, &b, &out, a.len);
        for (a, b, out) |x, y, r| try std.testing.expect(same(f32, op.apply(x, y, undefined), r));
    }
}

test "the scalar backend is always runnable, and the best backend wins" {
    const features = cpu.detect();
    try std.testing.expect(cpu.canRun(backends[backends.len - 1], features));
    if (builtin.cpu.arch == .aarch64) try std.testing.expect(cpu.canRun(backends[0], features));
    if (builtin.cpu.arch == .x86_64) try std.testing.expect(features.contains(.sse2));
}

test "exports refuse null pointers, partial overlap, ranges past the address space and stray broadcast bits" {
    var buffer = [_]f32{ 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    const p: [*]f32 = &buffer;
    const Status = library.Status;
    try std.testing.expectEqual(Status.ok, library.check(f32, &.{ null, null }, null, 0, 0));
    try std.testing.expectEqual(Status.null_pointer, library.check(f32, &.{ null, p }, p, 4, 0));
    try std.testing.expectEqual(Status.null_pointer, library.check(f32, &.{ p, p }, null, 4, 0));
    try std.testing.expectEqual(Status.ok, library.check(f32, &.{ p, p }, p, 4, 0));
    try std.testing.expectEqual(Status.partial_overlap, library.check(f32, &.{ p + 1, p }, p, 4, 0));
    try std.testing.expectEqual(Status.partial_overlap, library.check(f32, &.{ p, p + 3 }, p, 4, 0));
    try std.testing.expectEqual(Status.ok, library.check(f32, &.{ p + 4, p }, p, 4, 0));
    // A broadcast input is one element: right after out, it does not overlap.
    try std.testing.expectEqual(Status.ok, library.check(f32, &.{ p + 4, p }, p, 4, 0b01));
    try std.testing.expectEqual(Status.too_long, library.check(f32, &.{ p, p }, p, std.math.maxInt(usize) / 2, 0));
    // An input (not only out) whose range would wrap past the top of memory.
    const top: [*]const f32 = @ptrFromInt(std.math.maxInt(usize) - 7);
    try std.testing.expectEqual(Status.too_long, library.check(f32, &.{ p, top }, p, 4, 0));
    try std.testing.expectEqual(Status.bad_broadcast, library.check(f32, &.{ p, p }, p, 4, 0b100));
}

test "the last-level cache size is plausible where the CPU reports it" {
    if (cpu.lastLevelCacheBytes()) |bytes| {
        try std.testing.expect(bytes >= 256 << 10 and bytes <= 4 << 30);
    }
}
