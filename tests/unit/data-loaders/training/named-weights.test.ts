import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readNamedWeights } from "../../../../data-loaders/training/named-weights.js";
import { initTrainingBackend } from "../../../../data-loaders/training/node-backend.js";
import { serializeLayersModel } from "../../../../data-loaders/training/export-layers.js";
import { buildModel, type ArchitectureSpec } from "../../../../src/lib/models/architecture.js";

const { tf } = await initTrainingBackend({ backend: "wasm" });

const spec: ArchitectureSpec = {
  layers: [
    { type: "reshape", shape: [4, 4, 1] },
    { type: "conv2d", filters: 2, kernelSize: 3 },
    { type: "relu" },
    { type: "flatten" },
    { type: "dense", units: 3 },
    { type: "layernorm" },
    { type: "relu" },
  ],
  seed: 2,
};

function model() {
  return buildModel(tf, spec, { inputSize: 16, classes: 2 });
}

describe("readNamedWeights", () => {
  test("gives every weight in the model's order, with model.json's names, shapes and values", async () => {
    const first = model();
    // A second model with the same layer names: tfjs then suffixes the variables' own names.
    const second = model();
    const weights = await readNamedWeights(second);
    assert.deepEqual(
      weights.map((w) => [w.name, w.shape]),
      [
        ["conv_1/kernel", [3, 3, 1, 2]],
        ["conv_1/bias", [2]],
        ["dense_1/kernel", [8, 3]],
        ["dense_1/bias", [3]],
        ["layernorm_1/gamma", [3]],
        ["layernorm_1/beta", [3]],
        ["logits/kernel", [3, 2]],
        ["logits/bias", [2]],
      ],
    );
    const { modelJson } = await serializeLayersModel(second);
    assert.deepEqual(
      weights.map((w) => w.name),
      modelJson.weightsManifest[0].weights.map((w) => w.name),
    );
    second.getWeights().forEach((tensor, i) => assert.deepEqual(weights[i].data, tensor.dataSync()));
    assert.ok(weights.every((w) => w.data instanceof Float32Array && w.data.length === w.shape.reduce((a, b) => a * b, 1)));
    [first, second].forEach((m) => m.dispose());
  });

  test("returns copies that later weight updates do not change", async () => {
    const m = model();
    const before = tf.memory().numTensors;
    const weights = await readNamedWeights(m);
    assert.equal(tf.memory().numTensors, before, "readNamedWeights leaked tensors");
    const kept = weights.map((w) => w.data.slice());
    tf.tidy(() => m.setWeights(m.getWeights().map((w) => tf.fill(w.shape, 7))));
    weights.forEach((w, i) => assert.deepEqual(w.data, kept[i], `${w.name} changed with the model`));
    m.dispose();
  });
});
