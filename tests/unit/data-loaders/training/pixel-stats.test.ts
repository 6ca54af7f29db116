import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { pixelStats } from "../../../../data-loaders/training/pixel-stats.js";

describe("pixelStats", () => {
  test("mean and population std of the pixels scaled to [0, 1]", () => {
    // Two 2-pixel images: 0, 1, 0, 1 -> mean 0.5, std 0.5.
    assert.deepEqual(pixelStats(new Uint8Array([0, 255, 0, 255]), 2, 2), { mean: 0.5, std: 0.5 });
    // Only the first image counts: 51 / 255 = 0.2 and 0.
    const { mean, std } = pixelStats(new Uint8Array([51, 0, 255, 255]), 1, 2);
    assert.ok(Math.abs(mean - 0.1) < 1e-12 && Math.abs(std - 0.1) < 1e-12, `mean ${mean}, std ${std}`);
  });

  test("rejects counts the images cannot hold", () => {
    assert.throws(() => pixelStats(new Uint8Array(6), 4, 2), /count must be an integer in 1\.\.3 \(images holds that many\), got 4/);
    assert.throws(() => pixelStats(new Uint8Array(6), 1, 0), /pixels must be a positive integer, got 0/);
  });
});
