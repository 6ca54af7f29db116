import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { initTrainingBackend } from "../../../../data-loaders/training/node-backend.js";
import { maxPoolGradInto } from "../../../../data-loaders/training/wasm-pool-gradients.js";
import { mulberry32 } from "../../../../src/lib/random.js";

const { tf } = await initTrainingBackend({ backend: "wasm" });

type Shape4 = [number, number, number, number];

/** Gradient of sum(maxPool(x) * weights) w.r.t. x on `backend`. */
async function poolGradient(
  backend: "cpu" | "wasm",
  x: Float32Array,
  shape: Shape4,
  filterSize: number,
  strides: number,
  pad: "same" | "valid",
): Promise<Float32Array> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const dx = tf.tidy(() => {
    const input = tf.tensor4d(x, shape);
    const grad = tf.grad((xi: import("@tensorflow/tfjs").Tensor) => {
      const y = tf.maxPool(xi as import("@tensorflow/tfjs").Tensor4D, filterSize, strides, pad);
      return tf.sum(tf.mul(y, tf.add(tf.range(0, y.size).reshape(y.shape), 1)));
    });
    return grad(input).dataSync() as Float32Array;
  });
  assert.equal(tf.memory().numTensors, before, `${backend} max pool gradient leaked tensors`);
  return dx;
}

describe("wasm MaxPoolGrad", () => {
  const random = mulberry32(4);
  const shape: Shape4 = [2, 7, 9, 3];
  const size = shape.reduce((a, b) => a * b);
  const distinct = Float32Array.from({ length: size }, () => random() * 2 - 1);
  // Coarse values (0, 0.5, 1) make ties within windows common.
  const tied = Float32Array.from({ length: size }, () => Math.floor(random() * 3) / 2);

  const cases: [string, Float32Array, number, number, "same" | "valid"][] = [
    ["2x2 stride 2 valid", distinct, 2, 2, "valid"],
    ["3x3 stride 2 same (padding, overlap)", distinct, 3, 2, "same"],
    ["3x3 stride 1 same (heavy overlap)", distinct, 3, 1, "same"],
    ["2x2 stride 2 valid with ties", tied, 2, 2, "valid"],
    ["3x3 stride 1 same with ties", tied, 3, 1, "same"],
  ];
  for (const [label, x, filterSize, strides, pad] of cases) {
    test(`matches the cpu backend exactly: ${label}`, async () => {
      const cpu = await poolGradient("cpu", x, shape, filterSize, strides, pad);
      const wasm = await poolGradient("wasm", x, shape, filterSize, strides, pad);
      assert.deepEqual(Array.from(wasm), Array.from(cpu));
    });
  }

  test("maxPoolGradInto routes each window's gradient to its first maximum", () => {
    // One 2x4 single-channel image, 2x2 windows with stride 2: two windows.
    const info = tf.backend_util.computePool2DInfo([1, 2, 4, 1], 2, 2, 1, "valid");
    const x = Float32Array.from([1, 5, 7, 7, 3, 2, 7, 0]);
    const dy = Float32Array.from([10, 20]);
    const dx = new Float32Array(8).fill(-1);
    maxPoolGradInto(x, dy, info, dx);
    // Window 1 (1,5,3,2): max 5 at index 1. Window 2 (7,7,7,0): tie, the first 7 (index 2) wins.
    assert.deepEqual(Array.from(dx), [0, 10, 20, 0, 0, 0, 0, 0]);
  });
});
