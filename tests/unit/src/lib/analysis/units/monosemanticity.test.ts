import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { monosemanticity } from "../../../../../../src/lib/analysis/units/monosemanticity.js";

describe("monosemanticity score", () => {
  // 4 images, classes [0, 0, 1, 1]; unit 0 fires only on class 0, unit 1 equally on both,
  // unit 2 is negative on class 1 only (a signed unit), unit 3 is never active.
  const m = { rows: 4, cols: 4, data: Float32Array.from([2, 1, 0, 0, 4, 1, 0, 0, 0, 1, -3, 0, 0, 1, -1, 0]) };
  const labels = [0, 0, 1, 1];
  test("one class: 1; even: 0; magnitudes for signed units; silent: NaN (hand-computed)", () => {
    const s = monosemanticity(m, labels, 2);
    assert.equal(s[0], 1);
    assert.equal(s[1], 0);
    assert.equal(s[2], 1);
    assert.ok(Number.isNaN(s[3]));
  });
  test("a partial case: class means 3 and 1 → p = (0.75, 0.25), 1 − H/ln 2", () => {
    const partial = { rows: 4, cols: 1, data: Float32Array.from([2, 4, 1, 1]) };
    const p = [0.75, 0.25];
    const expected = 1 - -(p[0] * Math.log(p[0]) + p[1] * Math.log(p[1])) / Math.log(2);
    assert.ok(Math.abs(monosemanticity(partial, labels, 2)[0] - expected) < 1e-12);
  });
  test("class sizes do not matter: means, not sums", () => {
    // Class 0 has three images, class 1 one; the unit is 1 on every image: equally active, score 0.
    const even = { rows: 4, cols: 1, data: Float32Array.from([1, 1, 1, 1]) };
    assert.equal(monosemanticity(even, [0, 0, 0, 1], 2)[0], 0);
  });
});
