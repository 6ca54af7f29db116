import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { receptiveField } from "../../../../../src/lib/network/receptive-field.js";
import type { Network, NetworkLayer } from "../../../../../src/lib/network/network.js";

const conv = (name: string, inChannels: number, filters: number, padding: "valid" | "same" = "valid"): NetworkLayer => ({
  kind: "conv2d",
  name,
  kernelSize: [3, 3],
  strides: [1, 1],
  padding,
  inChannels,
  filters,
  kernel: new Float32Array(9 * inChannels * filters),
  bias: new Float32Array(filters),
});
const pool = (name: string): NetworkLayer => ({ kind: "maxpool", name, poolSize: [2, 2], strides: [2, 2], padding: "valid" });

// The project's CNN: 28×28 -> conv 3×3 (26) -> pool 2 (13) -> conv 3×3 (11) -> pool 2 (5) -> dense.
const cnn: Network = {
  name: "cnn",
  inputShape: [784],
  layers: [
    { kind: "reshape", name: "reshape", shape: [28, 28, 1] },
    conv("conv_1", 1, 2),
    { kind: "relu", name: "relu_1" },
    pool("pool_1"),
    conv("conv_2", 2, 2),
    { kind: "relu", name: "relu_2" },
    pool("pool_2"),
    { kind: "flatten", name: "flatten" },
    { kind: "dense", name: "logits", inputSize: 50, units: 2, kernel: new Float32Array(100), bias: new Float32Array(2) },
  ],
};

describe("receptive fields (hand-computed)", () => {
  test("a first-layer unit sees the 3×3 patch under its kernel", () => {
    assert.deepEqual(receptiveField(cnn, "conv_1", [0, 0]), { top: 0, left: 0, bottom: 2, right: 2 });
    assert.deepEqual(receptiveField(cnn, "relu_1", [25, 10]), { top: 25, left: 10, bottom: 27, right: 12 });
  });
  test("pooling doubles the stride: pool_1 [r, c] covers conv_1 rows 2r..2r+1, pixels 2r..2r+3", () => {
    assert.deepEqual(receptiveField(cnn, "pool_1", [3, 5]), { top: 6, left: 10, bottom: 9, right: 13 });
  });
  test("a second-layer unit sees 8×8 pixels; pool_2 sees 10×10", () => {
    // conv_2 [r, c] reads pool_1 rows r..r+2 = conv_1 rows 2r..2r+5 = pixels 2r..2r+7.
    assert.deepEqual(receptiveField(cnn, "conv_2", [1, 2]), { top: 2, left: 4, bottom: 9, right: 11 });
    // pool_2 [r, c] = conv_2 rows 2r..2r+1 = pixels 4r..4r+9.
    assert.deepEqual(receptiveField(cnn, "pool_2", [4, 4]), { top: 16, left: 16, bottom: 25, right: 25 });
  });
  test("same padding is clipped to the image", () => {
    const same: Network = {
      ...cnn,
      layers: [
        cnn.layers[0],
        conv("conv_1", 1, 2, "same"),
        { kind: "flatten", name: "flatten" },
        { kind: "dense", name: "logits", inputSize: 28 * 28 * 2, units: 2, kernel: new Float32Array(28 * 28 * 4), bias: new Float32Array(2) },
      ],
    };
    assert.deepEqual(receptiveField(same, "conv_1", [0, 0]), { top: 0, left: 0, bottom: 1, right: 1 });
    assert.deepEqual(receptiveField(same, "conv_1", [27, 5]), { top: 26, left: 4, bottom: 27, right: 6 });
  });
  test("positions outside the map and flat layers are refused", () => {
    assert.throws(() => receptiveField(cnn, "conv_1", [26, 0]), /position \[26, 0\] is outside conv_1's 26×26 map/);
    assert.throws(() => receptiveField(cnn, "logits", [0, 0]), /logits is not a spatial map/);
  });
});
