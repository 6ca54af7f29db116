// Input checks only: they run before anything touches the DOM, so Node can test them.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { heatmap, type HeatmapInput } from "../../../../src/components/heatmap.js";

const base: HeatmapInput = { rows: 2, cols: 3, data: [1, 2, 3, 4, 5, 6], xLabel: "unit", yLabel: "class", scheme: "sequential" };

describe("heatmap input checks", () => {
  test("data length must be rows × cols", () => {
    assert.throws(() => heatmap({ ...base, data: [1, 2, 3] }), /heatmap data \(rows × cols = 2 × 3\): expected 6 values, found 3/);
  });
  test("labels must match the shape and be distinct", () => {
    assert.throws(() => heatmap({ ...base, rowLabels: ["a"] }), /heatmap rowLabels: expected 2 values, found 1/);
    assert.throws(() => heatmap({ ...base, colLabels: ["x", "y", "x"] }), /heatmap colLabels: expected distinct labels, found "x" twice/);
  });
  test("infinite values are rejected with their position, NaN is not", () => {
    assert.throws(
      () => heatmap({ ...base, data: [1, 2, 3, 4, Infinity, 6] }),
      /heatmap data\[4\] \(row 1, col 1\): expected a finite number or NaN, found Infinity/,
    );
  });
  test("a diverging domain must contain 0", () => {
    assert.throws(() => heatmap({ ...base, scheme: "diverging", domain: [1, 2] }), /expected low ≤ 0 ≤ high, found \[1, 2\]/);
  });
  test("highlighted cells must be inside the matrix", () => {
    assert.throws(
      () => heatmap({ ...base, highlightCells: [{ row: 2, col: 0 }] }),
      /heatmap highlightCells\[0\]: expected row in \[0, 1\] and col in \[0, 2\], found row 2, col 0/,
    );
  });
});
