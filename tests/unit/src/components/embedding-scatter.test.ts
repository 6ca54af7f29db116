import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { embeddingScatter } from "../../../../src/components/embedding-scatter.js";

describe("embeddingScatter input checks", () => {
  test("points are n × 2 for n labels", () => {
    assert.throws(
      () => embeddingScatter({ points: [0, 0, 1], labels: [0, 1], classNames: ["a", "b"] }),
      /expected 2 × labels\.length = 4 coordinates \(n × 2, row-major\), found 3/,
    );
  });
  test("labels index the class names", () => {
    assert.throws(
      () => embeddingScatter({ points: [0, 0, 1, 1], labels: [0, 2], classNames: ["a", "b"] }),
      /labels\[1\]: expected a class index in \[0, 1\], found 2/,
    );
  });
  test("infinite coordinates are rejected", () => {
    assert.throws(
      () => embeddingScatter({ points: [0, Infinity], labels: [0], classNames: ["a"] }),
      /points\[0\]: expected finite coordinates or NaN, found \(0, Infinity\)/,
    );
  });
});
