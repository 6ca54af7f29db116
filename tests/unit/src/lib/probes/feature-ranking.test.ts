import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { anovaF, rankFeatures, selectColumns, sparseSizes } from "../../../../../src/lib/probes/feature-ranking.js";

describe("sparse probes' column ranking", () => {
  test("the ANOVA F statistic of a hand-computed example", () => {
    // Column 0: class 0 = 1, 2, 3 (mean 2), class 1 = 5, 6, 7 (mean 6); grand mean 4.
    //   between = 3·(2−4)² + 3·(6−4)² = 24 over 1 degree of freedom; within = 2 + 2 = 4 over 4: F = 24.
    // Column 1: the same values in both classes (1, 2, 3): between = 0, F = 0.
    // Column 2: constant 5: F = 0. Column 3: class 0 = 0, class 1 = 1, no variance within: F = ∞.
    const rows = [
      [1, 1, 5, 0],
      [2, 2, 5, 0],
      [3, 3, 5, 0],
      [5, 1, 5, 1],
      [6, 2, 5, 1],
      [7, 3, 5, 1],
    ];
    const x = { rows: 6, cols: 4, data: Float32Array.from(rows.flat()) };
    const labels = Uint8Array.of(0, 0, 0, 1, 1, 1);
    const f = anovaF(x, labels, 2);
    assert.ok(Math.abs(f[0] - 24) < 1e-9, `F ${f[0]}`);
    assert.equal(f[1], 0);
    assert.equal(f[2], 0);
    assert.equal(f[3], Infinity);
    assert.deepEqual(Array.from(rankFeatures(x, labels, 2)), [3, 0, 1, 2]);
  });

  test("sizes and column selection", () => {
    assert.deepEqual(sparseSizes(5), [1, 2, 4, 5]);
    assert.deepEqual(sparseSizes(8), [1, 2, 4, 8]);
    assert.deepEqual(sparseSizes(1), [1]);
    const x = { rows: 2, cols: 3, data: Float32Array.of(1, 2, 3, 4, 5, 6) };
    assert.deepEqual(selectColumns(x, [2, 0]), { rows: 2, cols: 2, data: Float32Array.of(3, 1, 6, 4) });
    assert.throws(() => selectColumns(x, [3]), /column 3 is not one of the 3/);
  });
});
