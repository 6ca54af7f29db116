// Bicubic upscaling by SCALE (Keys' kernel, a = −0.5, the common "bicubic" of image libraries).
// Morpho-MNIST measures on a 4× upscaled digit so that the skeleton and distances have sub-pixel
// resolution; it uses scikit-image's pyramid_expand (a cubic spline after Gaussian smoothing),
// which gives slightly rounder shapes than this plain interpolation.
//
// Output pixel j's centre maps to (j + 0.5) / SCALE − 0.5 in the original's pixel coordinates
// (pixel centres at integers); the original is taken as 0 beyond its border, which is the
// background of a white-on-black digit, so a stroke that touches the edge ends at the edge.
import { SCALE, type Grid } from "./grid.js";

interface Taps {
  /** First original index of output index j's four taps. */
  start: Int32Array;
  /** The four weights of output index j, at 4j … 4j + 3. */
  weights: Float32Array;
}

let cachedTaps: { side: number; taps: Taps } | null = null;

function keys(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t <= 1) return (a + 2) * t * t * t - (a + 3) * t * t + 1;
  if (t < 2) return a * t * t * t - 5 * a * t * t + 8 * a * t - 4 * a;
  return 0;
}

/** The taps of every output index along one axis; weights of taps outside the image are 0. */
function tapsFor(side: number): Taps {
  if (cachedTaps !== null && cachedTaps.side === side) return cachedTaps.taps;
  const size = side * SCALE;
  const start = new Int32Array(size);
  const weights = new Float32Array(4 * size);
  for (let j = 0; j < size; j++) {
    const x = (j + 0.5) / SCALE - 0.5;
    const i0 = Math.floor(x);
    const t = x - i0;
    start[j] = i0 - 1;
    for (let k = 0; k < 4; k++) {
      const i = i0 - 1 + k;
      weights[4 * j + k] = i >= 0 && i < side ? keys(t - (k - 1)) : 0;
    }
  }
  const taps = { start, weights };
  cachedTaps = { side, taps };
  return taps;
}

/** Fills grid.hires with `pixels` (side × side, row-major) upscaled by SCALE. */
export function upscale(pixels: ArrayLike<number>, grid: Grid): void {
  const { side, size, hires, rowPass } = grid;
  const { start, weights } = tapsFor(side);
  // Along x: each original row becomes `size` values.
  for (let r = 0; r < side; r++) {
    const row = r * side;
    for (let j = 0; j < size; j++) {
      let sum = 0;
      const s = start[j];
      for (let k = 0; k < 4; k++) {
        const w = weights[4 * j + k];
        if (w !== 0) sum += w * pixels[row + s + k];
      }
      rowPass[r * size + j] = sum;
    }
  }
  // Along y: each output row mixes four of those rows.
  for (let i = 0; i < size; i++) {
    const s = start[i];
    const out = i * size;
    hires.fill(0, out, out + size);
    for (let k = 0; k < 4; k++) {
      const w = weights[4 * i + k];
      if (w === 0) continue;
      const from = (s + k) * size;
      for (let j = 0; j < size; j++) hires[out + j] += w * rowPass[from + j];
    }
  }
}
