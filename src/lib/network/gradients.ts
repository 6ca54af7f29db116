// Gradients that say how units and pixels drive a network: per-class sensitivity of the logits to
// a hidden activation, the input saliency of any unit, and a unit's response to single lit pixels.
// A unit is an index along an activation's last axis: a neuron, or a channel of a conv map.
import type { TF, Tensor } from "../tf-types.js";
import type { ClassUnitMatrix } from "../analysis/types.js";
import { checkFiniteNumber, checkPositiveInteger, describeValue } from "../validate-input.js";
import { activationInfo, classCount, inputSize, LOGITS, type ActivationInfo, type Network } from "./network.js";
import { checkInputs, defaultInputScale, forwardFrom, forwardTo, inputRows, uploadNetwork, type InputArray } from "./tensor-network.js";

type Tensor2D = import("@tensorflow/tfjs").Tensor2D;

export interface UnitTarget {
  /** Any activation name, including "logits". */
  layer: string;
  /** 0-based unit (neuron or channel). */
  unit: number;
  /** For a conv map: the [row, column] of the unit to take; without it, the channel's mean over positions. */
  position?: [number, number];
}

/** A class × unit matrix with the examples each class row averages. */
export interface ClassMeanGradients extends ClassUnitMatrix {
  /** Examples of each class the mean was taken over; a class with none has a row of NaN. */
  examplesPerClass: Int32Array;
}

export interface GradientOptions {
  /** Multiplies every input value; defaults to 1/255 for Uint8Array pixels and 1 for floats. */
  scaleInputs?: number;
  /** Examples per backward pass (default 2048). */
  batchSize?: number;
  /** Awaited between batches so a page can yield to the browser. */
  betweenBatches?: () => Promise<void>;
}

function checkTarget(network: Network, target: UnitTarget, what: string): ActivationInfo {
  if (target === null || typeof target !== "object") throw new Error(`${what}: target must be { layer, unit }, found ${describeValue(target)}`);
  const info = activationInfo(network, target.layer);
  if (!Number.isInteger(target.unit) || target.unit < 0 || target.unit >= info.units) {
    throw new Error(`${what}: unit ${describeValue(target.unit)} does not exist; ${target.layer} has units 0 to ${info.units - 1}`);
  }
  if (target.position !== undefined) {
    const [rows, cols] = info.shape;
    const [r, c] = target.position;
    if (info.shape.length !== 3) throw new Error(`${what}: ${target.layer} is not a spatial map, so a unit has no position`);
    if (!Number.isInteger(r) || !Number.isInteger(c) || r < 0 || c < 0 || r >= rows || c >= cols) {
      throw new Error(`${what}: position [${r}, ${c}] is outside ${target.layer}'s ${rows}×${cols} map`);
    }
  }
  return info;
}

/** The target unit's value per example: a column, one position of a channel, or a channel's mean. */
function unitValues(tf: TF, activation: Tensor, info: ActivationInfo, target: UnitTarget): Tensor {
  const rank = activation.rank;
  const begin = new Array(rank).fill(0);
  const size = new Array(rank).fill(-1);
  begin[rank - 1] = target.unit;
  size[rank - 1] = 1;
  if (target.position && info.shape.length === 3) {
    [begin[1], begin[2]] = target.position;
    [size[1], size[2]] = [1, 1];
  }
  const slice = tf.slice(activation, begin, size);
  return tf.mean(tf.reshape(slice, [activation.shape[0], -1]), 1);
}

/**
 * For each class c, the mean over the examples labelled c of d logit_c / d a_j, where a is the
 * activation `layer` and j one of its units. For a conv map, d logit_c / d a_j sums the gradient
 * over all positions of channel j (the effect of raising the whole channel by one).
 *
 * Each example's logits depend only on its own activation row, so one backward pass of
 * sum_n logit_{y_n}(a_n) gives every example's gradient row at once.
 */
export async function classLogitGradients(
  tf: TF,
  network: Network,
  images: InputArray,
  count: number,
  labels: ArrayLike<number>,
  layer: string,
  options: GradientOptions = {},
): Promise<ClassMeanGradients> {
  const what = "classLogitGradients";
  const info = activationInfo(network, layer);
  if (layer === LOGITS) throw new Error(`${what}: layer must be a hidden activation, found "logits"`);
  checkInputs(network, images, count, what);
  const classes = classCount(network);
  if (labels === null || typeof labels !== "object" || labels.length !== count)
    throw new Error(`${what}: expected ${count} labels (one per image), found ${labels?.length}`);
  const examplesPerClass = new Int32Array(classes);
  for (let n = 0; n < count; n++) {
    const label = labels[n];
    if (!Number.isInteger(label) || label < 0 || label >= classes)
      throw new Error(`${what}: label ${n} must be a class index 0..${classes - 1}, found ${label}`);
    examplesPerClass[label]++;
  }
  const scale = checkFiniteNumber(options.scaleInputs ?? defaultInputScale(images), `${what}: scaleInputs`);
  const batchSize = checkPositiveInteger(options.batchSize ?? 2048, `${what}: batchSize`);
  const units = info.units;
  const sums = new Float64Array(classes * units);
  const model = uploadNetwork(tf, network);
  try {
    for (let start = 0; start < count; start += batchSize) {
      const rows = Math.min(batchSize, count - start);
      const batchSums = tf.tidy(() => {
        const activation = forwardTo(tf, model, inputRows(tf, images, start, rows, inputSize(network), scale), layer);
        const oneHot = tf.cast(
          tf.oneHot(
            tf.tensor1d(
              Int32Array.from({ length: rows }, (_, i) => labels[start + i]),
              "int32",
            ),
            classes,
          ),
          "float32",
        ) as Tensor2D;
        const targetLogitSum = (a: Tensor) => tf.sum(tf.mul(forwardFrom(tf, model, layer, a), oneHot));
        const gradient = tf.grad(targetLogitSum)(activation);
        // Sum over positions: [rows, units] whatever the activation's shape.
        const perUnit = tf.sum(tf.reshape(gradient, [rows, -1, units]), 1) as Tensor2D;
        // oneHotᵀ · gradients sums each class's gradient rows: [classes, units].
        return tf.matMul(oneHot, perUnit, true, false);
      });
      try {
        const values = await batchSums.data();
        for (let i = 0; i < values.length; i++) sums[i] += values[i];
      } finally {
        tf.dispose(batchSums);
      }
      if (options.betweenBatches && start + batchSize < count) await options.betweenBatches();
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
  /** d unit / d pixel, one per input value. */
  gradient: Float32Array;
  /** gradient × pixel value: the first-order contribution of each pixel. */
  gradientTimesInput: Float32Array;
  /** The target unit's value on this image. */
  activation: number;
}

function checkImage(network: Network, image: Float32Array, what: string): void {
  const size = inputSize(network);
  if (!(image instanceof Float32Array) || image.length !== size) {
    throw new Error(
      `${what}: image must be a Float32Array of ${size} values, found ${image instanceof Float32Array ? `${image.length} values` : Object.prototype.toString.call(image)}`,
    );
  }
  const bad = image.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) throw new Error(`${what}: image value ${bad} is not finite (${image[bad]})`);
}

/**
 * Gradient of one unit (any activation, before or after a ReLU, or a logit) with respect to the
 * input pixels of one image, in [0, 1] units. A post-ReLU unit that is off has a zero gradient.
 */
export async function saliency(tf: TF, network: Network, image: Float32Array, target: UnitTarget): Promise<Saliency> {
  const what = "saliency";
  const info = checkTarget(network, target, what);
  checkImage(network, image, what);
  const model = uploadNetwork(tf, network);
  try {
    const { value, grad } = tf.tidy(() => {
      const input = tf.tensor2d(image, [1, image.length], "float32");
      return tf.valueAndGrad((x: Tensor) => tf.sum(unitValues(tf, forwardTo(tf, model, x as Tensor2D, target.layer), info, target)))(input);
    });
    try {
      const [activation, gradientValues] = await Promise.all([value.data(), grad.data()]);
      const gradient = Float32Array.from(gradientValues);
      return { gradient, gradientTimesInput: gradient.map((g, i) => g * image[i]), activation: activation[0] };
    } finally {
      tf.dispose([value, grad]);
    }
  } finally {
    model.dispose();
  }
}

/**
 * The target unit's value when exactly one pixel is lit at `pixelValue` (default 1) and every
 * other is 0, for each pixel in turn: one forward pass over the rows of a scaled identity matrix.
 */
export async function onePixelMap(tf: TF, network: Network, target: UnitTarget, pixelValue = 1): Promise<Float32Array> {
  const what = "onePixelMap";
  const info = checkTarget(network, target, what);
  checkFiniteNumber(pixelValue, `${what}: pixelValue`);
  const size = inputSize(network);
  const model = uploadNetwork(tf, network);
  try {
    const map = tf.tidy(() => unitValues(tf, forwardTo(tf, model, tf.mul(tf.eye(size), pixelValue) as Tensor2D, target.layer), info, target));
    try {
      return Float32Array.from(await map.data());
    } finally {
      tf.dispose(map);
    }
  } finally {
    model.dispose();
  }
}

/**
 * For each image, the gradient of one logit (e.g. of its predicted or true class) with respect to
 * its input pixels: count × inputSize, in the units of the scaled input. Images are independent,
 * so one backward pass of the sum over a batch gives every image's gradient.
 */
export async function logitInputGradients(
  tf: TF,
  network: Network,
  images: InputArray,
  count: number,
  classes: ArrayLike<number>,
  options: GradientOptions = {},
): Promise<Float32Array> {
  const what = "logitInputGradients";
  checkInputs(network, images, count, what);
  const classTotal = classCount(network);
  if (classes === null || typeof classes !== "object" || classes.length !== count)
    throw new Error(`${what}: expected ${count} classes (one per image), found ${classes?.length}`);
  const scale = checkFiniteNumber(options.scaleInputs ?? defaultInputScale(images), `${what}: scaleInputs`);
  const batchSize = checkPositiveInteger(options.batchSize ?? 1000, `${what}: batchSize`);
  const size = inputSize(network);
  const result = new Float32Array(count * size);
  const model = uploadNetwork(tf, network);
  try {
    for (let start = 0; start < count; start += batchSize) {
      const rows = Math.min(batchSize, count - start);
      const chosen = Int32Array.from({ length: rows }, (_, i) => classes[start + i]);
      if (chosen.some((c) => !Number.isInteger(c) || c < 0 || c >= classTotal)) throw new Error(`${what}: classes must be indices 0..${classTotal - 1}`);
      const gradient = tf.tidy(() => {
        const oneHot = tf.oneHot(tf.tensor1d(chosen, "int32"), classTotal);
        return tf.grad((x: Tensor) => tf.sum(tf.mul(forwardTo(tf, model, x as Tensor2D, LOGITS), oneHot)))(inputRows(tf, images, start, rows, size, scale));
      });
      try {
        result.set(await gradient.data<"float32">(), start * size);
      } finally {
        tf.dispose(gradient);
      }
      if (options.betweenBatches && start + batchSize < count) await options.betweenBatches();
    }
  } finally {
    model.dispose();
  }
  return result;
}
