//! Every op of the catalog as one hidden C-ABI kernel per dtype and backend,
//! whatever its shape. The elementwise shapes share elementwise.zig's loop
//! driver; the reductions are whole kernels in reduce.zig, generic over the
//! element type and the backend's float64 lanes (their accumulators).

const catalog = @import("catalog.zig");
const elementwise = @import("elementwise.zig");
const reduce = @import("reduce.zig");
const convert = @import("convert.zig");

const Shape = catalog.Shape;
const Store = elementwise.Store;

/// The C signature of a shape's hidden kernels.
pub fn Kernel(comptime shape: Shape, comptime T: type) type {
    return switch (shape) {
        .unary, .binary, .ternary => elementwise.Kernel(T),
        .reduce => fn (a: [*]const T, n: usize) callconv(.c) f64,
        .reduce2 => fn (a: [*]const T, b: [*]const T, n: usize) callconv(.c) f64,
        .index => fn (a: [*]const T, n: usize) callconv(.c) usize,
        .rows => fn (rows: [*]const T, query: [*]const T, out: [*]align(1) T, nrows: usize, dim: usize) callconv(.c) void,
        .convert => @compileError("conversions have two element types: see Conversion"),
    };
}

/// The C signature of a conversion's hidden kernels (`streaming`: use
/// non-temporal stores where the backend has them; `byte_permutes`: the CPU
/// has AVX-512 VBMI, see convert.zig's byteTableLoop).
pub fn Conversion(comptime Src: type, comptime Dst: type) type {
    return fn (src: [*]const Src, out: [*]align(1) Dst, n: usize, scale: f64, offset: f64, streaming: bool, byte_permutes: bool) callconv(.c) void;
}

/// convert.zig's kernel from `pair[0]` to `pair[1]` for `backend`: lanes are
/// the register bits over the wider element (1 on scalar).
pub fn conversion(comptime pair: [2]catalog.Element, comptime backend: catalog.Backend) Conversion(pair[0].Type(), pair[1].Type()) {
    const Src = pair[0].Type();
    const Dst = pair[1].Type();
    const lanes = if (backend.bits == 0) 1 else convert.lanesFor(backend.bits, Src, Dst);
    return convert.kernel(Src, Dst, lanes);
}

/// The hidden symbol of a conversion kernel, e.g. nsimd_kernel_convert_i16_f32_avx2.
pub fn conversionSymbol(comptime pair: [2]catalog.Element, comptime backend: []const u8) []const u8 {
    return "nsimd_kernel_convert_" ++ @tagName(pair[0]) ++ "_" ++ @tagName(pair[1]) ++ "_" ++ backend;
}

/// reduce.zig's function for a reduction op: the op's own name, except the
/// rows kernels (`dotRows` is `rowsDot`).
fn reduction(comptime op: catalog.Op) []const u8 {
    return switch (op) {
        .dotRows => "rowsDot",
        .sqeuclideanRows => "rowsSqeuclidean",
        .cosineRows => "rowsCosine",
        else => @tagName(op),
    };
}

/// Whether the backend compiles a streaming twin of this op's kernel. Not
/// for the math functions (a ULP contract): they are bound by arithmetic,
/// not by memory, so skipping the read for ownership saves nothing, and on
/// an AMD EPYC Zen 4 VM they ran slower with streaming stores above the
/// threshold (n = 5M float32, three interleaved builds, ns an element: exp
/// 0.516-0.523 -> 0.456-0.461 with ordinary stores, tanh 0.978-0.994 ->
/// 0.915-0.926, sigmoid 0.836-0.848 -> 0.782-0.805, sin 0.880-0.888 ->
/// 0.830-0.851, cos 0.964-0.996 -> 0.938-0.970, log 0.774-0.794 ->
/// 0.728-0.810).
pub fn streams(comptime op: catalog.Op, comptime backend: catalog.Backend) bool {
    const declaration = op.declaration();
    return backend.streaming and declaration.shape.result() == .array and declaration.shape != .rows and declaration.accuracy != .ulp;
}

/// The kernel of `op` on `T` for `backend` (elementwise ops: with `store`).
pub fn kernel(comptime op: catalog.Op, comptime T: type, comptime backend: catalog.Backend, comptime store: Store) Kernel(op.declaration().shape, T) {
    const shape = comptime op.declaration().shape;
    // Reductions accumulate in float64: their lanes are float64 lanes.
    const lanes = backend.lanes(f64);
    if (shape == .unary or shape == .binary or shape == .ternary) return elementwise.kernel(op, T, backend.lanes(T), store);
    const f = @field(reduce, reduction(op));
    return switch (shape) {
        .unary, .binary, .ternary, .convert => unreachable,
        .reduce => struct {
            fn run(a: [*]const T, n: usize) callconv(.c) f64 {
                return f(T, lanes, a, n);
            }
        }.run,
        .reduce2 => struct {
            fn run(a: [*]const T, b: [*]const T, n: usize) callconv(.c) f64 {
                return f(T, lanes, a, b, n);
            }
        }.run,
        .index => struct {
            fn run(a: [*]const T, n: usize) callconv(.c) usize {
                return f(T, lanes, a, n);
            }
        }.run,
        .rows => struct {
            fn run(rows: [*]const T, query: [*]const T, out: [*]align(1) T, nrows: usize, dim: usize) callconv(.c) void {
                f(T, lanes, rows, query, out, nrows, dim);
            }
        }.run,
    };
}

/// The internal (hidden) symbol of one backend's kernel, e.g.
/// nsimd_kernel_add_f32_avx2 or nsimd_kernel_add_f32_avx2_streaming.
pub fn hiddenSymbol(comptime op: catalog.Op, comptime dtype: catalog.DType, comptime backend: []const u8, comptime store: Store) []const u8 {
    return "nsimd_kernel_" ++ @tagName(op) ++ "_" ++ @tagName(dtype) ++ "_" ++ backend ++ (if (store == .streaming) "_streaming" else "");
}

/// The hidden symbol of a backend's math slow-path count, e.g.
/// nsimd_kernel_math_slow_lanes_avx2.
pub fn mathSlowLanesSymbol(comptime backend: []const u8) []const u8 {
    return "nsimd_kernel_math_slow_lanes_" ++ backend;
}
