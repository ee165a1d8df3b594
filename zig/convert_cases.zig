//! Fixed conversion inputs shared by the Zig conformance tool and tests, and
//! mirrored exactly by test/reference/convert-hashes.ts: the same generator,
//! the same special values, the same (scale, offset) cases, the same hash.
//! Equal hashes mean bit-identical outputs, across ISAs and against the JS
//! reference.

const std = @import("std");

/// The (Src, Dst) pairs the issue requires. Uint8ClampedArray uses the u8 kernels.
pub const Pair = struct { Src: type, Dst: type };
pub const pairs = [_]Pair{
    .{ .Src = f64, .Dst = f32 }, .{ .Src = f32, .Dst = f64 },
    .{ .Src = f16, .Dst = f32 }, .{ .Src = f32, .Dst = f16 },
    .{ .Src = i32, .Dst = f32 }, .{ .Src = f32, .Dst = i32 },
    .{ .Src = i16, .Dst = f32 }, .{ .Src = f32, .Dst = i16 },
    .{ .Src = u16, .Dst = f32 }, .{ .Src = f32, .Dst = u16 },
    .{ .Src = i8, .Dst = f32 },  .{ .Src = f32, .Dst = i8 },
    .{ .Src = u8, .Dst = f32 },  .{ .Src = f32, .Dst = u8 },
    .{ .Src = f16, .Dst = f64 }, .{ .Src = f64, .Dst = f16 },
};

pub const Case = struct { scale: f64, offset: f64 };
pub const cases = [_]Case{
    .{ .scale = 1, .offset = 0 }, // identity: out[i] = src[i] in JS
    .{ .scale = 1.0 / 32768.0, .offset = 0 }, // PCM int16 -> [-1, 1)
    .{ .scale = 32768, .offset = 0 }, // [-1, 1] -> PCM int16 (saturates at +1)
    .{ .scale = 1.0 / 255.0, .offset = -0.485 }, // image: u8 / 255 - mean
    .{ .scale = 1, .offset = 0.5 }, // offset only
    .{ .scale = -2.5, .offset = 3.25 },
    .{ .scale = 0.1, .offset = -7.3 },
    .{ .scale = 1e-5, .offset = 1e5 },
    .{ .scale = 3e200, .offset = 1e-200 }, // outside the emulated-fma range
    .{ .scale = 0x1.0000000000001p0, .offset = -0x1p-30 },
    .{ .scale = 0x1p-100, .offset = 0 }, // power of two: f32 product, subnormal edge
    .{ .scale = -0x1p100, .offset = 0 }, // power of two: f32 product, overflow edge
    .{ .scale = 0x1p-101, .offset = 0 }, // just outside the f32-product range
    .{ .scale = 1.0 / 255.0, .offset = 0 }, // scale only, not a power of two
    .{ .scale = -3e-3, .offset = 0 },
};

/// Elements per (pair, case): several vectors of every width plus a tail.
pub const count = 4096 + 37;

/// xorshift32 (Marsaglia): tiny and easy to mirror in JS with `>>> 0`.
pub const Words = struct {
    state: u32,
    pub fn next(self: *Words) u32 {
        var x = self.state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.state = x;
        return x;
    }
};

pub const seed: u32 = 0x9e3779b9;

const special_f64 = [_]f64{
    0,                     -0.0,                  std.math.inf(f64), -std.math.inf(f64),   std.math.nan(f64),
    0.5,                   -0.5,                  1.5,               2.5,                  -2.5,
    32767.5,               -32768.5,              32766.5,           -32767.5,             65535.5,
    65535.49999999999,     255.5,                 254.5,             -0.49999999999999994, 127.5,
    -128.5,                2147483647.5,          -2147483648.5,     2147483646.5,         65504,
    65519.99999999999,     65520,                 0x1p-24,           0x1p-25,              0x1.8p-25,
    0x1p-14,               0x1.ffcp-15,           1e-300,            1e300,                0x1.ffep-1,
    0x1.0000000000001p0,   0x1.002p0,             0x1.001p0,         0x1.0010000000001p0,  3.4028234663852886e38,
    3.4028235677973366e38, 1.401298464324817e-45, -65520,            0.1,                  -7.3,
};

/// The i-th input value for Src, from one or two random words: a mix of raw
/// bit patterns, moderate values, exact half-integers and special values.
pub fn input(comptime Src: type, words: *Words) Src {
    const w = words.next();
    const kind = w & 3;
    const v = words.next();
    switch (Src) {
        f16 => return @bitCast(@as(u16, @truncate(v))),
        f32, f64 => {
            if (kind == 0) {
                if (Src == f32) return @bitCast(v);
                return @bitCast((@as(u64, v) << 32) | words.next());
            }
            const value: f64 = switch (kind) {
                1 => @as(f64, @floatFromInt(@as(i32, @bitCast(v)))) / 16384.0,
                2 => @as(f64, @floatFromInt(@as(i32, @bitCast(v)) >> 8)) / 2.0,
                else => special_f64[v % special_f64.len],
            };
            return if (Src == f32) @floatCast(value) else value;
        },
        else => {
            const bits = @bitSizeOf(Src);
            const narrow: std.meta.Int(.unsigned, bits) = @truncate(v);
            return @bitCast(narrow);
        },
    }
}

/// FNV-1a over the output bytes (little-endian, as the machines here are).
pub fn hash(bytes: []const u8) u32 {
    var h: u32 = 0x811c9dc5;
    for (bytes) |b| {
        h ^= b;
        h *%= 0x01000193;
    }
    return h;
}
