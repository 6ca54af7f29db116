// Activations reduced to units on the backend, for analyses over many images: a flat layer's
// values as they are, and a conv map reduced per channel to its mean and maximum over positions
// (and where the maximum is). A CNN's first map on 10,000 test images is 54 million values; its
// channel summaries are 240,000, so only those are read back. Exact statistics over all values
// (mean, standard deviation, range) are accumulated on the way.
import type { TF, Tensor } from "../tf-types.js";
import type { ActivationMatrix } from "../analysis/types.js";
import { checkFiniteNumber, checkPositiveInteger } from "../validate-input.js";
import { inputSize, type Network } from "./network.js";
import {
  applyLayers,
  checkInputs,
  defaultInputScale,
  inputRows,
  reshapeInput,
  uploadNetwork,
  type InputArray,
  type UploadedNetwork,
} from "./tensor-network.js";

export interface LayerUnits {
  /** rows × units: a neuron's value, or a channel's mean over the positions of its map. */
  mean: ActivationMatrix;
  /** rows × units: a channel's maximum over positions (the same matrix as `mean` for a flat layer). */
  max: ActivationMatrix;
  /** rows × units: the position (row-major in the map) of each maximum; null for a flat layer. */
  peak: Int32Array | null;
  /** The map's [height, width]; null for a flat layer. */
  map: [number, number] | null;
  /** Over every value of the layer (all rows, positions and units). */
  stats: { mean: number; std: number; min: number; max: number; count: number };
}

export interface UnitOptions {
  /** Which activations (default: all). */
  names?: string[];
  /** Multiplies every input value; defaults to 1/255 for Uint8Array pixels and 1 for floats. */
  scaleInputs?: number;
  /** Examples per forward pass (default 1000). */
  batchSize?: number;
  /** Awaited between batches so a page can yield to the browser. */
  betweenBatches?: () => Promise<void>;
}

interface Accumulator {
  mean: Float32Array;
  max: Float32Array;
  peak: Int32Array | null;
  sum: number;
  squares: number;
  min: number;
  maxValue: number;
}

export async function recordUnits(
  tf: TF,
  model: UploadedNetwork,
  inputs: InputArray,
  count: number,
  options: UnitOptions = {},
): Promise<Record<string, LayerUnits>> {
  const what = "recordUnits";
  checkInputs(model.network, inputs, count, what);
  const scale = checkFiniteNumber(options.scaleInputs ?? defaultInputScale(inputs), `${what}: scaleInputs`);
  const batchSize = checkPositiveInteger(options.batchSize ?? 1000, `${what}: batchSize`);
  const names = options.names ?? model.activations.map((a) => a.name);
  const infos = names.map((name) => {
    const info = model.activations.find((a) => a.name === name);
    if (!info)
      throw new Error(`${what}: unknown activation ${JSON.stringify(name)}: ${model.network.name} has [${model.activations.map((a) => a.name).join(", ")}]`);
    return info;
  });
  const byLayer = new Map(infos.map((info) => [info.layerIndex, info]));
  const last = Math.max(...infos.map((i) => i.layerIndex));
  const acc = new Map<string, Accumulator>(
    infos.map((info) => [
      info.name,
      {
        mean: new Float32Array(count * info.units),
        max: new Float32Array(count * info.units),
        peak: info.shape.length === 3 ? new Int32Array(count * info.units) : null,
        sum: 0,
        squares: 0,
        min: Infinity,
        maxValue: -Infinity,
      },
    ]),
  );
  const size = inputSize(model.network);
  for (let start = 0; start < count; start += batchSize) {
    const rows = Math.min(batchSize, count - start);
    const outputs = tf.tidy(() => {
      const kept: Record<string, Tensor[]> = {};
      applyLayers(tf, model, reshapeInput(tf, model, inputRows(tf, inputs, start, rows, size, scale)), 0, last, (index, output) => {
        const info = byLayer.get(index);
        if (!info) return;
        // [rows, positions, units]: a flat layer has one position.
        const grouped = tf.reshape(output, [rows, -1, info.units]);
        const reductions =
          info.shape.length === 3 ? [tf.mean(grouped, 1), tf.max(grouped, 1), tf.argMax(grouped, 1)] : [tf.reshape(output, [rows, info.units])];
        kept[info.name] = [...reductions, tf.sum(output), tf.sum(tf.square(output)), tf.min(output), tf.max(output)];
      });
      return kept;
    });
    try {
      for (const info of infos) {
        const parts = await Promise.all(outputs[info.name].map((t) => t.data()));
        const a = acc.get(info.name)!;
        const [sum, squares, min, max] = parts.slice(-4).map((p) => p[0]);
        a.sum += sum;
        a.squares += squares;
        a.min = Math.min(a.min, min);
        a.maxValue = Math.max(a.maxValue, max);
        a.mean.set(parts[0] as Float32Array, start * info.units);
        if (a.peak) {
          a.max.set(parts[1] as Float32Array, start * info.units);
          a.peak.set(parts[2] as Int32Array, start * info.units);
        }
      }
    } finally {
      tf.dispose(Object.values(outputs).flat());
    }
    if (options.betweenBatches && start + batchSize < count) await options.betweenBatches();
  }
  const result: Record<string, LayerUnits> = {};
  for (const info of infos) {
    const a = acc.get(info.name)!;
    const values = count * info.size;
    const mean = a.sum / values;
    const matrix = (data: Float32Array) => ({ rows: count, cols: info.units, data });
    result[info.name] = {
      mean: matrix(a.mean),
      max: a.peak ? matrix(a.max) : matrix(a.mean),
      peak: a.peak,
      map: info.shape.length === 3 ? [info.shape[0], info.shape[1]] : null,
      stats: { mean, std: Math.sqrt(Math.max(0, a.squares / values - mean * mean)), min: a.min, max: a.maxValue, count: values },
    };
  }
  return result;
}

/** Uploads the network, records its units and frees the weights again. */
export async function networkUnits(
  tf: TF,
  network: Network,
  inputs: InputArray,
  count: number,
  options: UnitOptions = {},
): Promise<Record<string, LayerUnits>> {
  const model = uploadNetwork(tf, network);
  try {
    return await recordUnits(tf, model, inputs, count, options);
  } finally {
    model.dispose();
  }
}
