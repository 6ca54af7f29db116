import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ActivationMatrix } from "../../../../../src/lib/analysis/types.js";
import { geometricMedian } from "../../../../../src/lib/sae/geometric-median.js";

const points = (rows: number[][]): ActivationMatrix => ({ rows: rows.length, cols: rows[0].length, data: Float32Array.from(rows.flat()) });
const assertNear = (actual: ArrayLike<number>, expected: number[], tol: number) =>
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) <= tol, `coordinate ${i}: expected ${e}, found ${actual[i]}`));

describe("geometric median (Weiszfeld)", () => {
  test("a point held by a majority of the rows is the median, whatever the mean says", () => {
    // Three rows at (1, 1) and two at (5, −3): the mean is (2.6, −0.6); moving off (1, 1) by a
    // small step raises three distances by about the step and lowers at most two.
    const majority = points([
      [1, 1],
      [1, 1],
      [1, 1],
      [5, -3],
      [5, -3],
    ]);
    const result = geometricMedian(majority, { tolerance: 1e-12 });
    assert.ok(result.converged, `stopped after ${result.iterations} iterations`);
    assertNear(result.median, [1, 1], 1e-6);
    // The default tolerance (1e-5 of the summed distance) stops sooner, near enough for b_dec's start.
    assertNear(geometricMedian(majority).median, [1, 1], 1e-3);
  });

  test("a triangle with an angle of 120° or more has its median at that corner", () => {
    // The angle at (0, 0) between (2, 0) and (−2, 0.2) is about 174°.
    assertNear(
      geometricMedian(
        points([
          [0, 0],
          [2, 0],
          [-2, 0.2],
        ]),
        { tolerance: 1e-12 },
      ).median,
      [0, 0],
      1e-6,
    );
  });

  test("an equilateral triangle's median is its centre; in one dimension, the middle value", () => {
    const h = Math.sqrt(3) / 2;
    assertNear(
      geometricMedian(
        points([
          [0, 0],
          [1, 0],
          [0.5, h],
        ]),
        { tolerance: 1e-12 },
      ).median,
      [0.5, h / 3],
      1e-6,
    );
    assertNear(geometricMedian(points([[0], [1], [10]]), { tolerance: 1e-12 }).median, [1], 1e-6);
  });

  test("identical rows converge at once; maxIterations bounds the work", () => {
    const same = geometricMedian(
      points([
        [2, 3],
        [2, 3],
      ]),
    );
    assert.deepEqual([same.iterations, same.converged], [0, true]);
    assertNear(same.median, [2, 3], 0);
    const capped = geometricMedian(points([[0], [1], [10]]), { maxIterations: 1, tolerance: 0 });
    assert.deepEqual([capped.iterations, capped.converged], [1, false]);
  });

  test("bad inputs are reported", () => {
    assert.throws(() => geometricMedian({ rows: 0, cols: 2, data: new Float32Array(0) }), /at least one point/);
    assert.throws(() => geometricMedian(points([[1]]), { tolerance: -1 }), /tolerance must be >= 0/);
  });
});
