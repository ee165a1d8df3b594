//! Root of one per-ISA object. build.zig compiles this file once per backend,
//! each time for that backend's CPU, and links all the objects into one
//! shared library. Zig has no per-function target attribute, so one object
//! per instruction set is how AVX2 code and baseline code live in the same
//! library (NumPy's dispatch sources work the same way).
//!
//! Everything here is self-contained: the kernels are the only symbols, they
//! are hidden (not exported from the library), and all helpers are inlined,
//! so no AVX copy of a helper can ever be picked for a baseline caller.

const std = @import("std");
const builtin = @import("builtin");
const catalog = @import("catalog.zig");
const kernels = @import("kernels.zig");

const backend_name = @import("variant_options").backend;

const backend = for (catalog.backendsFor(builtin.cpu.arch)) |candidate| {
    if (std.mem.eql(u8, candidate.name, backend_name)) break candidate;
} else @compileError("no backend named " ++ backend_name ++ " for this architecture");

// Every op x dtype of the catalog, compiled for this backend: cached, and
// where the backend has non-temporal stores, streaming too.
comptime {
    @setEvalBranchQuota(1_000_000);
    for (std.enums.values(catalog.Op)) |op| {
        for (op.declaration().dtypes) |dtype| {
            const T = dtype.Type();
            @export(&kernels.kernel(op, T, backend, .cached), .{
                .name = kernels.hiddenSymbol(op, dtype, backend.name, .cached),
                .visibility = .hidden,
            });
            if (kernels.streams(op, backend)) @export(&kernels.kernel(op, T, backend, .streaming), .{
                .name = kernels.hiddenSymbol(op, dtype, backend.name, .streaming),
                .visibility = .hidden,
            });
        }
    }
    for (catalog.conversions) |pair| {
        @export(&kernels.conversion(pair, backend), .{ .name = kernels.conversionSymbol(pair, backend.name), .visibility = .hidden });
    }
    @export(&mathSlowLanes, .{ .name = kernels.mathSlowLanesSymbol(backend.name), .visibility = .hidden });
}

/// This backend's count of math lanes sent to the float128 slow path.
fn mathSlowLanes() callconv(.c) f64 {
    return @floatFromInt(@import("math.zig").slow_lanes.load(.monotonic));
}
