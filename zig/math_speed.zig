//! ns per element of each math function at n = 65,536, for the CPU it is
//! built for (no dispatch): a quick A/B tool while changing math.zig.
//!   zig build-exe zig/math_speed.zig -O ReleaseFast -mcpu=x86_64_v4 && ./math_speed [lanes]
const std = @import("std");
const math = @import("math.zig");
const catalog = @import("catalog.zig");

fn now() u64 {
    var ts: std.os.linux.timespec = undefined;
    _ = std.os.linux.clock_gettime(.MONOTONIC, &ts);
    return @as(u64, @intCast(ts.sec)) * 1_000_000_000 + @as(u64, @intCast(ts.nsec));
}

fn run(comptime f: anytype, comptime lanes: comptime_int, input: []const f32, output: []f32) void {
    var i: usize = 0;
    while (i + lanes <= input.len) : (i += lanes) {
        const v: @Vector(lanes, f32) = input[i..][0..lanes].*;
        output[i..][0..lanes].* = f(lanes, v);
    }
}

pub fn main() !void {
    const n = 65536;
    var input: [n]f32 = undefined;
    var output: [n]f32 = undefined;
    const lanes = comptime blk: {
        const builtin = @import("builtin");
        if (std.Target.x86.featureSetHas(builtin.cpu.features, .avx512f)) break :blk 16;
        if (std.Target.x86.featureSetHas(builtin.cpu.features, .avx2)) break :blk 8;
        break :blk 4;
    };
    // The math functions: the catalog's ops with a ULP contract.
    inline for (comptime std.enums.values(catalog.Op)) |op| {
        if (comptime op.declaration().accuracy != .ulp) continue;
        const name = @tagName(op);
        var prng = std.Random.DefaultPrng.init(42);
        const random = prng.random();
        for (&input) |*x| x.* = if (comptime std.mem.eql(u8, name, "log")) random.float(f32) * 1000 + 1e-3 else random.float(f32) * 20 - 10;
        var best: u64 = std.math.maxInt(u64);
        for (0..9) |_| {
            const start = now();
            for (0..20) |_| run(@field(math, name), lanes, &input, &output);
            best = @min(best, now() - start);
        }
        std.debug.print("{s:<8} lanes {d:>2}  {d:.3} ns/element\n", .{ name, lanes, @as(f64, @floatFromInt(best)) / (20.0 * n) });
    }
}
