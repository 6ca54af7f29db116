import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { LayersModel, SymbolicTensor, Tensor } from "@tensorflow/tfjs";
import { classLogitGradients, logitInputGradients, onePixelMap, saliency } from "../../../../../src/lib/network/gradients.js";
import type { Network } from "../../../../../src/lib/network/network.js";
import { assertClose, networkOf, normalizedMlp, randomInputs, referenceOutputs, smallCnn } from "./fixtures.js";

/** d (unit of layer) / d input through tfjs-layers' own model, as the reference. */
function referenceInputGradient(model: LayersModel, image: Float32Array, layer: string, pick: (t: Tensor) => Tensor): Float32Array {
  const probe = tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output as SymbolicTensor });
  return tf.tidy(
    () =>
      tf
        .grad((x: Tensor) => tf.sum(pick(probe.apply(x) as Tensor)))(tf.tensor2d(image, [1, image.length]))
        .dataSync() as Float32Array,
  );
}

describe("gradients on any layer stack", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("saliency of a LayerNorm unit and of a logit equals tfjs-layers' input gradient", async () => {
    const model = normalizedMlp();
    const network = await networkOf(model);
    const image = randomInputs(6, 2);
    for (const [layer, unit] of [
      ["layernorm_1", 2],
      ["relu_2", 1],
      ["logits", 0],
    ] as const) {
      const result = await saliency(tf, network, image, { layer, unit });
      const expected = referenceInputGradient(model, image, layer, (t) => tf.slice(t, [0, unit], [1, 1]));
      assertClose(result.gradient, expected, 1e-5, `${layer}[${unit}]`);
      assertClose(
        result.gradientTimesInput,
        Array.from(expected, (g, i) => g * image[i]),
        1e-5,
        "gradient × input",
      );
      assertClose([result.activation], [referenceOutputs(model, image, 1, [layer])[layer][unit]], 1e-5, "activation");
    }
  });

  test("saliency of a conv channel: at a position, and its spatial mean", async () => {
    const model = smallCnn();
    const network = await networkOf(model);
    const image = randomInputs(105, 4);
    const atPosition = await saliency(tf, network, image, { layer: "conv_1", unit: 3, position: [2, 1] });
    assertClose(
      atPosition.gradient,
      referenceInputGradient(model, image, "conv_1", (t) => tf.slice(t, [0, 2, 1, 3], [1, 1, 1, 1])),
      1e-5,
      "position",
    );
    const mean = await saliency(tf, network, image, { layer: "relu_2", unit: 1 });
    assertClose(
      mean.gradient,
      referenceInputGradient(model, image, "relu_2", (t) => tf.mean(tf.slice(t, [0, 0, 0, 1], [1, -1, -1, 1]))),
      1e-5,
      "mean",
    );
    await assert.rejects(saliency(tf, network, image, { layer: "conv_1", unit: 0, position: [5, 0] }), /position \[5, 0\] is outside conv_1's 5×3 map/);
    await assert.rejects(saliency(tf, network, image, { layer: "conv_1", unit: 5 }), /unit 5 does not exist; conv_1 has units 0 to 4/);
  });

  test("a one-pixel map equals the unit's value on each one-hot input", async () => {
    const model = normalizedMlp();
    const network = await networkOf(model);
    const map = await onePixelMap(tf, network, { layer: "relu_1", unit: 4 }, 0.5);
    const eye = new Float32Array(36);
    for (let i = 0; i < 6; i++) eye[i * 6 + i] = 0.5;
    const expected = referenceOutputs(model, eye, 6, ["relu_1"]).relu_1.filter((_, i) => i % 5 === 4);
    assertClose(map, expected, 1e-5, "one-pixel map");
  });

  test("class logit gradients: the last hidden layer's are the output weights (closed form)", async () => {
    // logits = relu_1 · W + b is linear in relu_1, so d logit_c / d relu_1[j] = W[j, c] for every image.
    const network: Network = {
      name: "tiny",
      inputShape: [2],
      layers: [
        { kind: "dense", name: "dense_1", inputSize: 2, units: 2, kernel: Float32Array.from([1, -1, 2, 0.5]), bias: Float32Array.from([0, 0]) },
        { kind: "relu", name: "relu_1" },
        { kind: "dense", name: "logits", inputSize: 2, units: 3, kernel: Float32Array.from([1, 2, 3, 4, 5, 6]), bias: new Float32Array(3) },
      ],
    };
    const images = Float32Array.from([1, 0, 0, 1, 0.5, 0.5, 1, 1]);
    const result = await classLogitGradients(tf, network, images, 4, [0, 2, 2, 0], "relu_1");
    assert.deepEqual([...result.examplesPerClass], [2, 0, 2]);
    assert.deepEqual([result.data[0], result.data[1]], [1, 4]);
    assert.ok(Number.isNaN(result.data[2]), "a class with no examples has NaN");
    assert.deepEqual([result.data[4], result.data[5]], [3, 6]);
  });

  test("class logit gradients of a conv layer sum over positions, and match per-example autodiff", async () => {
    const model = smallCnn();
    const network = await networkOf(model);
    const images = randomInputs(3 * 105, 9);
    const labels = [1, 1, 2];
    const result = await classLogitGradients(tf, network, images, 3, labels, "pool_1", { batchSize: 2 });
    assert.equal(result.units, 5);
    // Reference: for class 1, mean over its two images of sum over positions of d logit_1 / d pool_1.
    const probe = tf.model({ inputs: model.inputs, outputs: model.getLayer("pool_1").output as SymbolicTensor });
    const rest = (a: Tensor) => {
      let x = a;
      for (const name of ["conv_2", "relu_2", "flatten", "dense_1", "relu_3", "logits"]) x = model.getLayer(name).apply(x) as Tensor;
      return x;
    };
    const expected = new Float64Array(5);
    for (const n of [0, 1]) {
      const perChannel = tf.tidy(() => {
        const a = probe.predict(tf.tensor2d(images.subarray(n * 105, (n + 1) * 105), [1, 105])) as Tensor;
        const g = tf.grad((x: Tensor) => tf.sum(tf.slice(rest(x), [0, 1], [1, 1])))(a);
        return tf.sum(tf.reshape(g, [-1, 5]), 0).dataSync();
      });
      perChannel.forEach((v, j) => (expected[j] += v / 2));
    }
    assertClose(result.data.subarray(5, 10), expected, 1e-5, "class 1 row");
    model.dispose();
  });

  test("batched logit input gradients equal one saliency per image", async () => {
    const network = await networkOf(smallCnn());
    const images = randomInputs(5 * 105, 21);
    const classes = [0, 2, 1, 1, 0];
    const batched = await logitInputGradients(tf, network, images, 5, classes, { batchSize: 2 });
    for (let n = 0; n < 5; n++) {
      const single = await saliency(tf, network, images.slice(n * 105, (n + 1) * 105), { layer: "logits", unit: classes[n] });
      assertClose(batched.subarray(n * 105, (n + 1) * 105), single.gradient, 1e-5, `image ${n}`);
    }
    await assert.rejects(logitInputGradients(tf, network, images, 5, [0, 1]), /expected 5 classes \(one per image\), found 2/);
  });
});
