//! Timing program for zig/reduce.zig (never shipped). Build it once per CPU
//! level and run each:
//!
//!   zig build-exe zig/reduce_bench.zig -O ReleaseFast -mcpu=x86_64_v4 -femit-bin=/tmp/rb4
//!   /tmp/rb4            # the kernels at n = 65,536 and 5,000,000, ns per element
//!   /tmp/rb4 layouts    # accumulator count x block length, and argmin/argmax block
//!   /tmp/rb4 rows       # only the rows functions and one pair of 768
//!
//! `lanes` follows the CPU the program was compiled for (8 with AVX-512, 4
//! with AVX2, else 2), as the backend objects do.

const std = @import("std");
const builtin = @import("builtin");
const reduce = @import("reduce.zig");

const lanes = if (std.Target.x86.featureSetHas(builtin.cpu.features, .avx512f))
    8
else if (std.Target.x86.featureSetHas(builtin.cpu.features, .avx2))
    4
else
    2;

fn nowNs() u64 {
    var ts: std.os.linux.timespec = undefined;
    _ = std.os.linux.clock_gettime(.MONOTONIC, &ts);
    return @as(u64, @intCast(ts.sec)) * 1_000_000_000 + @as(u64, @intCast(ts.nsec));
}

var sink: f64 = 0;

/// Best time of `repeats` calls of `run` (a warm-up first), in ns per element.
fn bestNsPerElement(n: usize, repeats: usize, context: anytype, comptime run: fn (@TypeOf(context)) f64) f64 {
    sink += run(context);
    var best: u64 = std.math.maxInt(u64);
    for (0..repeats) |_| {
        const start = nowNs();
        sink += run(context);
        best = @min(best, nowNs() - start);
    }
    return @as(f64, @floatFromInt(best)) / @as(f64, @floatFromInt(n));
}

fn Inputs(comptime T: type) type {
    return struct { a: []const T, b: []const T, out: []T, rows: usize };
}

fn kernels(comptime T: type) type {
    const In = Inputs(T);
    return struct {
        fn sum(in: In) f64 {
            return reduce.sum(T, lanes, in.a.ptr, in.a.len);
        }
        fn dot(in: In) f64 {
            return reduce.dot(T, lanes, in.a.ptr, in.b.ptr, in.a.len);
        }
        fn sqeuclidean(in: In) f64 {
            return reduce.sqeuclidean(T, lanes, in.a.ptr, in.b.ptr, in.a.len);
        }
        fn norm(in: In) f64 {
            return reduce.norm(T, lanes, in.a.ptr, in.a.len);
        }
        fn cosine(in: In) f64 {
            return reduce.cosine(T, lanes, in.a.ptr, in.b.ptr, in.a.len);
        }
        fn min(in: In) f64 {
            return reduce.min(T, lanes, in.a.ptr, in.a.len);
        }
        fn max(in: In) f64 {
            return reduce.max(T, lanes, in.a.ptr, in.a.len);
        }
        fn argmin(in: In) f64 {
            return @floatFromInt(reduce.argmin(T, lanes, in.a.ptr, in.a.len));
        }
        fn argmax(in: In) f64 {
            return @floatFromInt(reduce.argmax(T, lanes, in.a.ptr, in.a.len));
        }
        /// A plain left-to-right f64 loop: the dependency chain a JS loop has.
        fn naiveSum(in: In) f64 {
            var total: f64 = 0;
            for (in.a) |x| total += x;
            return total;
        }
        fn rowsDot(in: In) f64 {
            const dim = in.a.len / in.rows;
            reduce.rowsDot(T, lanes, in.a.ptr, in.b.ptr, in.out.ptr, in.rows, dim);
            return in.out[in.rows - 1];
        }
        fn rowsSqeuclidean(in: In) f64 {
            const dim = in.a.len / in.rows;
            reduce.rowsSqeuclidean(T, lanes, in.a.ptr, in.b.ptr, in.out.ptr, in.rows, dim);
            return in.out[in.rows - 1];
        }
        fn rowsCosine(in: In) f64 {
            const dim = in.a.len / in.rows;
            reduce.rowsCosine(T, lanes, in.a.ptr, in.b.ptr, in.out.ptr, in.rows, dim);
            return in.out[in.rows - 1];
        }
        fn layoutSum(comptime layout: reduce.Layout) fn (In) f64 {
            return struct {
                fn run(in: In) f64 {
                    return reduce.accumulateWith(layout, T, T, lanes, .sum, false, in.a.ptr, in.a.ptr, .{}, .{}, in.a.len, in.a.len)[0];
                }
            }.run;
        }
        fn layoutDot(comptime layout: reduce.Layout) fn (In) f64 {
            return struct {
                fn run(in: In) f64 {
                    return reduce.accumulateWith(layout, T, T, lanes, .dot, false, in.a.ptr, in.b.ptr, .{}, .{}, in.a.len, in.a.len)[0];
                }
            }.run;
        }
        fn layoutCosineSums(comptime layout: reduce.Layout) fn (In) f64 {
            return struct {
                fn run(in: In) f64 {
                    return reduce.accumulateWith(layout, T, T, lanes, .cosine, false, in.a.ptr, in.b.ptr, .{}, .{}, in.a.len, in.a.len)[0];
                }
            }.run;
        }
        /// 1000 calls on the same pair (one call is below the timer's resolution).
        fn pairs1000(comptime kernel: fn (In) f64) fn (In) f64 {
            return struct {
                fn run(in: In) f64 {
                    var total: f64 = 0;
                    for (0..1000) |_| total += kernel(in);
                    return total;
                }
            }.run;
        }
        /// Read-only bandwidth bound: XOR of every 64-byte line of a (and b),
        /// eight independent integer chains (no float latency in the way).
        fn readProbe(streams: comptime_int) fn (In) f64 {
            return struct {
                fn run(in: In) f64 {
                    const W = @Vector(8, u64);
                    const words_a: [*]const u64 = @ptrCast(@alignCast(in.a.ptr));
                    const words_b: [*]const u64 = @ptrCast(@alignCast(in.b.ptr));
                    const words = in.a.len * @sizeOf(T) / 8;
                    var acc: [8]W = @splat(@splat(0));
                    var i: usize = 0;
                    while (i + 64 <= words) : (i += 64) {
                        inline for (0..8) |k| {
                            acc[k] ^= @as(W, words_a[i + 8 * k ..][0..8].*);
                            if (streams == 2) acc[k] ^= @as(W, words_b[i + 8 * k ..][0..8].*);
                        }
                    }
                    var total: W = @splat(0);
                    for (acc) |v| total ^= v;
                    return @floatFromInt(@reduce(.Xor, total) & 1);
                }
            }.run;
        }
        fn argBlock(comptime block: usize) fn (In) f64 {
            return struct {
                fn run(in: In) f64 {
                    return @floatFromInt(reduce.argExtremeWith(block, T, lanes, .max, in.a.ptr, in.a.len));
                }
            }.run;
        }
    };
}

fn fillRandom(comptime T: type, random: std.Random, values: []T) void {
    for (values) |*v| v.* = @floatCast(random.floatNorm(f64));
}

fn repeatsFor(n: usize) usize {
    return if (n <= 100_000) 400 else 15;
}

fn benchKernels(comptime T: type, allocator: std.mem.Allocator, random: std.Random) !void {
    const k = kernels(T);
    for ([_]usize{ 65_536, 5_000_000 }) |n| {
        const a = try allocator.alloc(T, n);
        defer allocator.free(a);
        const b = try allocator.alloc(T, n);
        defer allocator.free(b);
        fillRandom(T, random, a);
        fillRandom(T, random, b);
        const in: Inputs(T) = .{ .a = a, .b = b, .out = &.{}, .rows = 1 };
        const reps = repeatsFor(n);
        std.debug.print("{s} n={d}: read-only probe, 1 stream {d:.4}, 2 streams {d:.4} ns/element\n", .{
            @typeName(T), n, bestNsPerElement(n, reps, in, k.readProbe(1)), bestNsPerElement(n, reps, in, k.readProbe(2)),
        });
        std.debug.print("{s} lanes={d} n={d}: sum {d:.4} dot {d:.4} sqeuclidean {d:.4} norm {d:.4} cosine {d:.4} min {d:.4} max {d:.4} argmin {d:.4} argmax {d:.4} naive-loop {d:.4} ns/element\n", .{
            @typeName(T),                            lanes,                                         n,
            bestNsPerElement(n, reps, in, k.sum),    bestNsPerElement(n, reps, in, k.dot),          bestNsPerElement(n, reps, in, k.sqeuclidean),
            bestNsPerElement(n, reps, in, k.norm),   bestNsPerElement(n, reps, in, k.cosine),       bestNsPerElement(n, reps, in, k.min),
            bestNsPerElement(n, reps, in, k.max),    bestNsPerElement(n, reps, in, k.argmin),       bestNsPerElement(n, reps, in, k.argmax),
            bestNsPerElement(n, reps, in, k.naiveSum),
        });
    }
    try benchRows(T, allocator, random);
}

/// One query against 10,000 rows of 768, and one pair of 768.
fn benchRows(comptime T: type, allocator: std.mem.Allocator, random: std.Random) !void {
    const k = kernels(T);
    const dim = 768;
    const rows = 10_000;
    const matrix = try allocator.alloc(T, rows * dim);
    defer allocator.free(matrix);
    const query = try allocator.alloc(T, dim);
    defer allocator.free(query);
    const out = try allocator.alloc(T, rows);
    defer allocator.free(out);
    fillRandom(T, random, matrix);
    fillRandom(T, random, query);
    const in: Inputs(T) = .{ .a = matrix, .b = query, .out = out, .rows = rows };
    const pair: Inputs(T) = .{ .a = matrix[0..dim], .b = query, .out = out, .rows = 1 };
    std.debug.print("{s} lanes={d} rows 10000x768: rowsDot {d:.1} us, rowsSqeuclidean {d:.1} us, rowsCosine {d:.1} us; one pair of 768: dot {d:.1} ns, cosine {d:.1} ns, sqeuclidean {d:.1} ns\n", .{
        @typeName(T), lanes,
        bestNsPerElement(rows * dim, 20, in, k.rowsDot) * rows * dim / 1000,
        bestNsPerElement(rows * dim, 20, in, k.rowsSqeuclidean) * rows * dim / 1000,
        bestNsPerElement(rows * dim, 20, in, k.rowsCosine) * rows * dim / 1000,
        bestNsPerElement(dim * 1000, 50, pair, k.pairs1000(k.dot)) * dim,
        bestNsPerElement(dim * 1000, 50, pair, k.pairs1000(k.cosine)) * dim,
        bestNsPerElement(dim * 1000, 50, pair, k.pairs1000(k.sqeuclidean)) * dim,
    });
}

fn benchLayouts(comptime T: type, allocator: std.mem.Allocator, random: std.Random) !void {
    const k = kernels(T);
    const layouts = [_]reduce.Layout{
        .{ .accumulators = 16, .block_len = 256 },
        .{ .accumulators = 16, .block_len = 512 },
        .{ .accumulators = 16, .block_len = 1024 },
        .{ .accumulators = 16, .block_len = 2048 },
        .{ .accumulators = 32, .block_len = 1024 },
        .{ .accumulators = 64, .block_len = 2048 },
    };
    for ([_]usize{ 65_536, 5_000_000 }) |n| {
        const a = try allocator.alloc(T, n);
        defer allocator.free(a);
        const b = try allocator.alloc(T, n);
        defer allocator.free(b);
        fillRandom(T, random, a);
        fillRandom(T, random, b);
        const in: Inputs(T) = .{ .a = a, .b = b, .out = &.{}, .rows = 1 };
        const reps = repeatsFor(n);
        inline for (layouts) |layout| {
            std.debug.print("{s} lanes={d} n={d} accumulators={d} block={d}: sum {d:.4} dot {d:.4} cosine sums {d:.4}\n", .{
                @typeName(T),                                            lanes,                                                   n, layout.accumulators, layout.block_len,
                bestNsPerElement(n, reps, in, k.layoutSum(layout)), bestNsPerElement(n, reps, in, k.layoutDot(layout)), bestNsPerElement(n, reps, in, k.layoutCosineSums(layout)),
            });
        }
        // argmax's block: the maximum placed in the last block (the worst case:
        // its block is rescanned from the start).
        a[n - 1] = 100;
        inline for (.{ 256, 512, 1024, 2048, 4096, 8192 }) |block| {
            std.debug.print("{s} lanes={d} n={d} argmax block={d}: {d:.4}\n", .{ @typeName(T), lanes, n, block, bestNsPerElement(n, reps, in, k.argBlock(block)) });
        }
    }
}

pub fn main(init: std.process.Init.Minimal) !void {
    const allocator = std.heap.page_allocator;
    var prng = std.Random.DefaultPrng.init(12);
    var args = init.args.iterate();
    _ = args.next();
    const mode = args.next() orelse "kernels";
    if (std.mem.eql(u8, mode, "rows")) {
        try benchRows(f32, allocator, prng.random());
        try benchRows(f64, allocator, prng.random());
    } else if (std.mem.eql(u8, mode, "layouts")) {
        try benchLayouts(f32, allocator, prng.random());
        try benchLayouts(f64, allocator, prng.random());
    } else {
        try benchKernels(f32, allocator, prng.random());
        try benchKernels(f64, allocator, prng.random());
    }
    if (sink == 12345.678) std.debug.print("{d}\n", .{sink});
}
