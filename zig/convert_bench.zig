//! Timing of the conversion kernels, one build per ISA (Linux only: it reads
//! CLOCK_MONOTONIC directly):
//!
//!   zig build-exe zig/convert_bench.zig -O ReleaseFast -mcpu=x86_64_v3 && ./convert_bench
//!
//! Prints ns per element, best of several runs, at n = 65,536 (in cache) and
//! 5,000,000 (above it), and the memory-bound estimate at 5M: bytes read and
//! written per element divided by this machine's measured copy bandwidth
//! (a @memcpy of the same total size, best of several runs).
//! The kernels are exported, so the same build can be disassembled:
//!   objdump -d --no-show-raw-insn --disassemble=convert_f32_f16 convert_bench

const std = @import("std");
const convert = @import("convert.zig");
const check = @import("convert_check.zig");

const Job = struct { name: []const u8, Src: type, Dst: type, scale: f64, offset: f64 };
const jobs = [_]Job{
    .{ .name = "convert_f32_f16", .Src = f32, .Dst = f16, .scale = 1, .offset = 0 },
    .{ .name = "convert_f16_f32", .Src = f16, .Dst = f32, .scale = 1, .offset = 0 },
    .{ .name = "convert_i16_f32", .Src = i16, .Dst = f32, .scale = 1.0 / 32768.0, .offset = 0 },
    .{ .name = "convert_f32_i16", .Src = f32, .Dst = i16, .scale = 32768, .offset = 0 },
    .{ .name = "convert_u8_f32", .Src = u8, .Dst = f32, .scale = 1.0 / 255.0, .offset = -0.485 },
    .{ .name = "convert_f32_u8", .Src = f32, .Dst = u8, .scale = 255, .offset = 0.5 },
    .{ .name = "convert_f64_f16", .Src = f64, .Dst = f16, .scale = 1, .offset = 0 },
    .{ .name = "convert_f16_f64", .Src = f16, .Dst = f64, .scale = 1, .offset = 0 },
};

comptime {
    for (jobs) |job| {
        @export(&convert.kernel(job.Src, job.Dst, convert.lanesFor(check.vector_bits, job.Src, job.Dst)), .{ .name = job.name });
    }
}

fn now() u64 {
    var ts: std.os.linux.timespec = undefined;
    _ = std.os.linux.clock_gettime(.MONOTONIC, &ts);
    return @as(u64, @intCast(ts.sec)) * 1_000_000_000 + @as(u64, @intCast(ts.nsec));
}

fn fill(comptime T: type, values: []T) void {
    var state: u32 = 12345;
    for (values) |*v| {
        state = state *% 1664525 +% 1013904223;
        const unit = @as(f64, @floatFromInt(state >> 8)) / 16777216.0; // [0, 1)
        v.* = switch (T) {
            f16, f32, f64 => @floatCast(unit * 2 - 1),
            u8 => @intCast(state >> 24),
            i16 => @bitCast(@as(u16, @intCast(state >> 16))),
            else => unreachable,
        };
    }
}

fn bestNs(comptime job: Job, src: [*]const job.Src, out: [*]job.Dst, n: usize, runs: usize) f64 {
    const run = convert.kernel(job.Src, job.Dst, convert.lanesFor(check.vector_bits, job.Src, job.Dst));
    const byte_tables = check.byteTablesHere();
    var best: u64 = std.math.maxInt(u64);
    for (0..runs) |_| {
        const start = now();
        run(src, out, n, job.scale, job.offset, false, byte_tables);
        const elapsed = now() - start;
        best = @min(best, elapsed);
    }
    return @as(f64, @floatFromInt(best)) / @as(f64, @floatFromInt(n));
}

fn copyNsPerByte(buffer: []u8, runs: usize) f64 {
    const half = buffer.len / 2;
    var best: u64 = std.math.maxInt(u64);
    for (0..runs) |_| {
        const start = now();
        @memcpy(buffer[half..], buffer[0..half]);
        std.mem.doNotOptimizeAway(buffer.ptr);
        best = @min(best, now() - start);
    }
    // A copy reads `half` and writes `half` bytes.
    return @as(f64, @floatFromInt(best)) / @as(f64, @floatFromInt(2 * half));
}

pub fn main() !void {
    const allocator = std.heap.page_allocator;
    const big = 5_000_000;
    const copy_buffer = try allocator.alloc(u8, 2 * big * 8);
    defer allocator.free(copy_buffer);
    @memset(copy_buffer, 1);
    const copy = copyNsPerByte(copy_buffer, 10);
    std.debug.print("# vector bits {d}, f16 hw {}, fma hw {}; memcpy {d:.3} ns/byte moved\n", .{ check.vector_bits, convert.hardware_half, convert.hardware_fma, copy });
    inline for (jobs) |job| {
        const src = try allocator.alloc(job.Src, big);
        defer allocator.free(src);
        const out = try allocator.alloc(job.Dst, big);
        defer allocator.free(out);
        fill(job.Src, src);
        @memset(std.mem.sliceAsBytes(out), 0);
        const small = bestNs(job, src.ptr, out.ptr, 65536, 200);
        const large = bestNs(job, src.ptr, out.ptr, big, 15);
        const bytes = @sizeOf(job.Src) + @sizeOf(job.Dst);
        const bound = copy * @as(f64, @floatFromInt(bytes));
        std.debug.print("{s:<16} scale {d:<10.6} offset {d:<7} n=65536: {d:.3} ns/elem   n=5M: {d:.3} ns/elem (a @memcpy of the same bytes: {d:.3}, {d:.0}% of its speed)\n", .{ job.name, job.scale, job.offset, small, large, bound, 100 * bound / large });
    }
}
