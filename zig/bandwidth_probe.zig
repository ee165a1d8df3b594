//! Benchmark-only library (never shipped): how fast can this machine move
//! the traffic of `out[i] = a[i] + b[i]` (read two streams, write one)?
//! `bun run bench` reports addInto as a fraction of the best of these.
//!
//! Built for the *native* CPU by `zig build probe`, and written separately
//! from kernel.zig so that the bound does not just measure our own kernel.

const std = @import("std");
const builtin = @import("builtin");

const lanes = std.simd.suggestVectorLength(f32) orelse 4;
const V = @Vector(lanes, f32);
const has_streaming_store = builtin.cpu.arch == .x86_64;

/// `out = a + b` over one slice, 4 vectors a step; streaming (non-temporal)
/// stores when asked and available, after a scalar head to align `out`.
fn pass(a: []const f32, b: []const f32, out: []f32, streaming: bool) void {
    var i: usize = 0;
    const vector_bytes = lanes * 4;
    if (streaming and has_streaming_store) {
        while (i < out.len and @intFromPtr(&out[i]) % vector_bytes != 0) : (i += 1) out[i] = a[i] + b[i];
    }
    while (i + 4 * lanes <= out.len) : (i += 4 * lanes) {
        inline for (0..4) |u| {
            const j = i + u * lanes;
            const v: V = @as(V, a[j..][0..lanes].*) + @as(V, b[j..][0..lanes].*);
            if (streaming and has_streaming_store) {
                asm volatile ("vmovntps %[v], (%[dest])"
                    :
                    : [v] "v" (v),
                      [dest] "r" (&out[j]),
                    : .{ .memory = true });
            } else out[j..][0..lanes].* = v;
        }
    }
    if (streaming and has_streaming_store) asm volatile ("sfence" ::: .{ .memory = true });
    while (i < out.len) : (i += 1) out[i] = a[i] + b[i];
}

/// One pass over n elements split across `threads` threads (1 = this one).
/// A chunk whose thread cannot be started runs on the calling thread.
export fn nsimd_probe_pass(a: [*]const f32, b: [*]const f32, out: [*]f32, n: u32, threads: u32, streaming: bool) void {
    const count = @max(1, @min(threads, 16));
    var workers: [16]?std.Thread = @splat(null);
    const chunk = (n / count) & ~@as(u32, 63); // keep chunk starts 256-byte aligned relative to out
    var start: u32 = 0;
    for (0..count) |t| {
        const end = if (t == count - 1) n else start + chunk;
        const args = .{ a[start..end], b[start..end], out[start..end], streaming };
        if (t == count - 1) {
            @call(.auto, pass, args);
        } else {
            workers[t] = std.Thread.spawn(.{ .stack_size = 64 << 10 }, pass, args) catch blk: {
                @call(.auto, pass, args);
                break :blk null;
            };
        }
        start = end;
    }
    for (workers) |maybe| if (maybe) |worker| worker.join();
}

/// Bytes per vector of the probe's mixed-stream pass.
const stream_vector_bytes = std.simd.suggestVectorLength(u8) orelse 16;
const Bytes = @Vector(stream_vector_bytes, u8);

/// Any traffic mix: `steps` times, read `reads` vectors from `src` and write
/// `writes` vectors to `out` (streaming stores where available), so that a
/// conversion's bound is measured with its own proportions of reads and
/// writes (float16 -> float32: 1 read to 2 written; uint8 -> float32: 1 to
/// 4; a reduction: 1 to 0). `out` must be aligned to the vector size (the
/// caller aligns it; see bench/conversions.ts). The XOR keeps the loads
/// from being optimised away, nothing more.
export fn nsimd_probe_stream(src: [*]const u8, out: [*]u8, steps: u32, reads: u32, writes: u32) void {
    var acc: Bytes = @splat(0);
    var r: usize = 0;
    var w: usize = 0;
    for (0..steps) |_| {
        for (0..reads) |_| {
            acc ^= @as(Bytes, src[r..][0..stream_vector_bytes].*);
            r += stream_vector_bytes;
        }
        for (0..writes) |_| {
            if (has_streaming_store) {
                const words: @Vector(stream_vector_bytes / 4, u32) = @bitCast(acc);
                asm volatile ("vmovntps %[v], (%[dest])"
                    :
                    : [v] "v" (words),
                      [dest] "r" (out + w),
                    : .{ .memory = true });
            } else out[w..][0..stream_vector_bytes].* = acc;
            w += stream_vector_bytes;
        }
    }
    if (has_streaming_store) asm volatile ("sfence" ::: .{ .memory = true });
    std.mem.doNotOptimizeAway(acc);
}

/// The probe's vector size in bytes, for callers that size and align buffers.
export fn nsimd_probe_vector_bytes() u32 {
    return stream_vector_bytes;
}
