// Exact Euclidean distance transform (Felzenszwalb and Huttenlocher, "Distance transforms of
// sampled functions", 2012): the squared distance is separable, so a 1-D lower envelope of
// parabolas along every column and then every row gives it exactly in linear time.
//
// Distances are between pixel centres, from each digit pixel to the nearest background pixel, as
// scipy's distance_transform_edt (which Morpho-MNIST uses): a digit pixel next to the background
// is at distance 1, background pixels at 0. The grid's frame counts as background.
import type { Grid } from "./grid.js";

/** 1-D squared distance of f (n values at `offset`, step `step`) in place, as in the paper. */
function transform1d(d: Float64Array, offset: number, step: number, n: number, grid: Grid): void {
  const { edtF: f, edtV: v, edtZ: z } = grid;
  for (let q = 0; q < n; q++) f[q] = d[offset + q * step];
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const dq = q - v[k];
    d[offset + q * step] = dq * dq + f[v[k]];
  }
}

/** Fills grid.distance2 with the squared distance of every pixel to the background. */
export function distanceTransform(grid: Grid): void {
  const { stride, binary, distance2 } = grid;
  const cells = stride * stride;
  // Larger than any squared distance in the grid, small enough for exact double arithmetic.
  const far = 2 * cells + 1;
  for (let p = 0; p < cells; p++) distance2[p] = binary[p] === 1 ? far : 0;
  for (let c = 0; c < stride; c++) transform1d(distance2, c, stride, stride, grid);
  for (let r = 0; r < stride; r++) transform1d(distance2, r * stride, 1, stride, grid);
}
