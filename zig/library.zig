//! Root of the shared library: the whole C ABI that bun:ffi (or any C caller)
//! sees. Compiled for the architecture's baseline CPU, so loading the library
//! and asking it about the CPU is safe on every machine; the wide kernels sit
//! in their own objects (variant.zig) and only run once detection allows.
//!
//! Exports, all prefixed `nsimd_`, one per op x dtype x backend of the catalog:
//!   unary    int32_t nsimd_<op>_<dtype>_<backend>(const T *a, T *out, uint32_t n, uint32_t broadcast)
//!   binary   int32_t nsimd_<op>_<dtype>_<backend>(const T *a, const T *b, T *out, uint32_t n, uint32_t broadcast)
//!   ternary  int32_t nsimd_<op>_<dtype>_<backend>(const T *a, const T *b, const T *c, T *out, uint32_t n, uint32_t broadcast)
//!     `broadcast` bit k: input k is one value for every element.
//!   reduce, index  int32_t nsimd_<op>_<dtype>_<backend>(const T *a, uint32_t n, double *result)
//!   reduce2  int32_t nsimd_<op>_<dtype>_<backend>(const T *a, const T *b, uint32_t n, double *result)
//!   rows     int32_t nsimd_<op>_<dtype>_<backend>(const T *rows, const T *query, T *out, uint32_t nrows, uint32_t dim)
//!   convert  int32_t nsimd_convert_<src>_<dst>_<backend>(const S *src, D *out, uint32_t n, double scale, double offset)
//!     Each returns 0 or a Status, decided before anything is written.
//!     `result` receives the value (index: the index, exactly, as a double).
//!   int32_t nsimd_<op>_f32_naive(a, b, out, n, broadcast): the level-1 plain
//!     loop of the list API's ops (broadcast must be 0)
//!   nsimd_abi_version, nsimd_catalog, nsimd_backend_names,
//!   nsimd_runnable_backends, nsimd_cpu_feature_names, nsimd_cpu_features,
//!   nsimd_cpu_vendor, nsimd_cpu_family, nsimd_last_level_cache_bytes,
//!   nsimd_streaming_threshold_bytes, nsimd_set_streaming_threshold_bytes,
//!   nsimd_advise_huge_pages,
//!   nsimd_math_slow_lanes

const std = @import("std");
const builtin = @import("builtin");
const catalog = @import("catalog.zig");
const elementwise = @import("elementwise.zig");
const kernels = @import("kernels.zig");
const cpu = @import("cpu.zig");

const backends = catalog.backendsFor(builtin.cpu.arch);
const ops = std.enums.values(catalog.Op);

const abi = @import("abi.zig");
pub const abi_version = abi.abi_version;
pub const Status = abi.Status;

/// The byte range [address, address + bytes) of one argument.
const Range = struct {
    address: usize,
    bytes: usize,

    fn fits(range: Range) bool {
        return range.address <= std.math.maxInt(usize) - range.bytes;
    }

    /// Shares at least one byte with `other`.
    fn overlaps(range: Range, other: Range) bool {
        return range.address < other.address + other.bytes and other.address < range.address + range.bytes;
    }

    /// Shares a byte with `other` without starting at the same address.
    /// Exact aliasing is allowed: element i is read before it is written.
    fn partiallyOverlaps(range: Range, other: Range) bool {
        return range.address != other.address and range.overlaps(other);
    }
};

/// The preconditions every elementwise export checks before its kernel:
/// no null pointer, every byte range inside the address space, and `out`
/// overlapping no input except exactly. Broadcast inputs span one element.
pub fn check(comptime T: type, inputs: []const ?[*]const T, out: ?[*]align(1) T, n: usize, broadcast: u32) Status {
    if (broadcast >> @intCast(inputs.len) != 0) return .bad_broadcast;
    if (n == 0) return .ok; // nothing will be touched; empty views may be NULL
    const out_range = rangeOf(T, @intFromPtr(out orelse return .null_pointer), n) orelse return .too_long;
    for (inputs, 0..) |input, k| {
        const elements = if (broadcast >> @intCast(k) & 1 == 1) 1 else n;
        const range = rangeOf(T, @intFromPtr(input orelse return .null_pointer), elements) orelse return .too_long;
        if (range.partiallyOverlaps(out_range)) return .partial_overlap;
    }
    return .ok;
}

/// `elements` elements of T from `pointer`: its byte range, or null when it
/// would not fit in the address space.
fn rangeOf(comptime T: type, pointer: usize, elements: usize) ?Range {
    if (elements > std.math.maxInt(usize) / @sizeOf(T)) return null;
    const range = Range{ .address = pointer, .bytes = elements * @sizeOf(T) };
    return if (range.fits()) range else null;
}

/// The preconditions of a reduction: `result` to write, and when n > 0 each
/// input non-null with its range inside the address space. (The result is
/// written after every input was read: it may be anywhere.)
pub fn checkReduction(comptime T: type, inputs: []const ?[*]const T, n: usize, result: ?*f64) Status {
    if (result == null) return .null_pointer;
    _ = rangeOf(f64, @intFromPtr(result.?), 1) orelse return .too_long;
    if (n == 0) return .ok;
    for (inputs) |input| _ = rangeOf(T, @intFromPtr(input orelse return .null_pointer), n) orelse return .too_long;
    return .ok;
}

/// The preconditions of a rows call: rows holds nrows x dim elements, query
/// dim, out nrows, all inside the address space, and out overlapping neither
/// input at all (each out[i] is written while later rows are still unread).
pub fn checkRows(comptime T: type, rows: ?[*]const T, query: ?[*]const T, out: ?[*]align(1) T, nrows: usize, dim: usize) Status {
    if (nrows == 0) return .ok;
    const out_range = rangeOf(T, @intFromPtr(out orelse return .null_pointer), nrows) orelse return .too_long;
    if (dim == 0) return .ok; // out[i] = f(empty, empty); nothing is read
    if (nrows > std.math.maxInt(usize) / dim) return .too_long;
    const rows_range = rangeOf(T, @intFromPtr(rows orelse return .null_pointer), nrows * dim) orelse return .too_long;
    const query_range = rangeOf(T, @intFromPtr(query orelse return .null_pointer), dim) orelse return .too_long;
    if (out_range.overlaps(rows_range) or out_range.overlaps(query_range)) return .partial_overlap;
    return .ok;
}

/// The preconditions of a conversion: both ranges inside the address space,
/// no overlap at all (the element sizes differ, so no aliasing is safe), a
/// finite scale and offset.
pub fn checkConversion(comptime Src: type, comptime Dst: type, src: ?[*]const Src, out: ?[*]align(1) Dst, n: usize, scale: f64, offset: f64) Status {
    if (!std.math.isFinite(scale) or !std.math.isFinite(offset)) return .not_finite;
    if (n == 0) return .ok;
    const src_range = rangeOf(Src, @intFromPtr(src orelse return .null_pointer), n) orelse return .too_long;
    const out_range = rangeOf(Dst, @intFromPtr(out orelse return .null_pointer), n) orelse return .too_long;
    if (out_range.overlaps(src_range)) return .partial_overlap;
    return .ok;
}

/// Arrays whose traffic (bytes read and written) reaches this use streaming
/// stores where the backend has them. 0 means "not yet derived" (see below).
var streaming_threshold_bytes = std.atomic.Value(u32).init(0);

/// Streaming pays once the arrays crowd the last-level cache: each result
/// line would otherwise be read from memory only to be overwritten. Measured
/// on a 32 MiB L3 (AMD EPYC, AVX2 float32 add): equal speed at 12 MB of
/// traffic, streaming 8% faster at 24 MB, 33% at 60 MB; in cache ordinary
/// stores win. So: stream once the traffic exceeds half the cache.
///
/// But at most 64 MiB. A VM on an Intel Xeon (family 6 model 167, 2 vCPUs)
/// reports the host's whole 480 MiB L3, which one core of one guest never
/// gets: there, measured at 5M float64 elements (add, 120 MB of traffic),
/// streaming took 1.13 ns an element against 1.98 cached; float32 add at
/// 60 MB was even (0.42 either way), at 96 MB streaming won 0.42 to 0.73,
/// and conversions of 20M elements (100-120 MB) ran 2.3x faster streaming.
fn defaultStreamingThreshold() u32 {
    const cache = cpu.lastLevelCacheBytes() orelse 8 << 20;
    return @intCast(@min(cache / 2, max_default_streaming_threshold));
}

const max_default_streaming_threshold = 64 << 20;

fn streamingThreshold() u32 {
    const known = streaming_threshold_bytes.load(.monotonic);
    if (known != 0) return known;
    const derived = defaultStreamingThreshold();
    streaming_threshold_bytes.store(derived, .monotonic);
    return derived;
}

/// Whether this CPU has AVX-512 VBMI, which the avx512 conversions from
/// 8-bit types use for their 256-entry tables (convert.zig byteTableLoop).
/// Asked once: CPUID is slow under a hypervisor, which traps it.
/// 0: not yet asked, 1: no, 2: yes.
var byte_tables_known = std.atomic.Value(u8).init(0);

fn cpuHasByteTables() bool {
    const known = byte_tables_known.load(.monotonic);
    if (known != 0) return known == 2;
    const present = cpu.detect().contains(.avx512vbmi);
    byte_tables_known.store(if (present) 2 else 1, .monotonic);
    return present;
}

/// Whether `out` may take the streaming kernel. A typed array can start at
/// any byte address (`Bun.mmap` with an odd offset, bun:ffi's
/// `toArrayBuffer(ptr + 1)`), and a non-temporal store to an address that
/// is not a multiple of the vector size faults. The streaming loops step
/// one element at a time to a vector boundary, which an out not even
/// element-aligned never reaches; such an out takes the cached kernel,
/// whose stores are unaligned moves. `out` is typed align(1) here, as the
/// C caller may pass it, so that this test is not folded away: typed
/// `[*]T`, LLVM assumed it true and Bun died of a segfault.
fn streamable(comptime T: type, out: [*]align(1) T) bool {
    return @intFromPtr(out) % @alignOf(T) == 0;
}

/// One elementwise export: check, then the backend's cached or streaming kernel.
fn Checked(comptime op: catalog.Op, comptime T: type, comptime cached: *const elementwise.Kernel(T), comptime streaming: ?*const elementwise.Kernel(T)) type {
    const arity = op.declaration().shape.inputs();
    return struct {
        fn run(inputs: [arity]?[*]const T, out: ?[*]align(1) T, n: u32, broadcast: u32) i32 {
            const status = check(T, &inputs, out, n, broadcast);
            if (status != .ok or n == 0) return @intFromEnum(status);
            var pointers: [3][*]const T = undefined;
            for (inputs, 0..) |input, k| pointers[k] = input.?;
            // Bytes moved: every array input read, out written.
            const arrays: usize = arity - @popCount(broadcast) + 1;
            const traffic = @as(u64, n) * @sizeOf(T) * arrays;
            const kernel = if (streaming != null and traffic >= streamingThreshold() and streamable(T, out.?)) streaming.? else cached;
            kernel(&pointers, out.?, n, broadcast);
            return 0;
        }

        // n is a u32: bun:ffi passes a u32 ~4.5 ns faster than a u64
        // (measured: 9.5 against 14.1 ns a call), and a JavaScript
        // ArrayBuffer is capped at 4 GiB anyway.
        fn unary(a: ?[*]const T, out: ?[*]align(1) T, n: u32, broadcast: u32) callconv(.c) i32 {
            return run(.{a}, out, n, broadcast);
        }
        fn binary(a: ?[*]const T, b: ?[*]const T, out: ?[*]align(1) T, n: u32, broadcast: u32) callconv(.c) i32 {
            return run(.{ a, b }, out, n, broadcast);
        }
        fn ternary(a: ?[*]const T, b: ?[*]const T, c: ?[*]const T, out: ?[*]align(1) T, n: u32, broadcast: u32) callconv(.c) i32 {
            return run(.{ a, b, c }, out, n, broadcast);
        }
    };
}

/// `nsimd_<op>_<dtype>_<variant>`: the public name of one compute export.
pub fn computeSymbol(comptime op: catalog.Op, comptime dtype: catalog.DType, comptime variant: []const u8) []const u8 {
    return "nsimd_" ++ @tagName(op) ++ "_" ++ @tagName(dtype) ++ "_" ++ variant;
}

/// A backend object's hidden kernel, resolved at link time.
pub fn backendKernel(comptime op: catalog.Op, comptime dtype: catalog.DType, comptime backend: catalog.Backend, comptime store: elementwise.Store) *const kernels.Kernel(op.declaration().shape, dtype.Type()) {
    return @extern(*const kernels.Kernel(op.declaration().shape, dtype.Type()), .{ .name = kernels.hiddenSymbol(op, dtype, backend.name, store), .visibility = .hidden });
}

/// The checked export of a reduction, index or rows kernel.
fn CheckedReduction(comptime op: catalog.Op, comptime T: type, comptime run: *const kernels.Kernel(op.declaration().shape, T)) type {
    return struct {
        fn reduce(a: ?[*]const T, n: u32, result: ?*f64) callconv(.c) i32 {
            const status = checkReduction(T, &.{a}, n, result);
            if (status != .ok) return @intFromEnum(status);
            result.?.* = run(a orelse undefined, n);
            return 0;
        }
        fn reduce2(a: ?[*]const T, b: ?[*]const T, n: u32, result: ?*f64) callconv(.c) i32 {
            const status = checkReduction(T, &.{ a, b }, n, result);
            if (status != .ok) return @intFromEnum(status);
            result.?.* = run(a orelse undefined, b orelse undefined, n);
            return 0;
        }
        fn index(a: ?[*]const T, n: u32, result: ?*f64) callconv(.c) i32 {
            const status = checkReduction(T, &.{a}, n, result);
            if (status != .ok) return @intFromEnum(status);
            if (n == 0) return @intFromEnum(Status.empty);
            result.?.* = @floatFromInt(run(a.?, n));
            return 0;
        }
        fn rows(table: ?[*]const T, query: ?[*]const T, out: ?[*]align(1) T, nrows: u32, dim: u32) callconv(.c) i32 {
            const status = checkRows(T, table, query, out, nrows, dim);
            if (status != .ok or nrows == 0) return @intFromEnum(status);
            run(table orelse undefined, query orelse undefined, out.?, nrows, dim);
            return 0;
        }
    };
}

/// Export `op` on `dtype` for `backend` under its public name, behind the
/// checks of its shape.
fn exportOp(comptime op: catalog.Op, comptime dtype: catalog.DType, comptime backend: catalog.Backend) void {
    const T = dtype.Type();
    const name = computeSymbol(op, dtype, backend.name);
    const cached = backendKernel(op, dtype, backend, .cached);
    const streaming = if (kernels.streams(op, backend)) backendKernel(op, dtype, backend, .streaming) else null;
    switch (comptime op.declaration().shape) {
        .unary => @export(&Checked(op, T, cached, streaming).unary, .{ .name = name }),
        .binary => @export(&Checked(op, T, cached, streaming).binary, .{ .name = name }),
        .ternary => @export(&Checked(op, T, cached, streaming).ternary, .{ .name = name }),
        .reduce => @export(&CheckedReduction(op, T, cached).reduce, .{ .name = name }),
        .reduce2 => @export(&CheckedReduction(op, T, cached).reduce2, .{ .name = name }),
        .index => @export(&CheckedReduction(op, T, cached).index, .{ .name = name }),
        .rows => @export(&CheckedReduction(op, T, cached).rows, .{ .name = name }),
        .convert => unreachable, // no dtypes: exported per pair below
    }
}

/// The checked export of one conversion pair on one backend.
fn exportConversion(comptime pair: [2]catalog.Element, comptime backend: catalog.Backend) void {
    const Src = pair[0].Type();
    const Dst = pair[1].Type();
    const run = @extern(*const kernels.Conversion(Src, Dst), .{ .name = kernels.conversionSymbol(pair, backend.name), .visibility = .hidden });
    const CheckedConversion = struct {
        fn call(src: ?[*]const Src, out: ?[*]align(1) Dst, n: u32, scale: f64, offset: f64) callconv(.c) i32 {
            const status = checkConversion(Src, Dst, src, out, n, scale, offset);
            if (status != .ok or n == 0) return @intFromEnum(status);
            const traffic = @as(u64, n) * (@sizeOf(Src) + @sizeOf(Dst));
            run(src.?, out.?, n, scale, offset, traffic >= streamingThreshold() and streamable(Dst, out.?), cpuHasByteTables());
            return 0;
        }
    };
    @export(&CheckedConversion.call, .{ .name = "nsimd_convert_" ++ @tagName(pair[0]) ++ "_" ++ @tagName(pair[1]) ++ "_" ++ backend.name });
}

/// The level-1 loop behind the list API's addNaive & co., with the binary
/// export's signature so both list levels call their kernels the same way.
fn Naive(comptime op: catalog.Op) type {
    return struct {
        fn call(a: ?[*]const f32, b: ?[*]const f32, out: ?[*]f32, n: u32, broadcast: u32) callconv(.c) i32 {
            if (broadcast != 0) return @intFromEnum(Status.bad_broadcast);
            const status = check(f32, &.{ a, b }, out, n, 0);
            if (status != .ok or n == 0) return @intFromEnum(status);
            elementwise.naive(op)(a.?, b.?, out.?, n);
            return 0;
        }
    };
}

comptime {
    @setEvalBranchQuota(100_000);
    for (ops) |op| {
        for (op.declaration().dtypes) |dtype| {
            for (backends) |backend| exportOp(op, dtype, backend);
        }
    }
    for (catalog.list_ops) |op| @export(&Naive(op).call, .{ .name = computeSymbol(op, .f32, "naive") });
    for (catalog.conversions) |pair| {
        for (backends) |backend| exportConversion(pair, backend);
    }
}

/// The last-level cache size CPUID reports, in bytes (0: not reported).
export fn nsimd_last_level_cache_bytes() u32 {
    return @intCast(@min(cpu.lastLevelCacheBytes() orelse 0, std.math.maxInt(u32)));
}

/// The CPU's vendor: 0 unknown (and every non-x86 CPU), 1 Intel, 2 AMD.
export fn nsimd_cpu_vendor() u32 {
    return @intFromEnum(cpu.vendor());
}

/// CPUID's family number (AMD's Zen 4 is 25, Zen 5 26), 0 off x86.
export fn nsimd_cpu_family() u32 {
    return cpu.family();
}

/// Asks Linux to back the 2 MiB-aligned middle of [start, start + bytes)
/// with huge pages, and returns how many bytes that middle holds (0 when
/// there is none, the kernel refused, or this is not Linux). A hint only:
/// the contents stay as they are.
///
/// Why: a reduction over memory streams from RAM, and the CPU's hardware
/// prefetchers stop at every page boundary. NumPy asks for huge pages on its
/// large arrays; a Bun typed array gets 4 KiB pages. Measured on an AMD EPYC
/// Zen 4 VM (bench/huge-pages.ts, n = 5M, five runs): sum float64 0.98-1.77x
/// and min float64 1.28-1.64x faster after this call.
///
/// MADV_COLLAPSE (Linux 6.1) moves the range to huge pages now; where it is
/// refused (an older kernel, THP off), MADV_HUGEPAGE at least marks it for
/// the kernel's background collapsing.
/// The count comes back as a float64 (exact below 2^53): bun:ffi hands a
/// usize result to JavaScript as a BigInt, and converting that would need
/// `Number`, which user code may have replaced by then.
export fn nsimd_advise_huge_pages(start: ?[*]u8, bytes: usize) f64 {
    return @floatFromInt(if (builtin.os.tag == .linux) adviseHugePagesLinux(start, bytes) else 0);
}

fn adviseHugePagesLinux(start: ?[*]u8, bytes: usize) usize {
    const address = @intFromPtr(start orelse return 0);
    const huge_page = 2 * 1024 * 1024;
    const first = std.mem.alignForward(usize, address, huge_page);
    const last = std.mem.alignBackward(usize, address +| bytes, huge_page);
    if (last <= first) return 0;
    const linux = std.os.linux;
    const madv_collapse = 25; // not in Zig 0.16's std.os.linux.MADV
    for ([_]u32{ madv_collapse, linux.MADV.HUGEPAGE }) |advice| {
        if (linux.errno(linux.madvise(@ptrFromInt(first), last - first, advice)) == .SUCCESS) return last - first;
    }
    return 0;
}

/// Bytes of traffic (read + written) from which a call streams its stores.
export fn nsimd_streaming_threshold_bytes() u32 {
    return streamingThreshold();
}

/// Override the threshold for this process (0 restores the default). For
/// tests, which force the streaming path at every length, and benchmarks.
export fn nsimd_set_streaming_threshold_bytes(bytes: u32) void {
    streaming_threshold_bytes.store(if (bytes == 0) defaultStreamingThreshold() else bytes, .monotonic);
}

/// How many lanes the math kernels of the i-th backend of
/// `nsimd_backend_names` have sent to the float128 slow path in this process
/// (a double, exact to 2^53); -1 for an index past the last backend.
export fn nsimd_math_slow_lanes(backend: u32) f64 {
    inline for (backends, 0..) |compiled, i| {
        if (backend == i) return @extern(*const fn () callconv(.c) f64, .{ .name = kernels.mathSlowLanesSymbol(compiled.name), .visibility = .hidden })();
    }
    return -1;
}

const backend_names = blk: {
    var names: [backends.len][]const u8 = undefined;
    for (backends, 0..) |backend, i| names[i] = backend.name;
    break :blk catalog.joinNames(&names);
};

export fn nsimd_abi_version() u32 {
    return abi_version;
}

/// The catalog as JSON (catalog.zig `json`); src/generated/catalog.ts holds
/// the same text, and the loader refuses a library whose copy differs.
export fn nsimd_catalog() [*:0]const u8 {
    return catalog.json;
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
    _ = @import("float.zig");
    _ = @import("tests.zig");
}
