// The multinomial logistic-regression probe: softmax over the classes of W·x + b on standardized
// columns, trained by L-BFGS on mean cross-entropy + (λ/2)·Σ W² (the biases are not penalized).
// The objective and its gradient run on the page's tfjs backend (webgpu, wasm or cpu); the
// optimizer's state stays in float64. Xᵀ is uploaded once beside X so that no matMul needs a
// transposed operand (tfjs-wasm runs those several times slower).
import type { TF, Tensor2D } from "../tf-types.js";
import type { ActivationMatrix } from "../analysis/types.js";
import { describeValue } from "../validate-input.js";
import { minimizeLbfgs, type LbfgsResult, type Objective } from "./lbfgs.js";
import { fitStandardizer, standardize, type Standardizer } from "./standardize.js";
import { fusedLogisticObjective } from "./fused-logistic.js";

export interface LogisticOptions {
  /** λ ≥ 0 */
  l2: number;
  maxIterations?: number;
  tolerance?: number;
  pause?: () => Promise<void>;
  /** The compiled training kernels: with them the objective runs fused on WebAssembly (fused-logistic.ts) instead of on tfjs' backend. */
  kernels?: WebAssembly.Module;
}

export interface LogisticProbe {
  classes: number;
  features: number;
  standardizer: Standardizer;
  /** [classes × features], row-major, on standardized columns. */
  weights: Float64Array;
  bias: Float64Array;
  iterations: number;
  /** Why L-BFGS stopped (lbfgs.ts). */
  stop: LbfgsResult["stop"];
  /** The objective at the end. */
  loss: number;
}

/** Checks a probe's training data; throws a message naming what does not fit. */
export function checkProbeData(x: ActivationMatrix, labels: ArrayLike<number>, classes: number, what: string): void {
  if (!Number.isInteger(classes) || classes < 2) throw new Error(`${what}: expected at least 2 classes, found ${describeValue(classes)}`);
  if (x.rows < 1 || x.cols < 1) throw new Error(`${what}: expected at least one row and one column, found ${x.rows} × ${x.cols}`);
  if (labels.length !== x.rows) throw new Error(`${what}: expected one label per row (${x.rows}), found ${labels.length} labels`);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes)
      throw new Error(`${what}: label ${i} is ${describeValue(label)}, expected an integer from 0 to ${classes - 1}`);
  }
}

function checkL2(l2: unknown): void {
  if (typeof l2 !== "number" || !Number.isFinite(l2) || l2 < 0) throw new Error(`l2 regularization strength must be a number ≥ 0, found ${describeValue(l2)}`);
}

/**
 * The objective over parameters [W as features × classes, then the biases] of the standardized
 * rows `x`, on the backend; call dispose() when done.
 */
export function logisticObjective(
  tf: TF,
  x: ActivationMatrix,
  labels: ArrayLike<number>,
  classes: number,
  l2: number,
): { objective: Objective; dispose: () => void } {
  const { rows, cols, data } = x;
  const transposed = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) transposed[c * rows + r] = data[r * cols + c];
  const oneHot = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) oneHot[r * classes + labels[r]] = 1;
  const tensors = { x: tf.tensor2d(data, [rows, cols]), xT: tf.tensor2d(transposed, [cols, rows]), y: tf.tensor2d(oneHot, [rows, classes]) };
  const size = cols * classes;
  const objective: Objective = async (params, gradient) => {
    const [loss, gradW, gradB] = tf.tidy(() => {
      const w = tf.tensor2d(Float32Array.from(params.subarray(0, size)), [cols, classes]);
      const b = tf.tensor1d(Float32Array.from(params.subarray(size)));
      const logProbabilities = tf.logSoftmax(tf.add(tf.matMul(tensors.x, w), b) as Tensor2D);
      const crossEntropy = tf.neg(tf.div(tf.sum(tf.mul(tensors.y, logProbabilities)), rows));
      const residual = tf.div(tf.sub(tf.exp(logProbabilities), tensors.y), rows) as Tensor2D;
      return [crossEntropy, tf.matMul(tensors.xT, residual), tf.sum(residual, 0)];
    });
    // data(), not dataSync(): WebGPU's synchronous read gives zeros in some browsers (headless
    // Chromium with SwiftShader).
    let values: Float32Array[];
    try {
      values = (await Promise.all([loss.data(), gradW.data(), gradB.data()])) as Float32Array[];
    } finally {
      tf.dispose([loss, gradW, gradB]);
    }
    const value = values[0][0];
    gradient.set(values[1], 0);
    gradient.set(values[2], size);
    let penalty = 0;
    for (let i = 0; i < size; i++) {
      penalty += params[i] * params[i];
      gradient[i] += l2 * params[i];
    }
    return value + (l2 / 2) * penalty;
  };
  return { objective, dispose: () => tf.dispose(Object.values(tensors)) };
}

export async function trainLogisticProbe(
  tf: TF,
  x: ActivationMatrix,
  labels: ArrayLike<number>,
  classes: number,
  options: LogisticOptions,
): Promise<LogisticProbe> {
  checkL2(options.l2);
  checkProbeData(x, labels, classes, "logistic probe");
  const standardizer = fitStandardizer(x);
  const standardized = standardize(standardizer, x);
  const { objective, dispose } = options.kernels
    ? { objective: fusedLogisticObjective(options.kernels, standardized, labels, classes, options.l2), dispose: () => {} }
    : logisticObjective(tf, standardized, labels, classes, options.l2);
  const features = x.cols;
  try {
    const result = await minimizeLbfgs(objective, new Float64Array((features + 1) * classes), {
      maxIterations: options.maxIterations ?? 200,
      tolerance: options.tolerance ?? 1e-5,
      pause: options.pause,
    });
    const weights = new Float64Array(classes * features);
    for (let f = 0; f < features; f++) for (let k = 0; k < classes; k++) weights[k * features + f] = result.x[f * classes + k];
    return {
      classes,
      features,
      standardizer,
      weights,
      bias: result.x.slice(features * classes),
      iterations: result.iterations,
      stop: result.stop,
      loss: result.value,
    };
  } finally {
    dispose();
  }
}

/** Scores [rows × classes] of a linear probe (logistic or SVM) on raw (unstandardized) rows, in float64. */
export function linearScores(probe: Pick<LogisticProbe, "classes" | "features" | "standardizer" | "weights" | "bias">, x: ActivationMatrix): Float32Array {
  const { classes, features, standardizer, weights, bias } = probe;
  if (x.cols !== features) throw new Error(`probe scores: the probe reads ${features} columns, given ${x.cols}`);
  const out = new Float32Array(x.rows * classes);
  const row = new Float64Array(features);
  for (let r = 0; r < x.rows; r++) {
    for (let f = 0; f < features; f++) row[f] = (x.data[r * features + f] - standardizer.mean[f]) / standardizer.scale[f];
    for (let k = 0; k < classes; k++) {
      let z = bias[k];
      for (let f = 0; f < features; f++) z += weights[k * features + f] * row[f];
      out[r * classes + k] = z;
    }
  }
  return out;
}

/** The class with the largest score for each row (the lowest index on a tie). */
export function argmaxScores(scores: Float32Array, rows: number, classes: number): Uint8Array {
  const out = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (scores[r * classes + k] > scores[r * classes + best]) best = k;
    out[r] = best;
  }
  return out;
}

export function predictLogistic(probe: LogisticProbe, x: ActivationMatrix): Uint8Array {
  return argmaxScores(linearScores(probe, x), x.rows, probe.classes);
}
