import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { channelUnits } from "../../../../../../src/lib/analysis/units/channels.js";

describe("channels as units", () => {
  // Two examples of a 1×2 map with 2 channels: positions (c0, c1) = (1, 2), (3, 8) and (0, -1), (4, 5).
  const m = { rows: 2, cols: 4, shape: [1, 2, 2], data: Float32Array.from([1, 2, 3, 8, 0, -1, 4, 5]) };
  test("spatial mean and max per channel (hand-computed)", () => {
    assert.deepEqual([...channelUnits(m).data], [2, 5, 2, 2]);
    assert.deepEqual([...channelUnits(m, "max").data], [3, 8, 4, 5]);
    assert.equal(channelUnits(m).cols, 2);
  });
  test("a flat layer is returned as it is", () => {
    const flat = { rows: 1, cols: 3, data: Float32Array.from([1, 2, 3]) };
    assert.equal(channelUnits(flat), flat);
  });
});
