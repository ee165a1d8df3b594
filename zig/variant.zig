//! Root of one per-ISA object. build.zig compiles this file once per backend,
//! each time with that backend's CPU features switched on, and links all the
//! objects into one shared library. Zig has no per-function target attribute,
//! so one object per instruction set is how AVX2 code and baseline code live
//! in the same library (NumPy's dispatch sources work the same way).
//!
//! Everything here is self-contained: the kernels are the only symbols, they
//! are hidden (not exported from the library), and all helpers are inlined,
//! so no AVX copy of a helper can ever be picked for a baseline caller.

const std = @import("std");
const builtin = @import("builtin");
const catalog = @import("catalog.zig");
const kernel = @import("kernel.zig");

const backend_name = @import("variant_options").backend;

const backend = for (catalog.backendsFor(builtin.cpu.arch)) |candidate| {
    if (std.mem.eql(u8, candidate.name, backend_name)) break candidate;
} else @compileError("no backend named " ++ backend_name ++ " for this architecture");

comptime {
    for (std.enums.values(catalog.Op)) |op| {
        @export(&kernel.elementwise(op, backend.lanes), .{
            .name = kernel.hiddenSymbol(op, backend.name, .cached),
            .visibility = .hidden,
        });
        if (backend.streaming) @export(&kernel.elementwiseStreaming(op, backend.lanes), .{
            .name = kernel.hiddenSymbol(op, backend.name, .streaming),
            .visibility = .hidden,
        });
    }
}
