import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { perClassAccuracyChart } from "../../../../src/components/accuracy-bars.js";

describe("perClassAccuracyChart input checks", () => {
  test("one accuracy per class", () => {
    assert.throws(
      () => perClassAccuracyChart({ classNames: ["0", "1"], baseline: [0.9], modified: [0.9, 0.8] }),
      /baseline \(one per class\): expected 2 values, found 1/,
    );
  });
  test("accuracies are fractions, not percentages", () => {
    assert.throws(
      () => perClassAccuracyChart({ classNames: ["0"], baseline: [0.9], modified: [85] }),
      /modified\[0\]: expected a fraction in \[0, 1\] \(not a percentage\), found 85/,
    );
  });
  test("the two series need different names", () => {
    assert.throws(
      () => perClassAccuracyChart({ classNames: ["0"], baseline: [0.9], modified: [0.8] }, { baselineLabel: "x", modifiedLabel: "x" }),
      /expected different series labels, found "x" twice/,
    );
  });
});
