// Class selectivity of each unit: how much more a unit fires on one class than on the others.
import type { ActivationMatrix, ClassUnitMatrix } from "../types.js";
import { classSums } from "./class-means.js";
import { assertClassUnitMatrix } from "../validate.js";

/**
 * Class × unit selectivity S = (mu_class - mu_rest) / (mu_class + mu_rest + eps), where for a
 * unit and a class, mu_class is the unit's mean activation over the examples of that class and
 * mu_rest its mean over all examples NOT of that class. For non-negative activations (ReLU) S is
 * in [-1, 1]: 1 = fires only on that class, 0 = no preference. A class with no examples, or with
 * all the examples (no rest), gives NaN. eps keeps a unit that is silent everywhere at 0.
 */
export function selectivity(m: ActivationMatrix, labels: ArrayLike<number>, numClasses: number, eps = 1e-8): ClassUnitMatrix {
  const { sums, counts } = classSums(m, labels, numClasses);
  const units = m.cols;
  const rows = m.rows;
  const totals = new Float64Array(units);
  for (let k = 0; k < numClasses; k++) {
    for (let u = 0, o = k * units; u < units; u++) totals[u] += sums[o + u];
  }
  const data = new Float64Array(numClasses * units);
  for (let k = 0; k < numClasses; k++) {
    const inClass = counts[k];
    const rest = rows - inClass;
    for (let u = 0, o = k * units; u < units; u++) {
      if (inClass === 0 || rest === 0) {
        data[o + u] = NaN;
        continue;
      }
      const muClass = sums[o + u] / inClass;
      const muRest = (totals[u] - sums[o + u]) / rest;
      data[o + u] = (muClass - muRest) / (muClass + muRest + eps);
    }
  }
  return { classes: numClasses, units, data };
}

export interface TopUnits {
  /** The class (row of the matrix). */
  classIndex: number;
  /** Unit indices, largest value first. */
  units: number[];
  values: number[];
}

/**
 * For each class, the k units with the largest values, largest first; equal values are ordered
 * by lower unit index, and NaN values come last.
 */
export function topUnitsPerClass(matrix: ClassUnitMatrix, k: number): TopUnits[] {
  assertClassUnitMatrix(matrix);
  const { classes, units, data } = matrix;
  if (!Number.isInteger(k) || k < 1 || k > units) {
    throw new Error(`topUnitsPerClass k: expected an integer in [1, ${units}] (the number of units), found ${k}`);
  }
  const order = new Uint32Array(units);
  const result: TopUnits[] = [];
  for (let c = 0; c < classes; c++) {
    const base = c * units;
    for (let u = 0; u < units; u++) order[u] = u;
    order.sort((a, b) => {
      const va = data[base + a];
      const vb = data[base + b];
      const aNaN = va !== va;
      const bNaN = vb !== vb;
      if (aNaN || bNaN) return aNaN === bNaN ? a - b : aNaN ? 1 : -1;
      return vb - va || a - b;
    });
    const top: number[] = new Array(k);
    const values: number[] = new Array(k);
    for (let i = 0; i < k; i++) {
      top[i] = order[i];
      values[i] = data[base + order[i]];
    }
    result.push({ classIndex: c, units: top, values });
  }
  return result;
}
