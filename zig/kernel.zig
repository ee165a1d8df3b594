//! The elementwise kernel, written once. Every backend is this file compiled
//! with a different `lanes` and different CPU features (see variant.zig).

const catalog = @import("catalog.zig");
const Op = catalog.Op;

/// What every kernel looks like from C: two inputs, one output, a count of
/// float32 elements. The exported wrappers in library.zig have checked the
/// pointers and the overlap before a kernel is ever called.
pub const KernelFn = fn (a: [*]const f32, b: [*]const f32, out: [*]f32, n: usize) callconv(.c) void;

/// How results reach memory.
pub const Store = enum {
    /// Ordinary stores: results stay in cache, best while the arrays fit there.
    cached,
    /// Non-temporal stores (x86 `movntps`): results go straight to memory
    /// without first reading the destination line into cache, which saves a
    /// third of the memory traffic once the arrays are larger than the cache.
    streaming,
};

/// Independent vectors per loop iteration. Four give the CPU several loads,
/// operations and stores in flight at once instead of one dependent chain.
const unroll = 4;

/// `out[i] = a[i] op b[i]` for i in start..n, one element at a time. Inline,
/// so each object that uses it gets its own copy compiled for its own CPU.
inline fn scalarLoop(comptime op: Op, a: [*]const f32, b: [*]const f32, out: [*]f32, start: usize, n: usize) void {
    var i = start;
    while (i < n) : (i += 1) out[i] = op.apply(a[i], b[i]);
}

/// One vector of results for elements i..i+lanes. The array-to-vector loads
/// keep f32 (4-byte) alignment, so LLVM emits unaligned moves (vmovups): a
/// Float32Array view may start at any multiple of 4.
inline fn vectorAt(comptime op: Op, comptime lanes: u16, a: [*]const f32, b: [*]const f32, i: usize) @Vector(lanes, f32) {
    const va: @Vector(lanes, f32) = a[i..][0..lanes].*;
    const vb: @Vector(lanes, f32) = b[i..][0..lanes].*;
    return op.apply(va, vb);
}

/// A non-temporal store of one whole vector; `dest` must be aligned to the
/// vector's size, or the instruction faults.
inline fn streamStore(comptime lanes: u16, dest: [*]f32, v: @Vector(lanes, f32)) void {
    switch (lanes) {
        4 => asm volatile ("movntps %[v], (%[dest])"
            :
            : [v] "x" (v),
              [dest] "r" (dest),
            : .{ .memory = true }),
        8, 16 => asm volatile ("vmovntps %[v], (%[dest])"
            :
            : [v] "v" (v),
              [dest] "r" (dest),
            : .{ .memory = true }),
        else => @compileError("no streaming store for this width"),
    }
}

inline fn storeVector(comptime lanes: u16, comptime store: Store, dest: [*]f32, v: @Vector(lanes, f32)) void {
    switch (store) {
        .cached => dest[0..lanes].* = v,
        .streaming => streamStore(lanes, dest, v),
    }
}

/// The vector part: blocks of `unroll` vectors, then single vectors, then
/// narrower vectors. Returns how many elements it did; the caller finishes
/// the last 0-3 one at a time.
inline fn vectorLoop(comptime op: Op, comptime lanes: u16, comptime store: Store, a: [*]const f32, b: [*]const f32, out: [*]f32, start: usize, n: usize) usize {
    var i = start;
    while (i + unroll * lanes <= n) : (i += unroll * lanes) {
        inline for (0..unroll) |u| {
            const j = i + u * lanes;
            storeVector(lanes, store, out + j, vectorAt(op, lanes, a, b, j));
        }
    }
    while (i + lanes <= n) : (i += lanes) storeVector(lanes, store, out + i, vectorAt(op, lanes, a, b, i));
    // What is left is shorter than one vector. Narrower vectors (8, then 4
    // lanes) take most of it, leaving at most 3 elements to the scalar loop:
    // a 15-element AVX-512 tail is one 8-lane and one 4-lane step and 3
    // scalar ones instead of 15; a 7-element AVX2 tail, 1 + 3 instead of 7.
    comptime var width = lanes / 2;
    inline while (width >= 4) : (width /= 2) {
        if (i + width <= n) {
            storeVector(width, .cached, out + i, vectorAt(op, width, a, b, i));
            i += width;
        }
    }
    return i;
}

/// The SIMD kernel for `op` with `lanes` float32 per vector: a main loop over
/// whole vectors, narrower vectors for what is left, then at most 3 scalar
/// elements.
///
///   n = 17, lanes = 8:  [0 .. 7] [8 .. 15] [16]
///                        vector   vector   scalar tail
pub fn elementwise(comptime op: Op, comptime lanes: u16) KernelFn {
    return struct {
        fn run(a: [*]const f32, b: [*]const f32, out: [*]f32, n: usize) callconv(.c) void {
            const done = if (lanes > 1) vectorLoop(op, lanes, .cached, a, b, out, 0, n) else 0;
            scalarLoop(op, a, b, out, done, n);
        }
    }.run;
}

/// The same kernel with streaming stores, for arrays larger than the cache.
/// Aligned stores need an aligned `out`: a scalar head runs until out + i
/// sits on a vector boundary (at most lanes - 1 elements), then whole vectors
/// stream, then `sfence` orders the weakly-ordered stores before returning.
pub fn elementwiseStreaming(comptime op: Op, comptime lanes: u16) KernelFn {
    return struct {
        fn run(a: [*]const f32, b: [*]const f32, out: [*]f32, n: usize) callconv(.c) void {
            const vector_bytes = @as(usize, lanes) * 4;
            const address = @intFromPtr(out);
            // A float pointer that is not 4-byte aligned never reaches a vector boundary.
            if (address % 4 != 0) return elementwise(op, lanes)(a, b, out, n);
            const head = @min(n, ((vector_bytes - address % vector_bytes) % vector_bytes) / 4);
            scalarLoop(op, a, b, out, 0, head);
            const done = vectorLoop(op, lanes, .streaming, a, b, out, head, n);
            asm volatile ("sfence" ::: .{ .memory = true });
            scalarLoop(op, a, b, out, done, n);
        }
    }.run;
}

/// Level 1, "naive": the plain loop a beginner writes first, with no vector
/// types. Compiled ReleaseFast for the baseline CPU, LLVM may vectorise it on
/// its own; the README shows what it actually emitted.
pub fn naive(comptime op: Op) KernelFn {
    return struct {
        fn run(a: [*]const f32, b: [*]const f32, out: [*]f32, n: usize) callconv(.c) void {
            scalarLoop(op, a, b, out, 0, n);
        }
    }.run;
}

/// The internal (hidden) symbol of one backend's kernel. library.zig wraps
/// it in the public `nsimd_<op>_f32_<backend>` export.
pub fn hiddenSymbol(comptime op: Op, comptime backend: []const u8, comptime store: Store) []const u8 {
    return "nsimd_kernel_" ++ @tagName(op) ++ "_" ++ backend ++ (if (store == .streaming) "_streaming" else "");
}
