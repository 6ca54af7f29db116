// Ablating or scaling hidden units on a fixed image set, fast enough to re-run on every slider
// move. The clean network runs once at creation and its post-ReLU hidden activations stay on the
// backend; an intervention then recomputes only the layers after the chosen one.
//
// Scaling unit j of relu_k by s multiplies the activation column a[:, j] by s; since the next
// layer computes a · W + b, that equals a · (diag(m) W) + b with m_j = s and 1 elsewhere. So a run
// rescales rows of one small kernel (units × next units) instead of the count × units activation,
// and for s = 1 the kernel is bit-identical to the clean one, so predictions equal the baseline.
import type { TF, Tensor, Tensor2D } from "../tf-types.js";
import { checkInputScale, checkPositiveInteger } from "./forward.js";
import { checkInputs, defaultInputScale, forwardAll, forwardFrom, inputTensor, uploadMlp, type InputArray } from "./tensor-mlp.js";
import { classCountOf, hiddenLayerNames, inputSizeOf, locateActivation, type MlpWeights } from "./weights.js";

export interface Intervention {
  /** A post-ReLU hidden layer: "relu_1", "relu_2", ... */
  layer: string;
  /** 0-based unit indices within that layer (duplicates count once). */
  units: number[];
  /** Multiplies the units' activations: 0 ablates, 1 leaves the network unchanged. */
  scale: number;
}

export interface InterventionSweep {
  layer: string;
  units: number[];
  scales: number[];
}

export interface InterventionResult {
  /** Argmax class per example. */
  predicted: Uint8Array;
  logits?: never;
}

export interface InterventionRunner {
  /** Number of examples. */
  readonly count: number;
  /** The layers run() accepts, input side first. */
  readonly layers: readonly string[];
  run(intervention: Intervention): Promise<InterventionResult>;
  /** Predictions of the unmodified network. */
  baseline(): Promise<Uint8Array>;
  /** Predictions for each scale in turn, with one read-back for all of them. */
  sweep(sweep: InterventionSweep): Promise<Uint8Array[]>;
  /** Frees every tensor the runner holds; later calls throw. */
  dispose(): void;
}

export interface InterventionRunnerOptions {
  /** Multiplies every input value; defaults to 1/255 for Uint8Array pixels and 1 for floats. */
  scaleInputs?: number;
  /** Examples per forward pass while caching activations (default 4096). */
  batchSize?: number;
}

const WHAT = "intervention";

/** Validates layer, units and scales; returns the layer's position and its units' multipliers per scale. */
function resolve(weights: MlpWeights, layer: string, units: number[], scales: number[]): { layerIndex: number; multipliers: Float32Array[] } {
  const allowed = hiddenLayerNames(weights);
  if (!allowed.includes(layer)) {
    throw new Error(`${WHAT}: layer must be one of [${allowed.join(", ")}], found ${JSON.stringify(layer)}`);
  }
  const location = locateActivation(weights, layer);
  if (!Array.isArray(units) || units.length === 0) {
    throw new Error(`${WHAT}: units must be a non-empty list of unit indices of ${layer}, found ${JSON.stringify(units)}`);
  }
  for (const unit of units) {
    if (!Number.isInteger(unit) || unit < 0 || unit >= location.units) {
      throw new Error(`${WHAT}: unit index ${JSON.stringify(unit)} is out of range for ${layer}, which has units 0..${location.units - 1}`);
    }
  }
  const multipliers = scales.map((scale) => {
    if (typeof scale !== "number" || !Number.isFinite(scale) || scale < 0) {
      throw new Error(`${WHAT}: scale must be a finite number >= 0 (0 ablates, 1 leaves unchanged), found ${scale}`);
    }
    const multiplier = new Float32Array(location.units).fill(1);
    for (const unit of units) multiplier[unit] = scale;
    return multiplier;
  });
  return { layerIndex: location.layerIndex, multipliers };
}

async function readPredictions(tf: TF, predictions: Tensor): Promise<Uint8Array> {
  try {
    return Uint8Array.from(await predictions.data());
  } finally {
    tf.dispose(predictions);
  }
}

/**
 * Uploads `count` images (count × inputSize, row-major), runs the clean network once and keeps
 * every post-ReLU hidden activation on the backend for later interventions.
 */
export function createInterventionRunner(
  tf: TF,
  weights: MlpWeights,
  images: InputArray,
  count: number,
  options: InterventionRunnerOptions = {},
): InterventionRunner {
  const model = uploadMlp(tf, weights, `${WHAT}: weights`);
  const hidden = hiddenLayerNames(weights).map((name) => locateActivation(weights, name));
  const batches: Tensor2D[][] = hidden.map(() => []);
  let cached: Tensor2D[] = [];
  let baselinePredictions: Tensor | undefined;
  try {
    if (hidden.length === 0) throw new Error("createInterventionRunner: the network has no hidden layer to intervene on");
    checkInputs(weights, images, count, `createInterventionRunner`);
    if (classCountOf(weights) > 256) throw new Error(`createInterventionRunner: predictions are stored as bytes, so at most 256 classes; found ${classCountOf(weights)}`);
    const scale = checkInputScale(options.scaleInputs ?? defaultInputScale(images), "createInterventionRunner");
    const batchSize = checkPositiveInteger(options.batchSize ?? 4096, "createInterventionRunner: batchSize");
    for (let start = 0; start < count; start += batchSize) {
      const rows = Math.min(batchSize, count - start);
      const activations = tf.tidy(() => {
        const all = forwardAll(tf, model, inputTensor(tf, images, start, rows, inputSizeOf(weights), scale));
        return hidden.map(({ name }) => all[name]);
      });
      activations.forEach((activation, i) => batches[i].push(activation));
    }
    cached = batches.map((parts) => (parts.length === 1 ? parts[0] : tf.concat(parts, 0)));
    // Concatenation made new tensors; the single-batch case keeps the batch tensor itself.
    for (const parts of batches) if (parts.length > 1) tf.dispose(parts);
    const last = weights.layers.length - 1;
    baselinePredictions = tf.tidy(() => tf.argMax(forwardFrom(tf, model, last, cached[last - 1]), 1));
  } catch (error) {
    // Disposing a tensor twice is harmless, so everything that may exist goes.
    tf.dispose([...batches.flat(), ...cached]);
    model.dispose();
    throw error;
  }

  let disposed = false;
  let baselineValues: Promise<Uint8Array> | undefined;
  const assertLive = () => {
    if (disposed) throw new Error(`${WHAT}: the runner was disposed; create a new one`);
  };

  /** Argmax predictions with layer `layerIndex`'s units rescaled by `multiplier`. */
  const predict = (layerIndex: number, multiplier: Float32Array): Tensor =>
    tf.tidy(() => {
      const next = layerIndex + 1;
      const rowScales = tf.tensor2d(multiplier, [multiplier.length, 1], "float32");
      const kernel = tf.mul(model.kernels[next], rowScales) as Tensor2D;
      return tf.argMax(forwardFrom(tf, model, next, cached[layerIndex], kernel), 1);
    });

  return {
    count,
    layers: hiddenLayerNames(weights),
    async run({ layer, units, scale }) {
      assertLive();
      const { layerIndex, multipliers } = resolve(weights, layer, units, [scale]);
      return { predicted: await readPredictions(tf, predict(layerIndex, multipliers[0])) };
    },
    async baseline() {
      assertLive();
      baselineValues ??= readPredictions(tf, tf.clone(baselinePredictions!));
      // A copy each time, so one caller's edits cannot leak into another's baseline.
      return (await baselineValues).slice();
    },
    async sweep({ layer, units, scales }) {
      assertLive();
      if (!Array.isArray(scales) || scales.length === 0) throw new Error(`${WHAT}: scales must be a non-empty list of numbers, found ${JSON.stringify(scales)}`);
      const { layerIndex, multipliers } = resolve(weights, layer, units, scales);
      const parts = multipliers.map((multiplier) => predict(layerIndex, multiplier));
      const stacked = tf.stack(parts);
      tf.dispose(parts);
      const all = await readPredictions(tf, stacked);
      return multipliers.map((_, i) => all.slice(i * count, (i + 1) * count));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([...cached, baselinePredictions!]);
      model.dispose();
    },
  };
}
