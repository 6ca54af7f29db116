import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { mlpActivations } from "../../../../../src/lib/mlp/forward.js";
import { readMlpWeights } from "../../../../../src/lib/mlp/from-model.js";
import { buildMlp } from "../../../../../src/lib/models/mlp.js";
import { assertClose, randomFloats } from "./mlp-fixtures.js";

describe("readMlpWeights", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("copies a built MLP's layers so the plain forward pass reproduces model.predict", async () => {
    const model = buildMlp(tf, { inputSize: 8, hidden: [5, 4], classes: 3, seed: 2 });
    // Non-zero biases, so a bias mix-up would show.
    for (const layer of model.layers) {
      const [kernel, bias] = layer.getWeights();
      if (bias !== undefined) tf.tidy(() => layer.setWeights([kernel, tf.fill(bias.shape, 0.1 * bias.shape[0])]));
    }
    const tensorsBefore = tf.memory().numTensors;
    const weights = await readMlpWeights(model);
    assert.equal(tf.memory().numTensors, tensorsBefore);
    assert.deepEqual(
      weights.layers.map(({ name, inputSize, units }) => [name, inputSize, units]),
      [["dense_1", 8, 5], ["dense_2", 5, 4], ["logits", 4, 3]],
    );
    const inputs = randomFloats(4 * 8, 5);
    const expected = tf.tidy(() => (model.predict(tf.tensor2d(inputs, [4, 8])) as tf.Tensor).dataSync());
    assertClose((await mlpActivations(tf, weights, inputs, 4)).logits.data, expected, 1e-5, "logits");
    model.dispose();
  });
});
