// Binarization at half the maximum intensity, Morpho-MNIST's relative threshold of 0.5 with the
// background taken as 0: a pixel of the upscaled digit belongs to the digit when its intensity is
// at least half of the original image's brightest pixel (127.5 for a digit that reaches 255).
// Morpho-MNIST takes the range of the upscaled image instead; bicubic overshoot makes that differ
// by a few grey levels, and the original's maximum keeps a constant image from flickering.
import type { Grid } from "./grid.js";

/**
 * Fills grid.binary from grid.hires and lists the digit's pixels (padded indices, raster order)
 * in grid.pixels. `max` is the original image's largest value; returns the number of pixels.
 */
export function binarize(grid: Grid, max: number): number {
  const { size, stride, hires, binary, pixels } = grid;
  binary.fill(0);
  if (max <= 0) return 0;
  const threshold = max / 2;
  let count = 0;
  for (let r = 0; r < size; r++) {
    const from = r * size;
    const to = (r + 1) * stride + 1;
    for (let c = 0; c < size; c++) {
      if (hires[from + c] >= threshold) {
        binary[to + c] = 1;
        pixels[count++] = to + c;
      }
    }
  }
  return count;
}
