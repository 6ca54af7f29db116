// The fused WebAssembly objective of the logistic probe against the tfjs one (logistic.ts): the same
// value and gradient at random parameters, and the same probe after training.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { kernelModule } from "../../../../../data-loaders/training/kernels/build-kernels.js";
import { fusedLogisticObjective } from "../../../../../src/lib/probes/fused-logistic.js";
import { logisticObjective, predictLogistic, trainLogisticProbe } from "../../../../../src/lib/probes/logistic.js";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";
import { blobs } from "./fixtures.js";

describe("fused logistic objective", () => {
  let kernels: WebAssembly.Module;
  before(async () => {
    await tf.setBackend("cpu");
    kernels = await kernelModule();
  });

  for (const classes of [2, 3, 10]) {
    test(`${classes} classes: value and gradient equal the tfjs objective's to float32 rounding`, async () => {
      const random = mulberry32(classes);
      const [rows, cols, l2] = [57, 6, 0.3];
      const x = { rows, cols, data: Float32Array.from({ length: rows * cols }, () => gaussian(random)) };
      const labels = Uint8Array.from({ length: rows }, () => Math.floor(random() * classes));
      const params = Float64Array.from({ length: (cols + 1) * classes }, () => gaussian(random));
      const reference = logisticObjective(tf, x, labels, classes, l2);
      const [expected, ours] = [new Float64Array(params.length), new Float64Array(params.length)];
      const value = await reference.objective(params, expected);
      reference.dispose();
      const fusedValue = await fusedLogisticObjective(kernels, x, labels, classes, l2)(params, ours);
      assert.ok(Math.abs(fusedValue - value) <= 1e-6 * value, `value ${fusedValue} vs ${value}`);
      ours.forEach((g, i) => assert.ok(Math.abs(g - expected[i]) <= 1e-6, `gradient ${i}: ${g} vs ${expected[i]}`));
    });
  }

  test("a probe trained on the fused objective equals the tfjs-trained one", async () => {
    const { x, labels } = blobs(40, 3);
    const [a, b] = [await trainLogisticProbe(tf, x, labels, 3, { l2: 0.01 }), await trainLogisticProbe(tf, x, labels, 3, { l2: 0.01, kernels })];
    assert.ok(Math.abs(a.loss - b.loss) <= 1e-6, `loss ${a.loss} vs ${b.loss}`);
    a.weights.forEach((w, i) => assert.ok(Math.abs(w - b.weights[i]) <= 1e-3, `weight ${i}: ${w} vs ${b.weights[i]}`));
    assert.deepEqual(predictLogistic(b, x), predictLogistic(a, x));
  });
});
