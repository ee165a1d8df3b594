//! What one core can write into L2, against the elementwise kernels' speed
//! there (never shipped): a 256 KiB Float32 buffer, 64-byte aligned, stored
//! with 512-bit (or the CPU's widest) vectors, alone and as neg's load +
//! store, best of 50 x 20 passes. Issue 11 asks neg f32 at n = 65,536 to
//! beat a JS loop 4x; this shows what the hardware leaves for it.
//!
//!   zig build-exe zig/l2_store_probe.zig -O ReleaseFast -mcpu=x86_64_v4 && ./l2_store_probe
const std = @import("std");
fn now() u64 {
    var ts: std.os.linux.timespec = undefined;
    _ = std.os.linux.clock_gettime(.MONOTONIC, &ts);
    return @as(u64, @intCast(ts.sec)) * 1_000_000_000 + @as(u64, @intCast(ts.nsec));
}
var src: [65536]f32 align(64) = undefined;
var dst: [65536]f32 align(64) = undefined;
pub fn main() void {
    for (&src, 0..) |*x, i| x.* = @floatFromInt(i);
    const V = @Vector(16, f32);
    var best_store: u64 = std.math.maxInt(u64);
    var best_copy: u64 = std.math.maxInt(u64);
    for (0..50) |_| {
        var t = now();
        for (0..20) |r| {
            const v: V = @splat(@floatFromInt(r));
            var i: usize = 0;
            while (i < 65536) : (i += 16) dst[i..][0..16].* = v;
            std.mem.doNotOptimizeAway(&dst);
        }
        best_store = @min(best_store, now() - t);
        t = now();
        for (0..20) |_| {
            var i: usize = 0;
            while (i < 65536) : (i += 16) {
                const v: V = src[i..][0..16].*;
                dst[i..][0..16].* = -v;
            }
            std.mem.doNotOptimizeAway(&dst);
        }
        best_copy = @min(best_copy, now() - t);
    }
    const per = 20.0 * 65536.0;
    std.debug.print("store only (256 KiB): {d:.3} ns/elem = {d:.1} GB/s written\n", .{ @as(f64, @floatFromInt(best_store)) / per, 4.0 * per / @as(f64, @floatFromInt(best_store)) });
    std.debug.print("neg (256 KiB in, 256 KiB out): {d:.3} ns/elem = {d:.1} GB/s moved\n", .{ @as(f64, @floatFromInt(best_copy)) / per, 8.0 * per / @as(f64, @floatFromInt(best_copy)) });
}
