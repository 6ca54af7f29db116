import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { OUR_KERNEL } from "../../../../../data-loaders/training/kernels/wasm-kernel-access.js";
import { assertMatchesCpu, onBackend, randomValues, sizeOf, tf } from "./compare-backends.js";

function sum(shape: number[], axis: number | number[] | undefined, keepDims = false) {
  return () => [tf.sum(tf.tensor(randomValues(sizeOf(shape), 9), shape), axis, keepDims)];
}

/** Column sums of a [rows, cols] matrix, accumulated in float32 row after row. */
function float32ColumnSums(values: Float32Array, cols: number): number[] {
  const sums = new Array<number>(cols).fill(0);
  values.forEach((value, i) => (sums[i % cols] = Math.fround(sums[i % cols] + value)));
  return sums;
}

describe("wasm Sum", () => {
  test("our kernel is the one registered", () => {
    assert.equal((tf.getKernel("Sum", "wasm") as unknown as Record<symbol, unknown>)[OUR_KERNEL], true);
  });

  // Over every axis but the last (a bias gradient): each column summed in float32, row after row,
  // as tfjs-backend-wasm's own Sum does (the cpu backend accumulates in float64).
  const leading: [string, number[], number[], boolean][] = [
    ["a conv bias gradient, [16, 26, 26, 8] over [0, 1, 2]", [16, 26, 26, 8], [0, 1, 2], false],
    ["a dense bias gradient, [64, 32] over 0", [64, 32], [0], false],
    ["17 columns (vectors of 16 and a tail)", [9, 17], [0], false],
    ["5 columns (a vector of 4 and a tail)", [3, 4, 5], [1, 0], false],
    ["keepDims", [3, 4, 6], [0, 1], true],
    ["one row", [1, 3], [0], false],
  ];
  for (const [label, shape, axes, keepDims] of leading) {
    test(`is the float32 row-by-row sum, and matches the cpu backend: ${label}`, async () => {
      const [wasm] = await onBackend("wasm", sum(shape, axes, keepDims));
      const columns = shape[shape.length - 1];
      assert.deepEqual(wasm.shape, keepDims ? [...shape.slice(0, -1).map(() => 1), columns] : [columns]);
      assert.deepEqual(Array.from(wasm.values), float32ColumnSums(randomValues(sizeOf(shape), 9), columns));
      await assertMatchesCpu(label, sum(shape, axes, keepDims));
    });
  }

  const others: [string, number[], number | number[] | undefined][] = [
    ["over the last axis", [4, 6], 1],
    ["over all axes", [4, 6], undefined],
    ["rank 1", [7], 0],
    ["over a middle axis", [2, 3, 4], 1],
  ];
  for (const [label, shape, axis] of others) {
    test(`other reductions are left to tfjs and match the cpu backend: ${label}`, async () => {
      await assertMatchesCpu(label, sum(shape, axis));
    });
  }
});
