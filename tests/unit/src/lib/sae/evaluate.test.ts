import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";
import { encodeActivations, reconstructActivations } from "../../../../../src/lib/sae/encode.js";
import { evaluateSae } from "../../../../../src/lib/sae/evaluate.js";
import * as metrics from "../../../../../src/lib/sae/metrics.js";
import { randomWeights } from "./fixtures.js";

describe("evaluateSae", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  test("reports what the metrics give on the SAE's own codes and reconstruction, leaving no tensors", () => {
    const weights = randomWeights("kl");
    const random = mulberry32(4);
    const inputs = { rows: 40, cols: 6, data: Float32Array.from({ length: 240 }, () => gaussian(random)) };
    const tensorsBefore = tf.memory().numTensors;
    const evaluation = evaluateSae(tf, weights, inputs, { batchSize: 16 });
    assert.equal(tf.memory().numTensors, tensorsBefore, "evaluateSae leaked tensors");
    const codes = encodeActivations(tf, weights, inputs);
    const reconstruction = reconstructActivations(tf, weights, inputs);
    assert.deepEqual(evaluation.codes, codes);
    assert.deepEqual(evaluation.reconstruction, reconstruction);
    // Sigmoid codes count as active above 0.5.
    const rates = metrics.latentFiringRates(codes, 0.5);
    assert.deepEqual(evaluation.firingRates, rates);
    assert.equal(evaluation.l0, metrics.l0(codes, 0.5));
    assert.deepEqual(evaluation.dead, metrics.deadLatents(rates));
    assert.deepEqual(evaluation.dense, metrics.denseLatents(rates));
    assert.deepEqual(evaluation.densityHistogram, metrics.densityHistogram(rates));
    assert.equal(evaluation.meanSquaredError, metrics.meanSquaredError(inputs, reconstruction));
    assert.equal(evaluation.fractionVarianceExplained, metrics.fractionVarianceExplained(inputs, reconstruction));
    assert.equal(evaluation.normalizedMse, metrics.normalizedMse(inputs, reconstruction));
    assert.equal(evaluation.shrinkage, metrics.shrinkage(inputs, reconstruction));
    assert.equal(evaluation.relativeReconstructionBias, metrics.relativeReconstructionBias(inputs, reconstruction));
  });
});
