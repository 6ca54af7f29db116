import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { initTrainingBackend } from "../../../../data-loaders/training/node-backend.js";
import { fillTransposedPatches } from "../../../../data-loaders/training/wasm-conv-gradients.js";
import { mulberry32 } from "../../../../src/lib/random.js";
import type { TF } from "../../../../src/lib/tf-types.js";

const { tf } = await initTrainingBackend({ backend: "wasm" });

function values(n: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n }, () => random() * 2 - 1);
}

type Shape4 = [number, number, number, number];

/** Gradients of sum(conv2d(x, w) * weights) w.r.t. x and w, computed on `backend`. */
async function convGradients(
  backend: "cpu" | "wasm",
  xShape: Shape4,
  filterShape: Shape4,
  strides: number,
  pad: "same" | "valid",
): Promise<{ dx: Float32Array; dw: Float32Array }> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const result = tf.tidy(() => {
    const x = tf.tensor4d(values(xShape.reduce((a, b) => a * b), 1), xShape);
    const w = tf.tensor4d(values(filterShape.reduce((a, b) => a * b), 2), filterShape);
    const loss = (xi: import("@tensorflow/tfjs").Tensor, wi: import("@tensorflow/tfjs").Tensor) => {
      const y = tf.conv2d(xi as import("@tensorflow/tfjs").Tensor4D, wi as import("@tensorflow/tfjs").Tensor4D, strides, pad);
      // Distinct per-output weights, so every output's gradient path is checked.
      return tf.sum(tf.mul(y, tf.tensor(values(y.size, 3), y.shape)));
    };
    const [dx, dw] = tf.grads(loss)([x, w]);
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
  assert.equal(tf.memory().numTensors, before, `${backend} conv gradients leaked tensors`);
  return result;
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  return a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i])), 0);
}

describe("wasm conv gradients", () => {
  test("the wasm backend has a Conv2DBackpropFilter kernel", () => {
    assert.ok(tf.getKernel("Conv2DBackpropFilter", "wasm") !== undefined);
  });

  const cases: [string, Shape4, Shape4, number, "same" | "valid"][] = [
    ["3x3 same, stride 1", [2, 7, 6, 3], [3, 3, 3, 4], 1, "same"],
    ["3x3 valid, stride 1", [2, 7, 6, 3], [3, 3, 3, 4], 1, "valid"],
    ["3x3 same, stride 2 (uneven padding)", [2, 8, 7, 2], [3, 3, 2, 5], 2, "same"],
    ["2x4 valid, stride 2", [1, 9, 9, 1], [2, 4, 1, 3], 2, "valid"],
    ["5x5 same, one channel in, 8 out", [3, 12, 12, 1], [5, 5, 1, 8], 1, "same"],
  ];
  for (const [label, xShape, filterShape, strides, pad] of cases) {
    test(`filter and input gradients match the cpu backend within 1e-4: ${label}`, async () => {
      const cpu = await convGradients("cpu", xShape, filterShape, strides, pad);
      const wasm = await convGradients("wasm", xShape, filterShape, strides, pad);
      assert.ok(maxDifference(cpu.dw, wasm.dw) < 1e-4, `filter gradient differs by ${maxDifference(cpu.dw, wasm.dw)}`);
      assert.ok(maxDifference(cpu.dx, wasm.dx) < 1e-4, `input gradient differs by ${maxDifference(cpu.dx, wasm.dx)}`);
      assert.ok(cpu.dw.some((v) => Math.abs(v) > 0.1), "degenerate case: the filter gradient is all near zero");
    });
  }

  test("fillTransposedPatches writes im2col columns (kh, kw, ci) by rows (n, oh, ow), zero-padded", () => {
    // One 3x3 single-channel image 1..9, 2x2 filter, "same" padding puts the pad at bottom/right.
    const info = (tf as TF).backend_util.computeConv2DInfo([1, 3, 3, 1], [2, 2, 1, 1], 1, 1, "same");
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const out = new Float32Array(9 * 4).fill(-1);
    fillTransposedPatches(x, info, out);
    const column = (c: number) => Array.from(out.subarray(c * 9, c * 9 + 9));
    assert.deepEqual(column(0), [1, 2, 3, 4, 5, 6, 7, 8, 9]); // (kh 0, kw 0)
    assert.deepEqual(column(1), [2, 3, 0, 5, 6, 0, 8, 9, 0]); // (kh 0, kw 1)
    assert.deepEqual(column(2), [4, 5, 6, 7, 8, 9, 0, 0, 0]); // (kh 1, kw 0)
    assert.deepEqual(column(3), [5, 6, 0, 8, 9, 0, 0, 0, 0]); // (kh 1, kw 1)
  });

  test("fillTransposedPatches rejects an output of the wrong size", () => {
    const info = (tf as TF).backend_util.computeConv2DInfo([1, 3, 3, 1], [2, 2, 1, 1], 1, 1, "same");
    assert.throws(() => fillTransposedPatches(new Float32Array(9), info, new Float32Array(35)), /output holds 35 values, expected 36/);
  });

  test("a Conv2D layer trains on wasm without leaking tensors", async () => {
    await tf.setBackend("wasm");
    const input = tf.input({ shape: [6, 6, 1] });
    const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: "same", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) });
    const flat = tf.layers.flatten().apply(conv.apply(input)) as import("@tensorflow/tfjs").SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(flat) as import("@tensorflow/tfjs").SymbolicTensor });
    const x = tf.tensor4d(values(4 * 36, 5), [4, 6, 6, 1]);
    const y = tf.tensor2d([1, 0, 0, 1, 1, 0, 0, 1], [4, 2]);
    const optimizer = tf.train.sgd(0.1);
    const before = tf.memory().numTensors;
    const kernelBefore = conv.getWeights()[0].dataSync().slice();
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as import("@tensorflow/tfjs").Tensor) as import("@tensorflow/tfjs").Scalar, true);
      losses.push(loss!.dataSync()[0]);
      loss!.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
    assert.ok(losses[4] < losses[0], `loss did not fall: ${losses.join(", ")}`);
    assert.notDeepEqual(conv.getWeights()[0].dataSync(), kernelBefore);
    optimizer.dispose();
    tf.dispose([x, y]);
    model.dispose();
  });
});
