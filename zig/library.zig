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
//!   nsimd_runnable_backends, nsimd_cpu_feature_names, nsimd_cpu_features

const std = @import("std");
const builtin = @import("builtin");
const catalog = @import("catalog.zig");
const kernel = @import("kernel.zig");
const cpu = @import("cpu.zig");

const backends = catalog.backendsFor(builtin.cpu.arch);
const ops = std.enums.values(catalog.Op);

/// Bumped whenever an export changes shape, so the TypeScript loader can
/// refuse a stale library instead of calling it wrongly.
pub const abi_version: u32 = 1;

/// What every compute export returns. The TypeScript wrapper validates first,
/// so anything but `ok` means a caller bypassed it; the library refuses rather
/// than write through a bad pointer.
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

/// The cheap preconditions every compute export checks before its kernel.
pub fn check(a: ?[*]const f32, b: ?[*]const f32, out: ?[*]f32, n: usize) Status {
    if (n == 0) return .ok; // nothing will be touched; empty views may be NULL
    if (a == null or b == null or out == null) return .null_pointer;
    if (n > std.math.maxInt(usize) / 4) return .too_long;
    const bytes = n * 4;
    const out_addr = @intFromPtr(out.?);
    if (out_addr > std.math.maxInt(usize) - bytes) return .too_long;
    if (partiallyOverlaps(@intFromPtr(a.?), out_addr, bytes)) return .partial_overlap;
    if (partiallyOverlaps(@intFromPtr(b.?), out_addr, bytes)) return .partial_overlap;
    return .ok;
}

/// Export `run` under `name`, behind `check`.
fn exportChecked(comptime name: []const u8, comptime run: *const kernel.KernelFn) void {
    const Checked = struct {
        // n is a u32: bun:ffi passes a u32 ~4.5 ns faster than a u64
        // (measured: 9.5 against 14.1 ns a call), and a JavaScript
        // ArrayBuffer is capped at 4 GiB, i.e. 2^30 float32 elements.
        fn call(a: ?[*]const f32, b: ?[*]const f32, out: ?[*]f32, n: u32) callconv(.c) i32 {
            const status = check(a, b, out, n);
            if (status == .ok and n != 0) run(a.?, b.?, out.?, n);
            return @intFromEnum(status);
        }
    };
    @export(&Checked.call, .{ .name = name });
}

pub fn computeSymbol(comptime op: catalog.Op, comptime variant: []const u8) []const u8 {
    return "nsimd_" ++ @tagName(op) ++ "_f32_" ++ variant;
}

comptime {
    for (ops) |op| {
        for (backends) |backend| {
            // Resolved at link time to the hidden kernel in that backend's object.
            const run = @extern(*const kernel.KernelFn, .{
                .name = kernel.kernelSymbol(op, backend.name),
                .visibility = .hidden,
            });
            exportChecked(computeSymbol(op, backend.name), run);
        }
        exportChecked(computeSymbol(op, "naive"), &kernel.naive(op));
    }
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
