// Gradients that say how units and pixels drive the network: per-class sensitivity of the logits
// to hidden units, input saliency of any unit, and a unit's response to single lit pixels.
import type { TF, Tensor, Tensor2D } from "../tf-types.js";
import type { ClassUnitMatrix } from "../analysis/types.js";
import { checkInputScale, checkPositiveInteger } from "./forward.js";
import { checkInputs, defaultInputScale, forwardFrom, forwardTo, inputTensor, uploadMlp, type InputArray } from "./tensor-mlp.js";
import { classCountOf, inputSizeOf, locateActivation, validateMlpWeights, type ActivationLocation, type MlpWeights } from "./weights.js";

/** A class × unit matrix (see analysis/types.ts) with the examples each class row averages. */
export interface ClassMeanGradients extends ClassUnitMatrix {
  /** Examples of each class the mean was taken over; a class with none has a row of NaN. */
  examplesPerClass: Int32Array;
}

export interface UnitTarget {
  /** Any activation name: "dense_i", "relu_i" or "logits". */
  layer: string;
  /** 0-based unit index within that activation. */
  unit: number;
}

export interface GradientOptions {
  /** Multiplies every input value; defaults to 1/255 for Uint8Array pixels and 1 for floats. */
  scaleInputs?: number;
  /** Examples per backward pass (default 2048). */
  batchSize?: number;
}

function checkTarget(weights: MlpWeights, target: UnitTarget, what: string): ActivationLocation {
  if (target === null || typeof target !== "object") throw new Error(`${what}: target must be { layer, unit }, found ${JSON.stringify(target)}`);
  const location = locateActivation(weights, target.layer);
  if (!Number.isInteger(target.unit) || target.unit < 0 || target.unit >= location.units) {
    throw new Error(`${what}: unit ${JSON.stringify(target.unit)} is out of range for ${target.layer}, which has units 0..${location.units - 1}`);
  }
  return location;
}

/** Column `unit` of a [rows, units] activation, as a [rows] tensor. */
function column(tf: TF, activation: Tensor2D, unit: number): Tensor {
  return tf.reshape(tf.slice(activation, [0, unit], [-1, 1]), [-1]);
}

/**
 * For each class c, the mean over the examples labelled c of d logit_c / d a_j, where a is the
 * activation named `layer` ("relu_i", or the pre-activation "dense_i"). Rows are classes,
 * columns units.
 *
 * Each example's logits depend only on its own activation row, so one backward pass of
 * sum_n logit_{y_n}(a_n) gives every example's gradient row at once. For the last hidden layer,
 * logits = a · W + b is linear in a, so d logit_c / d a_j = W[j, c] for every example and the
 * class mean is exactly that output weight; earlier layers mix in which ReLUs are open.
 */
export async function targetLogitGradients(
  tf: TF,
  weights: MlpWeights,
  images: InputArray,
  count: number,
  labels: ArrayLike<number>,
  layer: string,
  options: GradientOptions = {},
): Promise<ClassMeanGradients> {
  const what = "targetLogitGradients";
  validateMlpWeights(weights, `${what}: weights`);
  const location = locateActivation(weights, layer);
  if (location.kind === "logits") throw new Error(`${what}: layer must be a hidden activation (dense_i or relu_i), found "logits"`);
  checkInputs(weights, images, count, what);
  const classes = classCountOf(weights);
  if (labels === null || typeof labels !== "object" || labels.length !== count) {
    throw new Error(`${what}: expected ${count} labels (one per image), found ${labels?.length}`);
  }
  const examplesPerClass = new Int32Array(classes);
  for (let n = 0; n < count; n++) {
    const label = labels[n];
    if (!Number.isInteger(label) || label < 0 || label >= classes) throw new Error(`${what}: label ${n} must be a class index 0..${classes - 1}, found ${label}`);
    examplesPerClass[label]++;
  }
  const scale = checkInputScale(options.scaleInputs ?? defaultInputScale(images), what);
  const batchSize = checkPositiveInteger(options.batchSize ?? 2048, `${what}: batchSize`);
  const units = location.units;
  const sums = new Float64Array(classes * units);

  const model = uploadMlp(tf, weights, `${what}: weights`);
  try {
    for (let start = 0; start < count; start += batchSize) {
      const rows = Math.min(batchSize, count - start);
      const batchSums = tf.tidy(() => {
        const input = inputTensor(tf, images, start, rows, inputSizeOf(weights), scale);
        const activation = forwardTo(tf, model, input, location);
        const batchLabels = Int32Array.from({ length: rows }, (_, i) => labels[start + i]);
        const oneHot = tf.cast(tf.oneHot(tf.tensor1d(batchLabels, "int32"), classes), "float32") as Tensor2D;
        const targetLogitSum = (a: Tensor) => {
          const after = location.kind === "relu" ? (a as Tensor2D) : tf.relu(a as Tensor2D);
          return tf.sum(tf.mul(forwardFrom(tf, model, location.layerIndex + 1, after), oneHot));
        };
        const perExample = tf.grad(targetLogitSum)(activation) as Tensor2D;
        // oneHotᵀ · gradients sums each class's gradient rows: [classes, units].
        return tf.matMul(oneHot, perExample, true, false);
      });
      try {
        const values = await batchSums.data();
        for (let i = 0; i < values.length; i++) sums[i] += values[i];
      } finally {
        tf.dispose(batchSums);
      }
    }
  } finally {
    model.dispose();
  }
  for (let c = 0; c < classes; c++) {
    for (let j = 0; j < units; j++) sums[c * units + j] /= examplesPerClass[c] > 0 ? examplesPerClass[c] : NaN;
  }
  return { classes, units, data: sums, examplesPerClass };
}

export interface Saliency {
  /** d activation / d pixel, one per input value. */
  gradient: Float32Array;
  /** gradient × pixel value: the first-order contribution of each pixel. */
  gradientTimesInput: Float32Array;
  /** The target unit's activation on this image. */
  activation: number;
}

function checkImage(weights: MlpWeights, image: Float32Array, what: string): void {
  const inputSize = inputSizeOf(weights);
  if (!(image instanceof Float32Array) || image.length !== inputSize) {
    throw new Error(`${what}: image must be a Float32Array of ${inputSize} values, found ${image instanceof Float32Array ? image.length + " values" : Object.prototype.toString.call(image)}`);
  }
  const bad = image.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) throw new Error(`${what}: image value ${bad} is not finite (${image[bad]})`);
}

/**
 * Gradient of one unit's activation (any activation name, before or after ReLU, or a logit)
 * with respect to the input pixels of one image. A post-ReLU unit that is off has a zero gradient.
 */
export async function saliency(tf: TF, weights: MlpWeights, image: Float32Array, target: UnitTarget): Promise<Saliency> {
  const what = "saliency";
  validateMlpWeights(weights, `${what}: weights`);
  const location = checkTarget(weights, target, what);
  checkImage(weights, image, what);
  const model = uploadMlp(tf, weights, `${what}: weights`);
  try {
    const { value, grad } = tf.tidy(() => {
      const input = tf.tensor2d(image, [1, image.length], "float32");
      const unitActivation = (x: Tensor) => tf.sum(column(tf, forwardTo(tf, model, x as Tensor2D, location), target.unit));
      return tf.valueAndGrad(unitActivation)(input);
    });
    try {
      const [activation, gradientValues] = await Promise.all([value.data(), grad.data()]);
      const gradient = Float32Array.from(gradientValues);
      const gradientTimesInput = gradient.map((g, i) => g * image[i]);
      return { gradient, gradientTimesInput, activation: activation[0] };
    } finally {
      tf.dispose([value, grad]);
    }
  } finally {
    model.dispose();
  }
}

export interface OnePixelOptions {
  /** Must match the network's input size if given (784 for MNIST). */
  inputSize?: number;
  /** The value of the one lit pixel (default 1). */
  pixelValue?: number;
}

/**
 * The target unit's activation when exactly one pixel is lit at `pixelValue` and every other is
 * 0, for each pixel in turn: one forward pass over the rows of a scaled identity matrix.
 */
export async function onePixelMap(tf: TF, weights: MlpWeights, target: UnitTarget, options: OnePixelOptions = {}): Promise<Float32Array> {
  const what = "onePixelMap";
  validateMlpWeights(weights, `${what}: weights`);
  const location = checkTarget(weights, target, what);
  const inputSize = inputSizeOf(weights);
  if (options.inputSize !== undefined && options.inputSize !== inputSize) {
    throw new Error(`${what}: inputSize ${options.inputSize} does not match the network's input size ${inputSize}`);
  }
  const pixelValue = options.pixelValue ?? 1;
  if (typeof pixelValue !== "number" || !Number.isFinite(pixelValue)) throw new Error(`${what}: pixelValue must be a finite number, found ${pixelValue}`);
  const model = uploadMlp(tf, weights, `${what}: weights`);
  try {
    const map = tf.tidy(() => {
      const litPixels = tf.mul(tf.eye(inputSize), pixelValue) as Tensor2D;
      return column(tf, forwardTo(tf, model, litPixels, location), target.unit);
    });
    try {
      return Float32Array.from(await map.data());
    } finally {
      tf.dispose(map);
    }
  } finally {
    model.dispose();
  }
}
