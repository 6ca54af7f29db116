// Every named activation of an MLP over a set of inputs, read back as plain matrices for the
// analyses (dead units, selectivity, embeddings). Batched so 10,000 MNIST images never need more
// than one batch of intermediate tensors on the backend at a time.
import type { TF } from "../tf-types.js";
import { checkInputs, defaultInputScale, forwardAll, inputTensor, uploadMlp, type InputArray } from "./tensor-mlp.js";
import { activationNames, inputSizeOf, unitsOf, type MlpWeights } from "./weights.js";

import type { ActivationMatrix } from "../analysis/types.js";
export type { ActivationMatrix };

export interface ForwardOptions {
  /** Multiplies every input value; defaults to 1/255 for Uint8Array pixels and 1 for floats. */
  scaleInputs?: number;
  /** Examples per forward pass (default 2048). */
  batchSize?: number;
}

export function checkPositiveInteger(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw new Error(`${what} must be a positive integer, found ${value}`);
  return value;
}

export function checkInputScale(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`${what}: scaleInputs must be a finite number, found ${value}`);
  return value;
}

/**
 * Runs `count` inputs (count × inputSize, row-major) through the network and returns every
 * activation by name ("dense_1", "relu_1", ..., "logits"). Leaves no tensors behind.
 */
export async function mlpActivations(
  tf: TF,
  weights: MlpWeights,
  inputs: InputArray,
  count: number,
  options: ForwardOptions = {},
): Promise<Record<string, ActivationMatrix>> {
  const what = "mlpActivations";
  const model = uploadMlp(tf, weights, `${what}: weights`);
  try {
    checkInputs(weights, inputs, count, what);
    const scale = checkInputScale(options.scaleInputs ?? defaultInputScale(inputs), what);
    const batchSize = checkPositiveInteger(options.batchSize ?? 2048, `${what}: batchSize`);
    const inputSize = inputSizeOf(weights);
    const result: Record<string, ActivationMatrix> = {};
    for (const name of activationNames(weights)) {
      const cols = unitsOf(weights, name);
      result[name] = { rows: count, cols, data: new Float32Array(count * cols) };
    }
    for (let start = 0; start < count; start += batchSize) {
      const rows = Math.min(batchSize, count - start);
      const activations = tf.tidy(() => {
        const input = inputTensor(tf, inputs, start, rows, inputSize, scale);
        return forwardAll(tf, model, input);
      });
      try {
        const names = Object.keys(activations);
        const values = await Promise.all(names.map((name) => activations[name].data<"float32">()));
        names.forEach((name, i) => result[name].data.set(values[i], start * result[name].cols));
      } finally {
        tf.dispose(Object.values(activations));
      }
    }
    return result;
  } finally {
    model.dispose();
  }
}
