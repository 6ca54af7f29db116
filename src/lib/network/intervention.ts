// Ablating or scaling units (or conv channels) of any named activation on a fixed image set, fast
// enough to re-run on every slider move. The chosen activation is computed once for all images
// and kept on the backend; an intervention multiplies its last axis by a mask and recomputes only
// the layers after it. A scale of 1 multiplies by exactly 1, so predictions equal the baseline.
import type { TF, Tensor } from "../tf-types.js";
import { checkPositiveInteger, checkFiniteNumber, describeValue } from "../validate-input.js";
import { hiddenActivationNames, inputSize, classCount, type Network } from "./network.js";
import {
  applyLayers,
  checkInputs,
  defaultInputScale,
  forwardFrom,
  inputRows,
  layerIndexOf,
  reshapeInput,
  uploadNetwork,
  type InputArray,
  type UploadedNetwork,
} from "./tensor-network.js";

export interface Intervention {
  /** Any activation but the logits, e.g. "relu_2" or "conv_1". */
  layer: string;
  /** 0-based indices along the activation's last axis: neurons, or channels of a conv map. */
  units: number[];
  /** Multiplies the units' activations: 0 ablates, 1 leaves the network unchanged. */
  scale: number;
}

export interface InterventionRunner {
  readonly count: number;
  /** The activations run() accepts, input side first. */
  readonly layers: readonly string[];
  /** Predictions of the unmodified network. */
  baseline(): Promise<Uint8Array>;
  /** Argmax class per example with the intervention applied. */
  run(intervention: Intervention): Promise<Uint8Array>;
  /** Predictions for each scale in turn, with one read-back for all of them. */
  sweep(intervention: Omit<Intervention, "scale">, scales: number[]): Promise<Uint8Array[]>;
  /**
   * Steering: predictions with alpha × `direction` added to the layer's activation of every image
   * (at every position of a conv map), for each alpha in turn.
   */
  steer(layer: string, direction: Float32Array, alphas: number[]): Promise<Uint8Array[]>;
  /** The mean change of each logit over all images when `direction` is added to the layer. */
  logitShift(layer: string, direction: Float32Array): Promise<Float64Array>;
  /** Frees every tensor the runner holds; later calls throw. */
  dispose(): void;
}

export interface InterventionRunnerOptions {
  /** Multiplies every input value; defaults to 1/255 for Uint8Array pixels and 1 for floats. */
  scaleInputs?: number;
  /** Examples per forward pass (default 4096). */
  batchSize?: number;
  /** How many layers' activations stay cached on the backend at once (default 2). */
  cachedLayers?: number;
  /**
   * The most values one layer's cached activation may hold (default 16 million, 64 MB): a layer
   * over it (a CNN's first maps on 10,000 images) is recomputed from the input at each run.
   */
  cacheBudget?: number;
  /** Awaited between batches so a page can yield to the browser. */
  betweenBatches?: () => Promise<void>;
}

const WHAT = "intervention";

/** The per-unit multipliers of each scale, after checking layer, units and scales. */
function masks(model: UploadedNetwork, layer: string, units: number[], scales: number[]): Float32Array[] {
  const allowed = hiddenActivationNames(model.network);
  if (!allowed.includes(layer)) throw new Error(`${WHAT}: layer must be one of [${allowed.join(", ")}], found ${describeValue(layer)}`);
  const unitCount = model.activations.find((a) => a.name === layer)!.units;
  if (!Array.isArray(units) || units.length === 0) throw new Error(`${WHAT}: choose at least one unit of ${layer}, found ${describeValue(units)}`);
  for (const unit of units) {
    if (!Number.isInteger(unit) || unit < 0 || unit >= unitCount) {
      throw new Error(`${WHAT}: unit ${describeValue(unit)} does not exist; ${layer} has units 0 to ${unitCount - 1}`);
    }
  }
  return scales.map((scale) => {
    if (checkFiniteNumber(scale, `${WHAT}: scale`) < 0) throw new Error(`${WHAT}: scale must be >= 0 (0 ablates, 1 leaves unchanged), found ${scale}`);
    const mask = new Float32Array(unitCount).fill(1);
    for (const unit of units) mask[unit] = scale;
    return mask;
  });
}

/** Uploads the network and `count` images (count × inputSize, row-major) for later interventions. */
export function createInterventionRunner(
  tf: TF,
  network: Network,
  images: InputArray,
  count: number,
  options: InterventionRunnerOptions = {},
): InterventionRunner {
  checkInputs(network, images, count, WHAT);
  if (classCount(network) > 256) throw new Error(`${WHAT}: predictions are stored as bytes, so at most 256 classes; found ${classCount(network)}`);
  const scale = checkFiniteNumber(options.scaleInputs ?? defaultInputScale(images), `${WHAT}: scaleInputs`);
  const batchSize = checkPositiveInteger(options.batchSize ?? 4096, `${WHAT}: batchSize`);
  const maxCached = checkPositiveInteger(options.cachedLayers ?? 2, `${WHAT}: cachedLayers`);
  const cacheBudget = checkPositiveInteger(options.cacheBudget ?? 16_000_000, `${WHAT}: cacheBudget`);
  const pause = options.betweenBatches ?? (async () => {});
  const model = uploadNetwork(tf, network);
  const size = inputSize(network);
  const batches = Array.from({ length: Math.ceil(count / batchSize) }, (_, i) => ({ start: i * batchSize, rows: Math.min(batchSize, count - i * batchSize) }));
  // Activation of a layer for every batch of images, most recently used last.
  const cache = new Map<string, Tensor[]>();
  let disposed = false;
  let baselineValues: Promise<Uint8Array> | undefined;

  const forwardTo = (start: number, rows: number, to: number): Tensor =>
    tf.tidy(() => applyLayers(tf, model, reshapeInput(tf, model, inputRows(tf, images, start, rows, size, scale)), 0, to));

  /** The layer's activation for every batch, cached when it fits the budget, else null (recompute per batch). */
  const cachedActivation = (layer: string): Tensor[] | null => {
    const hit = cache.get(layer);
    if (hit) {
      cache.delete(layer);
      cache.set(layer, hit);
      return hit;
    }
    const info = model.activations.find((a) => a.name === layer)!;
    if (info.size * count > cacheBudget) return null;
    const to = layerIndexOf(model, layer);
    const parts = batches.map(({ start, rows }) => forwardTo(start, rows, to));
    cache.set(layer, parts);
    while (cache.size > maxCached) {
      const [oldest] = cache.keys();
      tf.dispose(cache.get(oldest)!);
      cache.delete(oldest);
    }
    return parts;
  };

  /**
   * Runs every batch of images from `layer` on: `edit(activation)` gives one or more edited
   * activations, and `read` receives what the rest of the network makes of them for the batch.
   */
  const eachBatch = async (
    layer: string,
    edit: (activation: Tensor) => Tensor[],
    read: (logits: Tensor[], start: number, rows: number) => Tensor,
    use: (values: Float32Array | Int32Array | Uint8Array, start: number, rows: number) => void,
  ): Promise<void> => {
    const cached = cachedActivation(layer);
    const to = layerIndexOf(model, layer);
    for (const [b, { start, rows }] of batches.entries()) {
      const activation = cached ? cached[b] : forwardTo(start, rows, to);
      try {
        const result = tf.tidy(() =>
          read(
            edit(activation).map((a) => forwardFrom(tf, model, layer, a)),
            start,
            rows,
          ),
        );
        try {
          use(await result.data(), start, rows);
        } finally {
          result.dispose();
        }
      } finally {
        if (!cached) activation.dispose();
      }
      await pause();
    }
  };

  /** Argmax predictions of all images for each edit (one edited activation per prediction set). */
  const predictions = async (layer: string, edits: number, edit: (activation: Tensor) => Tensor[]): Promise<Uint8Array[]> => {
    const results = Array.from({ length: edits }, () => new Uint8Array(count));
    await eachBatch(
      layer,
      edit,
      (logits) => tf.stack(logits.map((l) => tf.argMax(l, 1))),
      (values, start, rows) => results.forEach((result, m) => result.set(values.subarray(m * rows, (m + 1) * rows), start)),
    );
    return results;
  };

  /** Argmax predictions with `layer`'s last axis multiplied by each mask. */
  const predict = (layer: string, all: Float32Array[]) =>
    predictions(layer, all.length, (activation) => all.map((mask) => tf.mul(activation, tf.tensor1d(mask))));

  const checkDirection = (layer: string, direction: Float32Array): void => {
    const allowed = hiddenActivationNames(network);
    if (!allowed.includes(layer)) throw new Error(`${WHAT}: layer must be one of [${allowed.join(", ")}], found ${describeValue(layer)}`);
    const units = model.activations.find((a) => a.name === layer)!.units;
    if (!(direction instanceof Float32Array) || direction.length !== units)
      throw new Error(`${WHAT}: a direction in ${layer} must hold ${units} values (one per unit), found ${direction?.length}`);
  };

  const assertLive = () => {
    if (disposed) throw new Error(`${WHAT}: the runner was disposed; create a new one`);
  };

  return {
    count,
    layers: hiddenActivationNames(network),
    async baseline() {
      assertLive();
      baselineValues ??= (async () => {
        const result = new Uint8Array(count);
        for (const { start, rows } of batches) {
          const predicted = tf.tidy(() => tf.argMax(forwardTo(start, rows, network.layers.length - 1), 1));
          try {
            result.set(await predicted.data(), start);
          } finally {
            predicted.dispose();
          }
          await pause();
        }
        return result;
      })();
      // A copy each time, so one caller's edits cannot leak into another's baseline.
      return (await baselineValues).slice();
    },
    async run({ layer, units, scale: unitScale }) {
      assertLive();
      return (await predict(layer, masks(model, layer, units, [unitScale])))[0];
    },
    async sweep({ layer, units }, scales) {
      assertLive();
      if (!Array.isArray(scales) || scales.length === 0) throw new Error(`${WHAT}: scales must be a non-empty list of numbers, found ${describeValue(scales)}`);
      return predict(layer, masks(model, layer, units, scales));
    },
    async steer(layer, direction, alphas) {
      assertLive();
      checkDirection(layer, direction);
      alphas.forEach((alpha) => checkFiniteNumber(alpha, `${WHAT}: steering strength`));
      return predictions(layer, alphas.length, (activation) => alphas.map((alpha) => tf.add(activation, tf.mul(tf.tensor1d(direction), alpha))));
    },
    async logitShift(layer, direction) {
      assertLive();
      checkDirection(layer, direction);
      const classes = classCount(network);
      const sums = new Float64Array(classes);
      await eachBatch(
        layer,
        (activation) => [activation, tf.add(activation, tf.tensor1d(direction))],
        ([clean, steered]) => tf.sum(tf.sub(steered, clean), 0),
        (values) => values.forEach((v, c) => (sums[c] += v)),
      );
      return sums.map((v) => v / count);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const parts of cache.values()) tf.dispose(parts);
      cache.clear();
      model.dispose();
    },
  };
}
