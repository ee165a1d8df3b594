//! Conformance tool: prints one hash per (pair, case) of the outputs of the
//! fixed inputs in convert_cases.zig, for this build's vector width and for
//! the 1-lane (scalar) path. Build it once per ISA and diff the output:
//!
//!   zig build-exe zig/convert_check.zig -O ReleaseFast -mcpu=x86_64_v4
//!   zig build-exe zig/convert_check.zig -O ReleaseFast -target aarch64-linux
//!   qemu-aarch64 -L /usr/aarch64-linux-gnu ./convert_check
//!
//! test/reference/convert-hashes.ts prints the same lines from the JS
//! reference (column "reference"), so a diff also checks Zig against JS.

const std = @import("std");
const builtin = @import("builtin");
const convert = @import("convert.zig");
const cases = @import("convert_cases.zig");

/// The backend's vector bits for this build's CPU, as catalog v2 would pick.
pub const vector_bits: comptime_int = switch (builtin.cpu.arch) {
    .x86_64 => if (std.Target.x86.featureSetHas(builtin.cpu.features, .avx512f))
        512
    else if (std.Target.x86.featureSetHas(builtin.cpu.features, .avx2))
        256
    else
        128,
    .aarch64 => 128,
    else => 8,
};

/// Whether this CPU has AVX-512 VBMI: the vector paths then take the byte
/// tables where they apply, as the library does (it asks the same question
/// of cpu.zig). The 1-lane path stays the arithmetic reference.
pub fn byteTablesHere() bool {
    return @import("cpu.zig").detect().contains(.avx512vbmi);
}

fn pairHash(comptime Src: type, comptime Dst: type, comptime lanes: comptime_int, case: cases.Case) u32 {
    var src: [cases.count]Src = undefined;
    var out: [cases.count]Dst = undefined;
    var words = cases.Words{ .state = cases.seed };
    for (&src) |*x| x.* = cases.input(Src, &words);
    convert.convert(Src, Dst, lanes, &src, &out, src.len, case.scale, case.offset, false, lanes > 1 and byteTablesHere());
    return cases.hash(std.mem.sliceAsBytes(&out));
}

pub fn main() void {
    std.debug.print("# vector bits {d}, f16 in hardware {}, fma in hardware {}\n", .{ vector_bits, convert.hardware_half, convert.hardware_fma });
    inline for (cases.pairs) |pair| {
        const lanes = convert.lanesFor(vector_bits, pair.Src, pair.Dst);
        for (cases.cases, 0..) |case, c| {
            const vector_hash = pairHash(pair.Src, pair.Dst, lanes, case);
            const scalar_hash = pairHash(pair.Src, pair.Dst, 1, case);
            std.debug.print("{s}->{s} case {d}: {x:0>8}{s}\n", .{
                @typeName(pair.Src),                                               @typeName(pair.Dst), c, vector_hash,
                if (vector_hash == scalar_hash) "" else " (1-lane path differs!)",
            });
        }
    }
}
