//! The one declaration of what nano-simd computes and which instruction sets
//! it compiles for. Everything else follows it: build.zig (one object per
//! backend), the kernels instantiated per op x dtype x backend (variant.zig),
//! the checked C exports (library.zig), the Zig tests, and, through
//! `zig build catalog`, the TypeScript side (src/generated/catalog.ts), which
//! the loader compares with the library's own copy at import.

const std = @import("std");
const float = @import("float.zig");
const math = @import("math.zig");
const Feature = @import("cpu.zig").Feature;

/// Element types an op can be computed in.
pub const DType = enum {
    f32,
    f64,

    pub fn Type(comptime dtype: DType) type {
        return switch (dtype) {
            .f32 => f32,
            .f64 => f64,
        };
    }

    pub fn bytes(comptime dtype: DType) usize {
        return @sizeOf(dtype.Type());
    }
};

/// Element types of conversions (convertInto): every typed array kind
/// nano-simd reads or writes. A Uint8ClampedArray is `u8` here: its rule
/// (round half to even, saturate) is the same.
pub const Element = enum {
    f16,
    f32,
    f64,
    i32,
    i16,
    u16,
    i8,
    u8,

    pub fn Type(comptime element: Element) type {
        return switch (element) {
            .f16 => f16,
            .f32 => f32,
            .f64 => f64,
            .i32 => i32,
            .i16 => i16,
            .u16 => u16,
            .i8 => i8,
            .u8 => u8,
        };
    }

    /// The JavaScript typed array that holds this element type.
    pub fn arrayName(comptime element: Element) []const u8 {
        return switch (element) {
            .f16 => "Float16Array",
            .f32 => "Float32Array",
            .f64 => "Float64Array",
            .i32 => "Int32Array",
            .i16 => "Int16Array",
            .u16 => "Uint16Array",
            .i8 => "Int8Array",
            .u8 => "Uint8Array",
        };
    }
};

/// The conversions convertInto supports, [source, destination]: each other
/// element type to and from f32, and f16 to and from f64.
pub const conversions = blk: {
    var pairs: []const [2]Element = &.{};
    for ([_]Element{ .f64, .f16, .i32, .i16, .u16, .i8, .u8 }) |other| pairs = pairs ++ .{ .{ other, .f32 }, .{ .f32, other } };
    break :blk pairs ++ .{ .{ .f16, .f64 }, .{ .f64, .f16 } };
};

/// How an op reads and writes memory; one loop driver (or kernel family)
/// and one checked C signature per shape.
pub const Shape = enum {
    /// out[i] = f(a[i])
    unary,
    /// out[i] = f(a[i], b[i])
    binary,
    /// out[i] = f(a[i], b[i], c[i])
    ternary,
    /// One number from one array: sum, min, norm...
    reduce,
    /// One number from two arrays of equal length: dot, distances.
    reduce2,
    /// The index of one element of a non-empty array: argmin, argmax.
    index,
    /// out[i] = f(row i of `rows`, query): one query against many rows.
    rows,
    /// out[i] = src[i] x scale + offset, rounded once to out's element type
    /// (the pairs are `conversions`).
    convert,

    /// Array inputs (before `out`, where there is one).
    pub fn inputs(comptime shape: Shape) usize {
        return switch (shape) {
            .unary, .reduce, .index, .convert => 1,
            .binary, .reduce2, .rows => 2,
            .ternary => 3,
        };
    }

    /// What a call gives back: an array it wrote (`out`), or a number.
    pub fn result(comptime shape: Shape) enum { array, value, index } {
        return switch (shape) {
            .unary, .binary, .ternary, .rows, .convert => .array,
            .reduce, .reduce2 => .value,
            .index => .index,
        };
    }
};

/// What a result promises, checked by the tests.
pub const Accuracy = union(enum) {
    /// The correctly rounded result of the exact operation: every backend
    /// gives the same bits as the test's independent reference.
    exact,
    /// At most this many units in the last place from the exact result.
    ulp: f64,
    /// An error bound, written as in reduce.zig's header (gamma(k) = k u /
    /// (1 - k u), u = 2^-53, h the additions a term goes through). Results
    /// are bit-identical on every backend whatever the bound.
    bound: []const u8,
};

pub const Declaration = struct {
    shape: Shape,
    dtypes: []const DType,
    accuracy: Accuracy,
};

const floats: []const DType = &.{ .f32, .f64 };

/// Every op nano-simd computes. Adding an elementwise one: a tag here, its
/// declaration and its formula below (the exhaustive switches make both
/// mandatory), then `zig build catalog` (src/generated/catalog.ts); in
/// TypeScript its documented export in src/elementwise.ts and src/index.ts,
/// a reference in test/reference/elementwise.ts, a JS loop in
/// bench/js-loops.ts and a NumPy line in bench/numpy_families.py; then
/// `bun run docs:api`. test/catalog.test.ts fails until each is there.
pub const Op = enum {
    neg,
    abs,
    sqrt,
    add,
    sub,
    mul,
    div,
    minimum,
    maximum,
    fma,
    clamp,
    exp,
    log,
    tanh,
    sigmoid,
    sin,
    cos,
    sum,
    dot,
    min,
    max,
    argmin,
    argmax,
    norm,
    sqeuclidean,
    euclidean,
    cosine,
    dotRows,
    sqeuclideanRows,
    cosineRows,
    convert,

    pub fn declaration(comptime op: Op) Declaration {
        return switch (op) {
            .neg, .abs, .sqrt => .{ .shape = .unary, .dtypes = floats, .accuracy = .exact },
            .add, .sub, .mul, .div, .minimum, .maximum => .{ .shape = .binary, .dtypes = floats, .accuracy = .exact },
            .fma, .clamp => .{ .shape = .ternary, .dtypes = floats, .accuracy = .exact },
            // Correctly rounded on all 2^32 inputs (bun run accuracy checks
            // it); float64 comes later.
            .exp, .log, .tanh, .sigmoid, .sin, .cos => .{ .shape = .unary, .dtypes = &.{.f32}, .accuracy = .{ .ulp = 0.5 } },
            .sum => .{ .shape = .reduce, .dtypes = floats, .accuracy = .{ .bound = "gamma(h) * sum|a_i|" } },
            .min, .max => .{ .shape = .reduce, .dtypes = floats, .accuracy = .exact },
            .norm => .{ .shape = .reduce, .dtypes = floats, .accuracy = .{ .bound = "relative gamma(h + 3) / 2 + u" } },
            .argmin, .argmax => .{ .shape = .index, .dtypes = floats, .accuracy = .exact },
            .dot => .{ .shape = .reduce2, .dtypes = floats, .accuracy = .{ .bound = "gamma(h + 1) * sum|a_i b_i|" } },
            .sqeuclidean => .{ .shape = .reduce2, .dtypes = floats, .accuracy = .{ .bound = "gamma(h + 3) * sum (a_i - b_i)^2" } },
            .euclidean => .{ .shape = .reduce2, .dtypes = floats, .accuracy = .{ .bound = "relative gamma(h + 3) / 2 + u" } },
            .cosine => .{ .shape = .reduce2, .dtypes = floats, .accuracy = .{ .bound = "absolute 2 gamma(h + 1) + 6u" } },
            .dotRows, .sqeuclideanRows, .cosineRows => .{ .shape = .rows, .dtypes = floats, .accuracy = .{ .bound = "the single-pair bound, then one rounding to the dtype" } },
            // Its element types are the pairs of `conversions`.
            .convert => .{ .shape = .convert, .dtypes = &.{}, .accuracy = .exact },
        };
    }

    /// The formula, on scalars and on `@Vector`s alike, so one line serves
    /// every backend and dtype. Inputs a shape does not have are `undefined`
    /// and never read. Strict IEEE arithmetic (Zig's default float mode): no
    /// contraction, so `a * b + c` would round twice; `fma` says @mulAdd.
    pub inline fn apply(comptime op: Op, a: anytype, b: @TypeOf(a), c: @TypeOf(a)) @TypeOf(a) {
        return switch (op) {
            .neg => -a,
            .abs => @abs(a),
            .sqrt => @sqrt(a),
            .add => a + b,
            .sub => a - b,
            .mul => a * b,
            .div => a / b,
            .minimum => float.jsMin(a, b),
            .maximum => float.jsMax(a, b),
            .fma => float.fusedMultiplyAdd(a, b, c),
            .clamp => float.jsMin(float.jsMax(a, b), c),
            .exp => vectorwise(math.exp, a),
            .log => vectorwise(math.log, a),
            .tanh => vectorwise(math.tanh, a),
            .sigmoid => vectorwise(math.sigmoid, a),
            .sin => vectorwise(math.sin, a),
            .cos => vectorwise(math.cos, a),
            // Whole kernels with their own loops (reduce.zig), not formulas.
            .sum, .dot, .min, .max, .argmin, .argmax, .norm, .sqeuclidean, .euclidean, .cosine, .dotRows, .sqeuclideanRows, .cosineRows => @compileError(@tagName(op) ++ " is a kernel of reduce.zig, not an elementwise formula"),
            .convert => @compileError("convert is a kernel of convert.zig, not an elementwise formula"),
        };
    }
};

/// A math.zig function (which takes `@Vector(lanes, f32)`) on a vector, or on
/// one float32 as a vector of one lane (the drivers' scalar tail).
inline fn vectorwise(comptime f: anytype, x: anytype) @TypeOf(x) {
    return switch (@typeInfo(@TypeOf(x))) {
        .vector => |v| f(v.len, x),
        else => f(1, @as(@Vector(1, f32), @splat(x)))[0],
    };
}

/// The ops the list API and the level-1 naive loops keep: the teaching device.
pub const list_ops = [_]Op{ .add, .sub, .mul, .div };

/// One compiled variant of the kernels: a name, its register width, and the
/// CPU it is compiled for.
pub const Backend = struct {
    name: []const u8,
    /// Vector register width in bits; 0 for one element at a time. Lanes for
    /// a dtype are bits / element bits, as in std.simd.
    bits: u16,
    /// The CPU the object is compiled for. x86 backends follow the psABI
    /// levels, so "avx2" means all of x86-64-v3, not AVX2 alone.
    cpu_model: ?*const std.Target.Cpu.Model = null,
    /// LLVM features taken away from the model (see avx512 below).
    x86_features_removed: []const std.Target.x86.Feature = &.{},
    /// What runtime detection must report before this backend may run: the
    /// instructions, and the OS's consent to use the wider registers.
    requires: []const Feature = &.{},
    /// Has a non-temporal vector store (x86 movntps), so large arrays can
    /// bypass the cache (elementwise.zig `Store.streaming`).
    streaming: bool = false,
    /// LLVM's loop vectoriser is off at -Oz, so the scalar backend is built
    /// ReleaseSmall to stay one element per instruction (objdump: addss, not
    /// addps). Every other backend is ReleaseFast.
    optimize: std.builtin.OptimizeMode = .ReleaseFast,

    pub fn lanes(comptime backend: Backend, comptime T: type) u16 {
        return if (backend.bits == 0) 1 else backend.bits / @bitSizeOf(T);
    }
};

const scalar: Backend = .{ .name = "scalar", .bits = 0, .optimize = .ReleaseSmall };

const x86_64_v3_features = [_]Feature{ .avx, .avx2, .fma, .f16c, .bmi1, .bmi2, .lzcnt, .movbe, .popcnt, .os_ymm };

/// Backends per architecture, best first: the first one the CPU can run wins.
pub fn backendsFor(arch: std.Target.Cpu.Arch) []const Backend {
    return switch (arch) {
        .x86_64 => &.{
            // x86-64-v4: AVX-512 F/BW/CD/DQ/VL, 512-bit ZMM registers.
            // LLVM's v4 model prefers 256-bit vectors and would split every
            // 512-bit operation in two: that preference is removed.
            .{
                .name = "avx512",
                .bits = 512,
                .cpu_model = &std.Target.x86.cpu.x86_64_v4,
                .x86_features_removed = &.{.prefer_256_bit},
                .requires = &(x86_64_v3_features ++ [_]Feature{ .avx512f, .avx512bw, .avx512cd, .avx512dq, .avx512vl, .os_zmm }),
                .streaming = true,
            },
            // x86-64-v3: AVX2, FMA, F16C, BMI1/2, LZCNT, MOVBE; 256-bit YMM.
            .{ .name = "avx2", .bits = 256, .cpu_model = &std.Target.x86.cpu.x86_64_v3, .requires = &x86_64_v3_features, .streaming = true },
            // The x86-64 baseline: SSE2 on 128-bit XMM registers, no FMA.
            .{ .name = "sse", .bits = 128, .requires = &.{.sse2}, .streaming = true },
            scalar,
        },
        // 128-bit NEON Q registers, with FMA. NEON is mandatory on AArch64.
        .aarch64, .aarch64_be => &.{ .{ .name = "neon", .bits = 128, .requires = &.{.neon} }, scalar },
        else => &.{scalar},
    };
}

/// "a,b,c" from a list of names, at compile time.
pub fn joinNames(comptime names: []const []const u8) [:0]const u8 {
    comptime var text: [:0]const u8 = "";
    inline for (names, 0..) |name, i| text = text ++ (if (i == 0) "" else ",") ++ name;
    return text;
}

/// The catalog as JSON, the form in which it reaches TypeScript: embedded
/// in the library (`nsimd_catalog`) and written into src/generated/catalog.ts
/// by `zig build catalog`; the loader refuses a library whose copy differs.
pub const json: [:0]const u8 = blk: {
    {
        @setEvalBranchQuota(100_000);
        var text: [:0]const u8 = "{\"ops\":{";
        for (std.enums.values(Op), 0..) |op, i| {
            const d = op.declaration();
            var dtypes: []const []const u8 = &.{};
            for (d.dtypes) |dtype| dtypes = dtypes ++ .{"\"" ++ @tagName(dtype) ++ "\""};
            const accuracy = switch (d.accuracy) {
                .exact => "\"exact\"",
                .ulp => |bound| std.fmt.comptimePrint("{{\"ulp\":{d}}}", .{bound}),
                .bound => |formula| "{\"bound\":\"" ++ formula ++ "\"}",
            };
            text = text ++ (if (i == 0) "" else ",") ++ "\"" ++ @tagName(op) ++ "\":{\"shape\":\"" ++ @tagName(d.shape) ++
                "\",\"dtypes\":[" ++ joinNames(dtypes) ++ "],\"accuracy\":" ++ accuracy ++ "}";
        }
        text = text ++ "},\"shapes\":{";
        for (std.enums.values(Shape), 0..) |shape, i| {
            text = text ++ (if (i == 0) "" else ",") ++ std.fmt.comptimePrint("\"{t}\":{{\"inputs\":{d},\"result\":\"{t}\"}}", .{ shape, shape.inputs(), shape.result() });
        }
        text = text ++ "},\"listOps\":[";
        for (list_ops, 0..) |op, i| text = text ++ (if (i == 0) "" else ",") ++ "\"" ++ @tagName(op) ++ "\"";
        text = text ++ "],\"conversions\":[";
        for (conversions, 0..) |pair, i| text = text ++ (if (i == 0) "" else ",") ++ "[\"" ++ @tagName(pair[0]) ++ "\",\"" ++ @tagName(pair[1]) ++ "\"]";
        text = text ++ "],\"elements\":{";
        for (std.enums.values(Element), 0..) |element, i| {
            text = text ++ std.fmt.comptimePrint("{s}\"{t}\":{{\"array\":\"{s}\",\"bytes\":{d}}}", .{ if (i == 0) "" else ",", element, element.arrayName(), @sizeOf(element.Type()) });
        }
        text = text ++ "},\"backends\":{";
        // Every backend of every architecture, so one generated file serves
        // all, best first: each architecture's own, then the scalar fallback.
        for ([_]std.Target.Cpu.Arch{ .x86_64, .aarch64 }) |each| {
            for (backendsFor(each)) |backend| {
                if (backend.bits == 0) continue;
                text = text ++ std.fmt.comptimePrint("\"{s}\":{{\"bits\":{d}}},", .{ backend.name, backend.bits });
            }
        }
        text = text ++ std.fmt.comptimePrint("\"{s}\":{{\"bits\":0}}", .{scalar.name});
        text = text ++ "}}";
        break :blk text;
    }
};
