import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { predictSvm, trainLinearSvm } from "../../../../../src/lib/probes/svm.js";
import { linearScores } from "../../../../../src/lib/probes/logistic.js";
import { accuracy } from "../../../../../src/lib/analysis/predictions/confusion.js";
import { blobs } from "./fixtures.js";
import { kernelModule } from "../../../../../data-loaders/training/kernels/build-kernels.js";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";

describe("linear SVM probe", () => {
  test("separates separable blobs (3 classes) exactly, deterministically", async () => {
    const { x, labels } = blobs(30, 1);
    const svm = await trainLinearSvm(x, labels, 3, { c: 1 });
    assert.equal(accuracy(predictSvm(svm, x), labels), 1);
    const again = await trainLinearSvm(x, labels, 3, { c: 1 });
    assert.deepEqual(again.weights, svm.weights);
  });

  test("1-D, two points: with a large C both sit on or outside the margin, y(w·x + b) ≥ 1", async () => {
    // Standardized, x = −1 and +1 stay −1 and +1; with the bias as a column of 1, the max-margin
    // solution of the class-1-vs-rest problem is w = 1, b = 0 (‖(w, b)‖ is smallest there).
    const x = { rows: 2, cols: 1, data: Float32Array.of(-1, 1) };
    const labels = Uint8Array.of(0, 1);
    const svm = await trainLinearSvm(x, labels, 2, { c: 100, tolerance: 1e-9, maxEpochs: 1000 });
    const scores = linearScores(svm, x);
    // Row r's score for class 1, with y = −1 for row 0 and +1 for row 1.
    assert.ok(-scores[1] >= 1 - 1e-3 && scores[3] >= 1 - 1e-3, `margins ${-scores[1]}, ${scores[3]}`);
    assert.ok(Math.abs(svm.weights[1] - 1) < 1e-3 && Math.abs(svm.bias[1]) < 1e-3, `w ${svm.weights[1]}, b ${svm.bias[1]}`);
    assert.deepEqual(Array.from(predictSvm(svm, x)), [0, 1]);
  });

  test("a C that is not positive is named", async () => {
    const { x, labels } = blobs(2, 1);
    await assert.rejects(trainLinearSvm(x, labels, 3, { c: 0 }), /C must be a number > 0, found 0/);
  });

  test("the SIMD kernel (svmEpoch) takes the same steps: the same epochs, weights to float64 rounding, predictions", async () => {
    const random = mulberry32(2);
    // 4 classes in 7 dimensions (odd, so the kernel's scalar tail runs), overlapping.
    const rows = 400;
    const centers = Array.from({ length: 4 * 7 }, () => gaussian(random));
    const labels = Uint8Array.from({ length: rows }, () => Math.floor(random() * 4));
    const data = Float32Array.from({ length: rows * 7 }, (_, i) => centers[labels[Math.floor(i / 7)] * 7 + (i % 7)] + 1.5 * gaussian(random));
    const x = { rows, cols: 7, data };
    const options = { c: 0.1, maxEpochs: 20, tolerance: 0.01 };
    const [plain, fused] = [await trainLinearSvm(x, labels, 4, options), await trainLinearSvm(x, labels, 4, { ...options, kernels: await kernelModule() })];
    assert.deepEqual(fused.epochs, plain.epochs);
    plain.weights.forEach((w, i) => assert.ok(Math.abs(w - fused.weights[i]) <= 1e-9 * (1 + Math.abs(w)), `weight ${i}: ${w} vs ${fused.weights[i]}`));
    plain.bias.forEach((b, i) => assert.ok(Math.abs(b - fused.bias[i]) <= 1e-9 * (1 + Math.abs(b)), `bias ${i}`));
    assert.deepEqual(predictSvm(fused, x), predictSvm(plain, x));
  });
});
