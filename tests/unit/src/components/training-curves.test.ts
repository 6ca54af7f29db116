import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { trainingCurves } from "../../../../src/components/training-curves.js";

const entry = { epoch: 1, trainLoss: 0.5, trainAccuracy: 0.9, testLoss: 0.6, testAccuracy: 0.88 };

describe("trainingCurves input checks", () => {
  test("needs at least one epoch", () => {
    assert.throws(() => trainingCurves([]), /trainingCurves history: expected at least one entry, found none/);
  });
  test("accuracies are fractions", () => {
    assert.throws(
      () => trainingCurves([{ ...entry, testAccuracy: 88 }]),
      /history\[0\]\.testAccuracy: expected a fraction in \[0, 1\] \(not a percentage\), found 88/,
    );
  });
  test("epochs are finite numbers", () => {
    assert.throws(() => trainingCurves([{ ...entry, epoch: NaN }]), /history\[0\]\.epoch: expected a finite number, found NaN/);
  });
});
