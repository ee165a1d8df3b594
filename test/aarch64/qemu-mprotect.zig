//! LD_PRELOAD shim for the aarch64 test run (test/aarch64/run.ts), and
//! only for it: works around a bug of qemu-user 7.2 (Debian 12's), whose
//! mprotect refuses a zero-length range with ENOMEM where Linux returns 0.
//! JavaScriptCore asks for exactly that when it creates a resizable
//! ArrayBuffer whose maxByteLength equals its length, and the aarch64 Bun
//! then aborts ("mprotect failed: Cannot allocate memory"). Newer qemu
//! checks the length first, as Linux does, and so does this shim; every
//! other call goes straight to the system call.

const std = @import("std");
const linux = std.os.linux;

extern "c" fn __errno_location() *c_int;
extern "c" fn unsetenv(name: [*:0]const u8) c_int;

export fn mprotect(addr: ?*anyopaque, len: usize, prot: c_int) c_int {
    if (len == 0) return 0;
    const rc = linux.syscall3(.mprotect, @intFromPtr(addr), len, @as(u32, @bitCast(prot)));
    return switch (linux.errno(rc)) {
        .SUCCESS => 0,
        else => |err| blk: {
            __errno_location().* = @intFromEnum(err);
            break :blk -1;
        },
    };
}

/// Runs when the library loads, before Bun reads its environment: the
/// processes Bun starts are x86-64 ones (or qemu itself), whose loader would
/// warn about an aarch64 library in LD_PRELOAD. The launcher sets it again
/// for every aarch64 Bun it starts.
fn forgetPreload() callconv(.c) void {
    _ = unsetenv("LD_PRELOAD");
}

export const qemu_mprotect_init linksection(".init_array") = &forgetPreload;
