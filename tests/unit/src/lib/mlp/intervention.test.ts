import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { mlpActivations } from "../../../../../src/lib/mlp/forward.js";
import { createInterventionRunner } from "../../../../../src/lib/mlp/intervention.js";
import { argmax, dense, randomMlp, randomPixels, referenceForward, topTwoMargin } from "./mlp-fixtures.js";

// 2 inputs -> 2 hidden (relu(identity · x)) -> 2 classes (class c reads hidden unit c):
// the prediction is whichever input is larger, after the intervention.
const tiny = { layers: [dense("dense_1", 2, 2, [1, 0, 0, 1], [0, 0]), dense("logits", 2, 2, [1, 0, 0, 1], [0, 0])] };
const tinyInputs = Float32Array.from([0.6, 0.4, 0.2, 0.9]);

describe("intervention runner", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("ablating or scaling a unit flips the predictions it should", async () => {
    const runner = createInterventionRunner(tf, tiny, tinyInputs, 2);
    try {
      assert.deepEqual([...(await runner.baseline())], [0, 1]);
      assert.deepEqual([...(await runner.run({ layer: "relu_1", units: [0], scale: 0 })).predicted], [1, 1]);
      assert.deepEqual([...(await runner.run({ layer: "relu_1", units: [1], scale: 0 })).predicted], [0, 0]);
      // 0.4 × 2 = 0.8 > 0.6 flips the first example; 0.4 × 1.4 = 0.56 < 0.6 does not.
      assert.deepEqual([...(await runner.run({ layer: "relu_1", units: [1], scale: 2 })).predicted], [1, 1]);
      assert.deepEqual([...(await runner.run({ layer: "relu_1", units: [1], scale: 1.4 })).predicted], [0, 1]);
      assert.deepEqual([...(await runner.run({ layer: "relu_1", units: [0, 1], scale: 3 })).predicted], [0, 1]);
    } finally {
      runner.dispose();
    }
  });

  test("scales Uint8 images by 1/255 like the forward pass", async () => {
    const runner = createInterventionRunner(tf, tiny, Uint8Array.from([153, 102]), 1);
    try {
      assert.deepEqual([...(await runner.baseline())], [0]);
      assert.deepEqual([...(await runner.run({ layer: "relu_1", units: [1], scale: 1.4 })).predicted], [0]);
      assert.deepEqual([...(await runner.run({ layer: "relu_1", units: [1], scale: 1.6 })).predicted], [1]);
    } finally {
      runner.dispose();
    }
  });

  const weights = randomMlp([20, 8, 6, 4], 7);
  const count = 60;
  const pixels = randomPixels(count, 20, 8);

  test("baseline equals the argmax of the clean logits, and scale 1 equals the baseline", async () => {
    const logits = (await mlpActivations(tf, weights, pixels, count)).logits;
    const expected = Array.from({ length: count }, (_, n) => argmax(logits.data.subarray(n * 4, n * 4 + 4)));
    const runner = createInterventionRunner(tf, weights, pixels, count, { batchSize: 16 });
    try {
      const baseline = await runner.baseline();
      assert.deepEqual([...baseline], expected);
      assert.ok(new Set(expected).size > 1, "the random network should predict more than one class");
      for (const layer of runner.layers) {
        assert.deepEqual((await runner.run({ layer, units: [0, 2, 5], scale: 1 })).predicted, baseline);
      }
    } finally {
      runner.dispose();
    }
  });

  test("agrees with a reference forward pass whose chosen units are scaled", async () => {
    const runner = createInterventionRunner(tf, weights, pixels, count);
    try {
      let changed = 0;
      let compared = 0;
      const baseline = await runner.baseline();
      for (const intervention of [
        { layer: "relu_1", units: [1, 3], scale: 0 },
        { layer: "relu_1", units: [4], scale: 2.5 },
        { layer: "relu_2", units: [0, 5], scale: 0.3 },
        { layer: "relu_2", units: [2], scale: 3 },
      ]) {
        const { predicted } = await runner.run(intervention);
        for (let n = 0; n < count; n++) {
          const logits = referenceForward(weights, Array.from(pixels.subarray(n * 20, (n + 1) * 20), (p) => p / 255), intervention).logits;
          if (topTwoMargin(logits) < 1e-4) continue; // a float32 near-tie may go either way
          compared++;
          assert.equal(predicted[n], argmax(logits), `${JSON.stringify(intervention)} example ${n}`);
          if (predicted[n] !== baseline[n]) changed++;
        }
      }
      assert.ok(compared > 0.95 * 4 * count, `compared only ${compared} predictions`);
      assert.ok(changed > 0, "some intervention should change some prediction");
    } finally {
      runner.dispose();
    }
  });

  test("a sweep returns what separate runs return, scale by scale", async () => {
    const runner = createInterventionRunner(tf, weights, pixels, count);
    try {
      const scales = [0, 0.5, 1, 2, 3];
      const swept = await runner.sweep({ layer: "relu_2", units: [1, 4], scales });
      assert.equal(swept.length, scales.length);
      for (const [i, scale] of scales.entries()) {
        assert.deepEqual(swept[i], (await runner.run({ layer: "relu_2", units: [1, 4], scale })).predicted);
      }
    } finally {
      runner.dispose();
    }
  });

  test("frees every tensor on dispose, and repeated runs do not grow memory", async () => {
    const tensorsBefore = tf.memory().numTensors;
    const runner = createInterventionRunner(tf, weights, pixels, count);
    const tensorsHeld = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) await runner.run({ layer: i % 2 ? "relu_1" : "relu_2", units: [i % 6], scale: (i % 7) / 2 });
    await runner.sweep({ layer: "relu_1", units: [0], scales: [0, 1, 2] });
    await runner.baseline();
    assert.equal(tf.memory().numTensors, tensorsHeld);
    runner.dispose();
    assert.equal(tf.memory().numTensors, tensorsBefore);
    await assert.rejects(runner.run({ layer: "relu_1", units: [0], scale: 0 }), /the runner was disposed/);
  });

  test("rejects bad interventions with messages that name the problem", async () => {
    const runner = createInterventionRunner(tf, weights, pixels, count);
    try {
      await assert.rejects(runner.run({ layer: "relu_3", units: [0], scale: 0 }), /layer must be one of \[relu_1, relu_2\], found "relu_3"/);
      await assert.rejects(runner.run({ layer: "dense_1", units: [0], scale: 0 }), /layer must be one of \[relu_1, relu_2\], found "dense_1"/);
      await assert.rejects(runner.run({ layer: "relu_1", units: [], scale: 0 }), /units must be a non-empty list/);
      await assert.rejects(runner.run({ layer: "relu_1", units: [8], scale: 0 }), /unit index 8 is out of range for relu_1, which has units 0..7/);
      await assert.rejects(runner.run({ layer: "relu_2", units: [1.5], scale: 0 }), /unit index 1.5 is out of range/);
      await assert.rejects(runner.run({ layer: "relu_1", units: [0], scale: -0.5 }), /scale must be a finite number >= 0 .*found -0.5/);
      await assert.rejects(runner.run({ layer: "relu_1", units: [0], scale: NaN }), /scale must be a finite number >= 0 .*found NaN/);
      await assert.rejects(runner.run({ layer: "relu_1", units: [0], scale: Infinity }), /found Infinity/);
      await assert.rejects(runner.sweep({ layer: "relu_1", units: [0], scales: [] }), /scales must be a non-empty list/);
    } finally {
      runner.dispose();
    }
  });

  test("rejects images of the wrong size without leaking", () => {
    const tensorsBefore = tf.memory().numTensors;
    assert.throws(() => createInterventionRunner(tf, weights, new Uint8Array(59 * 20), count), /expected count × inputSize = 60 × 20 = 1200 input values, found 1180/);
    assert.throws(() => createInterventionRunner(tf, randomMlp([3, 2], 1), new Uint8Array(3), 1), /no hidden layer to intervene on/);
    assert.equal(tf.memory().numTensors, tensorsBefore);
  });
});
