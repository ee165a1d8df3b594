/**
 * Inputs whose float32-tier value (math.zig's expSingle and kin: the
 * function in float32 arithmetic, as a pair of float32s y_high + y_low)
 * rounds to the wrong float32: the tier is within about 2^-34 of the exact
 * value, and these exact values lie closer than that to a rounding boundary.
 * The tier's rounding test must send their vectors on to the float64 path;
 * with the test off (slack 0), each of these comes out one ULP off on
 * AVX-512. Found by running the tier on all 2^32 inputs against the
 * float128 reference (exp: 4,359 such inputs; every 272nd is here, from
 * 2^-24 to -84.9), with the correctly rounded results from the float128
 * reference. Float32 bit patterns: [input, result].
 */
export const SINGLE_TIER_TRAPS: Partial<Record<"exp" | "log" | "tanh" | "sigmoid" | "sin" | "cos", readonly (readonly [number, number])[]>> = {
  exp: [
    [0x33800000, 0x3F800001],
    [0x3C7358D0, 0x3F81EA53],
    [0x3DEA311F, 0x3F8F81B7],
    [0x3EE265A0, 0x3FC72E3B],
    [0x3FD48A91, 0x40A860E7],
    [0x40B82763, 0x439DDA3B],
    [0x419E4BE2, 0x4DBAF8F4],
    [0x42861997, 0x6FD4B31C],
    [0xBC27081A, 0x3F7D6745],
    [0xBCE5ACC4, 0x3F78EC1F],
    [0xBD759775, 0x3F711A04],
    [0xBE3B9158, 0x3F5526ED],
    [0xBF19145F, 0x3F0CC81D],
    [0xBFED441F, 0x3E206CF5],
    [0xC0D25440, 0x3AB739BB],
    [0xC1C336D9, 0x2DDE317B],
    [0xC2A9B6CA, 0x023EF8AC],
  ],
};
