import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Tensor, Tensor4D } from "@tensorflow/tfjs";
import { OUR_KERNEL } from "../../../../../data-loaders/training/kernels/wasm-kernel-access.js";
import { mulberry32 } from "../../../../../src/lib/random.js";
import { onBackend, sizeOf, tf } from "./compare-backends.js";

type Shape4 = [number, number, number, number];
type Pool = { filterSize: number | [number, number]; strides: number | [number, number]; pad: "same" | "valid" };

/** maxPool(x) and the gradient of sum(maxPool(x) * (1, 2, 3, ...)) w.r.t. x. */
function poolAndGradient(values: Float32Array, shape: Shape4, { filterSize, strides, pad }: Pool): Tensor[] {
  const x = tf.tensor4d(values, shape);
  const pool = (xi: Tensor) => tf.maxPool(xi as Tensor4D, filterSize, strides, pad);
  const y = pool(x);
  // Integer weights keep overlapping windows' sums exact, so both backends must agree bit for bit.
  const weights = tf.add(tf.range(0, y.size).reshape(y.shape), 1);
  const dx = tf.grad((xi: Tensor) => tf.sum(tf.mul(pool(xi), weights)))(x);
  return [y, dx];
}

async function assertSameAsCpu(values: Float32Array, shape: Shape4, pool: Pool): Promise<void> {
  const cpu = await onBackend("cpu", () => poolAndGradient(values, shape, pool));
  const wasm = await onBackend("wasm", () => poolAndGradient(values, shape, pool));
  assert.deepEqual(wasm[0].shape, cpu[0].shape);
  assert.deepEqual(Array.from(wasm[0].values), Array.from(cpu[0].values), "pooled values differ");
  assert.deepEqual(Array.from(wasm[1].values), Array.from(cpu[1].values), "gradients differ");
}

const random = mulberry32(4);
const fill = (shape: Shape4, draw: () => number) => Float32Array.from({ length: sizeOf(shape) }, draw);

const pools: [string, Pool][] = [
  ["2x2 stride 2 valid (the CNN's; a fast path)", { filterSize: 2, strides: 2, pad: "valid" }],
  ["2x2 stride 2 same (padded at the bottom and right on odd sizes)", { filterSize: 2, strides: 2, pad: "same" }],
  ["3x3 stride 2 same (padding, overlap)", { filterSize: 3, strides: 2, pad: "same" }],
  ["3x3 stride 1 same (heavy overlap)", { filterSize: 3, strides: 1, pad: "same" }],
  ["2x3 window, strides [1, 2], valid", { filterSize: [2, 3], strides: [1, 2], pad: "valid" }],
];
const inputs: [string, Shape4, () => number][] = [
  ["distinct values, 7x9 with 3 channels (a scalar tail)", [2, 7, 9, 3], () => random() * 2 - 1],
  ["coarse values (many ties)", [2, 7, 9, 3], () => Math.floor(random() * 3) / 2],
  ["values <= 0 only (where tfjs-wasm's MaxPoolWithArgmax is wrong)", [2, 6, 6, 4], () => -Math.floor(random() * 4)],
  ["batch 1, 8 channels (whole vectors)", [1, 13, 13, 8], () => random() * 2 - 1],
  ["batch 1, 5 channels (vector and tail)", [1, 5, 7, 5], () => random() * 2 - 1],
  ["NaN and -Infinity among the values", [2, 6, 7, 5], () => [Number.NaN, Number.NEGATIVE_INFINITY, 0.5, -0.5][Math.floor(random() * 4)]],
];

describe("wasm MaxPool and MaxPoolGrad", () => {
  test("our kernels are the ones registered", () => {
    for (const name of ["MaxPool", "MaxPoolGrad"]) {
      assert.equal((tf.getKernel(name, "wasm") as unknown as Record<symbol, unknown>)[OUR_KERNEL], true, name);
    }
  });

  for (const [inputLabel, shape, draw] of inputs) {
    const values = fill(shape, draw);
    for (const [poolLabel, pool] of pools) {
      test(`forward and gradient equal the cpu backend's exactly: ${inputLabel}, ${poolLabel}`, async () => {
        await assertSameAsCpu(values, shape, pool);
      });
    }
  }

  test("each window's gradient goes to its first maximum; an all -Infinity window gets none", async () => {
    // One 2x6 single-channel image, 2x2 windows with stride 2: three windows.
    const x = Float32Array.from([1, 5, 7, 7, -Infinity, -Infinity, 3, 2, 7, 0, -Infinity, -Infinity]);
    const [result] = await onBackend("wasm", () => [
      tf.grad((xi: Tensor) => tf.sum(tf.mul(tf.maxPool(xi as Tensor4D, 2, 2, "valid"), tf.tensor4d([10, 20, 30], [1, 1, 3, 1]))))(tf.tensor4d(x, [1, 2, 6, 1])),
    ]);
    // Window 1 (1,5,3,2): max 5 at index 1. Window 2 (7,7,7,0): tie, the first 7 (index 2) wins.
    assert.deepEqual(Array.from(result.values), [0, 10, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
