import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { activationLayerNames, buildMlp, describeModel, mlpArchitecture } from "../../../../../src/lib/models/mlp.js";

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
      assert.ok((bias.dataSync() as Float32Array).every((v) => v === 0), `${name} bias is not zero`);
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

describe("describeModel and activationLayerNames", () => {
  test("describe the baseline MLP as plain data", () => {
    const model = buildMlp(tf, baseline);
    const description = describeModel(model);
    assert.deepEqual(description, {
      inputShape: [784],
      layers: [
        { name: "dense_1", kind: "dense", units: 32, outputShape: [32] },
        { name: "relu_1", kind: "relu", units: 32, outputShape: [32] },
        { name: "dense_2", kind: "dense", units: 16, outputShape: [16] },
        { name: "relu_2", kind: "relu", units: 16, outputShape: [16] },
        { name: "logits", kind: "logits", units: 10, outputShape: [10] },
      ],
    });
    assert.deepEqual(JSON.parse(JSON.stringify(description)), description, "the description must be plain JSON data");
    assert.deepEqual(activationLayerNames(description), ["dense_1", "relu_1", "dense_2", "relu_2", "logits"]);
    model.dispose();
  });

  test("describe a small CNN: channels are its units; pool and flatten are not recorded", () => {
    const input = tf.input({ shape: [28, 28, 1] });
    let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: "same", name: "conv_1" }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.activation({ activation: "relu", name: "relu_1" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 2, name: "pool_1" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.flatten({ name: "flatten" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.dropout({ rate: 0.5, name: "dropout" }).apply(x) as tf.SymbolicTensor;
    const logits = tf.layers.dense({ units: 10, name: "logits" }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: logits });
    const description = describeModel(model);
    assert.deepEqual(description.inputShape, [28, 28, 1]);
    assert.deepEqual(description.layers, [
      { name: "conv_1", kind: "conv2d", units: 8, outputShape: [28, 28, 8] },
      { name: "relu_1", kind: "relu", units: 8, outputShape: [28, 28, 8] },
      { name: "pool_1", kind: "pool", units: 8, outputShape: [14, 14, 8] },
      { name: "flatten", kind: "flatten", units: 1568, outputShape: [1568] },
      { name: "dropout", kind: "dropout", units: 1568, outputShape: [1568] },
      { name: "logits", kind: "logits", units: 10, outputShape: [10] },
    ]);
    assert.deepEqual(activationLayerNames(description), ["conv_1", "relu_1", "logits"]);
    model.dispose();
  });
});
