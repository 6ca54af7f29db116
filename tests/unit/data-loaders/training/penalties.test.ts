import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { initTrainingBackend } from "../../../../data-loaders/training/node-backend.js";
import { meanPenalty, penaltyProblems, trainingObjective, type PenaltySpec } from "../../../../data-loaders/training/penalties.js";
import { buildModel } from "../../../../src/lib/models/architecture.js";
import type { Scalar, Variable } from "@tensorflow/tfjs";
import type { LayersModel, Tensor } from "../../../../src/lib/tf-types.js";

const { tf } = await initTrainingBackend({ backend: "wasm" });

/** input [inputs] -> dense_1 (hand-set kernel, zero bias unless given) -> relu_1 -> logits [2] */
function handModel(inputs: number, kernel: number[], bias = [0, 0]): LayersModel {
  const model = buildModel(tf, { layers: [{ type: "dense", units: 2 }, { type: "relu" }], seed: 1 }, { inputSize: inputs, classes: 2 });
  tf.tidy(() => model.getLayer("dense_1").setWeights([tf.tensor2d(kernel, [inputs, 2]), tf.tensor1d(bias)]));
  return model;
}

function penaltyOf(model: LayersModel, penalties: PenaltySpec[], images: Uint8Array, pixels: number, x: number[]): number {
  const objective = trainingObjective(tf, model, penalties, { images, count: images.length / pixels, pixels });
  const value = tf.tidy(() => (objective.forward(tf.tensor2d(x, [x.length / pixels, pixels]), true).penalty as Tensor).dataSync()[0]);
  objective.dispose();
  return value;
}

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-5, `${what}: ${actual}, expected ${expected}`);

describe("activation-l1", () => {
  // dense_1: h = x·[[1, -1], [2, 1]] + [0.5, -1]. x = (1, 0.2): h = (1.9, -1.8), relu (1.9, 0).
  // x = (0, 1): h = (2.5, 0), relu (2.5, 0).
  const x = [1, 0.2, 0, 1];
  const kernel = [1, -1, 2, 1];
  const noImages = new Uint8Array(2);

  test("is coefficient x mean over the batch of the summed |activation|, summed over the layers", () => {
    const model = handModel(2, kernel, [0.5, -1]);
    const before = tf.memory().numTensors;
    close(penaltyOf(model, [{ kind: "activation-l1", layers: ["relu_1"], coefficient: 0.5 }], noImages, 2, x), (0.5 * (1.9 + 2.5)) / 2, "relu_1");
    close(penaltyOf(model, [{ kind: "activation-l1", layers: ["dense_1"], coefficient: 0.5 }], noImages, 2, x), (0.5 * (1.9 + 1.8 + 2.5)) / 2, "dense_1");
    close(
      penaltyOf(model, [{ kind: "activation-l1", layers: ["relu_1", "dense_1"], coefficient: 0.5 }], noImages, 2, x),
      (0.5 * (4.4 + 6.2)) / 2,
      "relu_1 and dense_1",
    );
    // Two penalties on the same layer add up (the view outputs the layer once).
    const twice: PenaltySpec[] = [
      { kind: "activation-l1", layers: ["relu_1"], coefficient: 0.5 },
      { kind: "activation-l1", layers: ["relu_1"], coefficient: 1 },
    ];
    close(penaltyOf(model, twice, noImages, 2, x), (1.5 * 4.4) / 2, "two penalties");
    assert.equal(tf.memory().numTensors, before, "the objective leaked tensors");
    model.dispose();
  });

  test("one SGD step on the penalty alone lowers the layer's L1 on the same batch", () => {
    const model = handModel(2, kernel, [0.5, -1]);
    const objective = trainingObjective(tf, model, [{ kind: "activation-l1", layers: ["relu_1"], coefficient: 1 }], { images: noImages, count: 1, pixels: 2 });
    const batch = tf.tensor2d(x, [2, 2]);
    const l1 = () => tf.tidy(() => (objective.forward(batch, true).penalty as Tensor).dataSync()[0]);
    const before = l1();
    const optimizer = tf.train.sgd(0.1);
    const variables = model.trainableWeights.map((w) => w.read() as Variable);
    optimizer.minimize(() => objective.forward(batch, true).penalty as Scalar, false, variables);
    const after = l1();
    assert.ok(after < before - 0.1, `L1 went from ${before} to ${after}`);
    optimizer.dispose();
    batch.dispose();
    objective.dispose();
    model.dispose();
  });
});

describe("weight-l1 on blank pixels", () => {
  // Three pixels: 0 is always 0, 1 never, 2 is 0 in 3 of 4 images.
  const images = new Uint8Array([0, 9, 0, 0, 5, 0, 0, 7, 1, 0, 3, 0]);
  const kernel = [1, -2, 3, 4, -5, 6];

  test("is coefficient x the summed |kernel| of the rows of blank pixels, and reports the mask size", () => {
    const model = handModel(3, kernel);
    const x = [0.1, 0.2, 0.3];
    close(
      penaltyOf(model, [{ kind: "weight-l1", layer: "dense_1", coefficient: 0.1, inputs: "blank-pixels", blankFraction: 0.75 }], images, 3, x),
      0.1 * (1 + 2 + 5 + 6),
      "pixels 0 and 2",
    );
    close(
      penaltyOf(model, [{ kind: "weight-l1", layer: "dense_1", coefficient: 0.1, inputs: "blank-pixels", blankFraction: 0.99 }], images, 3, x),
      0.1 * (1 + 2),
      "pixel 0",
    );
    const objective = trainingObjective(tf, model, [{ kind: "weight-l1", layer: "dense_1", coefficient: 0.1, inputs: "blank-pixels", blankFraction: 0.75 }], {
      images,
      count: 4,
      pixels: 3,
    });
    assert.deepEqual(objective.reports, [
      { kind: "weight-l1", layer: "dense_1", coefficient: 0.1, inputs: "blank-pixels", blankFraction: 0.75, maskedPixels: 2, pixels: 3 },
    ]);
    objective.dispose();
    model.dispose();
  });

  test("adds to an activation penalty; meanPenalty weighs chunks by their rows", () => {
    const model = handModel(3, kernel);
    const penalties: PenaltySpec[] = [
      { kind: "activation-l1", layers: ["relu_1"], coefficient: 1 },
      { kind: "weight-l1", layer: "dense_1", coefficient: 0.1, inputs: "blank-pixels", blankFraction: 0.99 },
    ];
    const objective = trainingObjective(tf, model, penalties, { images, count: 4, pixels: 3 });
    // relu(x·W) for the four images (bytes / 255); the weight term is 0.1 x (1 + 2).
    const relu = [0, 0, 0, 0].map((_, i) => {
      const [a, b, c] = Array.from(images.subarray(i * 3, i * 3 + 3), (v) => v / 255);
      return Math.max(0, a * 1 + b * 3 + c * -5) + Math.max(0, a * -2 + b * 4 + c * 6);
    });
    const expected = relu.reduce((s, v) => s + v, 0) / 4 + 0.3;
    close(meanPenalty(tf, objective, images, 4, [3], 3), expected, "chunks of 3 and 1");
    close(meanPenalty(tf, objective, images, 4, [3]), expected, "one chunk");
    objective.dispose();
    model.dispose();
  });
});

describe("trainingObjective", () => {
  test("without penalties it is the model itself", () => {
    const model = handModel(2, [1, -1, 2, 1]);
    const objective = trainingObjective(tf, model, [], { images: new Uint8Array(2), count: 1, pixels: 2 });
    tf.tidy(() => {
      const x = tf.tensor2d([0.3, 0.9], [1, 2]);
      const { logits, penalty } = objective.forward(x, false);
      assert.equal(penalty, null);
      assert.deepEqual(logits.dataSync(), (model.predict(x) as Tensor).dataSync());
    });
    assert.deepEqual(objective.reports, []);
    model.dispose();
  });

  test("rejects layers the model lacks or that cannot take the penalty, freeing what it made", () => {
    const model = handModel(3, [1, -2, 3, 4, -5, 6]);
    const train = { images: new Uint8Array(3), count: 1, pixels: 3 };
    const blank = { kind: "weight-l1", coefficient: 1, inputs: "blank-pixels", blankFraction: 0.5 } as const;
    const before = tf.memory().numTensors;
    assert.throws(
      () => trainingObjective(tf, model, [{ kind: "activation-l1", layers: ["relu_9"], coefficient: 1 }], train),
      /config\.penalties\[0\] \(activation-l1\): the model has no layer "relu_9"; its layers are input, dense_1, relu_1, logits/,
    );
    assert.throws(
      () =>
        trainingObjective(
          tf,
          model,
          [
            { ...blank, layer: "dense_1" },
            { ...blank, layer: "relu_1" },
          ],
          train,
        ),
      /config\.penalties\[1\] \(weight-l1\): layer "relu_1" is a Activation; expected a Dense layer with a kernel/,
    );
    assert.throws(
      () => trainingObjective(tf, model, [{ ...blank, layer: "logits" }], train),
      /layer "logits" has 2 input rows but the images have 3 pixels; blank-pixels needs the dense layer that reads the pixels/,
    );
    assert.equal(tf.memory().numTensors, before, "a rejected objective leaked its masks");
    model.dispose();
  });
});

describe("penaltyProblems", () => {
  test("names each bad field", () => {
    assert.deepEqual(penaltyProblems(undefined), []);
    assert.deepEqual(penaltyProblems([{ kind: "activation-l1", layers: ["relu_1"], coefficient: 0 }]), []);
    assert.deepEqual(penaltyProblems({}), ["penalties must be a list, got {}"]);
    assert.deepEqual(
      penaltyProblems([
        null,
        { kind: "activation-l1", layers: [], coefficient: -1 },
        { kind: "weight-l1", layer: 3, coefficient: 1, inputs: "all", blankFraction: 0 },
        { kind: "l2", coefficient: 1 },
      ]),
      [
        "penalties[0] must be an object, got null",
        "penalties[1] (activation-l1): coefficient must be a finite number >= 0, got -1",
        "penalties[1] (activation-l1): layers must be a non-empty list of layer names, got []",
        "penalties[2] (weight-l1): layer must be a layer name, got 3",
        'penalties[2] (weight-l1): inputs must be "blank-pixels", got "all"',
        "penalties[2] (weight-l1): blankFraction must be a number in (0, 1], got 0",
        'penalties[3] (l2): kind must be "activation-l1" or "weight-l1"',
      ],
    );
  });
});
