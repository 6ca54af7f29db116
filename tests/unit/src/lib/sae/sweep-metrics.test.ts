import { test } from "node:test";
import assert from "node:assert/strict";
import { sweepMetrics } from "../../../../../src/lib/sae/sweep-metrics.js";
import type { SaeEvaluation } from "../../../../../src/lib/sae/evaluate.js";

test("sweepMetrics keeps the evaluation, adds the baselines and the loss recovered against both ablations", () => {
  const evaluation = {
    codes: { rows: 0, cols: 0, data: new Float32Array() },
    reconstruction: { rows: 0, cols: 0, data: new Float32Array() },
    meanSquaredError: 0.5,
    fractionVarianceExplained: 0.9,
    normalizedMse: 0.1,
    l0: 3,
    firingRates: new Float64Array([0.5, 0]),
    dead: [1],
    dense: [0],
    densityHistogram: { edges: new Float64Array([-2, -1, 0]), counts: new Int32Array([0, 1]), dead: 1 },
    shrinkage: 0.95,
    relativeReconstructionBias: 0.98,
  } as unknown as SaeEvaluation;
  // CE 0.2 as it is, 2.2 zeroed, 1.2 at the mean; 0.7 spliced: (2.2 - 0.7) / (2.2 - 0.2) = 0.75, (1.2 - 0.7) / (1.2 - 0.2) = 0.5.
  const baselines = { originalAccuracy: 0.95, originalCrossEntropy: 0.2, zeroAblationCrossEntropy: 2.2, meanAblationCrossEntropy: 1.2 };
  const metrics = sweepMetrics(evaluation, { accuracy: 0.9, crossEntropy: 0.7 }, baselines);
  assert.ok(Math.abs(metrics.lossRecoveredZero - 0.75) < 1e-12);
  assert.ok(Math.abs(metrics.lossRecoveredMean - 0.5) < 1e-12);
  assert.deepEqual(metrics.densityHistogram, { edges: [-2, -1, 0], counts: [0, 1], dead: 1 });
  assert.equal(metrics.accuracy, 0.9);
  assert.equal(metrics.originalAccuracy, 0.95);
  assert.equal(metrics.l0, 3);
  assert.deepEqual(metrics.dead, [1]);
  assert.ok(!("codes" in metrics), "the codes stay out of the file");
});
