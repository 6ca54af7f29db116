import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { classCounts, classMeans } from "../../../../../../src/lib/analysis/units/class-means.js";
import type { ActivationMatrix } from "../../../../../../src/lib/analysis/types.js";

// 4 examples × 2 units, labels 0, 1, 0, 2.
const m: ActivationMatrix = { rows: 4, cols: 2, data: Float32Array.of(1, 10, 2, 20, 3, 30, 4, 40) };
const labels = Uint8Array.of(0, 1, 0, 2);

describe("classMeans", () => {
  test("class × unit means, NaN row for a class without examples", () => {
    const means = classMeans(m, labels, 4);
    assert.equal(means.classes, 4);
    assert.equal(means.units, 2);
    assert.deepEqual(Array.from(means.data.subarray(0, 6)), [2, 20, 2, 20, 4, 40]);
    assert.ok(Number.isNaN(means.data[6]) && Number.isNaN(means.data[7]));
  });

  test("labels are validated", () => {
    assert.throws(() => classMeans(m, [0, 1, 0], 3), /labels: expected one label per example \(4\), found 3/);
    assert.throws(() => classMeans(m, [0, 1, 0, 3], 3), /labels\[3\]: expected an integer class in \[0, 3\), found 3/);
    assert.throws(() => classMeans(m, [0, 1.5, 0, 0], 3), /labels\[1\]: expected an integer class/);
    assert.throws(() => classMeans(m, labels, 0), /numClasses: expected a positive integer, found 0/);
  });
});

describe("classCounts", () => {
  test("counts examples per class", () => {
    assert.deepEqual(Array.from(classCounts(labels, 4)), [2, 1, 1, 0]);
  });
});
