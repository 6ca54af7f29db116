// Runs the same computation on tfjs's cpu backend (the reference) and on wasm with our kernels,
// and compares the results.
import assert from "node:assert/strict";
import type { Tensor } from "@tensorflow/tfjs";
import { initTrainingBackend } from "../../../../../data-loaders/training/node-backend.js";
import { mulberry32 } from "../../../../../src/lib/random.js";

export const { tf } = await initTrainingBackend({ backend: "wasm" });

/** Relative tolerance: differences are measured against the largest reference magnitude. */
export const TOLERANCE = 1e-5;

/** n seeded values uniform in [-1, 1). */
export function randomValues(n: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n }, () => random() * 2 - 1);
}

export const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** `compute` on `backend` (inside tidy), its outputs read back; fails if tensors leaked. */
export async function onBackend(backend: "cpu" | "wasm", compute: () => Tensor[]): Promise<{ shape: number[]; values: Float32Array }[]> {
  assert.ok(await tf.setBackend(backend), `tf.setBackend("${backend}") failed`);
  const before = tf.memory().numTensors;
  const results = tf.tidy(() => compute().map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array })));
  assert.equal(tf.memory().numTensors, before, `${backend}: tensors leaked`);
  return results;
}

/** Max |a - b| over max |b|: 0 for identical arrays. */
export function relativeDifference(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length, "result sizes differ");
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]);
    // NaN differences must fail, not vanish in Math.max.
    worst = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : Math.max(worst, difference);
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return scale === 0 ? worst : worst / scale;
}

/** Runs `compute` on both backends and checks every output: same shape, within TOLERANCE. */
export async function assertMatchesCpu(label: string, compute: () => Tensor[], tolerance = TOLERANCE): Promise<void> {
  const cpu = await onBackend("cpu", compute);
  const wasm = await onBackend("wasm", compute);
  assert.equal(wasm.length, cpu.length);
  cpu.forEach((reference, i) => {
    assert.deepEqual(wasm[i].shape, reference.shape, `${label}: output ${i} shape`);
    assert.ok(
      reference.values.some((v) => v !== 0),
      `${label}: output ${i} is all zeros on cpu, a degenerate case`,
    );
    const difference = relativeDifference(wasm[i].values, reference.values);
    assert.ok(difference <= tolerance, `${label}: output ${i} differs from cpu by ${difference.toExponential(2)} (relative)`);
  });
}
