import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";
import { encodeActivations, reconstructActivations } from "../../../../../src/lib/sae/encode.js";
import { evaluateSae } from "../../../../../src/lib/sae/evaluate.js";
import * as metrics from "../../../../../src/lib/sae/metrics.js";
import { fromBasis, toBasis } from "../../../../../src/lib/sae/basis.js";
import { pcaBasis } from "../../../../../src/lib/sae/fit-basis.js";
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

  test("with a basis, the SAE reads the activations in it and is measured in the layer's own units", () => {
    const weights = randomWeights("topk");
    const random = mulberry32(5);
    // A 7-unit layer; PCA keeps all 7 directions, the first 6 of which the 6-input SAE reads.
    const layer = { rows: 30, cols: 7, data: Float32Array.from({ length: 210 }, () => Math.max(0, gaussian(random))) };
    const full = pcaBasis(layer);
    const basis = { ...full, dIn: 6, transform: full.transform.slice(0, 42), inverse: full.inverse.slice(0, 42) };
    const evaluation = evaluateSae(tf, weights, layer, { basis });
    const reconstruction = fromBasis(basis, reconstructActivations(tf, weights, toBasis(basis, layer)));
    assert.deepEqual(evaluation.reconstruction, reconstruction);
    assert.deepEqual(evaluation.codes, encodeActivations(tf, weights, toBasis(basis, layer)));
    assert.equal(evaluation.fractionVarianceExplained, metrics.fractionVarianceExplained(layer, reconstruction));
    assert.equal(evaluation.shrinkage, metrics.shrinkage(layer, reconstruction));
    assert.throws(() => evaluateSae(tf, weights, layer, { basis: full }), /the SAE reads 6 values, the pca basis gives 7/);
  });
});
