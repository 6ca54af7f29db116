import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { sweepChart } from "../../../../src/components/sweep-chart.js";

describe("sweepChart input checks", () => {
  test("one row of class accuracies per scale, one value per class", () => {
    assert.throws(
      () => sweepChart({ scales: [0, 1], perClassAccuracy: [[0.5, 0.5]], overall: [0.5, 0.5], classNames: ["a", "b"] }),
      /perClassAccuracy \(one row per scale\): expected 2 values, found 1/,
    );
    assert.throws(
      () => sweepChart({ scales: [0], perClassAccuracy: [[0.5]], overall: [0.5], classNames: ["a", "b"] }),
      /perClassAccuracy\[0\] \(one per class\): expected 2 values, found 1/,
    );
  });
  test("overall accuracies are fractions", () => {
    assert.throws(
      () => sweepChart({ scales: [0], perClassAccuracy: [[0.5]], overall: [50], classNames: ["a"] }),
      /overall\[0\]: expected a fraction in \[0, 1\]/,
    );
  });
  test("current must be a number", () => {
    assert.throws(
      () => sweepChart({ scales: [0], perClassAccuracy: [[0.5]], overall: [0.5], classNames: ["a"], current: NaN }),
      /sweepChart current: expected a finite number, found NaN/,
    );
  });
});
