// Mean activation of every unit on the examples of each class.
import type { ActivationMatrix, ClassUnitMatrix } from "../types.js";
import { assertActivationMatrix, assertLabels } from "../validate.js";

/** Number of examples of each class. */
export function classCounts(labels: ArrayLike<number>, numClasses: number): Uint32Array {
  assertLabels(labels, labels?.length ?? 0, numClasses);
  const counts = new Uint32Array(numClasses);
  for (let i = 0, n = labels.length; i < n; i++) counts[labels[i]]++;
  return counts;
}

/** Per-class sums of every unit (class × unit) and the class counts; shared by selectivity. */
export function classSums(m: ActivationMatrix, labels: ArrayLike<number>, numClasses: number): { sums: Float64Array; counts: Uint32Array } {
  assertActivationMatrix(m);
  assertLabels(labels, m.rows, numClasses);
  const { rows, cols, data } = m;
  const sums = new Float64Array(numClasses * cols);
  const counts = new Uint32Array(numClasses);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    const label = labels[r];
    counts[label]++;
    const base = label * cols;
    for (let c = 0; c < cols; c++) sums[base + c] += data[o + c];
  }
  return { sums, counts };
}

/**
 * Class × unit mean activation: data[c * units + u] is the mean of unit u over the examples of
 * class c. A class with no examples has an undefined mean: its whole row is NaN.
 */
export function classMeans(m: ActivationMatrix, labels: ArrayLike<number>, numClasses: number): ClassUnitMatrix {
  const { sums, counts } = classSums(m, labels, numClasses);
  const units = m.cols;
  for (let k = 0; k < numClasses; k++) {
    const n = counts[k];
    for (let u = 0, o = k * units; u < units; u++) sums[o + u] = n === 0 ? NaN : sums[o + u] / n;
  }
  return { classes: numClasses, units, data: sums };
}
