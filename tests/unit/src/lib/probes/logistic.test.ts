import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { logisticObjective, predictLogistic, trainLogisticProbe } from "../../../../../src/lib/probes/logistic.js";
import { accuracy } from "../../../../../src/lib/analysis/predictions/confusion.js";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";
import { blobs } from "./fixtures.js";

const norm = (w: Float64Array) => Math.sqrt(w.reduce((s, v) => s + v * v, 0));

describe("logistic probe", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("separates separable blobs exactly, and leaves no tensors", async () => {
    const { x, labels } = blobs(30, 1);
    const before = tf.memory().numTensors;
    const probe = await trainLogisticProbe(tf, x, labels, 3, { l2: 1e-3 });
    assert.equal(tf.memory().numTensors, before, "leaked tensors");
    assert.equal(accuracy(predictLogistic(probe, x), labels), 1);
    const test = blobs(30, 2);
    assert.equal(accuracy(predictLogistic(probe, test.x), test.labels), 1);
  });

  test("closed form: with a constant input the optimum is W = 0 and softmax(b) = the class frequencies", async () => {
    // Frequencies 1/2, 1/3, 1/6: the bias differences are log(3/2) and log(2).
    const labels = Uint8Array.from([0, 0, 0, 1, 1, 2]);
    const x = { rows: 6, cols: 1, data: new Float32Array(6) };
    const probe = await trainLogisticProbe(tf, x, labels, 3, { l2: 0.1, tolerance: 1e-7 });
    assert.ok(Math.abs(probe.weights[0]) < 1e-6 && Math.abs(probe.weights[1]) < 1e-6 && Math.abs(probe.weights[2]) < 1e-6);
    assert.ok(Math.abs(probe.bias[0] - probe.bias[1] - Math.log(3 / 2)) < 1e-4, `b0 − b1 = ${probe.bias[0] - probe.bias[1]}`);
    assert.ok(Math.abs(probe.bias[1] - probe.bias[2] - Math.log(2)) < 1e-4, `b1 − b2 = ${probe.bias[1] - probe.bias[2]}`);
  });

  test("the gradient agrees with central differences", async () => {
    const { x, labels } = blobs(4, 3);
    const l2 = 0.5;
    const { objective, dispose } = logisticObjective(tf, x, labels, 3, l2);
    const random = mulberry32(4);
    const params = Float64Array.from({ length: 9 }, () => gaussian(random));
    const gradient = new Float64Array(9);
    await objective(params, gradient);
    const h = 1e-2;
    for (let i = 0; i < params.length; i++) {
      const plus = Float64Array.from(params);
      const minus = Float64Array.from(params);
      plus[i] += h;
      minus[i] -= h;
      const scratch = new Float64Array(9);
      const numeric = ((await objective(plus, scratch)) - (await objective(minus, scratch))) / (2 * h);
      assert.ok(Math.abs(numeric - gradient[i]) < 2e-3, `parameter ${i}: numeric ${numeric}, analytic ${gradient[i]}`);
    }
    dispose();
  });

  test("a larger λ gives smaller weights", async () => {
    const { x, labels } = blobs(20, 5, 1.5);
    const weak = await trainLogisticProbe(tf, x, labels, 3, { l2: 0.01 });
    const strong = await trainLogisticProbe(tf, x, labels, 3, { l2: 1 });
    assert.ok(norm(strong.weights) < norm(weak.weights), `‖W‖: λ = 1 ${norm(strong.weights)}, λ = 0.01 ${norm(weak.weights)}`);
  });

  test("bad inputs are named", async () => {
    const { x, labels } = blobs(2, 6);
    await assert.rejects(trainLogisticProbe(tf, x, labels, 3, { l2: -1 }), /l2 regularization strength must be a number ≥ 0, found -1/);
    await assert.rejects(trainLogisticProbe(tf, x, Uint8Array.from([0, 1, 2, 0, 1, 10]), 10, { l2: 0 }), /label 5 is 10, expected an integer from 0 to 9/);
    await assert.rejects(trainLogisticProbe(tf, x, labels.subarray(1), 3, { l2: 0 }), /expected one label per row \(6\), found 5 labels/);
  });
});
