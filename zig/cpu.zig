//! Runtime CPU detection. This file is compiled for the architecture's
//! baseline CPU, so it runs everywhere and may only *ask* about wider
//! instructions, never use them.

const std = @import("std");
const builtin = @import("builtin");
const catalog = @import("catalog.zig");

/// What detection reports. The bit positions are the enum values; the names
/// travel to TypeScript through `nsimd_cpu_feature_names`.
pub const Feature = enum(u5) {
    sse2,
    sse3,
    ssse3,
    sse4_1,
    sse4_2,
    popcnt,
    avx,
    avx2,
    fma,
    /// Half-precision conversions (vcvtph2ps / vcvtps2ph).
    f16c,
    bmi1,
    bmi2,
    lzcnt,
    movbe,
    avx512f,
    avx512dq,
    avx512cd,
    avx512bw,
    avx512vl,
    /// Byte permutes across a whole register (vpermb, vpermi2b): Ice Lake,
    /// Zen 4 and later. Not part of x86-64-v4, so no backend requires it;
    /// the avx512 conversions from 8-bit types use it where present.
    avx512vbmi,
    /// CPUID says the OS uses XSAVE, so XGETBV may be executed.
    osxsave,
    /// XCR0 bits 1-2: the OS saves XMM and YMM registers on a context switch.
    /// Without it AVX instructions fault even on a CPU that has them.
    os_ymm,
    /// XCR0 bits 5-7: the OS also saves the AVX-512 opmask and ZMM registers.
    os_zmm,
    /// Advanced SIMD: part of every AArch64 CPU.
    neon,
};

pub const FeatureSet = std.EnumSet(Feature);

/// "sse2,sse3,...": bit i of `detect()`'s mask is the i-th name.
pub const feature_names = catalog.joinNames(std.meta.fieldNames(Feature));

const CpuidResult = struct { eax: u32, ebx: u32, ecx: u32, edx: u32 };

fn cpuid(leaf: u32, subleaf: u32) CpuidResult {
    var eax: u32 = undefined;
    var ebx: u32 = undefined;
    var ecx: u32 = undefined;
    var edx: u32 = undefined;
    asm volatile ("cpuid"
        : [_] "={eax}" (eax),
          [_] "={ebx}" (ebx),
          [_] "={ecx}" (ecx),
          [_] "={edx}" (edx),
        : [_] "{eax}" (leaf),
          [_] "{ecx}" (subleaf),
    );
    return .{ .eax = eax, .ebx = ebx, .ecx = ecx, .edx = edx };
}

/// XCR0: which register files the operating system saves and restores.
fn xgetbv0() u32 {
    return asm volatile (
        \\ xor %%ecx, %%ecx
        \\ xgetbv
        : [_] "={eax}" (-> u32),
        :
        : .{ .edx = true, .ecx = true });
}

fn bit(word: u32, comptime index: u5) bool {
    return (word >> index) & 1 == 1;
}

fn detectX86() FeatureSet {
    var set = FeatureSet.initEmpty();
    const max_leaf = cpuid(0, 0).eax;
    const leaf1 = cpuid(1, 0);
    set.setPresent(.sse2, bit(leaf1.edx, 26));
    set.setPresent(.sse3, bit(leaf1.ecx, 0));
    set.setPresent(.ssse3, bit(leaf1.ecx, 9));
    set.setPresent(.fma, bit(leaf1.ecx, 12));
    set.setPresent(.sse4_1, bit(leaf1.ecx, 19));
    set.setPresent(.sse4_2, bit(leaf1.ecx, 20));
    set.setPresent(.movbe, bit(leaf1.ecx, 22));
    set.setPresent(.popcnt, bit(leaf1.ecx, 23));
    set.setPresent(.f16c, bit(leaf1.ecx, 29));
    set.setPresent(.osxsave, bit(leaf1.ecx, 27));
    set.setPresent(.avx, bit(leaf1.ecx, 28));
    if (max_leaf >= 7) {
        const leaf7 = cpuid(7, 0);
        set.setPresent(.bmi1, bit(leaf7.ebx, 3));
        set.setPresent(.avx2, bit(leaf7.ebx, 5));
        set.setPresent(.bmi2, bit(leaf7.ebx, 8));
        set.setPresent(.avx512f, bit(leaf7.ebx, 16));
        set.setPresent(.avx512dq, bit(leaf7.ebx, 17));
        set.setPresent(.avx512cd, bit(leaf7.ebx, 28));
        set.setPresent(.avx512bw, bit(leaf7.ebx, 30));
        set.setPresent(.avx512vl, bit(leaf7.ebx, 31));
        set.setPresent(.avx512vbmi, bit(leaf7.ecx, 1));
    }
    // LZCNT (AMD's "ABM") is reported in the extended leaf.
    if (cpuid(0x8000_0000, 0).eax >= 0x8000_0001) set.setPresent(.lzcnt, bit(cpuid(0x8000_0001, 0).ecx, 5));
    if (set.contains(.osxsave)) {
        const xcr0 = xgetbv0();
        set.setPresent(.os_ymm, xcr0 & 0b110 == 0b110);
        set.setPresent(.os_zmm, xcr0 & 0b1110_0110 == 0b1110_0110);
    }
    return set;
}

/// Size in bytes of one cache described by CPUID's deterministic cache
/// parameters (leaf 4 on Intel, 0x8000001D on AMD; same layout), or 0 when
/// the subleaf describes no cache.
fn cacheBytes(leaf: u32, subleaf: u32) usize {
    const r = cpuid(leaf, subleaf);
    if (r.eax & 0x1f == 0) return 0;
    const ways: usize = (r.ebx >> 22) + 1;
    const partitions: usize = ((r.ebx >> 12) & 0x3ff) + 1;
    const line: usize = (r.ebx & 0xfff) + 1;
    const sets: usize = @as(usize, r.ecx) + 1;
    return ways * partitions * line * sets;
}

fn largestCache(leaf: u32) usize {
    var largest: usize = 0;
    var subleaf: u32 = 0;
    while (subleaf < 8) : (subleaf += 1) {
        const bytes = cacheBytes(leaf, subleaf);
        if (bytes == 0) break;
        largest = @max(largest, bytes);
    }
    return largest;
}

/// Who designed the CPU, from CPUID leaf 0. Auto-dispatch uses it where the
/// same instruction set is faster one way on one vendor's cores and the
/// other way on another's (src/dispatch.ts).
pub const Vendor = enum(u32) { unknown = 0, intel = 1, amd = 2 };

pub fn vendor() Vendor {
    if (builtin.cpu.arch != .x86_64) return .unknown;
    const r = cpuid(0, 0);
    // The twelve bytes of the name come in EBX, EDX, ECX.
    if (r.ebx == 0x756e_6547 and r.edx == 0x4965_6e69 and r.ecx == 0x6c65_746e) return .intel; // "GenuineIntel"
    if (r.ebx == 0x6874_7541 and r.edx == 0x6974_6e65 and r.ecx == 0x444d_4163) return .amd; // "AuthenticAMD"
    return .unknown;
}

/// CPUID's family number (leaf 1: the base family, plus the extended family
/// when the base is 15), 0 off x86. With the vendor it names a core
/// generation: AMD family 25 is Zen 3 and Zen 4 (only Zen 4 has AVX-512),
/// family 26 is Zen 5.
pub fn family() u32 {
    if (builtin.cpu.arch != .x86_64) return 0;
    const eax = cpuid(1, 0).eax;
    const base = (eax >> 8) & 0xF;
    return if (base == 0xF) base + ((eax >> 20) & 0xFF) else base;
}

/// The last-level cache size, or null when the CPU does not say (other
/// architectures, some emulators).
pub fn lastLevelCacheBytes() ?usize {
    if (builtin.cpu.arch != .x86_64) return null;
    const from_leaf4 = if (cpuid(0, 0).eax >= 4) largestCache(4) else 0;
    const from_amd = if (cpuid(0x8000_0000, 0).eax >= 0x8000_001D) largestCache(0x8000_001D) else 0;
    const bytes = @max(from_leaf4, from_amd);
    return if (bytes == 0) null else bytes;
}

/// The features of the CPU this process runs on.
pub fn detect() FeatureSet {
    return switch (builtin.cpu.arch) {
        .x86_64 => detectX86(),
        .aarch64, .aarch64_be => FeatureSet.initOne(.neon),
        else => FeatureSet.initEmpty(),
    };
}

/// The dispatch rule: a backend runs when every feature it requires is here.
pub fn canRun(backend: catalog.Backend, cpu: FeatureSet) bool {
    for (backend.requires) |feature| {
        if (!cpu.contains(feature)) return false;
    }
    return true;
}
