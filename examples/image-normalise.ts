/**
 * Images: RGBA Uint8 pixels -> normalised float32 values for a model input
 * (x / 255 - mean), per channel. `bun examples/image-normalise.ts`
 */
import { convertInto } from "nano-simd";

const WIDTH = 4;
const HEIGHT = 2;
// RGBA bytes, as a canvas or an image decoder hands them over.
const rgba = new Uint8ClampedArray(WIDTH * HEIGHT * 4).map((_, i) => (i * 37) % 256);

// Split the channels (a strided copy), then one convertInto per channel with its own mean.
const MEAN = [0.485, 0.456, 0.406]; // the usual ImageNet means
const planes = MEAN.map((mean, channel) => {
  const bytes = new Uint8ClampedArray(WIDTH * HEIGHT).map((_, p) => rgba[p * 4 + channel]!);
  return convertInto(bytes, new Float32Array(bytes.length), 1 / 255, -mean);
});
for (const [channel, plane] of planes.entries()) {
  console.log(`${"RGB"[channel]}: ${Array.from(plane, (x) => x.toFixed(3)).join(" ")}`);
}
