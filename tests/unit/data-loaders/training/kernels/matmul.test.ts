import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { OUR_KERNEL } from "../../../../../data-loaders/training/kernels/wasm-kernel-access.js";
import { assertMatchesCpu, onBackend, randomValues, sizeOf, tf } from "./compare-backends.js";

function product(aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean) {
  return () => [tf.matMul(tf.tensor(randomValues(sizeOf(aShape), 1), aShape), tf.tensor(randomValues(sizeOf(bShape), 2), bShape), transposeA, transposeB)];
}

/** a's and b's shapes for op(a) [m, k] · op(b) [k, n]. */
function shapes(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): [number[], number[]] {
  return [transposeA ? [k, m] : [m, k], transposeB ? [n, k] : [k, n]];
}

describe("wasm BatchMatMul", () => {
  test("our kernel is the one registered", () => {
    assert.equal((tf.getKernel("BatchMatMul", "wasm") as unknown as Record<symbol, unknown>)[OUR_KERNEL], true);
  });

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
