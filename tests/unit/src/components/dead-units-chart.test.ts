import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { deadUnitsChart } from "../../../../src/components/dead-units-chart.js";

describe("deadUnitsChart input checks", () => {
  test("dead + nearly dead cannot exceed the layer's units", () => {
    assert.throws(
      () => deadUnitsChart([{ epoch: 1, layer: "h1", dead: 5, nearlyDead: 4, units: 8 }]),
      /expected dead \+ nearlyDead ≤ units, found 5 \+ 4 > 8 \(layer "h1"\)/,
    );
  });
  test("a layer keeps its number of units across epochs", () => {
    const rows = [
      { epoch: 1, layer: "h1", dead: 0, nearlyDead: 0, units: 8 },
      { epoch: 2, layer: "h1", dead: 0, nearlyDead: 0, units: 16 },
    ];
    assert.throws(() => deadUnitsChart(rows), /rows\[1\]\.units: layer "h1" has 8 units in an earlier row, found 16/);
  });
  test("counts are non-negative integers", () => {
    assert.throws(
      () => deadUnitsChart([{ epoch: 1, layer: "h1", dead: 1.5, nearlyDead: 0, units: 8 }]),
      /rows\[0\]\.dead: expected a non-negative integer count, found 1\.5/,
    );
  });
});
