// Records what named layers output for a set of images: one forward pass per batch through a
// model whose outputs are those layers, so all layers come from the same computation.
import type { LayersModel, SymbolicTensor, Tensor } from "@tensorflow/tfjs";
import type { TF } from "../../src/lib/tf-types.js";
import type { ActivationMatrix } from "../../src/lib/analysis/types.js";
import { imageBatch, sizeOfShape } from "./batches.js";

// Row i of a matrix is image i, flattened (a conv layer's [H, W, C] is H*W*C).
export type { ActivationMatrix };

/**
 * Activations of `layerNames` for the first `count` images (bytes, scaled to [0, 1] like in
 * training). Runs with the training flag off (dropout inactive) in batches of `batchSize`.
 */
export function recordActivations(
  tf: TF,
  model: LayersModel,
  images: Uint8Array,
  count: number,
  layerNames: string[],
  batchSize = 2000,
): Record<string, ActivationMatrix> {
  if (model.inputs.length !== 1) throw new Error(`recordActivations: expected a model with one input, got ${model.inputs.length}`);
  const inputShape = model.inputs[0].shape.slice(1) as number[];
  const pixels = sizeOfShape(inputShape);
  if (!Number.isInteger(count) || count < 0 || count * pixels > images.length) {
    throw new Error(`recordActivations: count must be an integer in 0..${Math.floor(images.length / pixels)} (images holds that many), got ${count}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`recordActivations: batchSize must be a positive integer, got ${batchSize}`);
  if (layerNames.length === 0) throw new Error("recordActivations: layerNames is empty");
  if (new Set(layerNames).size !== layerNames.length) throw new Error(`recordActivations: layerNames has duplicates: ${layerNames.join(", ")}`);

  const known = model.layers.map((layer) => layer.name);
  const outputs: SymbolicTensor[] = layerNames.map((name) => {
    if (!known.includes(name)) throw new Error(`recordActivations: the model has no layer "${name}"; its layers are ${known.join(", ")}`);
    const output = model.getLayer(name).output;
    if (Array.isArray(output)) throw new Error(`recordActivations: layer "${name}" has several outputs; expected one`);
    return output;
  });
  // Shares the original layers and weights; it owns no tensors, so there is nothing to dispose.
  const probe = tf.model({ inputs: model.inputs, outputs });

  const result: Record<string, ActivationMatrix> = {};
  const cols = outputs.map((output) => sizeOfShape(output.shape.slice(1) as number[]));
  layerNames.forEach((name, i) => {
    result[name] = { rows: count, cols: cols[i], data: new Float32Array(count * cols[i]) };
  });
  for (let start = 0; start < count; start += batchSize) {
    const rows = Math.min(batchSize, count - start);
    tf.tidy(() => {
      const x = imageBatch(tf, images, inputShape, { start, count: rows });
      const produced = probe.apply(x, { training: false }) as Tensor | Tensor[];
      const list = Array.isArray(produced) ? produced : [produced];
      list.forEach((tensor, i) => {
        const matrix = result[layerNames[i]];
        matrix.data.set(tensor.dataSync() as Float32Array, start * matrix.cols);
      });
    });
  }
  return result;
}
