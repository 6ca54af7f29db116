// Runs in its own process (node --test isolates files): wasm is made to fail here for good.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { initTrainingBackend } from "../../../../data-loaders/training/node-backend.js";

const missing = "/nonexistent-wasm-dir/";

async function captureStderr<T>(run: () => Promise<T>): Promise<{ result: T; stderr: string }> {
  const original = process.stderr.write.bind(process.stderr);
  let stderr = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  }) as typeof process.stderr.write;
  try {
    return { result: await run(), stderr };
  } finally {
    process.stderr.write = original;
  }
}

describe("initTrainingBackend when wasm cannot start", () => {
  test("the automatic choice falls back to cpu, checks the boolean, and says so on stderr", async () => {
    delete process.env.TRAIN_BACKEND;
    const { result, stderr } = await captureStderr(() => initTrainingBackend({ wasmDirectory: missing }));
    assert.equal(result.backend, "cpu");
    assert.equal(result.tf.getBackend(), "cpu");
    assert.equal(
      result.tf.tidy(() => result.tf.add(1, 2).dataSync()[0]),
      3,
    );
    assert.match(stderr, /training backend: wasm failed to initialize \(.*\); falling back to cpu/);
  });

  test("a forced wasm is an error rather than a silent fallback", async () => {
    await assert.rejects(initTrainingBackend({ backend: "wasm", wasmDirectory: missing }), /the wasm backend was requested but failed to initialize/);
    process.env.TRAIN_BACKEND = "wasm";
    try {
      await assert.rejects(initTrainingBackend({ wasmDirectory: missing }), /the wasm backend was requested but failed to initialize/);
    } finally {
      delete process.env.TRAIN_BACKEND;
    }
  });
});
