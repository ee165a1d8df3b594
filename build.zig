//! `zig build`       the shared library for this machine's OS and architecture
//!                   (baseline CPU, release) into zig-out/lib (zig-out/bin on Windows)
//! `zig build test`  Zig unit tests of every kernel variant this CPU can run
//! `-Dtarget=<triple>` cross-compiles either of them, e.g. aarch64-linux.

const std = @import("std");
const catalog = @import("zig/catalog.zig");

pub fn build(b: *std.Build) void {
    var query = b.standardTargetOptionsQueryOnly(.{});
    // The library must load on every CPU of its architecture, so its own code
    // targets the baseline CPU, never the build host's (Zig's default is
    // native). Wider instructions live only in the per-backend objects.
    query.cpu_model = .baseline;
    const target = b.resolveTargetQuery(query);
    // Zig's default is Debug (a 43 MB library with safety checks): not what
    // anyone should benchmark or ship.
    const optimize = b.option(std.builtin.OptimizeMode, "optimize", "Optimisation of the library's baseline code (default ReleaseFast)") orelse .ReleaseFast;

    // -Dstrip=false keeps the symbol table, so objdump can name every
    // kernel: objdump -d --disassemble=nsimd_kernel_add_avx2 zig-out/lib/libnano_simd.so
    const strip = b.option(bool, "strip", "Strip symbols from the library (default true)") orelse true;

    const lib = b.addLibrary(.{
        .name = "nano_simd",
        .linkage = .dynamic,
        .root_module = libraryModule(b, query, target, optimize, strip),
    });
    b.installArtifact(lib);

    // The bandwidth probe of `bun run bench`: this machine's CPU, never shipped.
    const probe = b.addLibrary(.{
        .name = "nano_simd_probe",
        .linkage = .dynamic,
        .root_module = b.createModule(.{
            .root_source_file = b.path("zig/bandwidth_probe.zig"),
            .target = b.graph.host,
            .optimize = .ReleaseFast,
        }),
    });
    const probe_step = b.step("probe", "Build the benchmark's memory-bandwidth probe for this machine");
    probe_step.dependOn(&b.addInstallArtifact(probe, .{}).step);

    const tests = b.addTest(.{ .root_module = libraryModule(b, query, target, .ReleaseSafe, true) });
    const run_tests = b.addRunArtifact(tests);
    const test_step = b.step("test", "Run the Zig kernel tests (bit-exact against the scalar reference)");
    test_step.dependOn(&run_tests.step);
}

/// The library's root module (library.zig, baseline CPU) with one object per
/// backend of the target architecture linked in.
fn libraryModule(b: *std.Build, query: std.Target.Query, target: std.Build.ResolvedTarget, optimize: std.builtin.OptimizeMode, strip: bool) *std.Build.Module {
    const module = b.createModule(.{
        .root_source_file = b.path("zig/library.zig"),
        .target = target,
        .optimize = optimize,
        .strip = strip,
    });
    for (catalog.backendsFor(target.result.cpu.arch)) |backend| {
        module.addObject(backendObject(b, query, backend, strip));
    }
    return module;
}

/// variant.zig compiled for one backend, with that backend's CPU features.
fn backendObject(b: *std.Build, base: std.Target.Query, backend: catalog.Backend, strip: bool) *std.Build.Step.Compile {
    var query = base;
    for (backend.x86_features) |feature| {
        query.cpu_features_add.addFeature(@intFromEnum(feature));
    }
    const options = b.addOptions();
    options.addOption([]const u8, "backend", backend.name);
    const module = b.createModule(.{
        .root_source_file = b.path("zig/variant.zig"),
        .target = b.resolveTargetQuery(query),
        .optimize = backend.optimize,
        .strip = strip,
        .pic = true, // linked into a shared library
    });
    module.addOptions("variant_options", options);
    return b.addObject(.{ .name = b.fmt("nsimd_{s}", .{backend.name}), .root_module = module });
}
