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
 * reference. log: 3,120 such inputs among the 2^31 positive normal ones
 * (each against the float64 path, itself checked on all 2^32); every 195th
 * is here, from 3.8e-36 to 8.3e35, then two near 1 (x = 1.0077, at the top
 * of the interval holding 1, and 1.0394), where ln x is smallest for its r.
 * Float32 bit patterns: [input, result].
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
  log: [
    [0x04A2B0C4, 0xC2A31A65],
    [0x0E389EDB, 0xC28882B7],
    [0x1455CEC3, 0xC26F29BD],
    [0x1C491A89, 0xC2430BF1],
    [0x25437195, 0xC2114115],
    [0x2CB6FBB9, 0xC1CFDB9B],
    [0x34F9DEC7, 0xC1694905],
    [0x3C7837B5, 0xC0861279],
    [0x44975658, 0x40E32A9F],
    [0x4C44CC89, 0x418E1217],
    [0x54C5D693, 0x41EC617D],
    [0x5BDA2BAD, 0x421D65E1],
    [0x648227F2, 0x424D3D07],
    [0x6BAFF41C, 0x427542B5],
    [0x7280DA53, 0x428D6A52],
    [0x7B202550, 0x42A56AC9],
    [0x3F80FCFE, 0x3BFC0543],
    [0x3F8509D1, 0x3D1E2283],
  ],
};
