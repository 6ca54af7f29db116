import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { peaksInBand, topPeaks, unitPeaks } from "../../../../../../src/lib/analysis/units/top-activations.js";

// Three examples of a 2×2 map with 2 channels, reduced to maxima: channel 1 peaks at 5 in
// position 1 ([0, 1]), at 7 in position 3 ([1, 1]) and at 3 in position 0 ([0, 0]).
const m = {
  max: { rows: 3, cols: 2, data: Float32Array.from([-1, 5, -1, 7, -1, 3]) },
  peak: Int32Array.from([0, 1, 0, 3, 0, 0]),
  map: [2, 2] as [number, number],
};

describe("unit peaks (hand-computed)", () => {
  test("each example's peak and its position in the map", () => {
    assert.deepEqual(unitPeaks(m, 1), [
      { example: 0, value: 5, position: [0, 1] },
      { example: 1, value: 7, position: [1, 1] },
      { example: 2, value: 3, position: [0, 0] },
    ]);
  });
  test("top k, highest first", () => {
    assert.deepEqual(
      topPeaks(unitPeaks(m, 1), 2).map((p) => p.example),
      [1, 0],
    );
  });
  test("a flat layer: the unit's value, position [0, 0]", () => {
    const flat = { max: { rows: 2, cols: 2, data: Float32Array.from([1, 2, 3, 4]) }, peak: null, map: null };
    assert.deepEqual(
      unitPeaks(flat, 1).map((p) => [p.value, p.position]),
      [
        [2, [0, 0]],
        [4, [0, 0]],
      ],
    );
  });
  test("bands of lower peaks", () => {
    const peaks = Array.from({ length: 100 }, (_, i) => ({ example: i, value: i, position: [0, 0] as [number, number] }));
    assert.deepEqual(
      peaksInBand(peaks, 0.5, 0.75, 3).map((p) => p.example),
      [70, 62, 54],
    );
    assert.throws(() => peaksInBand(peaks, 0.8, 0.2, 3), /0 ≤ from < to ≤ 1/);
    assert.throws(() => unitPeaks(m, 2), /unitPeaks unit/);
  });
});
