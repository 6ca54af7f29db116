// One number for "does this unit mean one class": how concentrated a unit's activation is on a
// single class. For unit j, take its mean activation magnitude over the images of each class c,
// m_c = mean over images of c of |a_j|, and p_c = m_c / Σ m. The score is 1 − H(p) / log(C):
// 1 when the unit is active for one class only, 0 when it is equally active for every class.
// Class means rather than sums, so that a class with more images does not look more "owned";
// magnitudes, so that signed units (PCA or ICA components, whose sign is arbitrary) score alike.
import type { ActivationMatrix } from "../types.js";
import { assertActivationMatrix, assertLabels } from "../validate.js";

/** The score of every unit (column) of `m`; NaN for a unit that is 0 on every image. */
export function monosemanticity(m: ActivationMatrix, labels: ArrayLike<number>, classes: number): Float64Array {
  assertActivationMatrix(m);
  assertLabels(labels, m.rows, classes);
  const sums = new Float64Array(classes * m.cols);
  const counts = new Float64Array(classes);
  for (let r = 0; r < m.rows; r++) {
    const c = labels[r];
    counts[c]++;
    const row = r * m.cols;
    for (let u = 0; u < m.cols; u++) sums[c * m.cols + u] += Math.abs(m.data[row + u]);
  }
  const present = Array.from(counts).filter((n) => n > 0).length;
  const scores = new Float64Array(m.cols);
  for (let u = 0; u < m.cols; u++) {
    let total = 0;
    for (let c = 0; c < classes; c++) if (counts[c] > 0) total += sums[c * m.cols + u] / counts[c];
    if (!(total > 0) || present < 2) {
      scores[u] = NaN;
      continue;
    }
    let entropy = 0;
    for (let c = 0; c < classes; c++) {
      if (counts[c] === 0) continue;
      const p = sums[c * m.cols + u] / counts[c] / total;
      if (p > 0) entropy -= p * Math.log(p);
    }
    scores[u] = 1 - entropy / Math.log(present);
  }
  return scores;
}
