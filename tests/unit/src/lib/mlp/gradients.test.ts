import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { onePixelMap, saliency, targetLogitGradients } from "../../../../../src/lib/mlp/gradients.js";
import { assertClose, dense, randomFloats, randomMlp, randomPixels, referenceForward } from "./mlp-fixtures.js";

describe("MLP gradients", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  const weights = randomMlp([6, 5, 4, 3], 21);
  const count = 30;
  const pixels = randomPixels(count, 6, 22);
  const labels = Uint8Array.from({ length: count }, (_, n) => n % 3);
  const inputOf = (n: number) => Array.from(pixels.subarray(n * 6, (n + 1) * 6), (p) => p / 255);

  describe("targetLogitGradients", () => {
    test("for the last hidden layer equals the output weights W[j, c]", async () => {
      const tensorsBefore = tf.memory().numTensors;
      const result = await targetLogitGradients(tf, weights, pixels, count, labels, "relu_2", { batchSize: 7 });
      assert.equal(tf.memory().numTensors, tensorsBefore);
      assert.equal(result.classes, 3);
      assert.equal(result.units, 4);
      assert.deepEqual([...result.examplesPerClass], [10, 10, 10]);
      const output = weights.layers[2];
      for (let c = 0; c < 3; c++) {
        for (let j = 0; j < 4; j++) assertClose([result.data[c * 4 + j]], [output.kernel[j * 3 + c]], 1e-6, `class ${c} unit ${j}`);
      }
    });

    test("for an earlier layer equals the class mean of the backpropagated Jacobian", async () => {
      const result = await targetLogitGradients(tf, weights, pixels, count, labels, "relu_1");
      const [, second, output] = weights.layers;
      const expected = new Float64Array(3 * 5);
      for (let n = 0; n < count; n++) {
        const c = labels[n];
        const open = referenceForward(weights, inputOf(n)).dense_2.map((z) => (z > 0 ? 1 : 0));
        for (let j = 0; j < 5; j++) {
          let sum = 0;
          for (let k = 0; k < 4; k++) sum += second.kernel[j * 4 + k] * open[k] * output.kernel[k * 3 + c];
          expected[c * 5 + j] += sum / 10;
        }
      }
      assertClose(result.data, expected, 1e-5, "relu_1 gradients");
      // The pre-activation differs only by relu_1's own gate.
      const pre = await targetLogitGradients(tf, weights, pixels, count, labels, "dense_1");
      assert.notDeepEqual([...pre.data], [...result.data]);
    });

    test("gives a NaN row for a class without examples", async () => {
      const twoClasses = Uint8Array.from({ length: count }, (_, n) => n % 2);
      const result = await targetLogitGradients(tf, weights, pixels, count, twoClasses, "relu_2");
      assert.deepEqual([...result.examplesPerClass], [15, 15, 0]);
      assert.ok(result.data.subarray(8, 12).every(Number.isNaN));
      assert.ok(result.data.subarray(0, 8).every(Number.isFinite));
    });

    test("rejects bad labels and layers", async () => {
      await assert.rejects(targetLogitGradients(tf, weights, pixels, count, labels.subarray(1), "relu_1"), /expected 30 labels \(one per image\), found 29/);
      await assert.rejects(targetLogitGradients(tf, weights, pixels, count, Uint8Array.from(labels).fill(3, 4, 5), "relu_1"), /label 4 must be a class index 0..2, found 3/);
      await assert.rejects(targetLogitGradients(tf, weights, pixels, count, labels, "logits"), /layer must be a hidden activation/);
      await assert.rejects(targetLogitGradients(tf, weights, pixels, count, labels, "relu_7"), /unknown activation "relu_7"/);
    });
  });

  describe("saliency", () => {
    test("of a logit in a one-layer network is that logit's weight column", async () => {
      const linear = { layers: [dense("logits", 3, 2, [1, 2, 3, 4, 5, 6], [0.5, -1])] };
      const image = Float32Array.from([0.5, 1, 0.25]);
      const result = await saliency(tf, linear, image, { layer: "logits", unit: 1 });
      assert.deepEqual([...result.gradient], [2, 4, 6]);
      assert.deepEqual([...result.gradientTimesInput], [1, 4, 1.5]);
      assert.equal(result.activation, 0.5 * 2 + 1 * 4 + 0.25 * 6 - 1);
    });

    test("of a hidden unit is its weight column when on and zero when off", async () => {
      const oneHidden = { layers: [dense("dense_1", 2, 2, [1, -1, 2, -3], [0, 0]), dense("logits", 2, 2, [1, 0, 0, 1], [0, 0])] };
      const image = Float32Array.from([1, 1]);
      assert.deepEqual([...(await saliency(tf, oneHidden, image, { layer: "relu_1", unit: 0 })).gradient], [1, 2]);
      const off = await saliency(tf, oneHidden, image, { layer: "relu_1", unit: 1 });
      assert.deepEqual([...off.gradient], [0, 0]);
      assert.equal(off.activation, 0);
      const pre = await saliency(tf, oneHidden, image, { layer: "dense_1", unit: 1 });
      assert.deepEqual([...pre.gradient], [-1, -3]);
      assert.equal(pre.activation, -4);
    });

    test("matches central finite differences of a float64 reference", async () => {
      const image = randomFloats(6, 31);
      const tensorsBefore = tf.memory().numTensors;
      for (const target of [
        { layer: "relu_2", unit: 0 },
        { layer: "relu_2", unit: 2 },
        { layer: "dense_2", unit: 1 },
        { layer: "logits", unit: 2 },
      ]) {
        const result = await saliency(tf, weights, image, target);
        const valueAt = (x: Float64Array) => referenceForward(weights, x)[target.layer][target.unit];
        assertClose([result.activation], [valueAt(Float64Array.from(image))], 1e-5, `${target.layer} activation`);
        const h = 1e-5;
        const numeric = Array.from(image, (_, i) => {
          const plus = Float64Array.from(image);
          const minus = Float64Array.from(image);
          plus[i] += h;
          minus[i] -= h;
          return (valueAt(plus) - valueAt(minus)) / (2 * h);
        });
        assertClose(result.gradient, numeric, 1e-4, `${target.layer}[${target.unit}] gradient`);
        if (target.layer === "logits") assert.ok(numeric.some((g) => Math.abs(g) > 1e-3), "the logit should depend on the pixels");
      }
      assert.equal(tf.memory().numTensors, tensorsBefore);
    });

    test("rejects a wrong image or target", async () => {
      await assert.rejects(saliency(tf, weights, new Float32Array(5), { layer: "relu_1", unit: 0 }), /image must be a Float32Array of 6 values, found 5 values/);
      await assert.rejects(saliency(tf, weights, Float32Array.from([0, 0, NaN, 0, 0, 0]), { layer: "relu_1", unit: 0 }), /image value 2 is not finite/);
      await assert.rejects(saliency(tf, weights, new Float32Array(6), { layer: "relu_1", unit: 5 }), /unit 5 is out of range for relu_1, which has units 0..4/);
      await assert.rejects(saliency(tf, weights, new Float32Array(6), { layer: "conv_1", unit: 0 }), /unknown activation "conv_1"/);
    });
  });

  describe("onePixelMap", () => {
    // dense_1 per lit pixel (value 1): [1, -1] + [0.5, 0], [2, 0.5] + ..., [-3, 1] + ...
    const small = { layers: [dense("dense_1", 3, 2, [1, -1, 2, 0.5, -3, 1], [0.5, 0]), dense("logits", 2, 2, [1, 2, 3, -1], [0, 1])] };

    test("gives each pixel's lone response, by hand", async () => {
      const tensorsBefore = tf.memory().numTensors;
      assert.deepEqual([...(await onePixelMap(tf, small, { layer: "dense_1", unit: 0 }))], [1.5, 2.5, -2.5]);
      assert.deepEqual([...(await onePixelMap(tf, small, { layer: "relu_1", unit: 0 }))], [1.5, 2.5, 0]);
      assert.deepEqual([...(await onePixelMap(tf, small, { layer: "relu_1", unit: 0 }, { pixelValue: 2 }))], [2.5, 4.5, 0]);
      // relu_1 per pixel: [1.5, 0], [2.5, 0.5], [0, 1]; logit 1 = 2·h0 − h1 + 1.
      assert.deepEqual([...(await onePixelMap(tf, small, { layer: "logits", unit: 1 }, { inputSize: 3 }))], [4, 5.5, 0]);
      assert.equal(tf.memory().numTensors, tensorsBefore);
    });

    test("rejects an input size that does not match the network", async () => {
      await assert.rejects(onePixelMap(tf, small, { layer: "relu_1", unit: 0 }, { inputSize: 784 }), /inputSize 784 does not match the network's input size 3/);
      await assert.rejects(onePixelMap(tf, small, { layer: "relu_1", unit: 0 }, { pixelValue: Infinity }), /pixelValue must be a finite number/);
    });
  });
});
