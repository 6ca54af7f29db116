import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildMlp, mlpArchitecture } from "../../../../../src/lib/models/mlp.js";

await tf.setBackend("cpu");

const baseline = { inputSize: 784, hidden: [32, 16], classes: 10, seed: 1 };

function weightBytes(model: tf.LayersModel): Buffer {
  return Buffer.concat(model.getWeights().map((w) => Buffer.from((w.dataSync() as Float32Array).slice().buffer)));
}

describe("buildMlp", () => {
  test("names layers input, dense_i (linear), relu_i, logits (linear)", () => {
    const before = tf.memory().numTensors;
    const model = buildMlp(tf, baseline);
    assert.equal(model.name, "mlp_784_32_16_10");
    assert.deepEqual(
      model.layers.map((l) => [l.name, l.getClassName()]),
      [
        ["input", "InputLayer"],
        ["dense_1", "Dense"],
        ["relu_1", "Activation"],
        ["dense_2", "Dense"],
        ["relu_2", "Activation"],
        ["logits", "Dense"],
      ],
    );
    for (const name of ["dense_1", "dense_2", "logits"]) assert.equal(model.getLayer(name).getConfig().activation, "linear");
    for (const name of ["relu_1", "relu_2"]) assert.equal(model.getLayer(name).getConfig().activation, "relu");
    assert.deepEqual(model.inputs[0].shape, [null, 784]);
    assert.deepEqual(model.outputs[0].shape, [null, 10]);
    model.dispose();
    assert.equal(tf.memory().numTensors, before, "disposing the model should free its weights");
  });

  test("initial weights are a function of the seed; biases start at zero", () => {
    const a = buildMlp(tf, baseline);
    const b = buildMlp(tf, baseline);
    const c = buildMlp(tf, { ...baseline, seed: 2 });
    assert.ok(weightBytes(a).equals(weightBytes(b)), "the same seed gave different weights");
    assert.ok(!weightBytes(a).equals(weightBytes(c)), "a different seed gave the same weights");
    for (const name of ["dense_1", "dense_2", "logits"]) {
      const [kernel, bias] = a.getLayer(name).getWeights();
      assert.ok(
        (bias.dataSync() as Float32Array).every((v) => v === 0),
        `${name} bias is not zero`,
      );
      assert.ok((kernel.dataSync() as Float32Array).some((v) => v !== 0));
    }
    // He normal for the first hidden layer: spread near sqrt(2 / 784) (truncation shrinks it a bit).
    const kernel = a.getLayer("dense_1").getWeights()[0].dataSync() as Float32Array;
    const std = Math.sqrt(kernel.reduce((s, v) => s + v * v, 0) / kernel.length);
    assert.ok(std > 0.6 * Math.sqrt(2 / 784) && std < 1.1 * Math.sqrt(2 / 784), `dense_1 kernel std ${std}`);
    [a, b, c].forEach((m) => m.dispose());
  });

  test("is the architecture [dense, relu] per hidden layer", () => {
    assert.deepEqual(mlpArchitecture(baseline), {
      layers: [{ type: "dense", units: 32 }, { type: "relu" }, { type: "dense", units: 16 }, { type: "relu" }],
      seed: 1,
    });
    const linear = buildMlp(tf, { ...baseline, hidden: [] });
    assert.equal(linear.name, "mlp_784_10");
    linear.dispose();
  });

  test("bad specs are rejected with the field named", () => {
    assert.throws(() => buildMlp(tf, { ...baseline, inputSize: 0 }), /options\.inputSize must be a positive integer, got 0/);
    assert.throws(() => buildMlp(tf, { ...baseline, hidden: [32, 1.5] }), /spec\.layers\[2\] \(dense\): units must be a positive integer, got 1\.5/);
    assert.throws(() => buildMlp(tf, { ...baseline, hidden: 32 as unknown as number[] }), /spec\.hidden must be a list of layer sizes, got 32/);
    assert.throws(() => buildMlp(tf, { ...baseline, classes: 1 }), /options\.classes must be an integer >= 2, got 1/);
    assert.throws(() => buildMlp(tf, { ...baseline, seed: 0.5 }), /spec\.seed must be an integer/);
  });
});
