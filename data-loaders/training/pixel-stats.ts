// The scalar mean and standard deviation of the training pixels, in the [0, 1] scale models take:
// what buildModel's standardize layer needs (MNIST's are about 0.1307 and 0.3081).
import type { InputStats } from "../../src/lib/models/architecture.js";

/** Over every pixel of the first `count` images; std is the population one (divides by N). */
export function pixelStats(images: Uint8Array, count: number, pixels: number): InputStats {
  if (!Number.isInteger(pixels) || pixels <= 0) throw new Error(`pixelStats: pixels must be a positive integer, got ${pixels}`);
  if (!Number.isInteger(count) || count <= 0 || count * pixels > images.length) {
    throw new Error(`pixelStats: count must be an integer in 1..${Math.floor(images.length / pixels)} (images holds that many), got ${count}`);
  }
  // A histogram of the 256 byte values makes both sums exact in float64, whatever the set's size.
  const histogram = new Float64Array(256);
  const values = images.subarray(0, count * pixels);
  for (let i = 0; i < values.length; i++) histogram[values[i]]++;
  let mean = 0;
  histogram.forEach((n, byte) => (mean += (n * byte) / 255));
  mean /= values.length;
  let variance = 0;
  histogram.forEach((n, byte) => (variance += n * (byte / 255 - mean) ** 2));
  return { mean, std: Math.sqrt(variance / values.length) };
}
