/**
 * Audio: Int16 PCM -> float32 -> gain and clip -> Int16, without a loop in
 * JavaScript. `bun examples/audio-gain.ts`
 */
import { clampInto, convertInto, mulInto } from "nano-simd";

const RATE = 48_000;
// One second of a 440 Hz tone at half volume, as a sound card hands it over.
const pcm = new Int16Array(RATE).map((_, i) => Math.round(16384 * Math.sin((2 * Math.PI * 440 * i) / RATE)));

const samples = convertInto(pcm, new Float32Array(pcm.length), 1 / 32768); // [-1, 1)
mulInto(samples, 3, samples); // 3x gain, in place: peaks now near 1.5
clampInto(samples, -1, 1, samples); // clip to the valid range, in place
const out = convertInto(samples, new Int16Array(pcm.length), 32767); // back to PCM, rounded half to even

console.log(`in peak ${Math.max(...pcm.subarray(0, 200))}, out peak ${Math.max(...out.subarray(0, 200))}`);
console.log(`first samples in:  ${pcm.subarray(0, 5).join(", ")}`);
console.log(`first samples out: ${out.subarray(0, 5).join(", ")}`);
