//! Benchmark-only library (never shipped): how fast can this machine move
//! the traffic of `out[i] = a[i] + b[i]` (read two streams, write one)?
//! `bun run bench` reports addInto as a fraction of the best of these.
//! And how fast can it only read one or two streams (`nsimd_probe_read`)?
//! `bun run bench:reductions` reports each reduction at 5M as a fraction of
//! that. And any mix of reads and writes (`nsimd_probe_stream`), for the
//! conversions' bound in `bun run bench:conversions`.
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

/// Read-only traffic: XORs every byte of a[0..bytes] (and of b[0..bytes]
/// when `two_streams`) into eight independent 64-byte accumulators, so no
/// float latency and no conversion is in the way: only the loads. The bytes
/// after the last whole 512-byte step are not read (at most 511 of millions).
/// Returns the folded XOR, so the reads cannot be optimised away.
export fn nsimd_probe_read(a: [*]const u8, b: [*]const u8, bytes: u32, two_streams: bool) u64 {
    const Line = @Vector(64, u8);
    const step = 8 * 64;
    var acc: [8]Line = @splat(@splat(0));
    var i: usize = 0;
    if (two_streams) {
        while (i + step <= bytes) : (i += step) {
            inline for (0..8) |k| acc[k] ^= @as(Line, a[i + 64 * k ..][0..64].*) ^ @as(Line, b[i + 64 * k ..][0..64].*);
        }
    } else {
        while (i + step <= bytes) : (i += step) {
            inline for (0..8) |k| acc[k] ^= @as(Line, a[i + 64 * k ..][0..64].*);
        }
    }
    var total: Line = @splat(0);
    for (acc) |line| total ^= line;
    const words: @Vector(8, u64) = @bitCast(total);
    return @reduce(.Xor, words);
}

/// Bytes per vector of the probe's mixed-stream pass.
const stream_vector_bytes = std.simd.suggestVectorLength(u8) orelse 16;
const Bytes = @Vector(stream_vector_bytes, u8);

/// One mixed-stream pass with the proportions fixed at compile time, so the
/// loop is straight-line: `steps` times, read `reads` vectors (each into its
/// own accumulator: no dependency chain between loads) and write `writes`
/// vectors, with streaming stores where available. (The caller fills src
/// with non-zero bytes.)
fn streamPass(comptime reads: u32, comptime writes: u32, src: [*]const u8, out: [*]u8, steps: u32) void {
    var acc: [@max(reads, 1)]Bytes = @splat(@splat(0));
    var r: usize = 0;
    var w: usize = 0;
    for (0..steps) |_| {
        inline for (0..reads) |k| {
            acc[k] ^= @as(Bytes, src[r..][0..stream_vector_bytes].*);
            r += stream_vector_bytes;
        }
        inline for (0..writes) |k| {
            // Never zeros: stores of all-zero lines measured ~1.6x faster
            // here (75-85 against 49 GB/s for a 1:4 mix), and no kernel's
            // output is all zeros.
            const value = acc[k % acc.len] +% @as(Bytes, @splat(k + 1));
            if (has_streaming_store) {
                const words: @Vector(stream_vector_bytes / 4, u32) = @bitCast(value);
                asm volatile ("vmovntps %[v], (%[dest])"
                    :
                    : [v] "v" (words),
                      [dest] "r" (out + w),
                    : .{ .memory = true });
            } else out[w..][0..stream_vector_bytes].* = value;
            w += stream_vector_bytes;
        }
    }
    if (has_streaming_store) asm volatile ("sfence" ::: .{ .memory = true });
    std.mem.doNotOptimizeAway(acc);
}

/// Any traffic mix of up to 4 vectors read and 4 written per step, so that
/// a conversion's bound is measured with its own proportions of reads and
/// writes (float16 -> float32: 1 read to 2 written; uint8 -> float32: 1 to
/// 4). `out` must be aligned to the vector size (the caller aligns it; see
/// bench/conversions.ts). Other proportions do nothing.
export fn nsimd_probe_stream(src: [*]const u8, out: [*]u8, steps: u32, reads: u32, writes: u32) void {
    inline for (1..5) |r| {
        inline for (1..5) |w| {
            if (reads == r and writes == w) return streamPass(r, w, src, out, steps);
        }
    }
}

/// The probe's vector size in bytes, for callers that size and align buffers.
export fn nsimd_probe_vector_bytes() u32 {
    return stream_vector_bytes;
}
