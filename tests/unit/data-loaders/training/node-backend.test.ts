import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { initTrainingBackend, wasmBinaryDirectory } from "../../../../data-loaders/training/node-backend.js";
import { TRAINING_KERNEL_NAMES } from "../../../../data-loaders/training/kernels/register-kernels.js";
import { OUR_KERNEL } from "../../../../data-loaders/training/kernels/wasm-kernel-access.js";

// The fallback when wasm cannot start is tested in node-backend-fallback.test.ts: a failed wasm
// start cannot be undone within a process.

describe("initTrainingBackend", () => {
  test("defaults to wasm with our training kernels installed", async () => {
    const saved = process.env.TRAIN_BACKEND;
    delete process.env.TRAIN_BACKEND;
    try {
      const { tf, backend } = await initTrainingBackend();
      assert.equal(backend, "wasm");
      assert.equal(tf.getBackend(), "wasm");
      for (const kernel of TRAINING_KERNEL_NAMES) {
        const config = tf.getKernel(kernel, "wasm") as unknown as Record<symbol, unknown> | undefined;
        assert.equal(config?.[OUR_KERNEL], true, `${kernel} is not our kernel`);
      }
    } finally {
      if (saved !== undefined) process.env.TRAIN_BACKEND = saved;
    }
  });

  test("options.backend and env TRAIN_BACKEND choose cpu; the option wins over the env", async () => {
    const saved = process.env.TRAIN_BACKEND;
    try {
      process.env.TRAIN_BACKEND = "cpu";
      assert.equal((await initTrainingBackend()).backend, "cpu");
      assert.equal((await initTrainingBackend({ backend: "wasm" })).backend, "wasm");
      delete process.env.TRAIN_BACKEND;
      const { tf, backend } = await initTrainingBackend({ backend: "cpu" });
      assert.equal(backend, "cpu");
      assert.equal(tf.getBackend(), "cpu");
    } finally {
      if (saved === undefined) delete process.env.TRAIN_BACKEND;
      else process.env.TRAIN_BACKEND = saved;
    }
  });

  test("an unknown TRAIN_BACKEND or option is an error naming it", async () => {
    const saved = process.env.TRAIN_BACKEND;
    try {
      process.env.TRAIN_BACKEND = "gpu";
      await assert.rejects(initTrainingBackend(), /TRAIN_BACKEND must be "wasm" or "cpu", got "gpu"/);
      await assert.rejects(initTrainingBackend({ backend: "webgl" as "cpu" }), /options\.backend must be "wasm" or "cpu", got "webgl"/);
    } finally {
      if (saved === undefined) delete process.env.TRAIN_BACKEND;
      else process.env.TRAIN_BACKEND = saved;
    }
  });

  test("the wasm binaries are found in the installed package", () => {
    assert.ok(existsSync(join(wasmBinaryDirectory(), "tfjs-backend-wasm-simd.wasm")));
  });
});
