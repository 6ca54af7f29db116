import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { columnOf, histogram, layerMeanStd, unitMeans, unitStds } from "../../../../../../src/lib/analysis/units/stats.js";
import type { ActivationMatrix } from "../../../../../../src/lib/analysis/types.js";

const close = (actual: number, expected: number, tol = 1e-9) => assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, found ${actual}`);

// 3 examples × 2 units: [[1, 2], [3, 4], [5, 9]]
const m: ActivationMatrix = { rows: 3, cols: 2, data: Float32Array.of(1, 2, 3, 4, 5, 9) };

describe("histogram", () => {
  test("counts values, clamping outliers into the end bins and max into the last bin", () => {
    const { edges, counts } = histogram([0, 0.5, 1, 1.5, 2, -1, 3, NaN], { bins: 2, min: 0, max: 2 });
    assert.deepEqual(Array.from(edges), [0, 1, 2]);
    // bin 0: 0, 0.5, -1 (clamped); bin 1: 1, 1.5, 2 (max), 3 (clamped); NaN skipped
    assert.deepEqual(Array.from(counts), [3, 4]);
  });

  test("bins are half-open at their upper edge", () => {
    const { counts } = histogram(Float32Array.of(0.25, 0.5, 0.74, 0.75), { bins: 4, min: 0, max: 1 });
    assert.deepEqual(Array.from(counts), [0, 1, 2, 1]);
  });

  test("rejects bad options", () => {
    assert.throws(() => histogram([1], { bins: 0, min: 0, max: 1 }), /bins: expected a positive integer, found 0/);
    assert.throws(() => histogram([1], { bins: 2, min: 1, max: 1 }), /expected finite min < max/);
  });
});

describe("per-unit and per-layer statistics", () => {
  test("unitMeans", () => {
    assert.deepEqual(Array.from(unitMeans(m)), [3, 5]);
  });

  test("unitStds is the population standard deviation", () => {
    const stds = unitStds(m);
    close(stds[0], Math.sqrt(8 / 3)); // deviations -2, 0, 2
    close(stds[1], Math.sqrt(26 / 3)); // deviations -3, -1, 4
  });

  test("layerMeanStd over all entries", () => {
    const { mean, std } = layerMeanStd(m);
    close(mean, 4);
    close(std, Math.sqrt(40 / 6)); // squared deviations 9, 4, 1, 0, 1, 25
  });

  test("columnOf copies one unit", () => {
    assert.deepEqual(Array.from(columnOf(m, 1)), [2, 4, 9]);
    assert.throws(() => columnOf(m, 2), /unit: expected an integer unit index in \[0, 2\), found 2/);
  });

  test("a matrix whose data does not match rows × cols is rejected", () => {
    const bad: ActivationMatrix = { rows: 3, cols: 2, data: new Float32Array(5) };
    assert.throws(() => unitMeans(bad), /expected data.length = rows × cols = 3 × 2 = 6, found 5/);
    const wrongType = { rows: 1, cols: 1, data: [1] } as unknown as ActivationMatrix;
    assert.throws(() => unitMeans(wrongType), /expected a Float32Array, found Array of length 1/);
  });
});
