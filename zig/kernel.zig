//! The elementwise kernel, written once. Every backend is this file compiled
//! with a different `lanes` and different CPU features (see variant.zig).

const catalog = @import("catalog.zig");
const Op = catalog.Op;

/// What every kernel looks like from C: two inputs, one output, a count of
/// float32 elements. The exported wrappers in library.zig have checked the
/// pointers and the overlap before a kernel is ever called.
pub const KernelFn = fn (a: [*]const f32, b: [*]const f32, out: [*]f32, n: usize) callconv(.c) void;

/// `out[i] = a[i] op b[i]` for i in start..n, one element at a time. Inline,
/// so each object that uses it gets its own copy compiled for its own CPU.
inline fn scalarLoop(comptime op: Op, a: [*]const f32, b: [*]const f32, out: [*]f32, start: usize, n: usize) void {
    var i = start;
    while (i < n) : (i += 1) out[i] = op.apply(a[i], b[i]);
}

/// The SIMD kernel for `op` with `lanes` float32 per vector: a main loop over
/// whole vectors, then a scalar tail for the last n % lanes elements.
///
///   n = 17, lanes = 8:  [0 .. 7] [8 .. 15] [16]
///                        vector   vector   tail
pub fn elementwise(comptime op: Op, comptime lanes: comptime_int) KernelFn {
    return struct {
        fn run(a: [*]const f32, b: [*]const f32, out: [*]f32, n: usize) callconv(.c) void {
            const V = @Vector(lanes, f32);
            var i: usize = 0;
            if (lanes > 1) {
                while (i + lanes <= n) : (i += lanes) {
                    // Array-to-vector loads and stores keep f32 (4-byte)
                    // alignment, so LLVM emits unaligned moves (vmovups):
                    // a Float32Array view may start at any multiple of 4.
                    const va: V = a[i..][0..lanes].*;
                    const vb: V = b[i..][0..lanes].*;
                    out[i..][0..lanes].* = op.apply(va, vb);
                }
            }
            scalarLoop(op, a, b, out, i, n);
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
pub fn kernelSymbol(comptime op: Op, comptime backend: []const u8) []const u8 {
    return "nsimd_kernel_" ++ @tagName(op) ++ "_" ++ backend;
}
