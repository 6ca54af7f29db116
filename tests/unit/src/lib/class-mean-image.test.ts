import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { classMeanImage, imagesToTensors } from "../../../../src/lib/class-mean-image.js";

describe("classMeanImage", () => {
  test("gives the class mean and its difference from the overall mean (hand-computed), without leaking tensors", async () => {
    await tf.setBackend("cpu");
    // Three 2-pixel images: class 0 = [255, 0] and [0, 0]; class 1 = [255, 255].
    const { images, labels } = imagesToTensors(tf, Uint8Array.from([255, 0, 0, 0, 255, 255]), Uint8Array.from([0, 0, 1]), 2);
    const before = tf.memory().numTensors;
    const result = await classMeanImage(tf, images, labels, 0);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(result.count, 2);
    assert.deepEqual([...result.mean], [0.5, 0]);
    // Overall mean = [2/3, 1/3].
    assert.ok(Math.abs(result.difference[0] - (0.5 - 2 / 3)) < 1e-6);
    assert.ok(Math.abs(result.difference[1] - (0 - 1 / 3)) < 1e-6);
    await assert.rejects(classMeanImage(tf, images, labels, 5), /class 5 has no images/);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([images, labels]);
  });

  test("rejects mismatched shapes with a message naming them", () => {
    assert.throws(() => imagesToTensors(tf, new Uint8Array(5), new Uint8Array(3), 2), /expected 3 × 2 = 6 bytes, found 5/);
  });
});
