import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { initTrainingBackend } from "../../../../data-loaders/training/node-backend.js";
import { mulberry32 } from "../../../../src/lib/random.js";

const { tf } = await initTrainingBackend({ backend: "wasm" });

function values(n: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n }, () => random() * 2 - 1);
}

async function product(backend: "cpu" | "wasm", aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean) {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const result = tf.tidy(() => {
    const a = tf.tensor(values(aShape.reduce((x, y) => x * y), 1), aShape);
    const b = tf.tensor(values(bShape.reduce((x, y) => x * y), 2), bShape);
    const out = tf.matMul(a, b, transposeA, transposeB);
    return { shape: out.shape, data: out.dataSync() as Float32Array };
  });
  assert.equal(tf.memory().numTensors, before, `${backend} matMul leaked tensors`);
  return result;
}

describe("wasm BatchMatMul with transposed operands", () => {
  const cases: [string, number[], number[], boolean, boolean][] = [
    ["Aᵀ·B (dense weight gradient)", [64, 37], [64, 5], true, false],
    ["A·Bᵀ (dense input gradient)", [64, 5], [37, 5], false, true],
    ["Aᵀ·Bᵀ", [6, 9], [4, 6], true, true],
    ["rank 3 with batch 1", [1, 7, 3], [1, 7, 4], true, false],
    ["a batch of 3 (original kernel)", [3, 7, 3], [3, 7, 4], true, false],
    ["no transpose", [5, 7], [7, 2], false, false],
  ];
  for (const [label, aShape, bShape, transposeA, transposeB] of cases) {
    test(`matches the cpu backend: ${label}`, async () => {
      const cpu = await product("cpu", aShape, bShape, transposeA, transposeB);
      const wasm = await product("wasm", aShape, bShape, transposeA, transposeB);
      assert.deepEqual(wasm.shape, cpu.shape);
      const worst = cpu.data.reduce((m, v, i) => Math.max(m, Math.abs(v - wasm.data[i])), 0);
      assert.ok(worst < 1e-5, `results differ by ${worst}`);
    });
  }

  test("a known product: [[1,2],[3,4]]ᵀ · [[1,0],[0,1]] = [[1,3],[2,4]]", async () => {
    await tf.setBackend("wasm");
    const out = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.eye(2), true, false).arraySync());
    assert.deepEqual(out, [
      [1, 3],
      [2, 4],
    ]);
  });
});
