// The geometric median (the point minimizing the sum of Euclidean distances to the rows) by
// Weiszfeld's iteration, where OpenAI and SAELens start b_dec: unlike the mean it is not dragged
// by a few outlying activations. Deterministic: the caller picks the rows (a seeded sample).
import type { ActivationMatrix } from "../analysis/types.js";
import { assertActivationMatrix } from "../analysis/validate.js";
import { unitMeans } from "../analysis/units/stats.js";

export interface GeometricMedianOptions {
  /** Stop once one step lowers the summed distance by at most this fraction of it (default 1e-5). */
  tolerance?: number;
  /** Steps at most (default 100). */
  maxIterations?: number;
}

export interface GeometricMedianResult {
  median: Float64Array;
  /** Weiszfeld steps taken. */
  iterations: number;
  /** false when maxIterations ran out first. */
  converged: boolean;
}

/**
 * Weiszfeld from the mean: y ← Σ x_i / d_i ÷ Σ 1 / d_i with d_i = ||x_i − y||. A distance of 0
 * (y on a row) is floored at 1e-12 of the mean distance, so that row's huge weight keeps y there,
 * which is where the median is when it sits on a row.
 */
export function geometricMedian(m: ActivationMatrix, options: GeometricMedianOptions = {}): GeometricMedianResult {
  assertActivationMatrix(m, "geometricMedian: points");
  const { rows, cols, data } = m;
  if (rows === 0) throw new Error("geometricMedian: expected at least one point, found 0 rows");
  const tolerance = options.tolerance ?? 1e-5;
  const maxIterations = options.maxIterations ?? 100;
  if (!(tolerance >= 0)) throw new Error(`geometricMedian: tolerance must be >= 0, found ${tolerance}`);
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0))
    throw new Error(`geometricMedian: maxIterations must be an integer >= 0, found ${maxIterations}`);

  let median = unitMeans(m);
  let previousMedian = median;
  const distances = new Float64Array(rows);
  let previous = Infinity;
  for (let iterations = 0; ; iterations++) {
    let total = 0;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      let squared = 0;
      for (let c = 0; c < cols; c++) {
        const d = data[o + c] - median[c];
        squared += d * d;
      }
      distances[r] = Math.sqrt(squared);
      total += distances[r];
    }
    // A step that made things worse (rounding, at the very end) is taken back.
    if (total > previous) return { median: previousMedian, iterations: iterations - 1, converged: true };
    // `median` barely improved on the last point (or every row is the same point): done.
    if (total === 0 || previous - total <= tolerance * total) return { median, iterations, converged: true };
    if (iterations === maxIterations) return { median, iterations, converged: false };
    const floor = (1e-12 * total) / rows;
    const next = new Float64Array(cols);
    let weightSum = 0;
    for (let r = 0, o = 0; r < rows; r++, o += cols) {
      const weight = 1 / Math.max(distances[r], floor);
      weightSum += weight;
      for (let c = 0; c < cols; c++) next[c] += weight * data[o + c];
    }
    for (let c = 0; c < cols; c++) next[c] /= weightSum;
    previous = total;
    previousMedian = median;
    median = next;
  }
}
