// Basic per-unit and per-layer statistics of an activation matrix.
import type { ActivationMatrix } from "../types.js";
import { assertActivationMatrix, assertPositiveInteger, assertUnitIndex } from "../validate.js";

export interface HistogramOptions {
  bins: number;
  min: number;
  max: number;
}

export interface Histogram {
  /** bins + 1 bin edges, evenly spaced from min to max. */
  edges: Float64Array;
  counts: Uint32Array;
}

/**
 * Counts of values in `bins` equal-width bins over [min, max]. Bins are half-open [lo, hi)
 * except the last, which also holds max. Values below min go to the first bin and values above
 * max to the last, so every finite value is counted; NaN values are skipped.
 */
export function histogram(values: ArrayLike<number>, { bins, min, max }: HistogramOptions): Histogram {
  assertPositiveInteger(bins, "histogram bins");
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(min < max)) {
    throw new Error(`histogram range: expected finite min < max, found min = ${min}, max = ${max}`);
  }
  const edges = new Float64Array(bins + 1);
  const width = (max - min) / bins;
  for (let b = 0; b <= bins; b++) edges[b] = min + b * width;
  edges[bins] = max;
  const counts = new Uint32Array(bins);
  const scale = bins / (max - min);
  const last = bins - 1;
  for (let i = 0, n = values.length; i < n; i++) {
    const v = values[i];
    if (v !== v) continue; // NaN
    const t = (v - min) * scale;
    // t is clamped before truncating, so `| 0` acts as floor and never overflows.
    counts[t <= 0 ? 0 : t >= last ? last : t | 0]++;
  }
  return { edges, counts };
}

/** Mean activation of each unit over the examples (NaN for every unit when there are no rows). */
export function unitMeans(m: ActivationMatrix): Float64Array {
  assertActivationMatrix(m);
  const { rows, cols, data } = m;
  const sums = new Float64Array(cols);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    for (let c = 0; c < cols; c++) sums[c] += data[o + c];
  }
  for (let c = 0; c < cols; c++) sums[c] /= rows;
  return sums;
}

/** Population standard deviation (divide by rows) of each unit; two passes for accuracy. */
export function unitStds(m: ActivationMatrix): Float64Array {
  const means = unitMeans(m);
  const { rows, cols, data } = m;
  const squares = new Float64Array(cols);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    for (let c = 0; c < cols; c++) {
      const d = data[o + c] - means[c];
      squares[c] += d * d;
    }
  }
  for (let c = 0; c < cols; c++) squares[c] = Math.sqrt(squares[c] / rows);
  return squares;
}

/** Mean and population standard deviation over all entries of the layer. */
export function layerMeanStd(m: ActivationMatrix): { mean: number; std: number } {
  assertActivationMatrix(m);
  const { data } = m;
  const n = data.length;
  if (n === 0) return { mean: NaN, std: NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += data[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = data[i] - mean;
    squares += d * d;
  }
  return { mean, std: Math.sqrt(squares / n) };
}

/** The activations of one unit over all examples (a copy). */
export function columnOf(m: ActivationMatrix, unit: number): Float32Array {
  assertActivationMatrix(m);
  assertUnitIndex(unit, m.cols);
  const { rows, cols, data } = m;
  const column = new Float32Array(rows);
  for (let r = 0, o = unit; r < rows; r++, o += cols) column[r] = data[o];
  return column;
}
