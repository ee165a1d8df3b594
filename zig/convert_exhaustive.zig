//! All 2^32 float32 inputs through the f32 -> f16 kernel of this build's CPU,
//! against a scalar conversion one element at a time (compiler-rt's
//! __truncsfhf2 on baseline x86, whose code shares nothing with the kernel's
//! bit manipulation; vcvtps2ph on F16C CPUs; fcvt on AArch64), NaN -> 0x7e00.
//! Too slow for every CI run (convert_test.zig sweeps a stride plus every
//! boundary); run it after touching the f16 code:
//!
//!   zig build-exe zig/convert_exhaustive.zig -O ReleaseFast -mcpu=x86_64 && ./convert_exhaustive

const std = @import("std");
const convert = @import("convert.zig");
const check = @import("convert_check.zig");

pub fn main() void {
    const chunk = 1 << 16;
    var src: [chunk]f32 = undefined;
    var out: [chunk]f16 = undefined;
    var mismatches: u64 = 0;
    var high: u64 = 0;
    while (high < (1 << 16)) : (high += 1) {
        for (&src, 0..) |*v, low| v.* = @bitCast(@as(u32, @intCast((high << 16) | low)));
        convert.convert(f32, f16, convert.lanesFor(check.vector_bits, f32, f16), &src, &out, chunk, 1, 0, false, false);
        for (src, out) |x, h| {
            var value = x;
            std.mem.doNotOptimizeAway(&value);
            const expected: u16 = if (std.math.isNan(value)) 0x7e00 else @bitCast(@as(f16, @floatCast(value)));
            if (expected != @as(u16, @bitCast(h))) {
                if (mismatches < 10) std.debug.print("{x:0>8}: got {x:0>4}, expected {x:0>4}\n", .{ @as(u32, @bitCast(x)), @as(u16, @bitCast(h)), expected });
                mismatches += 1;
            }
        }
    }
    std.debug.print("f32 -> f16, all 2^32 inputs, vector bits {d}, f16 in hardware {}: {d} mismatches\n", .{ check.vector_bits, convert.hardware_half, mismatches });
    if (mismatches != 0) std.process.exit(1);
}
