//! `zig build accuracy` -> zig-out/bin/nsimd-accuracy (`bun run accuracy`):
//!
//!   nsimd-accuracy backends <fn|all> <stride> [--hard] every runnable backend's real kernel
//!                                                    (the library's, through its loop driver),
//!                                                    all in one pass; --hard lists hard inputs
//!   nsimd-accuracy reference <fn> <bits>...          the correctly rounded result at each input
//!   nsimd-accuracy check <fn|all> <stride> [lanes]   exhaustive (stride 1) or strided check
//!   accuracy_main hash <stride>                     a hash of every function's outputs
//!   accuracy_main bench                             ns per element at n = 65,536
//!   accuracy_main dump <fn> <stride> [every]        hard cases + every n-th input, for accuracy_check.py
//!
//! Build for one ISA, e.g.
//!   zig build-exe zig/accuracy_main.zig -O ReleaseFast -mcpu=x86_64_v3
//! The kernels here imitate elementwise.zig's unary driver: whole vectors of `lanes`,
//! then the tail one lane at a time.

const std = @import("std");
const builtin = @import("builtin");
const math = @import("math.zig");
const accuracy = @import("accuracy.zig");
const catalog = @import("catalog.zig");
const cpu = @import("cpu.zig");
const library = @import("library.zig");
const Function = accuracy.Function;

/// The width the catalog would give this build: 512/256/128-bit vectors of f32.
const native_lanes: comptime_int = blk: {
    const features = builtin.cpu.features;
    if (builtin.cpu.arch == .x86_64) {
        if (std.Target.x86.featureSetHas(features, .avx512f)) break :blk 16;
        if (std.Target.x86.featureSetHas(features, .avx2)) break :blk 8;
    }
    break :blk 4;
};

fn apply(comptime function: Function, comptime lanes: comptime_int, v: @Vector(lanes, f32)) @Vector(lanes, f32) {
    return switch (function) {
        .exp => math.exp(lanes, v),
        .log => math.log(lanes, v),
        .tanh => math.tanh(lanes, v),
        .sigmoid => math.sigmoid(lanes, v),
        .sin => math.sin(lanes, v),
        .cos => math.cos(lanes, v),
    };
}

fn Driver(comptime function: Function, comptime lanes: comptime_int) type {
    return struct {
        fn run(input: [*]const f32, output: [*]f32, n: usize) callconv(.c) void {
            var i: usize = 0;
            while (i + lanes <= n) : (i += lanes) {
                const v: @Vector(lanes, f32) = input[i..][0..lanes].*;
                output[i..][0..lanes].* = apply(function, lanes, v);
            }
            while (i < n) : (i += 1) output[i] = apply(function, 1, @as(@Vector(1, f32), @splat(input[i])))[0];
        }
    };
}

fn kernelFor(function: Function, lanes: usize) accuracy.Kernel {
    inline for (std.meta.fields(Function)) |field| {
        const f: Function = @enumFromInt(field.value);
        if (f == function) {
            return switch (lanes) {
                1 => &Driver(f, 1).run,
                4 => &Driver(f, 4).run,
                8 => &Driver(f, 8).run,
                else => &Driver(f, 16).run,
            };
        }
    }
    unreachable;
}

fn now() u64 {
    var ts: std.os.linux.timespec = undefined;
    _ = std.os.linux.clock_gettime(.MONOTONIC, &ts);
    return @as(u64, @intCast(ts.sec)) * 1_000_000_000 + @as(u64, @intCast(ts.nsec));
}

fn out(comptime fmt: []const u8, args: anytype) void {
    var buf: [512]u8 = undefined;
    const text = std.fmt.bufPrint(&buf, fmt, args) catch return;
    _ = std.os.linux.write(1, text.ptr, text.len);
}

fn parseFunction(name: []const u8) ?Function {
    return std.meta.stringToEnum(Function, name);
}

/// The library's kernel of `function` on `backend`, as the checker calls it.
fn BackendKernel(comptime function: Function, comptime backend: catalog.Backend) type {
    return struct {
        fn run(input: [*]const f32, output: [*]f32, n: usize) callconv(.c) void {
            const op = @field(catalog.Op, @tagName(function));
            library.backendKernel(op, .f32, backend, .cached)(&.{ input, undefined, undefined }, output, n, 0);
        }
    };
}

pub fn main(init: std.process.Init.Minimal) !void {
    var gpa_state: std.heap.DebugAllocator(.{}) = .init;
    const gpa = gpa_state.allocator();
    var args = init.args.iterate();
    _ = args.skip();
    const mode = args.next() orelse "check";
    if (std.mem.eql(u8, mode, "backends")) {
        const which = args.next() orelse "all";
        const stride = try std.fmt.parseInt(u64, args.next() orelse "1", 10);
        const features = cpu.detect();
        out("# every runnable backend's kernel, stride {d} ({d} inputs + boundary list), 2 threads\n", .{ stride, (@as(u64, 1) << 32) / stride });
        const show_hard = if (args.next()) |flag| std.mem.eql(u8, flag, "--hard") else false;
        out("{s:<8} {s:<8} {s:>12} {s:>10} {s:>8} {s:>9} {s:>8} {s:>8}\n", .{ "backend", "function", "checked", "max ULP", "not CR", "specials", "hard", "seconds" });
        inline for (std.meta.fields(Function)) |field| {
            const f: Function = @enumFromInt(field.value);
            if (std.mem.eql(u8, which, "all") or std.mem.eql(u8, which, field.name)) {
                // Every runnable backend in one pass: the reference is computed once per input.
                var kernels: [accuracy.max_kernels]accuracy.Kernel = undefined;
                var names: [accuracy.max_kernels][]const u8 = undefined;
                var count: usize = 0;
                inline for (comptime catalog.backendsFor(builtin.cpu.arch)) |backend| {
                    if (cpu.canRun(backend, features)) {
                        kernels[count] = &BackendKernel(f, backend).run;
                        names[count] = backend.name;
                        count += 1;
                    }
                }
                const start = now();
                const reports = try accuracy.checkFunction(f, kernels[0..count], stride, 2, gpa);
                const seconds = @as(f64, @floatFromInt(now() - start)) / 1e9;
                var failed = false;
                for (reports[0..count], names[0..count]) |r, name| {
                    out("{s:<8} {s:<8} {d:>12} {d:>10.6} {d:>8} {d:>9} {d:>8} {d:>8.1}\n", .{ name, field.name, r.checked, r.max_ulp, r.not_correctly_rounded, r.special_mismatches, r.hard_cases, seconds });
                    for (r.examples[0..@min(8, r.not_correctly_rounded)]) |b| out("    not correctly rounded: 0x{X:0>8} ({e})\n", .{ b, @as(f32, @bitCast(b)) });
                    failed = failed or r.not_correctly_rounded != 0 or r.special_mismatches != 0;
                }
                if (show_hard) {
                    const r = reports[0];
                    for (r.hardest, r.hardest_closeness) |b, c| {
                        const x: f32 = @bitCast(b);
                        const rounded = accuracy.reference(f, x).rounded;
                        if (std.math.isFinite(c)) out("    hard: 0x{X:0>8} -> 0x{X:0>8} ({e} -> {e}), 2^{d:.1} from a boundary\n", .{ b, @as(u32, @bitCast(rounded)), x, rounded, std.math.log2(c) });
                    }
                }
                if (failed) std.process.exit(1);
            }
        }
    } else if (std.mem.eql(u8, mode, "reference")) {
        // The correctly rounded result of one function at inputs given as bits.
        const f = parseFunction(args.next() orelse "exp") orelse return error.UnknownFunction;
        while (args.next()) |arg| {
            const bits = try std.fmt.parseInt(u32, std.mem.trimStart(u8, arg, "0x"), 16);
            const rounded = accuracy.reference(f, @bitCast(bits)).rounded;
            out("{s} 0x{X:0>8} -> 0x{X:0>8}\n", .{ @tagName(f), bits, @as(u32, @bitCast(rounded)) });
        }
    } else if (std.mem.eql(u8, mode, "check")) {
        const which = args.next() orelse "all";
        const stride = try std.fmt.parseInt(u64, args.next() orelse "1", 10);
        const lanes = if (args.next()) |l| try std.fmt.parseInt(usize, l, 10) else native_lanes;
        out("# {s} -mcpu={s}, lanes {d}, stride {d} ({d} inputs + boundary list), 2 threads\n", .{ @tagName(builtin.cpu.arch), builtin.cpu.model.name, lanes, stride, (@as(u64, 1) << 32) / stride });
        out("{s:<8} {s:>12} {s:>10} {s:>8} {s:>9} {s:>10} {s:>8}  {s}\n", .{ "function", "checked", "max ULP", "not CR", "specials", "hard", "seconds", "worst input" });
        inline for (std.meta.fields(Function)) |field| {
            const f: Function = @enumFromInt(field.value);
            if (std.mem.eql(u8, which, "all") or std.mem.eql(u8, which, field.name)) {
                const start = now();
                const r = (try accuracy.checkFunction(f, &.{kernelFor(f, lanes)}, stride, 2, gpa))[0];
                const seconds = @as(f64, @floatFromInt(now() - start)) / 1e9;
                const worst: f32 = @bitCast(r.worst_input);
                out("{s:<8} {d:>12} {d:>10.6} {d:>8} {d:>9} {d:>10} {d:>8.1}  0x{X:0>8} ({e})\n", .{ field.name, r.checked, r.max_ulp, r.not_correctly_rounded, r.special_mismatches, r.hard_cases, seconds, r.worst_input, worst });
                for (r.examples[0..@min(8, r.not_correctly_rounded)]) |b| out("    not correctly rounded: 0x{X:0>8} ({e})\n", .{ b, @as(f32, @bitCast(b)) });
            }
        }
    } else if (std.mem.eql(u8, mode, "hash")) {
        const stride = try std.fmt.parseInt(u64, args.next() orelse "4099", 10);
        const lanes = if (args.next()) |l| try std.fmt.parseInt(usize, l, 10) else native_lanes;
        const count: usize = @intCast((@as(u64, 1) << 32) / stride);
        const input = try gpa.alloc(f32, count);
        defer gpa.free(input);
        const output = try gpa.alloc(f32, count);
        defer gpa.free(output);
        for (input, 0..) |*x, i| x.* = @bitCast(@as(u32, @truncate(i * stride)));
        inline for (std.meta.fields(Function)) |field| {
            const f: Function = @enumFromInt(field.value);
            kernelFor(f, lanes)(input.ptr, output.ptr, count);
            var h = std.hash.Fnv1a_64.init();
            h.update(std.mem.sliceAsBytes(output));
            out("{s:<8} lanes {d:>2}  {d} inputs  fnv1a64 {X:0>16}\n", .{ field.name, lanes, count, h.final() });
        }
    } else if (std.mem.eql(u8, mode, "bench")) {
        const n = 65536;
        const input = try gpa.alloc(f32, n);
        defer gpa.free(input);
        const output = try gpa.alloc(f32, n);
        defer gpa.free(output);
        const lanes = if (args.next()) |l| try std.fmt.parseInt(usize, l, 10) else native_lanes;
        var prng = std.Random.DefaultPrng.init(42);
        const random = prng.random();
        inline for (std.meta.fields(Function)) |field| {
            const f: Function = @enumFromInt(field.value);
            // Inputs like NumPy's comparison run: uniform in [-10, 10]; log in (0, 1000].
            for (input) |*x| x.* = if (f == .log) random.float(f32) * 1000 + 1e-3 else random.float(f32) * 20 - 10;
            const kernel = kernelFor(f, lanes);
            var best: u64 = std.math.maxInt(u64);
            for (0..7) |_| {
                const start = now();
                for (0..20) |_| kernel(input.ptr, output.ptr, n);
                best = @min(best, now() - start);
            }
            out("{s:<8} lanes {d:>2}  {d:.3} ns/element\n", .{ field.name, lanes, @as(f64, @floatFromInt(best)) / (20.0 * n) });
        }
    } else if (std.mem.eql(u8, mode, "dump")) {
        // Lines "function input_bits reference_bits hard" for accuracy_check.py.
        const f = parseFunction(args.next() orelse "exp") orelse return error.UnknownFunction;
        const stride = try std.fmt.parseInt(u64, args.next() orelse "4099", 10);
        // Also every sample_every-th input (0: hard cases only).
        const sample_every = try std.fmt.parseInt(u64, args.next() orelse "997", 10);
        var i: u64 = 0;
        var sample: u64 = 0;
        while (i < (@as(u64, 1) << 32)) : (i += stride) {
            const x: f32 = @bitCast(@as(u32, @truncate(i)));
            const r = accuracy.reference(f, x);
            sample += 1;
            if (r.hard or (sample_every != 0 and sample % sample_every == 0)) out("{s} {X:0>8} {X:0>8} {d}\n", .{ @tagName(f), @as(u32, @bitCast(x)), @as(u32, @bitCast(r.rounded)), @intFromBool(r.hard) });
        }
    } else return error.UnknownMode;
}
