// The one way the project records activations: every named activation of a network (or a chosen
// few) over a set of inputs, read back as plain matrices for the analyses. Batched, so 10,000
// MNIST images never need more than one batch of intermediate tensors on the backend.
import type { TF, Tensor } from "../tf-types.js";
import type { ActivationMatrix } from "../analysis/types.js";
import { checkPositiveInteger, checkFiniteNumber } from "../validate-input.js";
import {
  checkInputs,
  defaultInputScale,
  inputRows,
  reshapeInput,
  applyLayers,
  uploadNetwork,
  type InputArray,
  type UploadedNetwork,
} from "./tensor-network.js";
import { inputSize, type Network } from "./network.js";

/** Activations by name: rows = examples, cols = values per example, `shape` = one example's shape. */
export type ActivationCache = Record<string, ActivationMatrix>;

export interface ForwardOptions {
  /** Which activations to keep (default: all, in forward order). */
  names?: string[];
  /** Multiplies every input value; defaults to 1/255 for Uint8Array pixels and 1 for floats. */
  scaleInputs?: number;
  /** Examples per forward pass (default 2048). */
  batchSize?: number;
  /** Awaited between batches: lets a page yield to the browser so no task runs long. */
  betweenBatches?: () => Promise<void>;
}

/** Runs `inputs` through an uploaded network and records the chosen activations. Leaves no tensors behind. */
export async function recordActivations(
  tf: TF,
  model: UploadedNetwork,
  inputs: InputArray,
  count: number,
  options: ForwardOptions = {},
): Promise<ActivationCache> {
  const what = "recordActivations";
  const network = model.network;
  checkInputs(network, inputs, count, what);
  const scale = checkFiniteNumber(options.scaleInputs ?? defaultInputScale(inputs), `${what}: scaleInputs`);
  const batchSize = checkPositiveInteger(options.batchSize ?? 2048, `${what}: batchSize`);
  const wanted = options.names ?? model.activations.map((a) => a.name);
  const infos = wanted.map((name) => {
    const info = model.activations.find((a) => a.name === name);
    if (!info) throw new Error(`${what}: unknown activation ${JSON.stringify(name)}: ${network.name} has [${model.activations.map((a) => a.name).join(", ")}]`);
    return info;
  });
  const byLayer = new Map(infos.map((info) => [info.layerIndex, info.name]));
  const lastLayer = Math.max(...infos.map((info) => info.layerIndex));
  const result: ActivationCache = {};
  for (const info of infos) result[info.name] = { rows: count, cols: info.size, shape: info.shape, data: new Float32Array(count * info.size) };
  const size = inputSize(network);
  for (let start = 0; start < count; start += batchSize) {
    const rows = Math.min(batchSize, count - start);
    const outputs = tf.tidy(() => {
      const kept: Record<string, Tensor> = {};
      const x = reshapeInput(tf, model, inputRows(tf, inputs, start, rows, size, scale));
      // Only as far as the last activation asked for.
      applyLayers(tf, model, x, 0, lastLayer, (index, output) => {
        const name = byLayer.get(index);
        if (name !== undefined) kept[name] = output;
      });
      return kept;
    });
    try {
      const names = Object.keys(outputs);
      const values = await Promise.all(names.map((name) => outputs[name].data<"float32">()));
      names.forEach((name, i) => result[name].data.set(values[i], start * result[name].cols));
    } finally {
      tf.dispose(Object.values(outputs));
    }
    if (options.betweenBatches && start + batchSize < count) await options.betweenBatches();
  }
  return result;
}

/** Uploads the network, records its activations and frees the weights again. */
export async function networkActivations(tf: TF, network: Network, inputs: InputArray, count: number, options: ForwardOptions = {}): Promise<ActivationCache> {
  const model = uploadNetwork(tf, network);
  try {
    return await recordActivations(tf, model, inputs, count, options);
  } finally {
    model.dispose();
  }
}
