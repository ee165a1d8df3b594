//! The elementwise loop driver, written once for the unary, binary and
//! ternary shapes, every dtype and every vector width. variant.zig
//! instantiates it per op x dtype x backend; library.zig wraps each instance
//! in a checked C export.

const std = @import("std");
const catalog = @import("catalog.zig");
const Op = catalog.Op;

/// Every elementwise kernel has this signature, whatever its shape: up to
/// three inputs (a shape's unused ones are never read), the output, the
/// element count, and which inputs are one value broadcast to every element
/// (bit k set: inputs[k] points at one element, not n).
pub fn Kernel(comptime T: type) type {
    return fn (inputs: *const [3][*]const T, out: [*]align(1) T, n: usize, broadcast: u32) callconv(.c) void;
}

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
/// operations and stores in flight at once instead of one dependent chain
/// (measured on the AVX2 add kernel: 1 / 2 / 4 / 8 = 32.0 / 24.9 / 24.6 /
/// 26.2 ns at n = 256).
const unroll = 4;

/// Narrower vectors stop at 128 bits, the narrowest register every SIMD
/// backend has; what is left after them (at most 3 float32 or 1 float64)
/// goes one element at a time.
const narrowest_bits = 128;

/// The kernel for `op` on `T` with `lanes` elements per vector, storing with `store`.
///
///   n = 17, lanes = 8:  [0 .. 7] [8 .. 15] [16]
///                        vector   vector   scalar tail
pub fn kernel(comptime op: Op, comptime T: type, comptime lanes: u16, comptime store: Store) Kernel(T) {
    const arity = comptime op.declaration().shape.inputs();
    return struct {
        fn run(inputs: *const [3][*]const T, out: [*]align(1) T, n: usize, broadcast: u32) callconv(.c) void {
            @setEvalBranchQuota(100_000);
            // One loop per broadcast pattern, chosen once per call, so the
            // loops themselves never test which inputs are single values.
            switch (broadcast & ((1 << arity) - 1)) {
                inline 0...(1 << arity) - 1 => |mask| Loop(mask).run(inputs.*, out, n),
                else => unreachable,
            }
        }

        fn Loop(comptime mask: u32) type {
            return struct {
                // The pointers are copied into registers (by value): read
                // through `inputs` they would be reloaded after every store,
                // since out might alias the pointer array itself.
                inline fn run(inputs: [3][*]const T, out: [*]align(1) T, n: usize) void {
                    // A broadcast value is read once, before anything is written.
                    var values: [3]T = undefined;
                    inline for (0..arity) |k| {
                        if (mask >> k & 1 == 1) values[k] = inputs[k][0];
                    }
                    var i: usize = 0;
                    if (lanes > 1 and store == .streaming) {
                        // Aligned non-temporal stores need an aligned out: a
                        // scalar head runs until out + i sits on a vector
                        // boundary. (Only an element-aligned out gets there;
                        // library.zig's `streamable` sends any other to the
                        // cached kernel.)
                        const head = @min(n, elementsToBoundary(T, out, @as(usize, lanes) * @sizeOf(T)));
                        i = scalarLoop(inputs, &values, out, 0, head);
                        i = vectorLoop(.streaming, inputs, &values, out, i, n);
                        asm volatile ("sfence" ::: .{ .memory = true });
                    }
                    if (lanes > 1 and store == .cached and comptime lanes * @sizeOf(T) == 64) {
                        // 64-byte vectors: an unaligned one splits a cache
                        // line on every access (a 32-byte one on every other).
                        // Measured on the AVX-512 float64 add at n = 4,096
                        // misaligned by one element: 565 ns against avx2's
                        // 512. So long arrays first step one element at a
                        // time until out is 64-byte aligned (views of one
                        // buffer then usually are too).
                        if (n >= unroll * lanes) {
                            i = scalarLoop(inputs, &values, out, 0, elementsToBoundary(T, out, 64));
                        }
                    }
                    if (lanes > 1) i = vectorLoop(.cached, inputs, &values, out, i, n);
                    _ = scalarLoop(inputs, &values, out, i, n);
                }

                /// Input k at elements i..i+width: a vector load (unaligned:
                /// a typed array may start at any byte, so LLVM emits
                /// vmovups), or the broadcast value.
                inline fn input(comptime width: u16, comptime k: usize, inputs: [3][*]const T, values: *const [3]T, i: usize) @Vector(width, T) {
                    if (k >= arity) return undefined;
                    if (mask >> k & 1 == 1) return @splat(values[k]);
                    return inputs[k][i..][0..width].*;
                }

                inline fn vectorAt(comptime width: u16, inputs: [3][*]const T, values: *const [3]T, i: usize) @Vector(width, T) {
                    return op.apply(input(width, 0, inputs, values, i), input(width, 1, inputs, values, i), input(width, 2, inputs, values, i));
                }

                /// Blocks of `unroll` vectors, then single vectors, then (cached
                /// only) narrower ones. Returns where it stopped.
                inline fn vectorLoop(comptime how: Store, inputs: [3][*]const T, values: *const [3]T, out: [*]align(1) T, start: usize, n: usize) usize {
                    var i = start;
                    while (i + unroll * lanes <= n) : (i += unroll * lanes) {
                        inline for (0..unroll) |u| {
                            const j = i + u * lanes;
                            storeVector(lanes, how, out + j, vectorAt(lanes, inputs, values, j));
                        }
                    }
                    while (i + lanes <= n) : (i += lanes) storeVector(lanes, how, out + i, vectorAt(lanes, inputs, values, i));
                    if (how == .streaming) return i;
                    // Shorter than one vector is left. Narrower vectors take
                    // most of it: a 15-element AVX-512 float32 tail is one
                    // 8-lane and one 4-lane step and 3 scalar ones, not 15.
                    comptime var width = lanes / 2;
                    inline while (width * @bitSizeOf(T) >= narrowest_bits) : (width /= 2) {
                        if (i + width <= n) {
                            storeVector(width, .cached, out + i, vectorAt(width, inputs, values, i));
                            i += width;
                        }
                    }
                    return i;
                }

                inline fn scalarLoop(inputs: [3][*]const T, values: *const [3]T, out: [*]align(1) T, start: usize, n: usize) usize {
                    var i = start;
                    while (i < n) : (i += 1) {
                        out[i] = op.apply(scalarInput(0, inputs, values, i), scalarInput(1, inputs, values, i), scalarInput(2, inputs, values, i));
                    }
                    return i;
                }

                inline fn scalarInput(comptime k: usize, inputs: [3][*]const T, values: *const [3]T, i: usize) T {
                    if (k >= arity) return undefined;
                    return if (mask >> k & 1 == 1) values[k] else inputs[k][i];
                }
            };
        }

        inline fn storeVector(comptime width: u16, comptime how: Store, dest: [*]align(1) T, v: @Vector(width, T)) void {
            switch (how) {
                .cached => dest[0..width].* = v,
                .streaming => streamStore(width * @bitSizeOf(T), dest, v),
            }
        }
    }.run;
}

/// A non-temporal store of one whole vector of any element type; `dest` must
/// be aligned to the vector's size, or the instruction faults. Zig has no
/// builtin for it, hence the assembly. (convert.zig streams with it too.)
/// How many elements of T from `out` to the next multiple of `boundary`
/// bytes (0 when out is on one): the scalar head before aligned vector
/// stores. Whole elements only, so an out that is not element-aligned never
/// arrives (library.zig keeps such an out off the streaming kernels).
pub inline fn elementsToBoundary(comptime T: type, out: anytype, boundary: usize) usize {
    return ((boundary - @intFromPtr(out) % boundary) % boundary) / @sizeOf(T);
}

pub inline fn streamStore(comptime bits: u16, dest: anytype, v: anytype) void {
    // As 32-bit words: LLVM finds no register for some element types
    // (float16 vectors) in an assembly operand, and the store moves bits only.
    const words: @Vector(bits / 32, u32) = @bitCast(v);
    switch (bits) {
        128 => asm volatile ("movntps %[v], (%[dest])"
            :
            : [v] "x" (words),
              [dest] "r" (dest),
            : .{ .memory = true }),
        256, 512 => asm volatile ("vmovntps %[v], (%[dest])"
            :
            : [v] "v" (words),
              [dest] "r" (dest),
            : .{ .memory = true }),
        else => @compileError("no streaming store for this width"),
    }
}

/// Level 1, "naive": the plain float32 loop a beginner writes first, with no
/// vector types, for the list API's teaching ops. Compiled ReleaseFast for
/// the baseline CPU; the README shows what LLVM made of it.
pub fn naive(comptime op: Op) fn (a: [*]const f32, b: [*]const f32, out: [*]f32, n: usize) callconv(.c) void {
    return struct {
        fn run(a: [*]const f32, b: [*]const f32, out: [*]f32, n: usize) callconv(.c) void {
            var i: usize = 0;
            while (i < n) : (i += 1) out[i] = op.apply(a[i], b[i], undefined);
        }
    }.run;
}
