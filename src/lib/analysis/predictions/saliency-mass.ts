// Where a saliency map puts its weight: the share of the total absolute gradient that falls on
// background pixels. A network that ignores blank pixels has a share near 0 there.
import { assertPositiveInteger } from "../validate.js";

export interface BackgroundMass {
  /** Mean over images of Σ_{p in background} |g_p| / Σ_p |g_p|. */
  mean: number;
  /** Each image's share (NaN for an image whose gradient is all zero). */
  perImage: Float64Array;
}

/**
 * The share of |gradient| on the background of each image. `background(image, pixel)` says which
 * pixels count: e.g. the pixels that are 0 in that image, or a fixed mask of always-blank pixels.
 * Images with an all-zero gradient are left out of the mean.
 */
export function backgroundMass(gradients: Float32Array, count: number, pixels: number, background: (image: number, pixel: number) => boolean): BackgroundMass {
  assertPositiveInteger(count, "backgroundMass count");
  assertPositiveInteger(pixels, "backgroundMass pixels");
  if (gradients.length !== count * pixels)
    throw new Error(`backgroundMass: expected count × pixels = ${count * pixels} gradient values, found ${gradients.length}`);
  const perImage = new Float64Array(count);
  let sum = 0;
  let counted = 0;
  for (let n = 0; n < count; n++) {
    let total = 0;
    let outside = 0;
    for (let p = 0; p < pixels; p++) {
      const g = Math.abs(gradients[n * pixels + p]);
      total += g;
      if (background(n, p)) outside += g;
    }
    perImage[n] = total > 0 ? outside / total : NaN;
    if (total > 0) ((sum += perImage[n]), counted++);
  }
  return { mean: counted > 0 ? sum / counted : NaN, perImage };
}
