import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { mlpActivations } from "../../../../../src/lib/mlp/forward.js";
import { assertClose, dense, randomMlp, randomPixels, referenceForward } from "./mlp-fixtures.js";

describe("mlpActivations", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("computes every activation of a hand-checked network", async () => {
    // dense_1 = [1, 2] · [[1, -1], [2, 1]] + [0, -2] = [5, -1]; relu_1 = [5, 0];
    // logits = [5, 0] · [[1, 0, 2], [0, 1, 1]] + [1, 1, 1] = [6, 1, 11].
    const weights = { layers: [dense("dense_1", 2, 2, [1, -1, 2, 1], [0, -2]), dense("logits", 2, 3, [1, 0, 2, 0, 1, 1], [1, 1, 1])] };
    const result = await mlpActivations(tf, weights, Float32Array.from([1, 2]), 1);
    assert.deepEqual(Object.keys(result), ["dense_1", "relu_1", "logits"]);
    assert.deepEqual(result.dense_1, { rows: 1, cols: 2, data: Float32Array.from([5, -1]) });
    assert.deepEqual(result.relu_1, { rows: 1, cols: 2, data: Float32Array.from([5, 0]) });
    assert.deepEqual(result.logits, { rows: 1, cols: 3, data: Float32Array.from([6, 1, 11]) });
  });

  test("scales Uint8 pixels by 1/255 by default and honours scaleInputs", async () => {
    const weights = { layers: [dense("logits", 2, 1, [1, 1], [0])] };
    const pixels = Uint8Array.from([255, 51]);
    assertClose((await mlpActivations(tf, weights, pixels, 1)).logits.data, [1.2], 1e-6, "default scale");
    assertClose((await mlpActivations(tf, weights, pixels, 1, { scaleInputs: 1 })).logits.data, [306], 1e-6, "scale 1");
  });

  test("matches a float64 reference over several batches without leaking tensors", async () => {
    const weights = randomMlp([12, 7, 5, 3], 3);
    const count = 23;
    const pixels = randomPixels(count, 12, 4);
    const tensorsBefore = tf.memory().numTensors;
    const result = await mlpActivations(tf, weights, pixels, count, { batchSize: 5 });
    assert.equal(tf.memory().numTensors, tensorsBefore);
    for (let n = 0; n < count; n++) {
      const input = Array.from(pixels.subarray(n * 12, (n + 1) * 12), (p) => p / 255);
      const expected = referenceForward(weights, input);
      for (const [name, matrix] of Object.entries(result)) {
        assert.equal(matrix.rows, count);
        assertClose(matrix.data.subarray(n * matrix.cols, (n + 1) * matrix.cols), expected[name], 1e-5, `${name} row ${n}`);
      }
    }
  });

  test("rejects inputs of the wrong size and leaves no tensors behind", async () => {
    const weights = randomMlp([4, 3, 2], 1);
    const tensorsBefore = tf.memory().numTensors;
    await assert.rejects(mlpActivations(tf, weights, new Float32Array(7), 2), /mlpActivations: expected count × inputSize = 2 × 4 = 8 input values, found 7/);
    await assert.rejects(mlpActivations(tf, weights, new Float32Array(8), 2, { batchSize: 0 }), /batchSize must be a positive integer, found 0/);
    assert.equal(tf.memory().numTensors, tensorsBefore);
  });
});
