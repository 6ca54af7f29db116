// Which input pixels are (almost) always background. An L1 penalty on the first-layer weights
// from these pixels asks the network to ignore the border, where MNIST carries no signal.

/**
 * 1 for each pixel that is exactly 0 in at least `fraction` of the first `count` images, else 0.
 * `images` holds `pixels` bytes per image, image after image.
 */
export function blankPixelMask(images: Uint8Array, count: number, pixels: number, fraction: number): Uint8Array {
  if (!Number.isInteger(pixels) || pixels <= 0) throw new Error(`blankPixelMask: pixels must be a positive integer, got ${pixels}`);
  if (!Number.isInteger(count) || count <= 0 || count * pixels > images.length) {
    throw new Error(`blankPixelMask: count must be an integer in 1..${Math.floor(images.length / pixels)} (images holds that many), got ${count}`);
  }
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`blankPixelMask: fraction must be in (0, 1], got ${fraction}`);
  const zeros = new Uint32Array(pixels);
  for (let image = 0; image < count; image++) {
    const offset = image * pixels;
    for (let p = 0; p < pixels; p++) if (images[offset + p] === 0) zeros[p]++;
  }
  // zeros / count rather than fraction * count: 7 / 100 >= 0.07 holds, 7 >= 0.07 * 100 does not.
  return Uint8Array.from(zeros, (n) => (n / count >= fraction ? 1 : 0));
}
