import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { formatBatchLine, formatCount, formatDuration, formatEpochLine, formatPenaltyLine, formatPercent } from "../../../../data-loaders/training/progress.js";

describe("progress formatting", () => {
  test("an epoch line in the agreed format", () => {
    const line = formatEpochLine({
      epoch: 3,
      epochs: 20,
      trainLoss: 0.28414,
      trainAccuracy: 0.91724,
      testAccuracy: 0.921,
      imagesPerSecond: 14210.4,
      etaSeconds: 72,
    });
    assert.equal(line, "epoch 3/20  loss 0.2841  acc 91.72%  test 92.10%  14,210 img/s  eta 1m12s");
  });

  test("epoch 0 has no throughput and, without an estimate, no eta", () => {
    assert.equal(
      formatEpochLine({ epoch: 0, epochs: 5, trainLoss: 2.3026, trainAccuracy: 0.1, testAccuracy: 0.098, imagesPerSecond: 0 }),
      "epoch 0/5  loss 2.3026  acc 10.00%  test 9.80%",
    );
  });

  test("with penalties, the epoch line shows their sum after the loss, and each penalty gets a line", () => {
    assert.equal(
      formatEpochLine({ epoch: 1, epochs: 5, trainLoss: 0.5, trainPenalty: 0.000123456, trainAccuracy: 0.9, testAccuracy: 0.91, imagesPerSecond: 1000 }),
      "epoch 1/5  loss 0.5000  penalty 0.0001235  acc 90.00%  test 91.00%  1,000 img/s",
    );
    assert.equal(
      formatPenaltyLine({ kind: "activation-l1", layers: ["relu_1", "relu_2"], coefficient: 0.001 }),
      "penalty activation-l1 x 0.001 on relu_1, relu_2",
    );
    assert.equal(
      formatPenaltyLine({ kind: "weight-l1", layer: "dense_1", coefficient: 0.01, inputs: "blank-pixels", blankFraction: 0.99, maskedPixels: 67, pixels: 784 }),
      "penalty weight-l1 x 0.01 on dense_1, rows of 67/784 pixels that are 0 in >= 99% of training images",
    );
  });

  test("a batch line", () => {
    assert.equal(
      formatBatchLine({ epoch: 2, epochs: 20, batch: 400, batches: 938, meanLoss: 0.30123, accuracy: 0.905, imagesPerSecond: 14100 }),
      "epoch 2/20  batch 400/938  loss 0.3012  acc 90.50%  14,100 img/s",
    );
  });

  test("durations, counts and percentages", () => {
    assert.equal(formatDuration(0), "0s");
    assert.equal(formatDuration(59.4), "59s");
    assert.equal(formatDuration(60), "1m00s");
    assert.equal(formatDuration(3725), "1h02m");
    assert.equal(formatDuration(Number.NaN), "?");
    assert.equal(formatCount(1234567.8), "1,234,568");
    assert.equal(formatPercent(1), "100.00%");
  });
});
