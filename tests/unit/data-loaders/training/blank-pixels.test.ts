import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { blankPixelMask } from "../../../../data-loaders/training/blank-pixels.js";

// Four 3-pixel images: pixel 0 is 0 in 4 of 4, pixel 1 in 3 of 4, pixel 2 in 0 of 4.
const images = new Uint8Array([0, 0, 9, 0, 0, 1, 0, 7, 255, 0, 0, 3]);

describe("blankPixelMask", () => {
  test("marks the pixels that are 0 in at least the given fraction of images", () => {
    assert.deepEqual(Array.from(blankPixelMask(images, 4, 3, 0.75)), [1, 1, 0], "3 of 4 is exactly 0.75 and counts");
    assert.deepEqual(Array.from(blankPixelMask(images, 4, 3, 0.99)), [1, 0, 0]);
    assert.deepEqual(Array.from(blankPixelMask(images, 4, 3, 1)), [1, 0, 0]);
    assert.deepEqual(Array.from(blankPixelMask(images, 4, 3, 0.01)), [1, 1, 0]);
    // Only the first two images: pixel 1 is 0 in both.
    assert.deepEqual(Array.from(blankPixelMask(images, 2, 3, 1)), [1, 1, 0]);
  });

  test("a fraction k / n counts exactly k of n images, whatever its float rounding", () => {
    const hundred = new Uint8Array(100).fill(5);
    hundred.fill(0, 0, 7);
    assert.deepEqual(Array.from(blankPixelMask(hundred, 100, 1, 0.07)), [1]);
    assert.deepEqual(Array.from(blankPixelMask(hundred, 100, 1, 0.08)), [0]);
  });

  test("rejects bad arguments naming them", () => {
    assert.throws(() => blankPixelMask(images, 5, 3, 0.5), /count must be an integer in 1\.\.4 \(images holds that many\), got 5/);
    assert.throws(() => blankPixelMask(images, 0, 3, 0.5), /count must be an integer in 1\.\.4/);
    assert.throws(() => blankPixelMask(images, 4, 0, 0.5), /pixels must be a positive integer, got 0/);
    assert.throws(() => blankPixelMask(images, 4, 3, 0), /fraction must be in \(0, 1\], got 0/);
    assert.throws(() => blankPixelMask(images, 4, 3, 1.5), /fraction must be in \(0, 1\], got 1\.5/);
  });
});
