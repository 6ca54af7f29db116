import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { OUR_KERNEL } from "../../../../../data-loaders/training/kernels/wasm-kernel-access.js";
import type { Tensor, Tensor1D, Tensor2D } from "@tensorflow/tfjs";
import { assertMatchesCpu, onBackend, randomValues, sizeOf, tf } from "./compare-backends.js";

function product(aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean) {
  return () => [tf.matMul(tf.tensor(randomValues(sizeOf(aShape), 1), aShape), tf.tensor(randomValues(sizeOf(bShape), 2), bShape), transposeA, transposeB)];
}

/** a's and b's shapes for op(a) [m, k] · op(b) [k, n]. */
function shapes(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): [number[], number[]] {
  return [transposeA ? [k, m] : [m, k], transposeB ? [n, k] : [k, n]];
}

/** A Dense layer's forward product with a bias, and its gradients w.r.t. x, the kernel and the bias. */
function denseAndGradients(batch: number, inputs: number, units: number, activation: "linear" | "relu") {
  return () => {
    const x = tf.tensor2d(randomValues(batch * inputs, 3), [batch, inputs]);
    const kernel = tf.tensor2d(randomValues(inputs * units, 4), [inputs, units]);
    const bias = tf.tensor1d(randomValues(units, 5));
    const dense = (xi: Tensor, ki: Tensor, bi: Tensor) => tf.fused.matMul({ a: xi as Tensor2D, b: ki as Tensor2D, bias: bi as Tensor1D, activation });
    const output = dense(x, kernel, bias);
    const weights = tf.tensor(randomValues(output.size, 6), output.shape);
    return [output, ...tf.grads((xi: Tensor, ki: Tensor, bi: Tensor) => tf.sum(tf.mul(dense(xi, ki, bi), weights)))([x, kernel, bias])];
  };
}

describe("wasm BatchMatMul and _FusedMatMul", () => {
  test("our kernels are the ones registered", () => {
    for (const name of ["BatchMatMul", "_FusedMatMul"]) {
      assert.equal((tf.getKernel(name, "wasm") as unknown as Record<symbol, unknown>)[OUR_KERNEL], true, name);
    }
  });

  for (const [batch, inputs, units] of [
    [64, 784, 32],
    [64, 400, 32],
    [1, 7, 5],
    [3, 5, 10],
  ]) {
    for (const activation of ["linear", "relu"] as const) {
      test(`a Dense layer's product with a bias (${activation}; relu is left to tfjs) and its gradients match the cpu backend: [${batch}, ${inputs}] · [${inputs}, ${units}]`, async () => {
        await assertMatchesCpu(`dense ${batch}x${inputs}x${units} ${activation}`, denseAndGradients(batch, inputs, units, activation));
      });
    }
  }

  const cases: [string, number[], number[], boolean, boolean][] = [
    ["Aᵀ·B (dense weight gradient)", [64, 37], [64, 5], true, false],
    ["A·Bᵀ (dense input gradient)", [64, 5], [37, 5], false, true],
    ["Aᵀ·Bᵀ", [6, 9], [4, 6], true, true],
    ["the MLP's first weight gradient, 784x64 · 64x32", [64, 784], [64, 32], true, false],
    ["rank 3 with batch 1", [1, 7, 3], [1, 7, 4], true, false],
    ["a batch of 3 (tfjs's kernel)", [3, 7, 3], [3, 7, 4], true, false],
    ["no transpose", [5, 7], [7, 2], false, false],
  ];
  for (const [label, aShape, bShape, transposeA, transposeB] of cases) {
    test(`matches the cpu backend: ${label}`, async () => {
      await assertMatchesCpu(label, product(aShape, bShape, transposeA, transposeB));
    });
  }

  // Sizes around the kernel's 4-row by 8/4/1-column tiles.
  for (const [m, k, n] of [
    [1, 1, 1],
    [5, 17, 3],
    [9, 2, 13],
    [4, 8, 8],
    [3, 33, 12],
    [13, 5, 7],
  ]) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const label = `m ${m}, k ${k}, n ${n}${transposeA ? ", a transposed" : ""}${transposeB ? ", b transposed" : ""}`;
        test(`matches the cpu backend: ${label}`, async () => {
          const [aShape, bShape] = shapes(m, k, n, transposeA, transposeB);
          await assertMatchesCpu(label, product(aShape, bShape, transposeA, transposeB));
        });
      }
    }
  }

  test("a known product: [[1,2],[3,4]]ᵀ · [[1,0],[0,1]] = [[1,3],[2,4]]", async () => {
    const [result] = await onBackend("wasm", () => [tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.eye(2), true, false)]);
    assert.deepEqual(Array.from(result.values), [1, 3, 2, 4]);
  });
});
