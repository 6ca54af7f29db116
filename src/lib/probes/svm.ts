// The linear SVM probe: one-vs-rest, hinge loss, ½‖w‖² + C Σ max(0, 1 − yᵢ(w·xᵢ + b)), solved by dual
// coordinate descent (Hsieh et al. 2008, LIBLINEAR's L1-loss solver) in float64 on standardized
// columns. The bias is a constant extra column of 1, so it is regularized with w, as in LIBLINEAR.
import type { ActivationMatrix } from "../analysis/types.js";
import { mulberry32, permutation } from "../random.js";
import { describeValue } from "../validate-input.js";
import { argmaxScores, checkProbeData, linearScores } from "./logistic.js";
import { fitStandardizer, standardize, type Standardizer } from "./standardize.js";
import { KernelWorkspace } from "../wasm/workspace.js";

export interface SvmOptions {
  /** C > 0 */
  c: number;
  maxEpochs?: number;
  /** Stop when the largest projected-gradient gap of an epoch is below this. */
  tolerance?: number;
  seed?: number;
  pause?: () => Promise<void>;
  /** The compiled training kernels: with them each epoch runs as one SIMD kernel call (svmEpoch), the same steps in the same order. */
  kernels?: WebAssembly.Module;
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

type OneVersusRest = (isClass: (row: number) => boolean, seed: number) => { w: Float64Array; epochs: number };

/** One class against the rest, in JavaScript: w (features + 1, the last the bias) and the epochs it took. */
function oneVersusRest(x: ActivationMatrix, c: number, maxEpochs: number, tolerance: number): OneVersusRest {
  const { rows, cols, data } = x;
  const squaredNorm = rowSquaredNorms(x);
  return (isClass, seed) => {
    const w = new Float64Array(cols + 1);
    const alpha = new Float64Array(rows);
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
  };
}

/** The same on the SIMD kernel: the rows stay in a WebAssembly memory, one call per epoch. */
function fusedOneVersusRest(kernels: WebAssembly.Module, x: ActivationMatrix, c: number, maxEpochs: number, tolerance: number): OneVersusRest {
  const { rows, cols } = x;
  const ws = new KernelWorkspace(kernels);
  const data = ws.copyOf(x.data);
  const [order, labels, alpha, squaredNorm, w] = [ws.buffer(rows), ws.buffer(rows), ws.buffer(2 * rows), ws.buffer(2 * rows), ws.buffer(2 * (cols + 1))];
  squaredNorm.float64().set(rowSquaredNorms(x));
  return (isClass, seed) => {
    const y = labels.data;
    for (let r = 0; r < rows; r++) y[r] = isClass(r) ? 1 : -1;
    alpha.float64().fill(0);
    w.float64().fill(0);
    const random = mulberry32(seed);
    for (let epoch = 1; epoch <= maxEpochs; epoch++) {
      order.int32().set(permutation(rows, random));
      const largestGap = ws.kernels.svmEpoch(data.offset, cols, order.offset, rows, labels.offset, alpha.offset, squaredNorm.offset, w.offset, c);
      if (largestGap < tolerance) return { w: w.float64().slice(), epochs: epoch };
    }
    return { w: w.float64().slice(), epochs: maxEpochs };
  };
}

/** ‖x_r‖² + 1 per row: the bias column counts. */
function rowSquaredNorms({ rows, cols, data }: ActivationMatrix): Float64Array {
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 1;
    for (let f = 0; f < cols; f++) sum += data[r * cols + f] ** 2;
    norms[r] = sum;
  }
  return norms;
}

export async function trainLinearSvm(x: ActivationMatrix, labels: ArrayLike<number>, classes: number, options: SvmOptions): Promise<SvmProbe> {
  if (typeof options.c !== "number" || !Number.isFinite(options.c) || options.c <= 0)
    throw new Error(`SVM: C must be a number > 0, found ${describeValue(options.c)}`);
  checkProbeData(x, labels, classes, "linear SVM");
  const standardizer = fitStandardizer(x);
  const rows = standardize(standardizer, x);
  const features = x.cols;
  const weights = new Float64Array(classes * features);
  const bias = new Float64Array(classes);
  const epochs: number[] = [];
  const [maxEpochs, tolerance] = [options.maxEpochs ?? 50, options.tolerance ?? 1e-3];
  const solve = options.kernels
    ? fusedOneVersusRest(options.kernels, rows, options.c, maxEpochs, tolerance)
    : oneVersusRest(rows, options.c, maxEpochs, tolerance);
  for (let k = 0; k < classes; k++) {
    const { w, epochs: taken } = solve((r) => labels[r] === k, (options.seed ?? 1) + k);
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
