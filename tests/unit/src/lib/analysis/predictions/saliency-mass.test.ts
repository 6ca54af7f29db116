import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { backgroundMass } from "../../../../../../src/lib/analysis/predictions/saliency-mass.js";

describe("saliency background mass", () => {
  test("share of |gradient| on background pixels, per image and on average (hand-computed)", () => {
    // Image 0: |g| = 1, 3 (pixel 1 is background) → 3/4. Image 1: |g| = 2, 2 (none background) → 0.
    const gradients = Float32Array.from([1, -3, 2, -2]);
    const images = [Uint8Array.from([9, 0]), Uint8Array.from([5, 7])];
    const result = backgroundMass(gradients, 2, 2, (n, p) => images[n][p] === 0);
    assert.deepEqual([...result.perImage], [0.75, 0]);
    assert.equal(result.mean, 0.375);
  });
  test("an all-zero gradient is NaN for that image and left out of the mean", () => {
    const result = backgroundMass(Float32Array.from([0, 0, 1, 1]), 2, 2, (_, p) => p === 0);
    assert.ok(Number.isNaN(result.perImage[0]));
    assert.equal(result.mean, 0.5);
  });
  test("wrong sizes are reported", () => {
    assert.throws(() => backgroundMass(new Float32Array(3), 2, 2, () => true), /expected count × pixels = 4 gradient values, found 3/);
  });
});
