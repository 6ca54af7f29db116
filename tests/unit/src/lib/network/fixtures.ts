// Small tfjs layers models with every layer type the network runtime reads, their serialized
// model.json and weights, and seeded random inputs: the reference the runtime is checked against.
import * as tf from "@tensorflow/tfjs";
import type { LayersModel, SymbolicTensor } from "@tensorflow/tfjs";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";
import { networkFromLayersModel, readWeightsBin } from "../../../../../src/lib/network/from-layers-model.js";
import type { Network } from "../../../../../src/lib/network/network.js";

export interface Serialized {
  modelJson: { modelTopology: unknown; weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[] };
  weightsBin: ArrayBuffer;
}

export async function serialize(model: LayersModel): Promise<Serialized> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) })));
  const weightsBin = tf.io.CompositeArrayBuffer.join(saved!.weightData!);
  return { modelJson: { modelTopology: saved!.modelTopology, weightsManifest: [{ paths: ["weights.bin"], weights: saved!.weightSpecs! }] }, weightsBin };
}

export async function networkOf(model: LayersModel): Promise<Network> {
  const { modelJson, weightsBin } = await serialize(model);
  return networkFromLayersModel(modelJson, readWeightsBin(modelJson, weightsBin));
}

/** Gives every weight (LayerNorm's gamma and beta too) seeded random values. */
export function randomizeWeights(model: LayersModel, seed: number): void {
  const random = mulberry32(seed);
  for (const layer of model.layers) {
    const values = layer.getWeights().map((w) =>
      tf.tensor(
        Float32Array.from({ length: w.size }, () => gaussian(random) * 0.5),
        w.shape,
      ),
    );
    if (values.length > 0) layer.setWeights(values);
    tf.dispose(values);
  }
}

/** rescale -> dense -> relu -> layernorm -> dropout -> dense -> layernorm -> relu -> logits. */
export function normalizedMlp(inputSize = 6): LayersModel {
  const input = tf.input({ shape: [inputSize], name: "input" });
  let x: SymbolicTensor = tf.layers.rescaling({ scale: 1 / 0.3081, offset: -0.1307 / 0.3081, name: "standardize" }).apply(input) as SymbolicTensor;
  x = tf.layers.dense({ units: 5, name: "dense_1" }).apply(x) as SymbolicTensor;
  x = tf.layers.activation({ activation: "relu", name: "relu_1" }).apply(x) as SymbolicTensor;
  x = tf.layers.layerNormalization({ name: "layernorm_1" }).apply(x) as SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.2, name: "dropout_1" }).apply(x) as SymbolicTensor;
  x = tf.layers.dense({ units: 4, name: "dense_2" }).apply(x) as SymbolicTensor;
  x = tf.layers.layerNormalization({ name: "layernorm_2" }).apply(x) as SymbolicTensor;
  x = tf.layers.activation({ activation: "relu", name: "relu_2" }).apply(x) as SymbolicTensor;
  const logits = tf.layers.dense({ units: 3, name: "logits" }).apply(x) as SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits, name: "normalized" });
  randomizeWeights(model, 3);
  return model;
}

/** Flat 7·5·3 input -> reshape -> conv 3×3 valid -> relu -> pool 2 -> conv 2×2 same -> relu -> flatten -> dense -> relu -> logits. */
export function smallCnn(): LayersModel {
  const input = tf.input({ shape: [7 * 5 * 3], name: "input" });
  let x: SymbolicTensor = tf.layers.reshape({ targetShape: [7, 5, 3], name: "reshape" }).apply(input) as SymbolicTensor;
  x = tf.layers.conv2d({ filters: 5, kernelSize: 3, name: "conv_1" }).apply(x) as SymbolicTensor;
  x = tf.layers.activation({ activation: "relu", name: "relu_1" }).apply(x) as SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2, name: "pool_1" }).apply(x) as SymbolicTensor;
  x = tf.layers.conv2d({ filters: 4, kernelSize: 2, padding: "same", name: "conv_2" }).apply(x) as SymbolicTensor;
  x = tf.layers.activation({ activation: "relu", name: "relu_2" }).apply(x) as SymbolicTensor;
  x = tf.layers.flatten({ name: "flatten" }).apply(x) as SymbolicTensor;
  x = tf.layers.dense({ units: 6, name: "dense_1" }).apply(x) as SymbolicTensor;
  x = tf.layers.activation({ activation: "relu", name: "relu_3" }).apply(x) as SymbolicTensor;
  const logits = tf.layers.dense({ units: 3, name: "logits" }).apply(x) as SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits, name: "cnn" });
  randomizeWeights(model, 5);
  return model;
}

/** The model's own output of each named layer for `inputs` ([count, inputSize], already scaled). */
export function referenceOutputs(model: LayersModel, inputs: Float32Array, count: number, names: string[]): Record<string, Float32Array> {
  const probe = tf.model({ inputs: model.inputs, outputs: names.map((name) => model.getLayer(name).output as SymbolicTensor) });
  return tf.tidy(() => {
    const outputs = probe.predict(tf.tensor2d(inputs, [count, inputs.length / count])) as tf.Tensor[];
    const list = Array.isArray(outputs) ? outputs : [outputs];
    return Object.fromEntries(names.map((name, i) => [name, list[i].dataSync() as Float32Array]));
  });
}

export function randomInputs(length: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length }, () => random());
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance * scale)) throw new Error(`${what}[${i}]: ${actual[i]}, expected ${expected[i]} (±${tolerance})`);
  }
}
