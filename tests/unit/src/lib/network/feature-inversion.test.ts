import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { invertFeature } from "../../../../../src/lib/network/feature-inversion.js";
import type { Network } from "../../../../../src/lib/network/network.js";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";

const random = mulberry32(8);
const weights = Float32Array.from({ length: 36 }, () => gaussian(random));
/** A linear read-out of a 6×6 image: its logit is maximized by lighting the pixels with positive weight. */
const linear: Network = {
  name: "linear",
  inputShape: [36],
  layers: [{ kind: "dense", name: "logits", inputSize: 36, units: 1, kernel: weights, bias: new Float32Array(1) }],
};

describe("feature inversion", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("lights exactly the pixels with positive weight, improves the objective and leaks nothing", async () => {
    const before = tf.memory().numTensors;
    const result = await invertFeature(tf, linear, "logits", (a) => a, { steps: 150, learningRate: 0.1, l2: 0, tv: 0, jitter: 0 });
    assert.equal(tf.memory().numTensors, before, "tensors leaked");
    // With no penalty the optimum is x_p = 1 where w_p > 0 and 0 elsewhere (pixels clamped to [0, 1]).
    const wrong = Array.from(result.image).filter((x, p) => (weights[p] > 0 ? x < 0.9 : x > 0.1)).length;
    assert.equal(wrong, 0, `${wrong} pixels are not at the optimum`);
    const optimum = weights.reduce((sum, w) => sum + Math.max(w, 0), 0);
    assert.ok(Math.abs(result.objective - optimum) < 0.05 * optimum, `objective ${result.objective}, optimum ${optimum}`);
    assert.ok(result.history[0].objective < result.history.at(-1)!.objective);
  });

  test("the L2 penalty keeps pixels dimmer; bad settings are refused", async () => {
    const free = await invertFeature(tf, linear, "logits", (a) => a, { steps: 60, l2: 0, tv: 0, jitter: 0 });
    const shrunk = await invertFeature(tf, linear, "logits", (a) => a, { steps: 60, l2: 5, tv: 0, jitter: 0 });
    const total = (x: Float32Array) => x.reduce((a, b) => a + b, 0);
    assert.ok(total(shrunk.image) < total(free.image));
    await assert.rejects(
      invertFeature(tf, linear, "logits", (a) => a, { jitter: -1 }),
      /jitter must be a whole number of pixels ≥ 0/,
    );
    await assert.rejects(
      invertFeature(tf, linear, "logits", (a) => a, { l2: -1 }),
      /must be ≥ 0/,
    );
  });
});
