// The linear SVM probe: one-vs-rest, hinge loss, ½‖w‖² + C Σ max(0, 1 − yᵢ(w·xᵢ + b)), solved by dual
// coordinate descent (Hsieh et al. 2008, LIBLINEAR's L1-loss solver) in float64 on standardized
// columns. The bias is a constant extra column of 1, so it is regularized with w, as in LIBLINEAR.
import type { ActivationMatrix } from "../analysis/types.js";
import { mulberry32, permutation } from "../random.js";
import { describeValue } from "../validate-input.js";
import { argmaxScores, checkProbeData, linearScores } from "./logistic.js";
import { fitStandardizer, standardize, type Standardizer } from "./standardize.js";

export interface SvmOptions {
  /** C > 0 */
  c: number;
  maxEpochs?: number;
  /** Stop when the largest projected-gradient gap of an epoch is below this. */
  tolerance?: number;
  seed?: number;
  pause?: () => Promise<void>;
}

export interface SvmProbe {
  classes: number;
  features: number;
  standardizer: Standardizer;
  /** [classes × features] on standardized columns. */
  weights: Float64Array;
  bias: Float64Array;
  /** Epochs each class's problem took. */
  epochs: number[];
}

/** One class against the rest: w (features + 1, the last the bias) and the epochs it took. */
function oneVersusRest(x: ActivationMatrix, isClass: (row: number) => boolean, c: number, maxEpochs: number, tolerance: number, seed: number): { w: Float64Array; epochs: number } {
  const { rows, cols, data } = x;
  const w = new Float64Array(cols + 1);
  const alpha = new Float64Array(rows);
  const squaredNorm = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 1;
    for (let f = 0; f < cols; f++) sum += data[r * cols + f] ** 2;
    squaredNorm[r] = sum;
  }
  const random = mulberry32(seed);
  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    let largestGap = 0;
    for (const r of permutation(rows, random)) {
      const y = isClass(r) ? 1 : -1;
      let margin = w[cols];
      for (let f = 0; f < cols; f++) margin += w[f] * data[r * cols + f];
      const gradient = y * margin - 1;
      // The projected gradient: 0 where the box constraint 0 ≤ α ≤ C stops the move.
      const projected = alpha[r] === 0 ? Math.min(gradient, 0) : alpha[r] === c ? Math.max(gradient, 0) : gradient;
      largestGap = Math.max(largestGap, Math.abs(projected));
      if (projected === 0) continue;
      const updated = Math.min(Math.max(alpha[r] - gradient / squaredNorm[r], 0), c);
      const change = (updated - alpha[r]) * y;
      alpha[r] = updated;
      for (let f = 0; f < cols; f++) w[f] += change * data[r * cols + f];
      w[cols] += change;
    }
    if (largestGap < tolerance) return { w, epochs: epoch };
  }
  return { w, epochs: maxEpochs };
}

export async function trainLinearSvm(x: ActivationMatrix, labels: ArrayLike<number>, classes: number, options: SvmOptions): Promise<SvmProbe> {
  if (typeof options.c !== "number" || !Number.isFinite(options.c) || options.c <= 0) throw new Error(`SVM: C must be a number > 0, found ${describeValue(options.c)}`);
  checkProbeData(x, labels, classes, "linear SVM");
  const standardizer = fitStandardizer(x);
  const rows = standardize(standardizer, x);
  const features = x.cols;
  const weights = new Float64Array(classes * features);
  const bias = new Float64Array(classes);
  const epochs: number[] = [];
  for (let k = 0; k < classes; k++) {
    const { w, epochs: taken } = oneVersusRest(rows, (r) => labels[r] === k, options.c, options.maxEpochs ?? 50, options.tolerance ?? 1e-3, (options.seed ?? 1) + k);
    weights.set(w.subarray(0, features), k * features);
    bias[k] = w[features];
    epochs.push(taken);
    await options.pause?.();
  }
  return { classes, features, standardizer, weights, bias, epochs };
}

export function predictSvm(probe: SvmProbe, x: ActivationMatrix): Uint8Array {
  return argmaxScores(linearScores(probe, x), x.rows, probe.classes);
}
