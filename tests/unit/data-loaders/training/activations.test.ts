import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { recordActivations } from "../../../../data-loaders/training/activations.js";
import { initTrainingBackend } from "../../../../data-loaders/training/node-backend.js";
import { activationLayerNames, buildMlp, describeModel } from "../../../../src/lib/models/mlp.js";
import { syntheticSplit } from "./synthetic-data.js";

const { tf } = await initTrainingBackend({ backend: "wasm" });

/** A 2 -> 2 -> 2 MLP with hand-set weights, so activations can be computed by hand. */
function handModel() {
  const model = buildMlp(tf, { inputSize: 2, hidden: [2], classes: 2, seed: 1 });
  tf.tidy(() => {
    // dense_1: h = x·W1 + b1 with W1 = [[1, -1], [2, 1]], b1 = [0.5, -1]
    model.getLayer("dense_1").setWeights([tf.tensor2d([1, -1, 2, 1], [2, 2]), tf.tensor1d([0.5, -1])]);
    // logits: z = relu(h)·W2 + b2 with W2 = [[1, 0], [-1, 3]], b2 = [0, 0.25]
    model.getLayer("logits").setWeights([tf.tensor2d([1, 0, -1, 3], [2, 2]), tf.tensor1d([0, 0.25])]);
  });
  return model;
}

describe("recordActivations", () => {
  test("matches hand-computed dense, relu and logits values", () => {
    const model = handModel();
    // Bytes 255 and 51 are pixels 1 and 0.2.
    const images = new Uint8Array([255, 51, 0, 255]);
    const before = tf.memory().numTensors;
    const acts = recordActivations(tf, model, images, 2, ["dense_1", "relu_1", "logits"]);
    assert.equal(tf.memory().numTensors, before, "recordActivations leaked tensors");
    // Image 1, x = (1, 0.2): h = (1 + 0.4 + 0.5, -1 + 0.2 - 1) = (1.9, -1.8); relu = (1.9, 0);
    // z = (1.9, 0.25). Image 2, x = (0, 1): h = (2.5, 0); relu = (2.5, 0); z = (2.5, 0.25).
    const expected: Record<string, number[]> = {
      dense_1: [1.9, -1.8, 2.5, 0],
      relu_1: [1.9, 0, 2.5, 0],
      logits: [1.9, 0.25, 2.5, 0.25],
    };
    for (const [name, values] of Object.entries(expected)) {
      assert.equal(acts[name].rows, 2);
      assert.equal(acts[name].cols, 2);
      Array.from(acts[name].data).forEach((v, i) => assert.ok(Math.abs(v - values[i]) < 1e-6, `${name}[${i}] = ${v}, expected ${values[i]}`));
    }
    model.dispose();
  });

  test("shapes follow the layers; batching does not change the values", () => {
    const model = buildMlp(tf, { inputSize: 784, hidden: [32, 16], classes: 10, seed: 5 });
    const { images } = syntheticSplit(25, 3);
    const names = activationLayerNames(describeModel(model));
    assert.deepEqual(names, ["dense_1", "relu_1", "dense_2", "relu_2", "logits"]);
    const before = tf.memory().numTensors;
    const whole = recordActivations(tf, model, images, 25, names);
    const batched = recordActivations(tf, model, images, 25, names, 7);
    assert.equal(tf.memory().numTensors, before);
    const cols: Record<string, number> = { dense_1: 32, relu_1: 32, dense_2: 16, relu_2: 16, logits: 10 };
    for (const name of names) {
      assert.equal(whole[name].rows, 25);
      assert.equal(whole[name].cols, cols[name]);
      assert.equal(whole[name].data.length, 25 * cols[name]);
      assert.deepEqual(batched[name].data, whole[name].data, `${name} differs when recorded in batches of 7`);
    }
    assert.ok(whole.relu_1.data.every((v) => v >= 0));
    assert.ok(whole.dense_1.data.some((v) => v < 0));
    model.dispose();
  });

  test("a count smaller than the images records only the leading images", () => {
    const model = handModel();
    const acts = recordActivations(tf, model, new Uint8Array([255, 51, 0, 255]), 1, ["logits"]);
    assert.equal(acts.logits.rows, 1);
    assert.ok(Math.abs(acts.logits.data[0] - 1.9) < 1e-6);
    model.dispose();
  });

  test("bad requests name the problem", () => {
    const model = handModel();
    const images = new Uint8Array(4);
    assert.throws(() => recordActivations(tf, model, images, 1, ["dense_9"]), /no layer "dense_9"; its layers are input, dense_1, relu_1, logits/);
    assert.throws(() => recordActivations(tf, model, images, 3, ["logits"]), /count must be an integer in 0\.\.2/);
    assert.throws(() => recordActivations(tf, model, images, 1, []), /layerNames is empty/);
    assert.throws(() => recordActivations(tf, model, images, 1, ["logits", "logits"]), /duplicates/);
    model.dispose();
  });
});
