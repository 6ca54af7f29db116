import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Tensor } from "@tensorflow/tfjs";
import { OUR_KERNEL } from "../../../../../data-loaders/training/kernels/wasm-kernel-access.js";
import { assertMatchesCpu, tf } from "./compare-backends.js";

/** Runs `copy` on a fresh tensor, disposes the source, and checks the copy and the buffers. */
function checkSharedCopy(copy: (x: Tensor) => Tensor): void {
  const buffersBefore = tf.memory().numDataBuffers;
  const x = tf.tensor([1.5, -2, 3.25, 0], [2, 2]);
  const y = copy(x);
  assert.equal(tf.memory().numDataBuffers, buffersBefore + 1, "the copy allocated its own buffer instead of sharing x's");
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), [1.5, -2, 3.25, 0], "the copy lost its values when the source was disposed");
  assert.deepEqual(y.shape, [2, 2]);
  y.dispose();
  assert.equal(tf.memory().numDataBuffers, buffersBefore, "the shared buffer was not freed after its last user");
}

describe("wasm Identity and Cast share data instead of copying", () => {
  test("our kernels are the ones registered", () => {
    for (const name of ["Identity", "Cast"]) {
      assert.equal((tf.getKernel(name, "wasm") as unknown as Record<symbol, unknown>)[OUR_KERNEL], true, name);
    }
  });

  test("Identity (tf.clone) shares the buffer and keeps it alive until both are disposed", async () => {
    await tf.setBackend("wasm");
    checkSharedCopy((x) => tf.clone(x));
  });

  test("Cast to the same dtype shares the buffer likewise", async () => {
    await tf.setBackend("wasm");
    checkSharedCopy((x) => tf.cast(x, "float32"));
  });

  test("Cast to another dtype still converts, as on the cpu backend", async () => {
    await assertMatchesCpu("cast to int32 and back", () => [tf.cast(tf.cast(tf.tensor([1.5, -2.75, 3.25, 7]), "int32"), "float32")]);
  });
});
