import { test } from "node:test";
import assert from "node:assert/strict";
import { trainingFailure } from "../../../../../src/lib/sae/training-failure.js";

const sae = (fve: number, dead: number[], losses: number[], dSae = 4) => ({
  config: { dSae } as never,
  metrics: { fractionVarianceExplained: fve, dead } as never,
  history: losses.map((loss, i) => ({ step: i + 1, loss, mse: 0, l0: 0, deadFraction: 0 })),
});

test("a healthy SAE has no failure", () => {
  assert.equal(trainingFailure(sae(0.8, [1], [2, 1, 0.5])), null);
});

test("variance explained below 0 is a failure, with its value", () => {
  assert.equal(trainingFailure(sae(-8.77, [], [2, 1])), "variance explained -8.77, worse than predicting the mean");
  assert.match(trainingFailure(sae(NaN, [], [2, 1])) ?? "", /variance explained NaN/);
});

test("every latent dead is a failure, even with a positive variance explained", () => {
  assert.equal(trainingFailure(sae(0.1, [0, 1, 2, 3], [2, 1])), "all 4 latents are dead");
});

test("a loss that ended above where it began is a failure", () => {
  assert.equal(trainingFailure(sae(0.3, [], [1, 0.5, 1.5])), "its training loss rose from 1.00 to 1.50");
  assert.match(trainingFailure(sae(0.3, [], [1, NaN])) ?? "", /loss rose/);
});
