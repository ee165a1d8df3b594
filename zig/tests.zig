//! Zig unit tests: every backend this CPU can run, every op, across tail
//! lengths, bit-exact against a one-element-at-a-time reference.

const std = @import("std");
const builtin = @import("builtin");
const catalog = @import("catalog.zig");
const kernel = @import("kernel.zig");
const cpu = @import("cpu.zig");
const library = @import("library.zig");

const backends = catalog.backendsFor(builtin.cpu.arch);
const ops = std.enums.values(catalog.Op);

/// Lengths around every vector width (4, 8, 16) and the 4x unrolled blocks.
const lengths = [_]usize{ 0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 4099 };

/// Random floats with the awkward values mixed in: NaN, +-Inf, +-0,
/// subnormals, the largest finite float.
fn fill(random: std.Random, values: []f32) void {
    const specials = [_]f32{ std.math.nan(f32), std.math.inf(f32), -std.math.inf(f32), 0.0, -0.0, std.math.floatTrueMin(f32), -std.math.floatTrueMin(f32), std.math.floatMax(f32), 1.0e-39, 3.0 };
    for (values) |*v| {
        v.* = if (random.uintLessThan(u8, 8) == 0)
            specials[random.uintLessThan(usize, specials.len)]
        else
            @bitCast(random.int(u32));
    }
}

/// Same bits, or both NaN (NaN payloads are not part of the contract: JS
/// cannot observe them).
fn sameFloat(expected: f32, actual: f32) bool {
    if (std.math.isNan(expected)) return std.math.isNan(actual);
    return @as(u32, @bitCast(expected)) == @as(u32, @bitCast(actual));
}

fn expectKernelMatches(comptime op: catalog.Op, run: *const kernel.KernelFn, random: std.Random, name: []const u8) !void {
    var a: [4099 + 3]f32 = undefined;
    var b: [4099 + 3]f32 = undefined;
    var out: [4099 + 3]f32 = undefined;
    for (lengths) |n| {
        // Odd offsets as well: a Float32Array view is only 4-byte aligned.
        for ([_]usize{ 0, 1, 2, 3 }) |offset| {
            fill(random, a[offset..][0..n]);
            fill(random, b[offset..][0..n]);
            run(a[offset..].ptr, b[offset..].ptr, out[offset..].ptr, n);
            for (0..n) |i| {
                const expected = op.apply(a[offset + i], b[offset + i]);
                if (!sameFloat(expected, out[offset + i])) {
                    std.debug.print("{s} {s} n={d} offset={d} i={d}: {e} {s} {e} = {e}, got {e}\n", .{ name, @tagName(op), n, offset, i, a[offset + i], @tagName(op), b[offset + i], expected, out[offset + i] });
                    return error.TestUnexpectedResult;
                }
            }
        }
    }
}

test "every runnable backend matches the scalar reference bit for bit" {
    var prng = std.Random.DefaultPrng.init(0x5eed);
    const features = cpu.detect();
    var tested: usize = 0;
    inline for (backends) |backend| {
        if (cpu.canRun(backend, features)) {
            inline for (ops) |op| {
                try expectKernelMatches(op, library.backendKernel(op, backend, .cached), prng.random(), backend.name);
                if (backend.streaming) {
                    try expectKernelMatches(op, library.backendKernel(op, backend, .streaming), prng.random(), backend.name ++ " streaming");
                }
            }
            tested += 1;
        }
    }
    try std.testing.expect(tested >= 1);
}

test "naive kernels match the reference" {
    var prng = std.Random.DefaultPrng.init(0xfeed);
    inline for (ops) |op| try expectKernelMatches(op, &kernel.naive(op), prng.random(), "naive");
}

test "the scalar backend is always runnable, and the best backend wins" {
    const features = cpu.detect();
    try std.testing.expect(cpu.canRun(backends[backends.len - 1], features));
    if (builtin.cpu.arch == .aarch64) try std.testing.expect(cpu.canRun(backends[0], features));
    if (builtin.cpu.arch == .x86_64) try std.testing.expect(features.contains(.sse2));
}

test "exports refuse null pointers and partial overlap, accept exact aliasing" {
    var buffer = [_]f32{ 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    try std.testing.expectEqual(library.Status.ok, library.check(null, null, null, 0));
    try std.testing.expectEqual(library.Status.null_pointer, library.check(null, &buffer, &buffer, 4));
    try std.testing.expectEqual(library.Status.null_pointer, library.check(&buffer, &buffer, null, 4));
    try std.testing.expectEqual(library.Status.ok, library.check(&buffer, &buffer, &buffer, 4));
    try std.testing.expectEqual(library.Status.partial_overlap, library.check(buffer[1..].ptr, &buffer, &buffer, 4));
    try std.testing.expectEqual(library.Status.partial_overlap, library.check(&buffer, buffer[3..].ptr, &buffer, 4));
    try std.testing.expectEqual(library.Status.ok, library.check(buffer[4..].ptr, &buffer, &buffer, 4));
    try std.testing.expectEqual(library.Status.too_long, library.check(&buffer, &buffer, &buffer, std.math.maxInt(usize) / 2));
    // A range past the top of the address space, for each argument in turn: status 3, no overflow.
    const top: [*]f32 = @ptrFromInt(std.math.maxInt(usize) - 4095);
    try std.testing.expectEqual(library.Status.too_long, library.check(top, &buffer, &buffer, 1 << 30));
    try std.testing.expectEqual(library.Status.too_long, library.check(&buffer, top, &buffer, 1 << 30));
    try std.testing.expectEqual(library.Status.too_long, library.check(&buffer, &buffer, top, 1 << 30));
}

test "the last-level cache size is plausible where the CPU reports it" {
    if (cpu.lastLevelCacheBytes()) |bytes| {
        try std.testing.expect(bytes >= 256 << 10 and bytes <= 4 << 30);
    }
}
