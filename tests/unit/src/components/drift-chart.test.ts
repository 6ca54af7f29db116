import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { driftChart } from "../../../../src/components/drift-chart.js";

describe("driftChart input checks", () => {
  test("standard deviations are non-negative", () => {
    assert.throws(() => driftChart([{ epoch: 0, layer: "h1", mean: 1, std: -0.1 }]), /rows\[0\]\.std: expected a non-negative standard deviation, found -0\.1/);
  });
  test("every row names its layer", () => {
    assert.throws(() => driftChart([{ epoch: 0, layer: 3 as unknown as string, mean: 1, std: 0 }]), /rows\[0\]\.layer: expected a layer name, found number/);
  });
});
