// trainClassifier on a tiny CNN: the conv, pool and dense kernels of both backends in one loop.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { SymbolicTensor } from "@tensorflow/tfjs";
import { initTrainingBackend, type TrainingBackendName } from "../../../../data-loaders/training/node-backend.js";
import { trainClassifier, type TrainConfig } from "../../../../data-loaders/training/train.js";
import type { LayersModel, TF } from "../../../../src/lib/tf-types.js";
import { syntheticData } from "./synthetic-data.js";

const quiet = { log: () => {} };
const data = { ...syntheticData(160, 32, 5, 64, 4), inputShape: [64] };
const config: TrainConfig = { epochs: 2, batchSize: 16, learningRate: 0.05, optimizer: "sgd", seed: 7 };

/** flat [64] -> 8x8x1 -> conv 3@3x3 -> relu -> max-pool 2 -> conv 4@2x2 -> relu -> flatten -> dense 4. */
function buildTinyCnn(tf: TF): LayersModel {
  const input = tf.input({ shape: [64] });
  const layers = [
    tf.layers.reshape({ targetShape: [8, 8, 1] }),
    tf.layers.conv2d({ filters: 3, kernelSize: 3, kernelInitializer: tf.initializers.heNormal({ seed: 1 }) }),
    tf.layers.activation({ activation: "relu" }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 4, kernelSize: 2, kernelInitializer: tf.initializers.heNormal({ seed: 2 }) }),
    tf.layers.activation({ activation: "relu" }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
  ];
  return tf.model({ inputs: input, outputs: layers.reduce<SymbolicTensor>((x, layer) => layer.apply(x) as SymbolicTensor, input) });
}

async function trainedWeights(backend: TrainingBackendName, trainConfig: TrainConfig): Promise<Float32Array> {
  const { tf } = await initTrainingBackend({ backend });
  const model = buildTinyCnn(tf);
  const before = tf.memory().numTensors;
  await trainClassifier(tf, model, data, trainConfig, quiet);
  assert.equal(tf.memory().numTensors, before, "trainClassifier leaked tensors");
  const weights = new Float32Array(model.getWeights().flatMap((w) => Array.from(w.dataSync() as Float32Array)));
  model.dispose();
  return weights;
}

const bytes = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

for (const backend of ["cpu", "wasm"] as const) {
  describe(`CNN training determinism on ${backend}`, () => {
    for (const optimizer of ["sgd", "adam"] as const) {
      test(`${optimizer}: the same seed gives bit-identical weights; another shuffle seed gives different ones`, async () => {
        const trainConfig = { ...config, optimizer, learningRate: optimizer === "adam" ? 0.01 : 0.05 };
        const first = await trainedWeights(backend, trainConfig);
        const second = await trainedWeights(backend, trainConfig);
        assert.ok(bytes(first).equals(bytes(second)), "two runs with the same seed differ");
        const reshuffled = await trainedWeights(backend, { ...trainConfig, seed: 8 });
        assert.ok(!bytes(first).equals(bytes(reshuffled)), "a different seed gave the same weights");
      });
    }
  });
}

describe("CNN training on wasm against cpu", () => {
  test("the same seed, batch order and initial weights give the same weights to float rounding", async () => {
    const cpu = await trainedWeights("cpu", config);
    const wasm = await trainedWeights("wasm", config);
    const scale = cpu.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const worst = cpu.reduce((m, v, i) => Math.max(m, Math.abs(v - wasm[i])), 0);
    assert.ok(worst / scale < 1e-5, `weights differ by ${worst} (scale ${scale})`);
  });
});
