import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";
import type { Network } from "../../../../../src/lib/network/network.js";
import { uploadNetwork } from "../../../../../src/lib/network/tensor-network.js";
import { fromBasis, toBasis, uploadBasis } from "../../../../../src/lib/sae/basis.js";
import { pcaBasis } from "../../../../../src/lib/sae/fit-basis.js";
import { constantReplacement, createSpliceRunner, saeReplacement } from "../../../../../src/lib/sae/downstream.js";
import { decodeReference, encodeReference, uploadSae } from "../../../../../src/lib/sae/encode.js";
import type { SaeWeights } from "../../../../../src/lib/sae/weights.js";

const random = mulberry32(9);
const values = (n: number, scale = 1) => Float32Array.from({ length: n }, () => scale * gaussian(random));

/** 4 inputs → dense 3 → relu_1 → logits 2. */
const mlp: Network = {
  name: "tiny_mlp",
  inputShape: [4],
  layers: [
    { kind: "dense", name: "dense_1", inputSize: 4, units: 3, kernel: values(12), bias: values(3, 0.1) },
    { kind: "relu", name: "relu_1" },
    { kind: "dense", name: "logits", inputSize: 3, units: 2, kernel: values(6), bias: values(2, 0.1) },
  ],
};
const count = 30;
const inputs = values(count * 4);
const labels = Uint8Array.from({ length: count }, (_, i) => i % 2);

/** Hidden activations and the classification of rows whose hidden layer is `hidden` (float64). */
function hiddenOf(row: number): number[] {
  const dense = mlp.layers[0] as Extract<Network["layers"][number], { kind: "dense" }>;
  return [0, 1, 2].map((j) => Math.max(0, dense.bias[j] + [0, 1, 2, 3].reduce((s, i) => s + inputs[row * 4 + i] * dense.kernel[i * 3 + j], 0)));
}
function classify(hidden: (row: number) => ArrayLike<number>): { accuracy: number; crossEntropy: number } {
  const logitsLayer = mlp.layers[2] as Extract<Network["layers"][number], { kind: "dense" }>;
  let correct = 0;
  let loss = 0;
  for (let r = 0; r < count; r++) {
    const h = hidden(r);
    const logits = [0, 1].map((k) => logitsLayer.bias[k] + [0, 1, 2].reduce((s, j) => s + h[j] * logitsLayer.kernel[j * 2 + k], 0));
    const max = Math.max(...logits);
    const logSum = max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0));
    loss += logSum - logits[labels[r]];
    if (logits.indexOf(max) === labels[r]) correct++;
  }
  return { accuracy: correct / count, crossEntropy: loss / count };
}

const near = (actual: { accuracy: number; crossEntropy: number }, expected: { accuracy: number; crossEntropy: number }) => {
  assert.equal(actual.accuracy, expected.accuracy);
  assert.ok(Math.abs(actual.crossEntropy - expected.crossEntropy) < 1e-5, `${actual.crossEntropy} vs ${expected.crossEntropy}`);
};

describe("downstream metrics with a replaced layer", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  for (const cacheBudget of [1, undefined]) {
    test(`unchanged, zero-ablated and SAE-spliced (with and without a basis) against a float64 forward pass, ${cacheBudget ? "recomputing" : "caching"} the layer; no tensors left`, async () => {
      const model = uploadNetwork(tf, mlp);
      const before = tf.memory().numTensors;
      const runner = createSpliceRunner(tf, model, "relu_1", inputs, labels, count, { batchSize: 7, cacheBudget });
      near(await runner.classify(null), classify(hiddenOf));

      const zeros = tf.zeros([3]);
      near(
        await runner.classify(constantReplacement(tf, zeros)),
        classify(() => [0, 0, 0]),
      );
      zeros.dispose();

      const weights: SaeWeights = {
        architecture: "l1",
        dIn: 3,
        dSae: 5,
        W_enc: values(15),
        b_enc: values(5, 0.1),
        W_dec: values(15),
        b_dec: values(3, 0.1),
        inputScale: 1.3,
      };
      const sae = uploadSae(tf, weights);
      near(
        await runner.classify(saeReplacement(tf, sae)),
        classify((r) => decodeReference(weights, encodeReference(weights, hiddenOf(r)))),
      );

      const hidden = { rows: count, cols: 3, data: Float32Array.from({ length: count * 3 }, (_, i) => hiddenOf(Math.floor(i / 3))[i % 3]) };
      const basis = pcaBasis(hidden);
      const uploadedBasis = uploadBasis(tf, basis);
      const throughBasis = (r: number) => {
        const z = toBasis(basis, { rows: 1, cols: 3, data: hidden.data.subarray(r * 3, r * 3 + 3) }).data;
        return fromBasis(basis, { rows: 1, cols: 3, data: Float32Array.from(decodeReference(weights, encodeReference(weights, z))) }).data;
      };
      near(await runner.classify(saeReplacement(tf, sae, uploadedBasis)), classify(throughBasis));
      sae.dispose();
      uploadedBasis.dispose();
      runner.dispose();
      assert.equal(tf.memory().numTensors, before, "leaked tensors");
      model.dispose();
    });
  }

  test("a spatial layer's every position is one row of channels", async () => {
    // 4×4 image → conv 3×3 with 2 filters → relu_1 [2, 2, 2] → flatten → logits.
    const kernel = values(18);
    const bias = values(2, 0.1);
    const conv = (k: Float32Array, b: Float32Array): Network => ({
      name: "tiny_cnn",
      inputShape: [16],
      layers: [
        { kind: "reshape", name: "reshape", shape: [4, 4, 1] },
        { kind: "conv2d", name: "conv_1", kernelSize: [3, 3], strides: [1, 1], padding: "valid", inChannels: 1, filters: 2, kernel: k, bias: b },
        { kind: "relu", name: "relu_1" },
        { kind: "flatten", name: "flatten" },
        { kind: "dense", name: "logits", inputSize: 8, units: 2, kernel: values(16), bias: values(2, 0.1) },
      ],
    });
    const original = conv(kernel, bias);
    // Doubling filter 0 doubles channel 0 after the ReLU, which the replacement does instead.
    const doubled = conv(
      kernel.map((w, i) => (i % 2 === 0 ? 2 * w : w)),
      bias.map((b, i) => (i === 0 ? 2 * b : b)),
    );
    doubled.layers[4] = original.layers[4];
    const images = values(count * 16);
    const seen: number[][] = [];
    const factors = tf.tensor1d([2, 1]);
    const replace = (x: import("@tensorflow/tfjs").Tensor2D) => {
      seen.push(x.shape);
      return tf.mul(x, factors) as import("@tensorflow/tfjs").Tensor2D;
    };
    const a = uploadNetwork(tf, original);
    const b = uploadNetwork(tf, doubled);
    const replacedRunner = createSpliceRunner(tf, a, "relu_1", images, labels, count, { batchSize: 16 });
    const doubledRunner = createSpliceRunner(tf, b, "relu_1", images, labels, count);
    near(await replacedRunner.classify(replace), await doubledRunner.classify(null));
    replacedRunner.dispose();
    doubledRunner.dispose();
    assert.deepEqual(seen, [
      [16 * 4, 2],
      [14 * 4, 2],
    ]);
    factors.dispose();
    a.dispose();
    b.dispose();
  });

  test("labels and layers that do not fit are reported", () => {
    const model = uploadNetwork(tf, mlp);
    assert.throws(() => createSpliceRunner(tf, model, "relu_1", inputs, labels.subarray(1), count), /labels: expected one label per example \(30\), found 29/);
    assert.throws(() => createSpliceRunner(tf, model, "relu_9", inputs, labels, count), /unknown activation "relu_9"/);
    model.dispose();
  });
});
