import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { fitStandardizer, standardize } from "../../../../../src/lib/probes/standardize.js";

const close = (actual: ArrayLike<number>, expected: number[], tolerance = 1e-6) =>
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) <= tolerance, `[${i}] = ${actual[i]}, expected ${e}`));

describe("standardizing a probe's columns", () => {
  test("hand-computed mean and population standard deviation", () => {
    // Column 0: 1, 2, 6 → mean 3, deviations −2, −1, 3, variance (4 + 1 + 9)/3 = 14/3.
    // Column 1: 10, 10, 10 → mean 10, no variance: scale 1, every value becomes 0.
    const x = { rows: 3, cols: 2, data: Float32Array.of(1, 10, 2, 10, 6, 10) };
    const s = fitStandardizer(x);
    close(s.mean, [3, 10], 0);
    close(s.scale, [Math.sqrt(14 / 3), 1], 1e-12);
    const z = standardize(s, x);
    assert.equal(z.rows, 3);
    assert.equal(z.cols, 2);
    assert.ok(z.data instanceof Float32Array);
    const std = Math.sqrt(14 / 3);
    close(z.data, [-2 / std, 0, -1 / std, 0, 3 / std, 0]);
    // The training rows come out with mean 0 and standard deviation 1 (or 0 for the constant column).
    close(fitStandardizer(z).mean, [0, 0]);
  });

  test("new rows use the training statistics", () => {
    const s = fitStandardizer({ rows: 2, cols: 1, data: Float32Array.of(0, 4) }); // mean 2, std 2
    close(standardize(s, { rows: 2, cols: 1, data: Float32Array.of(8, -2) }).data, [3, -2]);
  });

  test("a wrong width or an empty fit is named", () => {
    const s = fitStandardizer({ rows: 1, cols: 2, data: Float32Array.of(1, 2) });
    assert.throws(() => standardize(s, { rows: 1, cols: 3, data: new Float32Array(3) }), /fitted on 2 columns, given 3/);
    assert.throws(() => fitStandardizer({ rows: 0, cols: 2, data: new Float32Array(0) }), /expected at least 1 row, found 0/);
    assert.throws(() => fitStandardizer({ rows: 2, cols: 2, data: new Float32Array(3) }), /expected data.length = rows × cols = 2 × 2 = 4, found 3/);
  });
});
