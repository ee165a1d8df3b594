//! What the library and its TypeScript loader must agree on beyond the
//! catalog: the ABI version and the status codes. Declared once here;
//! `zig build catalog` writes both into src/generated/catalog.ts.

/// Bumped whenever an export changes shape, so the TypeScript loader can
/// refuse a stale library instead of calling it wrongly.
pub const abi_version: u32 = 6;

/// What every compute export returns, before it writes anything. Overlap is
/// decided on real addresses, so `partial_overlap` is the normal way the
/// TypeScript wrapper learns of it (and turns it into a RangeError); the
/// others mean a caller bypassed the wrapper's checks, and the library
/// refuses rather than write through a bad pointer.
pub const Status = enum(i32) {
    ok = 0,
    null_pointer = 1,
    partial_overlap = 2,
    too_long = 3,
    bad_broadcast = 4,
    empty = 5,
    not_finite = 6,

    /// What the status means, as the TypeScript errors quote it.
    pub fn text(status: Status) []const u8 {
        return switch (status) {
            .ok => "nothing (ok)",
            .null_pointer => "a null pointer with a non-zero length",
            // For rows and conversions, which allow no in-place use: any overlap.
            .partial_overlap => "out partially overlaps an input",
            .too_long => "an array whose byte range does not fit in the address space",
            .bad_broadcast => "a broadcast flag for an input the op does not have",
            .empty => "argmin or argmax of an empty array",
            .not_finite => "a scale or offset that is not finite",
        };
    }
};
