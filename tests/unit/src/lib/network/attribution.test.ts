import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { gradCam, kernelShap, occlusion, patchGrid } from "../../../../../src/lib/network/attribution.js";
import type { Network } from "../../../../../src/lib/network/network.js";
import { assertClose, randomInputs } from "./fixtures.js";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";

const random = mulberry32(4);
const weights = Float32Array.from({ length: 16 * 2 }, () => gaussian(random));
/** A linear model on a 4×4 image: logit_c = Σ_p w[p, c] x_p + b_c. */
const linear: Network = {
  name: "linear",
  inputShape: [16],
  layers: [{ kind: "dense", name: "logits", inputSize: 16, units: 2, kernel: weights, bias: Float32Array.from([0.3, -0.2]) }],
};
const image = randomInputs(16, 9);
const w = (p: number, c: number) => weights[p * 2 + c];

describe("attribution methods", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("patch grid", () => {
    const grid = patchGrid(5, 2);
    assert.deepEqual([grid.rows, grid.cols], [3, 3]);
    assert.equal(grid.patchOf[0 * 5 + 4], 2);
    assert.equal(grid.patchOf[4 * 5 + 4], 8);
  });

  test("KernelSHAP recovers the exact Shapley values of a linear model: Σ over a patch of w·x", async () => {
    const before = tf.memory().numTensors;
    const shap = await kernelShap(tf, linear, image, 1, { patch: 2, samples: 60, seed: 3 });
    assert.equal(tf.memory().numTensors, before);
    const { patchOf } = patchGrid(4, 2);
    const exact = new Float64Array(4);
    for (let p = 0; p < 16; p++) exact[patchOf[p]] += w(p, 1) * image[p];
    assertClose(shap.values, exact, 1e-4, "Shapley values");
    assert.ok(Math.abs(shap.values.reduce((a, b) => a + b, 0) - (shap.full - shap.empty)) < 1e-9, "values sum to f(x) − f(baseline)");
  });

  test("occlusion of a linear model: the drop is Σ over the window of w·(x − fill), averaged per pixel", async () => {
    const result = await occlusion(tf, linear, image, 0, { patch: 2, stride: 2, fill: 0 });
    // Windows don't overlap with stride = patch: each pixel's value is its own window's drop.
    const drop = (top: number, left: number) => {
      let sum = 0;
      for (let r = top; r < top + 2; r++) for (let c = left; c < left + 2; c++) sum += w(r * 4 + c, 0) * image[r * 4 + c];
      return sum;
    };
    assertClose([result.map[0], result.map[3 * 4 + 3]], [drop(0, 0), drop(2, 2)], 1e-5, "drops");
    await assert.rejects(occlusion(tf, linear, image, 0, { patch: 5 }), /patch \(5\) must be at most the image side \(4\)/);
  });

  test("Grad-CAM of a one-filter conv followed by a linear read-out (closed form)", async () => {
    // 4×4 image -> conv 1 filter 3×3 (valid, 2×2 map) -> relu -> flatten -> logits. ∂logit_c/∂A at
    // position q is the logits kernel w2[q, c], so α = mean_q w2[q, c] and the map is ReLU(α A).
    const kernel = Float32Array.from({ length: 9 }, () => gaussian(random));
    const w2 = Float32Array.from({ length: 4 * 2 }, () => gaussian(random));
    const cnn: Network = {
      name: "cam",
      inputShape: [16],
      layers: [
        { kind: "reshape", name: "reshape", shape: [4, 4, 1] },
        {
          kind: "conv2d",
          name: "conv_1",
          kernelSize: [3, 3],
          strides: [1, 1],
          padding: "valid",
          inChannels: 1,
          filters: 1,
          kernel,
          bias: Float32Array.from([0.1]),
        },
        { kind: "relu", name: "relu_1" },
        { kind: "flatten", name: "flatten" },
        { kind: "dense", name: "logits", inputSize: 4, units: 2, kernel: w2, bias: new Float32Array(2) },
      ],
    };
    const activation = [0, 1, 4, 5].map((origin) => {
      let sum = 0.1;
      for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) sum += kernel[r * 3 + c] * image[origin + r * 4 + c];
      return Math.max(0, sum);
    });
    const alpha = (w2[0 * 2 + 1] + w2[1 * 2 + 1] + w2[2 * 2 + 1] + w2[3 * 2 + 1]) / 4;
    const result = await gradCam(tf, cnn, image, 1, "relu_1");
    assertClose(
      result.map,
      activation.map((a) => Math.max(0, alpha * a)),
      1e-5,
      "Grad-CAM map",
    );
    assert.equal(result.upsampled.length, 16);
    await assert.rejects(gradCam(tf, linear, image, 0, "logits"), /Grad-CAM needs a convolutional \(spatial\) layer/);
  });
});
