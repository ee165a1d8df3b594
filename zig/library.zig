//! Root of the shared library: the whole C ABI that bun:ffi (or any C caller)
//! sees. Compiled for the architecture's baseline CPU, so loading the library
//! and asking it about the CPU is safe on every machine; the wide kernels sit
//! in their own objects (variant.zig) and only run once detection allows.
//!
//! Exports, all prefixed `nsimd_`:
//!   int32_t nsimd_<op>_f32_<backend>(const float *a, const float *b, float *out, uint32_t n)
//!   int32_t nsimd_<op>_f32_naive(const float *a, const float *b, float *out, uint32_t n)
//!     one per op and backend, and the level-1 plain loop; 0 or a Status
//!   nsimd_abi_version, nsimd_op_names, nsimd_backend_names,
//!   nsimd_runnable_backends, nsimd_cpu_feature_names, nsimd_cpu_features,
//!   nsimd_last_level_cache_bytes, nsimd_streaming_threshold, nsimd_set_streaming_threshold

const std = @import("std");
const builtin = @import("builtin");
const catalog = @import("catalog.zig");
const kernel = @import("kernel.zig");
const cpu = @import("cpu.zig");

const backends = catalog.backendsFor(builtin.cpu.arch);
const ops = std.enums.values(catalog.Op);

/// Bumped whenever an export changes shape, so the TypeScript loader can
/// refuse a stale library instead of calling it wrongly.
pub const abi_version: u32 = 2;

/// What every compute export returns, before it writes anything. Overlap is
/// decided here on real addresses, so `partial_overlap` is the normal way
/// the TypeScript wrapper learns of it (and turns it into a RangeError);
/// `null_pointer` and `too_long` mean a caller bypassed the wrapper's checks,
/// and the library refuses rather than write through a bad pointer.
pub const Status = enum(i32) {
    ok = 0,
    /// A null pointer with a non-zero length.
    null_pointer = 1,
    /// `out` overlaps `a` or `b` without being exactly the same memory.
    partial_overlap = 2,
    /// n * 4 bytes does not fit in the address space.
    too_long = 3,
};

fn partiallyOverlaps(input: usize, out: usize, bytes: usize) bool {
    return input != out and input < out + bytes and out < input + bytes;
}

/// Whether `bytes` bytes from `address` end inside the address space, so
/// that `address + bytes` cannot overflow (illegal behaviour in ReleaseFast).
fn fitsBelowTop(address: usize, bytes: usize) bool {
    return address <= std.math.maxInt(usize) - bytes;
}

/// The cheap preconditions every compute export checks before its kernel.
pub fn check(a: ?[*]const f32, b: ?[*]const f32, out: ?[*]f32, n: usize) Status {
    if (n == 0) return .ok; // nothing will be touched; empty views may be NULL
    if (a == null or b == null or out == null) return .null_pointer;
    if (n > std.math.maxInt(usize) / 4) return .too_long;
    const bytes = n * 4;
    const a_addr = @intFromPtr(a.?);
    const b_addr = @intFromPtr(b.?);
    const out_addr = @intFromPtr(out.?);
    // Every range, inputs too: partiallyOverlaps adds `bytes` to each address.
    if (!fitsBelowTop(a_addr, bytes) or !fitsBelowTop(b_addr, bytes) or !fitsBelowTop(out_addr, bytes)) return .too_long;
    if (partiallyOverlaps(a_addr, out_addr, bytes)) return .partial_overlap;
    if (partiallyOverlaps(b_addr, out_addr, bytes)) return .partial_overlap;
    return .ok;
}

/// Arrays at least this long use streaming stores where the backend has
/// them. 0 means "not yet derived from the cache size" (see below).
var streaming_threshold = std.atomic.Value(u32).init(0);

/// Streaming pays once the arrays crowd the last-level cache: each result
/// line would otherwise be read from memory only to be overwritten. Measured
/// on a 32 MiB L3 (AMD EPYC, AVX2 kernel): equal speed at 1M elements (12 MB
/// touched), streaming 8% faster at 2M, 20% at 2.8M, 33% at 5M; in cache
/// ordinary stores win. So: stream once the traffic exceeds half the cache.
fn defaultStreamingThreshold() u32 {
    const cache = cpu.lastLevelCacheBytes() orelse 8 << 20;
    return @intCast(@min(cache / 2 / 12, std.math.maxInt(u32)));
}

fn streamingThreshold() u32 {
    const known = streaming_threshold.load(.monotonic);
    if (known != 0) return known;
    const derived = defaultStreamingThreshold();
    streaming_threshold.store(derived, .monotonic);
    return derived;
}

/// Export `cached` (and `streaming`, for long arrays) under `name`, behind `check`.
fn exportChecked(comptime name: []const u8, comptime cached: *const kernel.KernelFn, comptime streaming: ?*const kernel.KernelFn) void {
    const Checked = struct {
        // n is a u32: bun:ffi passes a u32 ~4.5 ns faster than a u64
        // (measured: 9.5 against 14.1 ns a call), and a JavaScript
        // ArrayBuffer is capped at 4 GiB, i.e. 2^30 float32 elements.
        fn call(a: ?[*]const f32, b: ?[*]const f32, out: ?[*]f32, n: u32) callconv(.c) i32 {
            const status = check(a, b, out, n);
            if (status != .ok or n == 0) return @intFromEnum(status);
            const run = if (streaming != null and n >= streamingThreshold()) streaming.? else cached;
            run(a.?, b.?, out.?, n);
            return @intFromEnum(status);
        }
    };
    @export(&Checked.call, .{ .name = name });
}

fn computeSymbol(comptime op: catalog.Op, comptime variant: []const u8) []const u8 {
    return "nsimd_" ++ @tagName(op) ++ "_f32_" ++ variant;
}

/// A backend object's hidden kernel, resolved at link time.
pub fn backendKernel(comptime op: catalog.Op, comptime backend: catalog.Backend, comptime store: kernel.Store) *const kernel.KernelFn {
    return @extern(*const kernel.KernelFn, .{ .name = kernel.hiddenSymbol(op, backend.name, store), .visibility = .hidden });
}

comptime {
    for (ops) |op| {
        for (backends) |backend| {
            const streaming = if (backend.streaming) backendKernel(op, backend, .streaming) else null;
            exportChecked(computeSymbol(op, backend.name), backendKernel(op, backend, .cached), streaming);
        }
        exportChecked(computeSymbol(op, "naive"), &kernel.naive(op), null);
    }
}

/// The last-level cache size CPUID reports, in bytes (0: not reported).
export fn nsimd_last_level_cache_bytes() u32 {
    return @intCast(@min(cpu.lastLevelCacheBytes() orelse 0, std.math.maxInt(u32)));
}

/// Elements from which streaming stores are used (derived from the cache size).
export fn nsimd_streaming_threshold() u32 {
    return streamingThreshold();
}

/// Override the threshold for this process (0 restores the default). For
/// tests, which force the streaming path at every length, and benchmarks.
export fn nsimd_set_streaming_threshold(elements: u32) void {
    streaming_threshold.store(if (elements == 0) defaultStreamingThreshold() else elements, .monotonic);
}

const backend_names = blk: {
    var names: [backends.len][]const u8 = undefined;
    for (backends, 0..) |backend, i| names[i] = backend.name;
    break :blk catalog.joinNames(&names);
};

export fn nsimd_abi_version() u32 {
    return abi_version;
}

/// "add,sub,mul,div"
export fn nsimd_op_names() [*:0]const u8 {
    return catalog.joinNames(std.meta.fieldNames(catalog.Op));
}

/// The backends compiled into this library, best first, e.g. "avx512,avx2,sse,scalar".
export fn nsimd_backend_names() [*:0]const u8 {
    return backend_names;
}

/// Bit i set: the i-th backend of `nsimd_backend_names` can run on a CPU
/// with `features`. Shared with zig/detect_main.zig, so the program checked
/// under emulated CPU models decides exactly as the library does.
pub fn runnableMask(features: cpu.FeatureSet) u32 {
    var mask: u32 = 0;
    inline for (backends, 0..) |backend, i| {
        if (cpu.canRun(backend, features)) mask |= @as(u32, 1) << i;
    }
    return mask;
}

/// Bit i set: the i-th backend of `nsimd_backend_names` can run on this CPU.
export fn nsimd_runnable_backends() u32 {
    return runnableMask(cpu.detect());
}

/// "sse2,sse3,...": bit i of `nsimd_cpu_features` is the i-th name.
export fn nsimd_cpu_feature_names() [*:0]const u8 {
    return cpu.feature_names;
}

export fn nsimd_cpu_features() u32 {
    return cpu.detect().bits.mask;
}

test {
    _ = @import("tests.zig");
}
