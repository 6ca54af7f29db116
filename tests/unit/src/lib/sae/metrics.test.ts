import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ActivationMatrix } from "../../../../../src/lib/analysis/types.js";
import {
  ablateActivations,
  deadLatents,
  DENSE_FIRING_RATE,
  denseLatents,
  densityHistogram,
  fractionVarianceExplained,
  l0,
  latentFiringRates,
  lossRecovered,
  meanSquaredError,
  normalizedMse,
  relativeReconstructionBias,
  shrinkage,
} from "../../../../../src/lib/sae/metrics.js";

const close = (actual: number, expected: number, tol = 1e-9) => assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, found ${actual}`);
const matrix = (rows: number[][]): ActivationMatrix => ({ rows: rows.length, cols: rows[0].length, data: Float32Array.from(rows.flat()) });

// Three inputs of two dimensions and a reconstruction of them.
const x = matrix([
  [2, 0],
  [4, 2],
  [6, 4],
]);
const xHat = matrix([
  [1, 1],
  [4, 1],
  [5, 3],
]);
// x − x̂ = [[1, −1], [0, 1], [1, 1]]: squared norms 2, 1, 2, summing to 5.
// Around the mean: x's columns (2, 4, 6) and (0, 2, 4) each deviate by (−2, 0, 2): Σ squares 8 + 8 = 16.
// The residual's columns (1, 0, 1) with mean 2/3 and (−1, 1, 1) with mean 1/3: Σ squares 2/3 + 8/3 = 10/3.

describe("reconstruction metrics", () => {
  test("mean squared error: Σ ||x − x̂||² / N = 5 / 3", () => {
    close(meanSquaredError(x, xHat), 5 / 3);
  });

  test("fraction of variance explained: 1 − (10/3) / 16 = 19/24", () => {
    close(fractionVarianceExplained(x, xHat), 19 / 24);
  });

  test("normalized MSE: 5 / 16, not 1 − FVE when the residual's mean is not 0", () => {
    close(normalizedMse(x, xHat), 5 / 16);
    assert.notEqual(normalizedMse(x, xHat), 1 - fractionVarianceExplained(x, xHat));
  });

  test("variance is taken around the mean: predicting the mean explains nothing", () => {
    // The mean input is (4, 2); around zero (the bug) this would give 1 − 16 / Σ||x||² = 1 − 16/76.
    const mean = matrix([
      [4, 2],
      [4, 2],
      [4, 2],
    ]);
    close(fractionVarianceExplained(x, mean), 0);
    close(normalizedMse(x, mean), 1);
    // A reconstruction off by a constant explains all the variance, but not the squared error.
    const shifted = matrix([
      [3, 1],
      [5, 3],
      [7, 5],
    ]);
    close(fractionVarianceExplained(x, shifted), 1);
    close(normalizedMse(x, shifted), 6 / 16);
  });

  test("shrinkage: mean of ||x̂|| / ||x|| = (√(2/4) + √(17/20) + √(34/52)) / 3", () => {
    close(shrinkage(x, xHat), (Math.sqrt(2 / 4) + Math.sqrt(17 / 20) + Math.sqrt(34 / 52)) / 3);
    // Zero inputs have no ratio and are left out.
    close(
      shrinkage(
        matrix([
          [0, 0],
          [3, 4],
        ]),
        matrix([
          [1, 1],
          [0, 2.5],
        ]),
      ),
      0.5,
    );
  });

  test("relative reconstruction bias: Σ||x̂||² / Σ<x, x̂> = (2 + 17 + 34) / (2 + 18 + 42)", () => {
    close(relativeReconstructionBias(x, xHat), 53 / 62);
  });

  test("shape mismatches and degenerate sets are reported", () => {
    assert.throws(() => meanSquaredError(x, matrix([[1, 2, 3]])), /x and xHat must have the same shape, found 3 × 2 and 1 × 3/);
    assert.throws(
      () =>
        fractionVarianceExplained(
          matrix([
            [1, 1],
            [1, 1],
          ]),
          matrix([
            [1, 1],
            [1, 1],
          ]),
        ),
      /do not vary over the set/,
    );
    assert.throws(() => shrinkage(matrix([[0, 0]]), matrix([[1, 1]])), /every input is the zero vector/);
  });
});

describe("latent metrics", () => {
  // Four inputs × four latents; latent 3 never fires.
  const codes = matrix([
    [0, 1.5, 0, 0],
    [2, 0, 0.1, 0],
    [0, 0, 0, 0],
    [0, 3, 0, 0],
  ]);

  test("L0: active codes per input, (1 + 2 + 0 + 1) / 4 = 1", () => {
    close(l0(codes), 1);
    // Sigmoid codes, active above 0.5: 2 and 1 per input.
    close(
      l0(
        matrix([
          [0.2, 0.9, 0.6],
          [0.1, 0.4, 0.7],
        ]),
        0.5,
      ),
      1.5,
    );
  });

  test("firing rates, dead and dense latents", () => {
    const rates = latentFiringRates(codes);
    assert.deepEqual(Array.from(rates), [0.25, 0.5, 0.25, 0]);
    assert.deepEqual(deadLatents(rates), [3]);
    // Dense means strictly above the threshold: 0.25 itself is not dense.
    assert.equal(DENSE_FIRING_RATE, 0.25);
    assert.deepEqual(denseLatents(rates), [1]);
    assert.deepEqual(denseLatents(rates, 0.2), [0, 1, 2]);
    assert.throws(() => denseLatents(rates, 2), /a fraction in \[0, 1\], found 2/);
  });

  test("density histogram: log10 rates in 0.25-decade bins from -5 to 0, dead latents apart", () => {
    // log10 0.25 = −0.602 → bin floor((−0.602 + 5) / 0.25) = 17; log10 0.5 = −0.301 → bin 18;
    // 1e-6 lies below the range and is counted in bin 0; rate 1 (log 0) in the last bin.
    const histogram = densityHistogram([0.25, 0.5, 0.25, 0, 1e-6, 1]);
    assert.equal(histogram.edges.length, 21);
    close(histogram.edges[0], -5);
    close(histogram.edges[20], 0);
    const expected = new Array(20).fill(0);
    expected[0] = 1;
    expected[17] = 2;
    expected[18] = 1;
    expected[19] = 1;
    assert.deepEqual(Array.from(histogram.counts), expected);
    assert.equal(histogram.dead, 1);
    assert.throws(() => densityHistogram([1.5]), /fractions in \[0, 1\], found 1.5 at latent 0/);
  });
});

describe("downstream", () => {
  test("loss recovered = (CE_ablated − CE_spliced) / (CE_ablated − CE_original)", () => {
    // Zero ablation: (2.1 − 0.3) / (2.1 − 0.1) = 0.9; mean ablation: (1.1 − 0.3) / (1.1 − 0.1) = 0.8.
    close(lossRecovered(0.1, 0.3, 2.1), 0.9);
    close(lossRecovered(0.1, 0.3, 1.1), 0.8);
    close(lossRecovered(0.1, 0.1, 1.1), 1);
    assert.throws(() => lossRecovered(0.5, 0.3, 0.5), /ablating the layer leaves the cross-entropy unchanged \(0.5\)/);
    assert.throws(() => lossRecovered(0.5, Number.NaN, 1), /ceSpliced must be a finite cross-entropy, found NaN/);
  });

  test("zero and mean ablation of a layer", () => {
    assert.deepEqual(Array.from(ablateActivations(x, "zero").data), [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(ablateActivations(x, "mean").data), [4, 2, 4, 2, 4, 2]);
    assert.deepEqual(ablateActivations({ ...x, shape: [2] }, "mean").shape, [2]);
  });
});
