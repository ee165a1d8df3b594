//! The one list of what nano-simd computes and which instruction sets it
//! compiles for. build.zig, the exported C ABI and the Zig tests all read it.
//! src/catalog.ts mirrors it; at load src/native.ts refuses a library whose
//! op names differ or whose backends it does not know, and
//! test/native.test.ts and test/prebuilds.test.ts check the exported symbols.

const std = @import("std");
const Feature = @import("cpu.zig").Feature;

/// The elementwise operations. Adding one means one line here (and one in
/// src/catalog.ts `OPS`, and one export line per API in src/).
pub const Op = enum {
    add,
    sub,
    mul,
    div,

    /// One float32 operation. Works on scalars and on `@Vector`s alike, so
    /// the same line serves every backend. Plain IEEE arithmetic: no
    /// fast-math, so every backend rounds exactly like `Math.fround(a op b)`.
    pub inline fn apply(comptime op: Op, a: anytype, b: @TypeOf(a)) @TypeOf(a) {
        return switch (op) {
            .add => a + b,
            .sub => a - b,
            .mul => a * b,
            .div => a / b,
        };
    }
};

/// One compiled variant of the kernels: a name, how many float32 lanes one
/// instruction handles, and the CPU features its object is compiled with.
pub const Backend = struct {
    name: []const u8,
    /// Register bits / 32 bits per float32.
    lanes: u16,
    /// Features added on top of the architecture's baseline CPU.
    x86_features: []const std.Target.x86.Feature = &.{},
    /// What runtime detection must report before this backend may run: the
    /// instructions, and the OS's consent to use the wider registers.
    requires: []const Feature = &.{},
    /// Has a non-temporal store instruction for whole vectors (x86 movntps),
    /// so large arrays can bypass the cache (kernel.zig `elementwiseStreaming`).
    streaming: bool = false,
    /// LLVM's loop vectoriser is off at -Oz, so the scalar backend is built
    /// ReleaseSmall to stay one float per instruction (objdump: addss, not
    /// addps). Every other backend is ReleaseFast.
    optimize: std.builtin.OptimizeMode = .ReleaseFast,
};

const scalar: Backend = .{ .name = "scalar", .lanes = 1, .optimize = .ReleaseSmall };

/// Backends per architecture, best first: the first one the CPU can run wins.
pub fn backendsFor(arch: std.Target.Cpu.Arch) []const Backend {
    return switch (arch) {
        .x86_64 => &.{
            // 512-bit ZMM registers: 16 floats.
            // LLVM's avx512f implies AVX2, so the object may use both.
            .{ .name = "avx512", .lanes = 16, .x86_features = &.{.avx512f}, .requires = &.{ .avx512f, .avx2, .avx, .os_ymm, .os_zmm }, .streaming = true },
            // 256-bit YMM registers: 8 floats.
            .{ .name = "avx2", .lanes = 8, .x86_features = &.{.avx2}, .requires = &.{ .avx2, .avx, .os_ymm }, .streaming = true },
            // 128-bit XMM registers: 4 floats. SSE2 is part of every x86-64 CPU.
            .{ .name = "sse", .lanes = 4, .requires = &.{.sse2}, .streaming = true },
            scalar,
        },
        // 128-bit NEON Q registers: 4 floats. NEON is mandatory on AArch64.
        .aarch64, .aarch64_be => &.{ .{ .name = "neon", .lanes = 4, .requires = &.{.neon} }, scalar },
        else => &.{scalar},
    };
}

/// "a,b,c" from a list of names, at compile time: how the lists above reach
/// TypeScript (as C strings) without a second copy to keep in sync.
pub fn joinNames(comptime names: []const []const u8) [:0]const u8 {
    comptime var text: [:0]const u8 = "";
    inline for (names, 0..) |name, i| text = text ++ (if (i == 0) "" else ",") ++ name;
    return text;
}
