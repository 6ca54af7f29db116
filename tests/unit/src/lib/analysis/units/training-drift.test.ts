import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { deadUnitRows, driftRows, unitMeanByEpoch, valueRange, type EpochUnits } from "../../../../../../src/lib/analysis/units/training-drift.js";
import type { LayerUnits } from "../../../../../../src/lib/network/units.js";

// Two epochs of a 2-unit flat layer on 4 examples; unit 1 is dead at epoch 0 and wakes up at epoch 1.
function flat(values: number[]): LayerUnits {
  const m = { rows: 4, cols: 2, data: Float32Array.from(values) };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return { mean: m, max: m, peak: null, map: null, stats: { mean, std, min: Math.min(...values), max: Math.max(...values), count: values.length } };
}
const epochs: EpochUnits[] = [
  { epoch: 0, layers: { relu_1: flat([1, 0, 3, 0, 0, 0, 4, 0]) } },
  { epoch: 1, layers: { relu_1: flat([2, 1, 2, 0, 2, 0, 2, 3]) } },
];

describe("training drift", () => {
  test("driftRows reads each layer's mean and std per epoch", () => {
    const rows = driftRows(epochs, ["relu_1"]);
    assert.equal(rows.length, 2);
    assert.equal(rows[0].mean, 1); // (1+3+4)/8
    assert.ok(Math.abs(rows[0].std - Math.sqrt((1 + 9 + 16) / 8 - 1)) < 1e-12);
    assert.equal(rows[1].mean, 12 / 8);
  });

  test("deadUnitRows counts units never active (dead) and active on under the threshold fraction", () => {
    assert.deepEqual(deadUnitRows(epochs, ["relu_1"]), [
      { epoch: 0, layer: "relu_1", dead: 1, nearlyDead: 0, units: 2 },
      { epoch: 1, layer: "relu_1", dead: 0, nearlyDead: 0, units: 2 },
    ]);
    // Unit 1 is active on 2 of 4 examples at epoch 1: nearly dead under a 60% threshold.
    assert.equal(deadUnitRows(epochs, ["relu_1"], 0.6)[1].nearlyDead, 1);
  });

  test("unitMeanByEpoch lays out units × epochs", () => {
    const { units, epochs: n, data } = unitMeanByEpoch(epochs, "relu_1");
    assert.equal(units, 2);
    assert.equal(n, 2);
    assert.deepEqual([...data], [2, 2, 0, 1]);
  });

  test("valueRange spans every epoch", () => {
    assert.deepEqual(valueRange(epochs, "relu_1"), [0, 4]);
  });

  test("names a missing layer", () => {
    assert.throws(() => driftRows(epochs, ["relu_9"]), /epoch 0: no activations for layer "relu_9"; found relu_1/);
  });
});
