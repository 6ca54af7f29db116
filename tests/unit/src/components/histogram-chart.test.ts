import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { histogramChart } from "../../../../src/components/histogram-chart.js";

describe("histogramChart input checks", () => {
  test("needs counts.length + 1 edges", () => {
    assert.throws(
      () => histogramChart([{ label: "all", edges: [0, 1], counts: [1, 2] }]),
      /series\[0\]\.edges \("all"\): expected counts\.length \+ 1 = 3 bin edges, found 2/,
    );
  });
  test("edges must increase", () => {
    assert.throws(() => histogramChart([{ label: "all", edges: [0, 2, 1], counts: [1, 2] }]), /expected increasing edges, found 2 then 1 at 2/);
  });
  test("counts must be non-negative and labels distinct", () => {
    assert.throws(() => histogramChart([{ label: "a", edges: [0, 1], counts: [-1] }]), /counts\[0\] \("a"\): expected a non-negative count, found -1/);
    const s = { label: "a", edges: [0, 1], counts: [3] };
    assert.throws(() => histogramChart([s, s]), /series labels: expected distinct labels, found "a" twice/);
  });
  test("at least one series", () => {
    assert.throws(() => histogramChart([]), /histogramChart series: expected at least one entry, found none/);
  });
});
