import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { countCorrect, imageBatch, oneHotBatch, sizeOfShape } from "../../../../data-loaders/training/batches.js";

await tf.setBackend("cpu");

describe("batches", () => {
  // Three 2x2 "images": bytes 0..11.
  const images = Uint8Array.from({ length: 12 }, (_, i) => i * 20);
  const labels = new Uint8Array([2, 0, 1]);

  test("imageBatch picks rows by index or range and scales bytes to [0, 1]", () => {
    const before = tf.memory().numTensors;
    const picked = imageBatch(tf, images, [2, 2], [2, 0]);
    assert.deepEqual(picked.shape, [2, 2, 2]);
    const expected = [160, 180, 200, 220, 0, 20, 40, 60].map((b) => b / 255);
    Array.from(picked.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-7, `value ${i}: ${v}`));
    const range = imageBatch(tf, images, [4], { start: 1, count: 2 });
    assert.deepEqual(range.shape, [2, 4]);
    assert.ok(Math.abs(range.dataSync()[0] - 80 / 255) < 1e-7);
    const white = imageBatch(tf, new Uint8Array([255]), [1], [0]);
    assert.equal(white.dataSync()[0], 1);
    tf.dispose([picked, range, white]);
    assert.equal(tf.memory().numTensors, before, "imageBatch should leave only its result");
  });

  test("oneHotBatch writes a 1 at each label", () => {
    const t = oneHotBatch(tf, labels, 3, [0, 2]);
    assert.deepEqual(t.arraySync(), [
      [0, 0, 1],
      [0, 1, 0],
    ]);
    t.dispose();
  });

  test("countCorrect counts rows whose first maximum is the label; NaN never wins", () => {
    const scores = Float32Array.from([0.1, 0.2, 0.9, /**/ 5, 5, 1, /**/ NaN, 1, 0, /**/ NaN, NaN, NaN]);
    const fourLabels = new Uint8Array([2, 0, 1, 0]);
    // Row 2 ties at 5: the first maximum (class 0) counts. Row 3 ignores its NaN. Row 4 is all NaN: wrong.
    assert.equal(countCorrect(scores, 3, fourLabels, { start: 0, count: 4 }), 3);
    assert.equal(countCorrect(scores, 3, new Uint8Array([1, 1, 1, 1]), [0, 1, 2, 3]), 1);
  });

  test("sizeOfShape multiplies dimensions", () => {
    assert.equal(sizeOfShape([28, 28, 1]), 784);
    assert.equal(sizeOfShape([]), 1);
  });
});
