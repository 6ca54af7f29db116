import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  accuracy,
  argmaxRows,
  confusionDelta,
  confusionMatrix,
  perClassAccuracy,
  predictionShifts,
  type ConfusionMatrix,
} from "../../../../../../src/lib/analysis/predictions/confusion.js";

const predicted = [0, 1, 1, 2, 2, 2];
const labels = [0, 1, 2, 2, 2, 0];

describe("confusionMatrix", () => {
  test("rows are true classes, columns predictions", () => {
    const c = confusionMatrix(predicted, labels, 3);
    assert.deepEqual(Array.from(c.data), [1, 0, 1, 0, 1, 0, 0, 1, 2]);
  });

  test("predictions and labels are validated", () => {
    assert.throws(() => confusionMatrix([0, 1], labels, 3), /predicted: expected one label per example \(6\), found 2/);
    assert.throws(() => confusionMatrix([0, 1, 1, 2, 2, 3], labels, 3), /predicted\[5\]: expected an integer class in \[0, 3\), found 3/);
  });
});

describe("accuracy", () => {
  test("fraction correct", () => {
    assert.equal(accuracy(predicted, labels), 4 / 6);
    assert.ok(Number.isNaN(accuracy([], [])));
    assert.throws(() => accuracy([1], [1, 2]), /1 predictions and 2 labels/);
  });

  test("per class, NaN for an empty class", () => {
    const perClass = perClassAccuracy(confusionMatrix(predicted, labels, 4));
    assert.deepEqual(Array.from(perClass.subarray(0, 3)), [0.5, 1, 2 / 3]);
    assert.ok(Number.isNaN(perClass[3]));
  });
});

describe("changes between two confusion matrices", () => {
  // True class 2 (100 examples): baseline predicts 1 for 1 of them, modified for 12 of them.
  // True class 0: baseline 10 of 50 as 2, modified 5 of 50 (change -0.1).
  const baseline: ConfusionMatrix = { classes: 3, data: Uint32Array.of(40, 0, 10, 0, 20, 0, 0, 1, 99) };
  const modified: ConfusionMatrix = { classes: 3, data: Uint32Array.of(45, 0, 5, 0, 20, 0, 1, 12, 87) };

  test("confusionDelta is b - a", () => {
    assert.deepEqual(Array.from(confusionDelta(baseline, modified).data), [5, 0, -5, 0, 0, 0, 1, 11, -12]);
  });

  test("predictionShifts lists changed off-diagonal cells by |change|", () => {
    const shifts = predictionShifts(baseline, modified);
    assert.deepEqual(
      shifts.map((s) => [s.trueClass, s.predictedClass]),
      [
        [2, 1],
        [0, 2],
        [2, 0],
      ],
    );
    const [first, second] = shifts;
    assert.equal(first.fraction, 0.12);
    assert.equal(first.baselineFraction, 0.01);
    assert.ok(Math.abs(first.change - 0.11) < 1e-12);
    assert.ok(Math.abs(second.change + 0.1) < 1e-12);
  });

  test("minFraction drops small changes", () => {
    const shifts = predictionShifts(baseline, modified, { minFraction: 0.105 });
    assert.equal(shifts.length, 1);
    assert.equal(shifts[0].predictedClass, 1);
  });

  test("mismatched sizes are rejected", () => {
    const small: ConfusionMatrix = { classes: 2, data: new Uint32Array(4) };
    assert.throws(() => confusionDelta(baseline, small), /same number of classes, found 3 and 2/);
  });
});

describe("argmaxRows", () => {
  test("first index wins ties", () => {
    const logits = Float32Array.of(1, 3, 3, -1, -2, -0.5, 0, 0, 0);
    const result = argmaxRows(logits, 3, 3);
    assert.ok(result instanceof Uint8Array);
    assert.deepEqual(Array.from(result), [1, 2, 0]);
  });

  test("wide rows use Uint16Array", () => {
    const logits = new Float32Array(300);
    logits[299] = 1;
    const result = argmaxRows(logits, 1, 300);
    assert.ok(result instanceof Uint16Array);
    assert.equal(result[0], 299);
  });

  test("shape is validated", () => {
    assert.throws(() => argmaxRows(new Float32Array(5), 2, 3), /expected rows × cols = 2 × 3 = 6 values, found 5/);
  });
});
