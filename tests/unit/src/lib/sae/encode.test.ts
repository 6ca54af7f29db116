import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { ActivationMatrix } from "../../../../../src/lib/analysis/types.js";
import { gaussian, mulberry32 } from "../../../../../src/lib/random.js";
import { decodeReference, encodeActivations, encodeAndReconstruct, encodeReference, reconstructActivations } from "../../../../../src/lib/sae/encode.js";
import { checkSaeWeights } from "../../../../../src/lib/sae/weights.js";
import { randomWeights } from "./fixtures.js";

const dIn = 6;
const dSae = 10;

function randomInputs(rows: number, seed: number): ActivationMatrix {
  const random = mulberry32(seed);
  return { rows, cols: dIn, data: Float32Array.from({ length: rows * dIn }, () => gaussian(random)) };
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: expected ${expected[i]}, found ${actual[i]}`);
}

describe("SAE encode and decode", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  for (const architecture of ["l1", "kl", "topk", "batchtopk"] as const) {
    test(`${architecture}: the batched tfjs path equals the float64 reference and leaves no tensors`, () => {
      const weights = randomWeights(architecture);
      const inputs = randomInputs(23, 9);
      const tensorsBefore = tf.memory().numTensors;
      const codes = encodeActivations(tf, weights, inputs, { batchSize: 7 });
      const reconstruction = reconstructActivations(tf, weights, inputs, { batchSize: 7 });
      const both = encodeAndReconstruct(tf, weights, inputs);
      assert.equal(tf.memory().numTensors, tensorsBefore, "encoding leaked tensors");
      assert.deepEqual([codes.rows, codes.cols, reconstruction.rows, reconstruction.cols], [23, dSae, 23, dIn]);
      assert.deepEqual(both.codes.data, codes.data);
      assert.deepEqual(both.reconstruction.data, reconstruction.data);
      for (let r = 0; r < inputs.rows; r++) {
        const expectedCodes = encodeReference(weights, inputs.data.subarray(r * dIn, (r + 1) * dIn));
        assertClose(codes.data.subarray(r * dSae, (r + 1) * dSae), expectedCodes, 1e-5, `codes of input ${r}`);
        assertClose(reconstruction.data.subarray(r * dIn, (r + 1) * dIn), decodeReference(weights, expectedCodes), 1e-5, `reconstruction of input ${r}`);
      }
    });
  }

  test("the code functions: ReLU, sigmoid, the k largest, and JumpReLU at the threshold", () => {
    // Identity-like weights make the pre-activation x itself: dIn = dSae = 4, no biases, scale 1.
    const eye = Float32Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const base = { dIn: 4, dSae: 4, W_enc: eye, b_enc: new Float32Array(4), W_dec: eye, b_dec: new Float32Array(4), inputScale: 1 };
    const x = [0.5, -1, 2, 0.25];
    assert.deepEqual(Array.from(encodeReference({ ...base, architecture: "l1" }, x)), [0.5, 0, 2, 0.25]);
    assertClose(
      encodeReference({ ...base, architecture: "kl" }, x),
      x.map((p) => 1 / (1 + Math.exp(-p))),
      1e-15,
      "sigmoid",
    );
    assert.deepEqual(Array.from(encodeReference({ ...base, architecture: "topk", k: 2 }, x)), [0.5, 0, 2, 0]);
    // Fewer positive values than k: only the positive ones.
    assert.deepEqual(Array.from(encodeReference({ ...base, architecture: "topk", k: 3 }, [-1, -2, 3, -4])), [0, 0, 3, 0]);
    const threshold = Float32Array.of(0.5, 0, 1, 0.1);
    assert.deepEqual(Array.from(encodeReference({ ...base, architecture: "batchtopk", threshold }, x)), [0, 0, 2, 0.25]);
    const codes = encodeActivations(tf, { ...base, architecture: "topk", k: 3 }, { rows: 1, cols: 4, data: Float32Array.of(-1, -2, 3, -4) });
    assert.deepEqual(Array.from(codes.data), [0, 0, 3, 0]);
  });

  test("bad weights and inputs are reported", () => {
    const weights = randomWeights("l1");
    assert.throws(() => encodeActivations(tf, weights, randomInputs(2, 1), { batchSize: 0 }), /batchSize must be a positive integer, found 0/);
    assert.throws(
      () => reconstructActivations(tf, weights, { rows: 1, cols: 5, data: new Float32Array(5) }),
      /the SAE reads 6 values per input, the activations have 5/,
    );
    assert.throws(() => checkSaeWeights({ ...weights, b_enc: new Float32Array(3) }), /b_enc must hold 10 values, found 3/);
    assert.throws(
      () => checkSaeWeights({ ...weights, W_dec: new Float64Array(60) as unknown as Float32Array }),
      /W_dec must be a Float32Array, found Float64Array/,
    );
    assert.throws(() => checkSaeWeights({ ...weights, architecture: "topk" }), /a topk SAE needs k, an integer from 1 to dSae \(10\), found undefined/);
    assert.throws(() => checkSaeWeights({ ...weights, architecture: "batchtopk" }), /needs its JumpReLU threshold/);
    assert.throws(() => checkSaeWeights({ ...weights, inputScale: 0 }), /inputScale must be a finite number > 0, found 0/);
    const nan = Float32Array.from(weights.b_dec);
    nan[2] = Number.NaN;
    assert.throws(() => checkSaeWeights({ ...weights, b_dec: nan }), /b_dec\[2\] must be finite, found NaN/);
  });
});
