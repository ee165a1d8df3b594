//! `zig build`         the shared library for this machine's OS and architecture
//!                     (baseline CPU, release) into zig-out/lib (zig-out/bin on Windows)
//! `zig build test`    Zig unit tests of every kernel variant this CPU can run
//! `zig build detect`  zig-out/bin/nsimd-detect: the dispatch decision as a small
//!                     program, for checking under `qemu-x86_64 -cpu <model>`
//! `zig build dist`    the release library for every platform npm users run, into
//!                     prebuilds/<process.platform>-<process.arch>/ (see dist_targets)
//! `zig build probe`   the benchmark's memory-bandwidth probe, for this machine only
//! `zig build accuracy` zig-out/bin/nsimd-accuracy: the math functions on all 2^32 inputs, per backend
//! `zig build catalog` writes src/generated/catalog.ts from zig/catalog.zig
//! `zig build print-catalog` prints it instead (the staleness test compares)
//! `-Dtarget=<triple>` cross-compiles any of the first three, e.g. aarch64-linux.
//! `-Dstrip=false`     keeps symbol names, so objdump can show every kernel:
//!                     objdump -d --disassemble=nsimd_kernel_add_avx2 zig-out/lib/libnano_simd.so

const std = @import("std");
const catalog = @import("zig/catalog.zig");

/// What `zig build dist` builds: a Zig target triple, and the directory named
/// the way Node reports the platform (`${process.platform}-${process.arch}`),
/// where src/locate.ts looks. No ABI is given for Linux: the library links no
/// libc, so one file serves glibc and musl systems alike.
const dist_targets = [_]struct { triple: []const u8, dir: []const u8 }{
    .{ .triple = "x86_64-linux", .dir = "linux-x64" },
    .{ .triple = "aarch64-linux", .dir = "linux-arm64" },
    .{ .triple = "x86_64-macos", .dir = "darwin-x64" },
    .{ .triple = "aarch64-macos", .dir = "darwin-arm64" },
    .{ .triple = "x86_64-windows", .dir = "win32-x64" },
    .{ .triple = "aarch64-windows", .dir = "win32-arm64" },
};

pub fn build(b: *std.Build) void {
    var query = b.standardTargetOptionsQueryOnly(.{});
    // The library must load on every CPU of its architecture, so its own code
    // targets the baseline CPU, never the build host's (Zig's default is
    // native). Wider instructions live only in the per-backend objects.
    query.cpu_model = .baseline;
    // Zig's default is Debug (a 43 MB library with safety checks): not what
    // anyone should benchmark or ship.
    const optimize = b.option(std.builtin.OptimizeMode, "optimize", "Optimisation of the library's baseline code (default ReleaseFast)") orelse .ReleaseFast;

    const strip = b.option(bool, "strip", "Strip symbols from the library (default true)") orelse true;

    b.installArtifact(library(b, query, optimize, strip));

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

    const tests = b.addTest(.{ .root_module = withBackends(b, "zig/library.zig", query, .ReleaseSafe, true) });
    const test_step = b.step("test", "Run the Zig kernel tests (bit-exact against the scalar reference)");
    test_step.dependOn(&b.addRunArtifact(tests).step);

    const detect = b.addExecutable(.{ .name = "nsimd-detect", .root_module = withBackends(b, "zig/detect_main.zig", query, optimize, true) });
    const detect_step = b.step("detect", "Build nsimd-detect, which prints and exercises the backend this CPU gets");
    detect_step.dependOn(&b.addInstallArtifact(detect, .{}).step);

    // The TypeScript catalog, generated from the Zig one by a host program.
    const generator = b.addExecutable(.{ .name = "nsimd-catalog", .root_module = b.createModule(.{
        .root_source_file = b.path("zig/catalog_ts.zig"),
        .target = b.graph.host,
        .optimize = .Debug,
    }) });
    const generated = b.addRunArtifact(generator).captureStdOut(.{});
    const write_catalog = b.addUpdateSourceFiles();
    write_catalog.addCopyFileToSource(generated, "src/generated/catalog.ts");
    b.step("catalog", "Write src/generated/catalog.ts from zig/catalog.zig").dependOn(&write_catalog.step);
    b.step("print-catalog", "Print the generated TypeScript catalog").dependOn(&b.addRunArtifact(generator).step);

    const accuracy = b.addExecutable(.{ .name = "nsimd-accuracy", .root_module = withBackends(b, "zig/accuracy_main.zig", query, .ReleaseFast, true) });
    b.step("accuracy", "Build nsimd-accuracy, the exhaustive checker of the math functions").dependOn(&b.addInstallArtifact(accuracy, .{}).step);

    const dist_step = b.step("dist", "Cross-compile the release library for every prebuilt platform into prebuilds/");
    // prebuilds/ sits in the package root, not under the install prefix:
    // it is where the published package (and src/locate.ts) expects it.
    const dist = b.addUpdateSourceFiles();
    for (dist_targets) |dist_target| {
        var dist_query = std.Target.Query.parse(.{ .arch_os_abi = dist_target.triple }) catch unreachable;
        dist_query.cpu_model = .baseline;
        const lib = library(b, dist_query, .ReleaseFast, true);
        // Only the library itself: not the Windows import library or symlinks.
        dist.addCopyFileToSource(lib.getEmittedBin(), b.fmt("prebuilds/{s}/{s}", .{ dist_target.dir, lib.out_filename }));
    }
    dist_step.dependOn(&dist.step);
}

/// The shared library for one target: libnano_simd.so / .dylib, nano_simd.dll.
fn library(b: *std.Build, query: std.Target.Query, optimize: std.builtin.OptimizeMode, strip: bool) *std.Build.Step.Compile {
    return b.addLibrary(.{
        .name = "nano_simd",
        .linkage = .dynamic,
        .root_module = withBackends(b, "zig/library.zig", query, optimize, strip),
    });
}

/// A module rooted at `root` (baseline CPU) with one object per backend of
/// the target architecture linked in: the library, its tests, nsimd-detect.
fn withBackends(b: *std.Build, root: []const u8, query: std.Target.Query, optimize: std.builtin.OptimizeMode, strip: bool) *std.Build.Module {
    const target = b.resolveTargetQuery(query);
    const module = b.createModule(.{
        .root_source_file = b.path(root),
        .target = target,
        .optimize = optimize,
        .strip = strip,
    });
    for (catalog.backendsFor(target.result.cpu.arch)) |backend| {
        module.addObject(backendObject(b, query, backend, strip));
    }
    return module;
}

/// variant.zig compiled for one backend, for that backend's CPU.
fn backendObject(b: *std.Build, base: std.Target.Query, backend: catalog.Backend, strip: bool) *std.Build.Step.Compile {
    var query = base;
    if (backend.cpu_model) |model| query.cpu_model = .{ .explicit = model };
    for (backend.x86_features_removed) |feature| {
        query.cpu_features_sub.addFeature(@intFromEnum(feature));
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
