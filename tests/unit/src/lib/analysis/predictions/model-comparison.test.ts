import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { firstEpochReaching, generalizationGap, median } from "../../../../../../src/lib/analysis/predictions/model-comparison.js";

const epoch = (e: number, train: number, test: number) => ({
  epoch: e,
  trainLoss: 0,
  trainAccuracy: train,
  testLoss: 0,
  testAccuracy: test,
  imagesPerSecond: 0,
  seconds: 0,
});
const history = [epoch(0, 0.1, 0.1), epoch(1, 0.9, 0.88), epoch(2, 0.95, 0.9), epoch(3, 0.97, 0.9)];

describe("model comparison", () => {
  test("first epoch reaching a test accuracy", () => {
    assert.equal(firstEpochReaching(history, 0.9), 2);
    assert.equal(firstEpochReaching(history, 0.05), 0);
    assert.equal(firstEpochReaching(history, 0.95), null);
  });
  test("generalization gap is train minus test accuracy", () => {
    assert.deepEqual(
      generalizationGap(history).map((g) => Math.round(g.gap * 100) / 100),
      [0, 0.02, 0.05, 0.07],
    );
  });
  test("median of finite values", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, NaN, 3]), 2.5);
    assert.ok(Number.isNaN(median([NaN])));
  });
});
