//! `nsimd-detect` (`zig build detect`): the library's CPU detection and
//! dispatch rule as a small static program, so that it can run where Bun
//! cannot, e.g. under `qemu-x86_64 -cpu core2duo`. It prints
//!
//!   features: sse2,sse3,ssse3
//!   runnable: sse,scalar
//!   backend: sse
//!   ran: sse,scalar
//!
//! and then proves the answer by running every op of every runnable backend
//! over all the tail lengths, against the scalar reference. Running, not only
//! detecting, is the point: a backend that uses an instruction the emulated
//! CPU lacks dies here with SIGILL instead of passing unnoticed.
//!
//! `nsimd-detect --force <backend>` runs that backend whatever detection
//! says: the negative control showing the emulator really refuses it.

const std = @import("std");
const builtin = @import("builtin");
const catalog = @import("catalog.zig");
const cpu = @import("cpu.zig");
const library = @import("library.zig");

const backends = catalog.backendsFor(builtin.cpu.arch);

pub fn main(init: std.process.Init) !void {
    const args = try init.minimal.args.toSlice(init.arena.allocator());
    const forced: ?[]const u8 = if (args.len == 3 and std.mem.eql(u8, args[1], "--force")) args[2] else if (args.len == 1) null else {
        std.debug.print("usage: nsimd-detect [--force <backend>]\n", .{});
        std.process.exit(2);
    };

    var buffer: [1024]u8 = undefined;
    // Streaming, not positional: stdout may be a file that already holds output.
    var writer: std.Io.File.Writer = .initStreaming(.stdout(), init.io, &buffer);
    const out = &writer.interface;

    const features = cpu.detect();
    const mask = library.runnableMask(features);

    try out.writeAll("features:");
    var separator: []const u8 = " ";
    var present = features.iterator();
    while (present.next()) |feature| : (separator = ",") try out.print("{s}{t}", .{ separator, feature });
    try out.writeAll("\nrunnable:");
    separator = " ";
    inline for (backends, 0..) |backend, i| {
        if (mask & (1 << i) != 0) {
            try out.print("{s}{s}", .{ separator, backend.name });
            separator = ",";
        }
    }
    // The best runnable backend: what the library's loader picks first.
    try out.print("\nbackend: {s}\n", .{backends[@ctz(mask)].name});
    // Flushed before any kernel runs, so a SIGILL below still leaves the answer.
    try out.flush();

    try out.writeAll("ran:");
    separator = " ";
    inline for (backends, 0..) |backend, i| {
        const wanted = if (forced) |name| std.mem.eql(u8, name, backend.name) else mask & (1 << i) != 0;
        if (wanted) {
            try out.print("{s}{s}", .{ separator, backend.name });
            try out.flush();
            separator = ",";
            inline for (catalog.list_ops) |op| try expectMatchesReference(op, backend);
        }
    }
    try out.writeAll("\n");
    try out.flush();
}

/// Every length from 0 to 70 covers each tail of every vector width (up to
/// 16 lanes) several times over.
fn expectMatchesReference(comptime op: catalog.Op, comptime backend: catalog.Backend) !void {
    const name = backend.name;
    const run = library.backendKernel(op, .f32, backend, .cached);
    var a: [70]f32 = undefined;
    var b: [70]f32 = undefined;
    var result: [70]f32 = undefined;
    for (&a, &b, 0..) |*x, *y, i| {
        x.* = @as(f32, @floatFromInt(i)) * 1.25 - 20;
        y.* = 3.5 - @as(f32, @floatFromInt(i)) * 0.5;
    }
    for (0..a.len + 1) |n| {
        @memset(&result, 12345);
        run(&.{ &a, &b, undefined }, &result, n, 0);
        for (0..a.len) |i| {
            const expected = if (i < n) op.apply(a[i], b[i], undefined) else 12345;
            if (@as(u32, @bitCast(expected)) != @as(u32, @bitCast(result[i]))) {
                std.debug.print("\n{s} {t} n={d}: element {d} is {e}, expected {e}\n", .{ name, op, n, i, result[i], expected });
                return error.WrongResult;
            }
        }
    }
}
