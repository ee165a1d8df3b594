//! Reductions and distances: sum, dot, sqeuclidean, norm,
//! euclidean, cosine, min, max, argmin, argmax, and one query against many
//! rows. Whole kernels: each function loops over memory itself.
//!
//! Every function is generic over the element type `T` (f32 or f64) and over
//! `lanes`, the number of f64 lanes in one vector of the backend that
//! instantiates it: 8 on avx512, 4 on avx2, 2 on sse and neon, 1 on scalar.
//!
//! # One summation order for every backend
//!
//! Floating-point addition is not associative, so a sum is only reproducible
//! if every backend adds the same numbers in the same grouping. The order is
//! fixed here, and does not depend on `lanes`:
//!
//! 1. The input is cut into blocks of `block_len` (1024) elements; the last
//!    block may be shorter.
//! 2. Inside a block, element i goes to partial sum `i mod accumulators`
//!    (16 partial sums). Each partial sum starts at +0 and adds its elements
//!    in index order. A vector backend holds the 16 partial sums in
//!    16 / lanes vectors, so a vector add performs exactly the scalar adds of
//!    the order, lane by lane; the elements after the last whole group of 16
//!    are added to their partial sums one at a time, still by index.
//! 3. Blocks are combined partial sum by partial sum (16 independent trees),
//!    like a binary counter: block 2k+1 is added to block 2k, then pairs of
//!    pairs, and so on. At the end the unfinished subtrees are added
//!    smallest (latest) first: `earlier + later`. The tree depends on n only.
//! 4. The 16 partial sums are folded by halving: p[i] += p[i + 8] for
//!    i < 8, then p[i] += p[i + 4] for i < 4, ... down to p[0].
//!
//! Inputs are converted to f64 first (exact for f32), the terms (x, x*y,
//! (x-y)^2, x*x) are computed in f64 with separate roundings (the float mode
//! is strict: no contraction), and the result is returned as an unrounded
//! f64. The one fused multiply-add is where it cannot change a bit: float32
//! products, exact in f64, added with @mulAdd on CPUs with FMA (see
//! `fusesProducts`); float64 products round, so they never are. The results
//! are therefore bit-identical for every `lanes` and ISA; the only exception
//! is the payload of a NaN result, which JS cannot see.
//!
//! # Error bound
//!
//! Let m = min(n, block_len) / accumulators rounded up (at most 64), b =
//! ceil(n / block_len) the number of blocks and h = (m - 1) + ceil(log2 b) +
//! log2(accumulators) = (m - 1) + ceil(log2 b) + 4: every term passes through
//! at most h rounded additions (the first add into a +0 partial sum is exact).
//! With u = 2^-53 and gamma(k) = k*u / (1 - k*u) (Higham, Accuracy and
//! Stability, 2nd ed., section 4.2):
//!
//!   sum:         |computed - exact| <= gamma(h) * sum |x_i|
//!   dot, f32:    |computed - exact| <= gamma(h) * sum |a_i b_i|  (products exact)
//!   dot, f64:    |computed - exact| <= gamma(h + 1) * sum |a_i b_i|
//!   sqeuclidean: |computed - exact| <= gamma(h + 3) * sum (a_i - b_i)^2
//!
//! For n = 10,000,000: b = 9766, h = 63 + 14 + 4 = 81, gamma(81) ~ 9.0e-15,
//! against n*u ~ 1.1e-9 for a plain left-to-right loop.
//! norm and euclidean take a square root of such a sum: relative error at
//! most gamma(h + 3) / 2 + u (to first order; plus half the smallest
//! subnormal if the result itself is subnormal). cosine, 1 - a.b / (|a| |b|),
//! has an absolute error of at most 2 * gamma(h + 1) + 6u: the dot's error is
//! at most gamma(h + 1) * sum |a_i b_i| <= gamma(h + 1) * |a| |b|, the two
//! sums of squares add gamma(h + 1) / 2 each through the square roots, and
//! two square roots, a product, a division and the subtraction from 1 (at
//! most 2u, the distance being <= 2) add 6u.
//! These bounds hold barring overflow and underflow, which norm, euclidean
//! and cosine avoid by rescaling (see `norm`).

//!
//! # Exporting
//!
//! One line per kernel, e.g. for the avx512 object (lanes 8):
//!   export fn nsimd_sum_f32_avx512(a: [*]const f32, n: usize) callconv(.c) f64 { return reduce.sum(f32, 8, a, n); }
//! argmin/argmax need n > 0 (the caller's RangeError); every other function
//! accepts n = 0 and then reads no memory (prefetch hints past the end
//! of an input never fault). Stack use: at most ~19 KB (cosine's pending
//! block sums), ~51 KB for the float32 rows functions (a converted query of
//! up to 4,096 elements, 32 KiB, under the rescaling pass of cosine), no
//! heap.

const std = @import("std");
const float = @import("float.zig");

/// Interleaved partial sums per block. Measured on this Zen 4 (zig/reduce_bench.zig
/// `layouts`, docs/reductions.md): 16, 32 and 64 are equally fast on avx512
/// and avx2 for sum and dot (16 is already 2 zmm / 4 ymm independent add
/// chains, enough to reach L2 bandwidth), but 32 spills registers on sse
/// (16 xmm accumulators: f64 sum 0.138 vs 0.063 ns/element) and on avx2 for
/// cosine's three sums (24 ymm: 0.159 vs 0.111). So 16.
pub const accumulators = 16;

/// Elements per block. Larger blocks make the in-block chains longer (a worse
/// error bound: block_len / accumulators - 1 roundings) while smaller ones
/// pay the block merge more often. With 16 accumulators, 256 to 2048 were
/// within 5% of each other; 1024 was fastest or tied in most cases (sse f64
/// sum 0.063 vs 0.067 ns at 256), for 64 elements per chain.
pub const block_len = 1024;

/// The block tree's pending subtrees: one per bit of the block count, so
/// n < 2^48 * block_len = 2^58 elements.
const max_levels = 48;

/// Whether blockPartials adds `term`'s products with one fused multiply-add
/// (@mulAdd) instead of a multiply and an add. Same bits: fma rounds x*y + acc
/// once, mul-then-add rounds x*y and then the sum, and for float32 inputs
/// x*y is exact in f64 (24 + 24 significant bits <= 53, no overflow or
/// underflow possible), so its rounding changes nothing. Never for float64
/// inputs, whose products do round, nor for sqeuclidean, whose difference
/// does.
/// Only where the CPU has FMA: elsewhere @mulAdd is compiler-rt's software
/// fma, slow (and wrong in Zig 0.16). Whether it pays depends on the core:
/// - Zen 5 (an earlier session, avx512, n = 65,536 f32): cosine's 6 chains
///   of adds went from 0.089 to 0.064 ns/element, but a dot's 2 chains (16
///   partial sums in 2 zmm) got slower with the fma's longer latency (0.057
///   -> 0.060), so products were fused only with 4 or more chains.
/// - Intel Xeon family 6 model 167 (avx512, zig/reduce_bench.zig, three
///   interleaved runs): there every zmm f32 -> f64 convert is two uops on
///   the two 512-bit FP ports, so a dot is bound by port throughput, not by
///   its chains, and one uop less per 8 products shows: dot 0.131 -> 0.106-
///   0.109 ns/element at 65,536, norm 0.079 -> 0.065-0.068, one dot of 768
///   100.6 -> 83-86 ns.
/// So every float32 product is fused where the CPU has FMA (on avx2, sse and
/// neon they already were: 4 or more chains); on Zen 5 that costs a dot
/// about 5%, by the figure above, not re-measured.
fn fusesProducts(comptime T: type, comptime term: Term, comptime scaled: bool) bool {
    const products = term != .sum and term != .sqeuclidean;
    return float.has_fma_instruction and T == f32 and !scaled and products;
}

/// The summation layout, a parameter only so that the benchmark can compare
/// layouts; every export uses `default_layout`.
pub const Layout = struct { accumulators: comptime_int, block_len: comptime_int };
pub const default_layout: Layout = .{ .accumulators = accumulators, .block_len = block_len };

/// What one element (or one pair of elements) contributes to each sum.
pub const Term = enum {
    sum, // x
    dot, // x*y
    sqeuclidean, // (x-y)^2
    squares, // x*x
    cosine, // x*y, x*x, y*y
    cosine_row, // x*y, x*x (the query's y*y is summed once per call)

    pub fn inputs(comptime term: Term) comptime_int {
        return switch (term) {
            .sum, .squares => 1,
            else => 2,
        };
    }

    pub fn outputs(comptime term: Term) comptime_int {
        return switch (term) {
            .cosine => 3,
            .cosine_row => 2,
            else => 1,
        };
    }

    /// The two factors of each output's term, for the terms that are
    /// products (see `fusesProducts`).
    inline fn factors(comptime term: Term, comptime V: type, x: V, y: V) [term.outputs()][2]V {
        return switch (term) {
            .dot => .{.{ x, y }},
            .squares => .{.{ x, x }},
            .cosine => .{ .{ x, y }, .{ x, x }, .{ y, y } },
            .cosine_row => .{ .{ x, y }, .{ x, x } },
            .sum, .sqeuclidean => @compileError("not a product"),
        };
    }

    /// The terms for one vector (or one scalar) of converted inputs.
    inline fn apply(comptime term: Term, comptime V: type, x: V, y: V) [term.outputs()]V {
        return switch (term) {
            .sum => .{x},
            .dot => .{x * y},
            .sqeuclidean => .{(x - y) * (x - y)},
            .squares => .{x * x},
            .cosine => .{ x * y, x * x, y * y },
            .cosine_row => .{ x * y, x * x },
        };
    }
};

/// Exact scaling of one input by 2^k, as two factors 2^k1 * 2^k2 that are
/// both normal doubles (k itself may be as large as 1074). Multiplying by a
/// power of two is exact unless the product leaves the normal range.
pub const Scale = struct {
    first: f64 = 1.0,
    second: f64 = 1.0,

    fn byPowerOfTwo(k: i32) Scale {
        const k1 = @divTrunc(k, 2);
        return .{ .first = powerOfTwo(k1), .second = powerOfTwo(k - k1) };
    }
};

/// 2^k for -1022 <= k <= 1023, built from its bits.
fn powerOfTwo(k: i32) f64 {
    std.debug.assert(k >= -1022 and k <= 1023);
    const biased: u64 = @intCast(k + 1023);
    return @bitCast(biased << 52);
}

/// x * 2^e for any e in [-1074 - 1100, 1023 + 1100], with at most one
/// rounding (the second multiply): both factors are normal powers of two.
fn timesPowerOfTwo(x: f64, e: i32) f64 {
    const e1 = @divTrunc(e, 2);
    return x * powerOfTwo(e1) * powerOfTwo(e - e1);
}

/// How far ahead (in elements) the accumulation asks for the cache line it
/// will read, per input stream. Measured on a Zen 5 (zig/reduce_bench.zig
/// `rows`, 10,000 rows of 768 float32, 30 MB, avx512): rowsDot took 66 ns a
/// row without, 52 at 8 KiB ahead, 46 at 12 and 16 KiB. Float32 streams are
/// read at half the bytes per cycle of float64 ones (the conversion is the
/// limit), which the hardware prefetcher alone does not cover. For float64
/// the Zen 5 measured 24 KiB ahead slower (rowsDot 120 -> 127 to 143 ns a
/// row), but on the Intel Xeon (family 6 model 167) the two-stream float64
/// kernels at 5M reached only 64-89% of a two-stream read loop without a
/// prefetch: 8 KiB ahead took dot 0.59 -> 0.54 ns an element, sqeuclidean
/// 0.63 -> 0.55, cosine 0.88 -> 0.58, rowsDot 2.90 -> 2.14 ms (best of 4,
/// interleaved; 12 and 24 KiB within 4% of 8). So float64 prefetches 8 KiB
/// ahead, the shortest distance measured; not re-measured on a Zen 5.
/// Only for streams longer than this (elements of each input, over the
/// whole call: nrows x dim for the rows functions): in cache the hints are
/// pure cost, one more load-port op per 16 elements (measured at n = 768,
/// bare bun:ffi: float32 sqeuclidean 72 -> 80 ns with them). 2^18 float32
/// elements are 1 MiB, this core's L2.
fn prefetch_ahead(comptime T: type) comptime_int {
    return if (T == f32) 3072 else 1024;
}
const prefetch_min_len = 1 << 18;

/// Elements of T in one backend vector of `lanes` f64 lanes.
fn vectorLen(comptime T: type, comptime lanes: comptime_int) comptime_int {
    return lanes * @sizeOf(f64) / @sizeOf(T);
}

// ---------------------------------------------------------------------------
// The ordered accumulation
// ---------------------------------------------------------------------------

/// `lanes` elements starting at i, converted to f64 (exact for f32) and, for
/// the rescaled pass, multiplied by the scale. The array-to-vector load keeps
/// T's alignment, so unaligned typed-array views are fine.
inline fn loadVector(comptime T: type, comptime lanes: comptime_int, comptime scaled: bool, p: [*]const T, i: usize, scale: Scale) @Vector(lanes, f64) {
    const raw: @Vector(lanes, T) = p[i..][0..lanes].*;
    const wide: @Vector(lanes, f64) = if (T == f64) raw else @floatCast(raw);
    if (!scaled) return wide;
    return wide * @as(@Vector(lanes, f64), @splat(scale.first)) * @as(@Vector(lanes, f64), @splat(scale.second));
}

inline fn loadScalar(comptime T: type, comptime scaled: bool, p: [*]const T, i: usize, scale: Scale) f64 {
    const wide: f64 = p[i];
    if (!scaled) return wide;
    return wide * scale.first * scale.second;
}

/// The `accumulators` partial sums of each output, held as vectors.
fn Partials(comptime layout: Layout, comptime lanes: comptime_int, comptime outputs: comptime_int) type {
    if (layout.accumulators % lanes != 0) @compileError("lanes must divide the accumulator count");
    if (layout.block_len % layout.accumulators != 0) @compileError("accumulators must divide the block length");
    return [outputs][layout.accumulators / lanes]@Vector(lanes, f64);
}

/// The partial sums of one block, a[start..end] (end - start <= block_len).
inline fn blockPartials(
    comptime layout: Layout,
    comptime T: type,
    comptime Tb: type,
    comptime lanes: comptime_int,
    comptime term: Term,
    comptime scaled: bool,
    comptime prefetch: bool,
    a: [*]const T,
    b: [*]const Tb,
    scale_a: Scale,
    scale_b: Scale,
    start: usize,
    end: usize,
) Partials(layout, lanes, term.outputs()) {
    const vectors = layout.accumulators / lanes;
    const P = Partials(layout, lanes, term.outputs());
    const group = struct {
        /// Adds the group of `accumulators` elements at i: one element to
        /// each partial sum, in one vector op per `lanes` partial sums.
        inline fn add(sums: *P, x_at: [*]const T, y_at: [*]const Tb, x_scale: Scale, y_scale: Scale, i: usize) void {
            const V = @Vector(lanes, f64);
            if (prefetch) {
                @prefetch(x_at + i + prefetch_ahead(T), .{});
                // b is either a second stream of T or the rows' converted query (in L1).
                if (term.inputs() == 2 and Tb == T) @prefetch(y_at + i + prefetch_ahead(T), .{});
            }
            inline for (0..vectors) |v| {
                const x = loadVector(T, lanes, scaled, x_at, i + v * lanes, x_scale);
                const y = if (term.inputs() == 2) loadVector(Tb, lanes, scaled, y_at, i + v * lanes, y_scale) else x;
                if (comptime fusesProducts(T, term, scaled)) {
                    const pairs = term.factors(V, x, y);
                    inline for (0..term.outputs()) |o| sums[o][v] = @mulAdd(V, pairs[o][0], pairs[o][1], sums[o][v]);
                } else {
                    const terms = term.apply(V, x, y);
                    inline for (0..term.outputs()) |o| sums[o][v] += terms[o];
                }
            }
        }
    };
    var acc: P = undefined;
    inline for (0..term.outputs()) |o| inline for (0..vectors) |v| {
        acc[o][v] = @splat(0.0);
    };

    // Whole groups: one group of `accumulators` elements is `vectors`
    // independent adds per output, which is what hides the add latency.
    // Two groups a turn (half the loop's own instructions) when the partial
    // sums leave registers for them. Measured against one group a turn at n
    // = 65,536 (reduce_bench, Intel Xeon model 167, two interleaved runs):
    // avx512 unchanged; avx2 f32 sqeuclidean 4% and f64 cosine 5-10%
    // faster; sse f32 sum and norm 5-6%, f64 dot and sqeuclidean 9-12%
    // faster. sse's cosine (24 xmm of partial sums, already spilling) was
    // 5-8% slower with two, and rowsCosine's row loop (avx512, 10,000 x 768
    // f32) 1040 -> 1190-1280 us, so both keep one.
    const turn = if (term != .cosine_row and term.outputs() * vectors <= 12) 2 else 1;
    var i = start;
    while (i + turn * layout.accumulators <= end) : (i += turn * layout.accumulators) {
        inline for (0..turn) |g| group.add(&acc, a, b, scale_a, scale_b, i + g * layout.accumulators);
    }
    if (turn == 2 and i + layout.accumulators <= end) {
        group.add(&acc, a, b, scale_a, scale_b, i);
        i += layout.accumulators;
    }

    // The last, incomplete group: each element to its own partial sum, in
    // index order, exactly as a wider or narrower backend does it.
    if (i < end) {
        inline for (0..term.outputs()) |o| {
            var flat: [layout.accumulators]f64 = @bitCast(acc[o]);
            for (i..end) |j| {
                const x = loadScalar(T, scaled, a, j, scale_a);
                const y = if (term.inputs() == 2) loadScalar(Tb, scaled, b, j, scale_b) else x;
                flat[j - i] += term.apply(f64, x, y)[o];
            }
            acc[o] = @bitCast(flat);
        }
    }
    return acc;
}

inline fn addPartials(comptime P: type, earlier: P, later: P) P {
    var total: P = undefined;
    inline for (0..earlier.len) |o| inline for (0..earlier[o].len) |v| {
        total[o][v] = earlier[o][v] + later[o][v];
    };
    return total;
}

/// The sums of `term` over elements 0..n, in the documented order. b's
/// element type Tb is T, or f64 for a float32 query converted once by the
/// rows functions: the conversion is exact, so the sums are the same.
/// `stream_len`: how many elements of each input the caller streams in all
/// (n, or nrows x dim for the rows functions), which decides the prefetch.
pub fn accumulateWith(
    comptime layout: Layout,
    comptime T: type,
    comptime Tb: type,
    comptime lanes: comptime_int,
    comptime term: Term,
    comptime scaled: bool,
    a: [*]const T,
    b: [*]const Tb,
    scale_a: Scale,
    scale_b: Scale,
    n: usize,
    stream_len: usize,
) [term.outputs()]f64 {
    // Instantiated for every term and both element types of b: many inline loops.
    @setEvalBranchQuota(20_000);
    comptime checkTypes(T, lanes);
    comptime checkTypes(Tb, lanes);
    const P = Partials(layout, lanes, term.outputs());

    // pending[level] holds the sum of 2^level blocks, waiting for its pair.
    const prefetch = prefetch_ahead(T) > 0 and stream_len >= prefetch_min_len;
    var pending: [max_levels]P = undefined;
    var blocks: u64 = 0;
    var start: usize = 0;
    while (start < n) : (start += layout.block_len) {
        const end = @min(n, start + layout.block_len);
        var subtree = if (prefetch)
            blockPartials(layout, T, Tb, lanes, term, scaled, true, a, b, scale_a, scale_b, start, end)
        else
            blockPartials(layout, T, Tb, lanes, term, scaled, false, a, b, scale_a, scale_b, start, end);
        var level: usize = 0;
        while ((blocks >> @intCast(level)) & 1 == 1) : (level += 1) {
            subtree = addPartials(P, pending[level], subtree);
        }
        std.debug.assert(level < max_levels);
        pending[level] = subtree;
        blocks += 1;
    }

    // Unfinished subtrees, smallest (latest) first.
    var total: P = undefined;
    var have_total = false;
    for (0..max_levels) |level| {
        if ((blocks >> @intCast(level)) & 1 == 0) continue;
        total = if (have_total) addPartials(P, pending[level], total) else pending[level];
        have_total = true;
    }

    if (!have_total) return @splat(0.0);
    return foldPartials(layout, lanes, term.outputs(), total);
}

/// Each output's partial sums folded into one number by halving (step 4 of
/// the order): the same scalar code on every backend.
inline fn foldPartials(comptime layout: Layout, comptime lanes: comptime_int, comptime outputs: comptime_int, total: Partials(layout, lanes, outputs)) [outputs]f64 {
    var result: [outputs]f64 = undefined;
    inline for (0..outputs) |o| {
        var flat: [layout.accumulators]f64 = @bitCast(total[o]);
        var half: usize = layout.accumulators / 2;
        while (half >= 1) : (half /= 2) {
            for (0..half) |k| flat[k] = flat[k] + flat[k + half];
        }
        result[o] = flat[0];
    }
    return result;
}

inline fn accumulate(comptime T: type, comptime lanes: comptime_int, comptime term: Term, a: [*]const T, b: [*]const T, n: usize) [term.outputs()]f64 {
    if (n <= block_len) return oneBlock(T, lanes, term, a, b, n);
    return accumulateWith(default_layout, T, T, lanes, term, false, a, b, .{}, .{}, n, n);
}

/// A single pair of at most one block: accumulateWith's tree would only
/// store the block's partial sums and load them back (the same adds, so the
/// same bits). Measured (API, avx512, best of 8 interleaved processes):
/// float64 dot at n = 64 26.9 -> 11.6 ns, at 768 63 -> 53 ns. Out of line:
/// inside accumulateWith it made the long inputs' loop 10-15% slower
/// (reduce_bench, n = 65,536: f32 sum 0.0635 -> 0.073 ns/element) and, as a
/// call there, the rows loop 13% slower (rowsCosine 1040 -> 1175 us), so
/// the rows functions keep the tree.
noinline fn oneBlock(comptime T: type, comptime lanes: comptime_int, comptime term: Term, a: [*]const T, b: [*]const T, n: usize) [term.outputs()]f64 {
    if (n == 0) return @splat(0.0);
    return foldPartials(default_layout, lanes, term.outputs(), blockPartials(default_layout, T, T, lanes, term, false, false, a, b, .{}, .{}, 0, n));
}

inline fn accumulateScaled(comptime T: type, comptime lanes: comptime_int, comptime term: Term, a: [*]const T, b: [*]const T, scale_a: Scale, scale_b: Scale, n: usize) [term.outputs()]f64 {
    return accumulateWith(default_layout, T, T, lanes, term, true, a, b, scale_a, scale_b, n, n);
}

fn checkTypes(comptime T: type, comptime lanes: comptime_int) void {
    if (T != f32 and T != f64) @compileError("reduce: T must be f32 or f64");
    if (lanes != 1 and lanes != 2 and lanes != 4 and lanes != 8) @compileError("reduce: lanes must be 1, 2, 4 or 8");
}

// ---------------------------------------------------------------------------
// Sums
// ---------------------------------------------------------------------------

/// Sum of a[0..n] in the documented order; +0 when n = 0. See the error bound
/// at the top of this file.
pub fn sum(comptime T: type, comptime lanes: comptime_int, a: [*]const T, n: usize) f64 {
    return accumulate(T, lanes, .sum, a, a, n)[0];
}

/// Sum of a[i] * b[i]; f32 products are exact in f64.
pub fn dot(comptime T: type, comptime lanes: comptime_int, a: [*]const T, b: [*]const T, n: usize) f64 {
    return accumulate(T, lanes, .dot, a, b, n)[0];
}

/// Sum of (a[i] - b[i])^2. Not rescaled: a result beyond the f64 range is Inf.
pub fn sqeuclidean(comptime T: type, comptime lanes: comptime_int, a: [*]const T, b: [*]const T, n: usize) f64 {
    return accumulate(T, lanes, .sqeuclidean, a, b, n)[0];
}

// ---------------------------------------------------------------------------
// Norms and distances that never overflow or underflow
// ---------------------------------------------------------------------------

/// Below this, a sum of squares may have lost terms to underflow (squares
/// under 2^-1022 are rounded to subnormals: up to 2^-1075 absolute error
/// each). Above it, n such errors are below 2^-175 * n relative: invisible.
const smallest_trusted = 0x1p-900;
/// Above this, a dot product bounded by (aa + bb) / 2 could still overflow in
/// its partial sums; below it, nothing can.
const largest_trusted = 0x1p1000;

/// The largest |x_i| (the inputs hold no NaN when this is called).
fn maxAbs(comptime T: type, comptime lanes: comptime_int, a: [*]const T, n: usize) f64 {
    const len = vectorLen(T, lanes);
    var best: @Vector(len, T) = @splat(0);
    var i: usize = 0;
    while (i + len <= n) : (i += len) best = @max(best, @abs(@as(@Vector(len, T), a[i..][0..len].*)));
    var result: T = @reduce(.Max, best);
    while (i < n) : (i += 1) result = @max(result, @abs(a[i]));
    return result;
}

/// The e with 2^e <= x < 2^(e+1), for finite x > 0 (subnormals included).
fn exponentOf(x: f64) i32 {
    return std.math.frexp(x).exponent - 1;
}

/// A sum of squares is safe to use as is: no term overflowed (an overflow
/// would have made it Inf: all terms are >= 0) and underflow cannot matter.
fn trusted(sum_of_squares: f64) bool {
    return sum_of_squares >= smallest_trusted and sum_of_squares <= std.math.floatMax(f64);
}

/// Euclidean norm sqrt(sum a[i]^2).
///
/// Float32 inputs cannot overflow or underflow in f64: a square is at most
/// (3.4e38)^2 ~ 1.2e77 and at least (1.4e-45)^2 ~ 2e-90, both far inside the
/// normal f64 range, so one pass always suffices.
/// Float64 inputs: a fast unscaled pass; only if its result is Inf (with no
/// infinite input) or below 2^-900, a second pass over the inputs scaled by
/// the power of two 2^-e that brings max |x_i| into [1, 2). That scaling is
/// exact, so the result is what the fast pass would give with an unbounded
/// exponent range, and it is the same on every backend (the decision depends
/// only on the fast pass's bit-identical result).
pub fn norm(comptime T: type, comptime lanes: comptime_int, a: [*]const T, n: usize) f64 {
    const fast = accumulate(T, lanes, .squares, a, a, n)[0];
    if (T == f32 or n == 0 or trusted(fast) or std.math.isNan(fast)) return @sqrt(fast);
    const largest = maxAbs(T, lanes, a, n);
    if (largest == 0 or std.math.isInf(largest)) return largest;
    const e = exponentOf(largest);
    const scale = Scale.byPowerOfTwo(-e);
    const scaled = accumulateScaled(T, lanes, .squares, a, a, scale, scale, n)[0];
    return timesPowerOfTwo(@sqrt(scaled), e);
}

/// Euclidean distance sqrt(sum (a[i] - b[i])^2), rescaled like `norm` (one
/// scale for both inputs, from the largest |a_i| and |b_i|).
pub fn euclidean(comptime T: type, comptime lanes: comptime_int, a: [*]const T, b: [*]const T, n: usize) f64 {
    const fast = accumulate(T, lanes, .sqeuclidean, a, b, n)[0];
    if (T == f32 or n == 0 or trusted(fast) or std.math.isNan(fast)) return @sqrt(fast);
    const largest = @max(maxAbs(T, lanes, a, n), maxAbs(T, lanes, b, n));
    if (largest == 0) return 0;
    if (std.math.isInf(largest)) return fast; // Inf - finite: Inf (Inf - Inf was NaN above)
    const e = exponentOf(largest);
    const scale = Scale.byPowerOfTwo(-e);
    const scaled = accumulateScaled(T, lanes, .sqeuclidean, a, b, scale, scale, n)[0];
    return timesPowerOfTwo(@sqrt(scaled), e);
}

/// Cosine distance 1 - a.b / (|a| |b|), clamped to [0, 2] (rounding can push
/// the similarity a few ulps past +-1; a distance is never negative).
///
/// Conventions, checked in this order:
/// - NaN in a or b: NaN.
/// - both all zero: 0; exactly one all zero: 1 (SimSIMD's convention, so a
///   ranking never meets NaN). n = 0 counts as both all zero.
/// - an infinite element: NaN (IEEE: Inf / Inf, or Inf * 0).
/// Float64 inputs whose sums overflow or underflow are rescaled, each input
/// by its own power of two (the cosine does not change). Float32 inputs never
/// are: their sums of squares lie in [2e-90, 1.2e77 * n].
pub fn cosine(comptime T: type, comptime lanes: comptime_int, a: [*]const T, b: [*]const T, n: usize) f64 {
    const sums = accumulate(T, lanes, .cosine, a, b, n);
    return cosineFinish(T, lanes, sums[0], sums[1], sums[2], a, b, n);
}

/// `cosineFromSums` behind a call, for the single pair: inlined into the
/// kernel, its finish made one float64 cosine of 768 about 5 ns slower than
/// before the inlining (bare bun:ffi calls, avx512, 72 -> 77 ns); behind
/// this call the difference is 2-3 ns, within this VM's noise. The rows
/// loop keeps the inline finish, where it pays.
noinline fn cosineFinish(comptime T: type, comptime lanes: comptime_int, ab: f64, aa: f64, bb: f64, a: [*]const T, b: [*]const T, n: usize) f64 {
    return cosineFromSums(T, lanes, ab, aa, bb, a, b, n);
}

/// Finishes `cosine` from the fast pass's three sums. Shared with
/// `rowsCosine`, which computes bb once per call: same operations, same bits.
/// Inline, so that the rows loop keeps the common case (in range: two square
/// roots and a division) in its own code, where the CPU overlaps it with the
/// next row's sums: measured (zig/reduce_bench.zig rows, avx512, 10,000 rows
/// of 768 float32, three runs each) rowsCosine 614-639 us before, 544-588
/// after; one cosine of 768, 66 -> 62 ns. The rare cases are a call away.
inline fn cosineFromSums(comptime T: type, comptime lanes: comptime_int, ab: f64, aa: f64, bb: f64, a: [*]const T, b: [*]const T, n: usize) f64 {
    // In this range nothing overflowed or underflowed, not even the dot
    // (|partial sums| <= sum |a_i b_i| <= (aa + bb) / 2), and no sum is NaN or 0.
    const in_range = aa >= smallest_trusted and aa <= largest_trusted and bb >= smallest_trusted and bb <= largest_trusted;
    if (in_range) return distanceFromSimilarity(ab, aa, bb);
    return cosineOutOfRange(T, lanes, aa, bb, a, b, n);
}

/// The rest of `cosine`'s conventions, in order: NaN, zero vectors, then
/// rescaling when a sum of squares overflowed or underflowed.
noinline fn cosineOutOfRange(comptime T: type, comptime lanes: comptime_int, aa: f64, bb: f64, a: [*]const T, b: [*]const T, n: usize) f64 {
    if (std.math.isNan(aa) or std.math.isNan(bb)) return std.math.nan(f64);
    // A zero sum of squares may be underflow (f64 inputs below ~1e-162).
    const a_zero = aa == 0 and maxAbs(T, lanes, a, n) == 0;
    const b_zero = bb == 0 and maxAbs(T, lanes, b, n) == 0;
    if (a_zero or b_zero) return if (a_zero and b_zero) 0 else 1;

    const largest_a = maxAbs(T, lanes, a, n);
    const largest_b = maxAbs(T, lanes, b, n);
    if (std.math.isInf(largest_a) or std.math.isInf(largest_b)) return std.math.nan(f64);
    const scale_a = Scale.byPowerOfTwo(-exponentOf(largest_a));
    const scale_b = Scale.byPowerOfTwo(-exponentOf(largest_b));
    const scaled = accumulateScaled(T, lanes, .cosine, a, b, scale_a, scale_b, n);
    return distanceFromSimilarity(scaled[0], scaled[1], scaled[2]);
}

fn distanceFromSimilarity(ab: f64, aa: f64, bb: f64) f64 {
    const similarity = ab / (@sqrt(aa) * @sqrt(bb));
    return std.math.clamp(1.0 - similarity, 0.0, 2.0);
}

// ---------------------------------------------------------------------------
// One query against many rows
// ---------------------------------------------------------------------------

fn roundTo(comptime T: type, x: f64) T {
    return if (T == f64) x else @floatCast(x);
}

/// out[r] = dot(row r, query) rounded to T, for r < nrows; rows are `dim`
/// elements each, one after another. Bit-equal to `dot` on each row.
pub fn rowsDot(comptime T: type, comptime lanes: comptime_int, rows: [*]const T, query: [*]const T, out: [*]align(1) T, nrows: usize, dim: usize) void {
    rowsOf(.dot, T, lanes, rows, query, out, nrows, dim);
}

/// out[r] = sqeuclidean(row r, query) rounded to T.
pub fn rowsSqeuclidean(comptime T: type, comptime lanes: comptime_int, rows: [*]const T, query: [*]const T, out: [*]align(1) T, nrows: usize, dim: usize) void {
    rowsOf(.sqeuclidean, T, lanes, rows, query, out, nrows, dim);
}

/// out[r] = cosine(row r, query) rounded to T. The query's sum of squares is
/// computed once: the same adds in the same order as inside `cosine`.
pub fn rowsCosine(comptime T: type, comptime lanes: comptime_int, rows: [*]const T, query: [*]const T, out: [*]align(1) T, nrows: usize, dim: usize) void {
    rowsOf(.cosine, T, lanes, rows, query, out, nrows, dim);
}

const RowsOp = enum { dot, sqeuclidean, cosine };

/// Longest float32 query that the rows functions convert to f64 once per
/// call (32 KiB of stack) instead of once per row. A float32 dot is bound by
/// its two f32 -> f64 conversions per element (avx512: one 8-lane convert a
/// cycle; more accumulators or widening by integer shifts did not help), so
/// a converted query halves the conversions: rowsDot on 100 rows of 768 (in
/// cache) went from 42 to 36 ns a row. Covers the usual embedding sizes
/// (384 to 4096); longer queries are converted per row, as in `dot`.
const converted_query_max = 4096;

fn rowsOf(comptime op: RowsOp, comptime T: type, comptime lanes: comptime_int, rows: [*]const T, query: [*]const T, out: [*]align(1) T, nrows: usize, dim: usize) void {
    if (T == f32 and dim <= converted_query_max) {
        var wide: [converted_query_max]f64 = undefined;
        for (wide[0..dim], query[0..dim]) |*w, q| w.* = q;
        rowsAgainst(op, T, f64, lanes, rows, query, &wide, out, nrows, dim);
    } else {
        rowsAgainst(op, T, T, lanes, rows, query, query, out, nrows, dim);
    }
}

/// The rows loop; `q` is the query as Q (T itself, or converted to f64).
/// The rescaling fallbacks of cosine read the original `query`.
inline fn rowsAgainst(comptime op: RowsOp, comptime T: type, comptime Q: type, comptime lanes: comptime_int, rows: [*]const T, query: [*]const T, q: [*]const Q, out: [*]align(1) T, nrows: usize, dim: usize) void {
    const qq = if (op == .cosine) accumulateWith(default_layout, Q, Q, lanes, .squares, false, q, q, .{}, .{}, dim, dim)[0] else 0;
    for (0..nrows) |r| {
        const row = rows + r * dim;
        const value = switch (op) {
            .dot => accumulateWith(default_layout, T, Q, lanes, .dot, false, row, q, .{}, .{}, dim, nrows * dim)[0],
            .sqeuclidean => accumulateWith(default_layout, T, Q, lanes, .sqeuclidean, false, row, q, .{}, .{}, dim, nrows * dim)[0],
            .cosine => blk: {
                const sums = accumulateWith(default_layout, T, Q, lanes, .cosine_row, false, row, q, .{}, .{}, dim, nrows * dim);
                break :blk cosineFromSums(T, lanes, sums[0], sums[1], qq, row, query, dim);
            },
        };
        out[r] = roundTo(T, value);
    }
}

// ---------------------------------------------------------------------------
// min, max, argmin, argmax: exact, so any order gives the same answer
// ---------------------------------------------------------------------------

pub const Extreme = enum { min, max };

/// Signed integer of T's width.
fn KeyInt(comptime T: type) type {
    return if (T == f32) i32 else i64;
}

/// Maps float bits to a signed integer whose order is the IEEE total order
/// (-NaN < -Inf < ... < -0 < +0 < ... < +Inf < +NaN): negative floats get
/// their magnitude bits flipped. Used to compare across lanes with -0 < +0.
/// The map is its own inverse.
inline fn totalOrderKey(comptime T: type, comptime len: comptime_int, x: @Vector(len, KeyInt(T))) @Vector(len, KeyInt(T)) {
    const I = KeyInt(T);
    const U = std.meta.Int(.unsigned, @bitSizeOf(T));
    const sign_fill: @Vector(len, I) = x >> @splat(@bitSizeOf(T) - 1); // all ones if negative
    const magnitude_mask: @Vector(len, I) = @bitCast(@as(@Vector(len, U), @bitCast(sign_fill)) >> @splat(1));
    return x ^ magnitude_mask;
}

fn floatOfKey(comptime T: type, key: KeyInt(T)) T {
    return @bitCast(totalOrderKey(T, 1, @as(@Vector(1, KeyInt(T)), @splat(key)))[0]);
}

/// The bits of x, for comparing floats exactly (+0 and -0 differ).
fn bitsOf(comptime T: type, x: T) std.meta.Int(.unsigned, @bitSizeOf(T)) {
    return @bitCast(x);
}

/// The extreme of a range: its value, or the news that it holds a NaN.
fn RangeExtreme(comptime T: type) type {
    return struct { value: T, holds_nan: bool };
}

/// How far ahead min/max/argmin/argmax ask for the cache lines of float64
/// input. Measured (zig/reduce_bench.zig, avx512, n = 5,000,000, 40 MB, out
/// of cache): f64 min and max 0.17 -> 0.14 ns/element at 8 KiB (16 KiB:
/// 0.145-0.155); at 65,536 no change. Float32 had none: at 5M the gain was
/// within noise, and at 65,536 argmin/argmax got 5% slower (the extra hints
/// compete with the loads).
const extreme_prefetch_bytes = 8192;

/// The smallest or largest element of a[start..end] (end > start), with
/// -0 < +0, or holds_nan.
///
/// Float compares pick the extreme (`x > best ? x : best` is one maxps /
/// maxpd). A NaN never compares greater or smaller, so NaNs are counted in a
/// separate mask. Compares see -0 == +0, so when the extreme is zero a scan
/// settles its sign. Measured against integer min/max on total-order keys:
/// as fast or faster on every backend (f64 max at n = 65,536: avx512 0.030
/// vs 0.045 ns/element, avx2 0.058 vs 0.122, sse 0.13 vs 0.97, because
/// 64-bit integer min/max needs AVX-512 and 32-bit needs SSE4.1).
fn rangeExtreme(comptime T: type, comptime lanes: comptime_int, comptime which: Extreme, a: [*]const T, start: usize, end: usize) RangeExtreme(T) {
    const len = vectorLen(T, lanes);
    const V = @Vector(len, T);
    const Bits = std.meta.Int(.unsigned, @bitSizeOf(T));
    // Lanes that have seen a NaN, as all-ones integers: the compare's own
    // result, where a vector of bools would be packed and unpacked (AVX2).
    const Mask = @Vector(len, Bits);
    const all_ones: Mask = @splat(std.math.maxInt(Bits));
    const none: Mask = @splat(0);
    // Four independent vectors per step, so the compares overlap.
    const unroll = 4;
    var best: [unroll]V = @splat(@splat(if (which == .min) std.math.inf(T) else -std.math.inf(T)));
    var nan: [unroll]Mask = @splat(none);
    var i = start;
    while (i + unroll * len <= end) : (i += unroll * len) {
        if (T == f64) {
            // One hint per cache line of this step, 8 KiB ahead (see below).
            inline for (0..unroll * len * @sizeOf(T) / 64) |line| @prefetch(a + i + (line * 64 + extreme_prefetch_bytes) / @sizeOf(T), .{});
        }
        inline for (0..unroll) |k| {
            const x: V = a[i + k * len ..][0..len].*;
            best[k] = @select(T, if (which == .min) x < best[k] else x > best[k], x, best[k]);
            nan[k] |= @select(Bits, x != x, all_ones, none);
        }
    }
    while (i + len <= end) : (i += len) {
        const x: V = a[i..][0..len].*;
        best[0] = @select(T, if (which == .min) x < best[0] else x > best[0], x, best[0]);
        nan[0] |= @select(Bits, x != x, all_ones, none);
    }
    inline for (1..unroll) |k| {
        best[0] = @select(T, if (which == .min) best[k] < best[0] else best[k] > best[0], best[k], best[0]);
    }
    // Across lanes by integer keys: @reduce on floats would also handle NaNs
    // (none are left in `best`), at several instructions a step.
    const keys = totalOrderKey(T, len, @bitCast(best[0]));
    var extreme = floatOfKey(T, if (which == .min) @reduce(.Min, keys) else @reduce(.Max, keys));
    var holds_nan = @reduce(.Or, nan[0] | nan[1] | nan[2] | nan[3]) != 0;
    while (i < end) : (i += 1) {
        const x = a[i];
        if (if (which == .min) x < extreme else x > extreme) extreme = x;
        if (x != x) holds_nan = true;
    }
    if (extreme == 0) {
        // The compares kept whichever zero came first: is the preferred
        // one (-0 for min, +0 for max) anywhere?
        const preferred: T = if (which == .min) -0.0 else 0.0;
        extreme = -preferred;
        for (a[start..end]) |x| {
            if (bitsOf(T, x) == bitsOf(T, preferred)) {
                extreme = preferred;
                break;
            }
        }
    }
    return .{ .value = extreme, .holds_nan = holds_nan };
}

/// Math.min(...a): NaN if any element is NaN, -0 < +0, +Inf when n = 0.
pub fn min(comptime T: type, comptime lanes: comptime_int, a: [*]const T, n: usize) f64 {
    comptime checkTypes(T, lanes);
    if (n == 0) return std.math.inf(f64);
    const found = rangeExtreme(T, lanes, .min, a, 0, n);
    return if (found.holds_nan) std.math.nan(f64) else found.value;
}

/// Math.max(...a): NaN if any element is NaN, -0 < +0, -Inf when n = 0.
pub fn max(comptime T: type, comptime lanes: comptime_int, a: [*]const T, n: usize) f64 {
    comptime checkTypes(T, lanes);
    if (n == 0) return -std.math.inf(f64);
    const found = rangeExtreme(T, lanes, .max, a, 0, n);
    return if (found.holds_nan) std.math.nan(f64) else found.value;
}

/// Bytes per block of argmin/argmax. Each block's extreme is found as in
/// min/max; only the winning block is scanned again for the first index.
/// Small blocks pay the per-block lane reduction more often, large ones a
/// longer rescan. An earlier session measured 1024 elements best for f32 (Zen
/// 5, avx512: 256: 0.029, 1024: 0.024, 2048: 0.023, 8192: 0.026 ns/element).
/// On a Zen 4 (zig/reduce_bench.zig `layouts`, maximum in the last block, n =
/// 65,536, two interleaved runs, ns/element): f32 avx512 1024: 0.042-0.043,
/// 2048: 0.040, 4096: 0.0385, 8192: 0.040; f32 avx2 0.045 / 0.042 / 0.042;
/// f64 avx512 0.077-0.080 / 0.075-0.078 / 0.077-0.080; f64 avx2 0.091-0.092
/// / 0.089-0.090 / 0.092-0.093. So 16 KiB a block: 4096 float32s, 2048
/// float64s. (At 5M every size was within the runs' noise.)
const arg_block_bytes = 16 * 1024;
pub fn argBlock(comptime T: type) usize {
    return arg_block_bytes / @sizeOf(T);
}

/// The first index i in [start, end) where a[i] has exactly the bits of
/// `value` (vector compare first, then the lanes of the matching vector).
/// Zeros compare equal to both zeros, so the lane loop checks bits.
fn firstIndexOf(comptime T: type, comptime lanes: comptime_int, a: [*]const T, start: usize, end: usize, value: T) usize {
    const len = vectorLen(T, lanes);
    const V = @Vector(len, T);
    var i = start;
    while (i + len <= end) : (i += len) {
        const x: V = a[i..][0..len].*;
        if (@reduce(.Or, x == @as(V, @splat(value)))) {
            for (i..i + len) |j| if (bitsOf(T, a[j]) == bitsOf(T, value)) return j;
        }
    }
    while (i < end) : (i += 1) {
        if (bitsOf(T, a[i]) == bitsOf(T, value)) return i;
    }
    unreachable; // rangeExtreme found this value in this range
}

fn firstNan(comptime T: type, a: [*]const T, start: usize, end: usize) usize {
    for (start..end) |i| if (std.math.isNan(a[i])) return i;
    unreachable;
}

/// argmin/argmax with a given block size (a parameter for the benchmark).
pub fn argExtremeWith(comptime block: usize, comptime T: type, comptime lanes: comptime_int, comptime which: Extreme, a: [*]const T, n: usize) usize {
    comptime checkTypes(T, lanes);
    std.debug.assert(n > 0);
    var best: T = if (which == .min) std.math.inf(T) else -std.math.inf(T);
    var best_start: usize = 0;
    var start: usize = 0;
    while (start < n) : (start += block) {
        const end = @min(n, start + block);
        const found = rangeExtreme(T, lanes, which, a, start, end);
        // The first block holding a NaN decides: no later block matters.
        if (found.holds_nan) return firstNan(T, a, start, end);
        // Strictly better only, so the earliest block with the extreme wins;
        // +0 is better than -0 for max and worse for min.
        const key = totalOrderKey(T, 1, @splat(@bitCast(found.value)))[0];
        const best_key = totalOrderKey(T, 1, @splat(@bitCast(best)))[0];
        const better = if (which == .max) key > best_key else key < best_key;
        if (start == 0 or better) {
            best = found.value;
            best_start = start;
        }
    }
    return firstIndexOf(T, lanes, a, best_start, @min(n, best_start + block), best);
}

/// The first index of the smallest element (-0 < +0, so a[argmin(a)] is
/// Object.is-equal to min(a)); the first NaN's index if any element is NaN
/// (NumPy's rule). The caller guarantees n > 0.
pub fn argmin(comptime T: type, comptime lanes: comptime_int, a: [*]const T, n: usize) usize {
    return argExtremeWith(argBlock(T), T, lanes, .min, a, n);
}

/// The first index of the largest element (-0 < +0); the first NaN's index
/// if any element is NaN. The caller guarantees n > 0.
pub fn argmax(comptime T: type, comptime lanes: comptime_int, a: [*]const T, n: usize) usize {
    return argExtremeWith(argBlock(T), T, lanes, .max, a, n);
}
