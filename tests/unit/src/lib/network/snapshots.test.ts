import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { decodeBundle, encodeBundle } from "../../../../../src/lib/codecs/tensor-bundle.js";
import { decodeWeightSnapshots, encodeWeightSnapshots } from "../../../../../src/lib/network/snapshots.js";

const weights = (v: number) => [
  { name: "dense_1/kernel", shape: [2, 3], data: Float32Array.from({ length: 6 }, (_, i) => v + i) },
  { name: "layernorm_1/gamma", shape: [3], data: Float32Array.from([v, v, v]) },
];

describe("weight snapshots", () => {
  test("round-trip every named weight of every epoch", () => {
    const { arrays, meta } = encodeWeightSnapshots([
      { epoch: 0, weights: weights(0) },
      { epoch: 5, weights: weights(10) },
    ]);
    const decoded = decodeWeightSnapshots(decodeBundle(encodeBundle(arrays, meta).slice().buffer as ArrayBuffer));
    assert.deepEqual(
      decoded.map((s) => s.epoch),
      [0, 5],
    );
    assert.deepEqual([...decoded[1].weights.get("dense_1/kernel")!], [10, 11, 12, 13, 14, 15]);
    assert.deepEqual([...decoded[0].weights.get("layernorm_1/gamma")!], [0, 0, 0]);
  });

  test("rejects mismatched epochs and weights with the reason", () => {
    assert.throws(() => encodeWeightSnapshots([]), /at least one snapshot/);
    assert.throws(
      () =>
        encodeWeightSnapshots([
          { epoch: 2, weights: weights(0) },
          { epoch: 1, weights: weights(0) },
        ]),
      /strictly increasing, found 2 then 1/,
    );
    assert.throws(
      () =>
        encodeWeightSnapshots([
          { epoch: 0, weights: weights(0) },
          { epoch: 1, weights: weights(0).slice(0, 1) },
        ]),
      /epoch 1 has weights/,
    );
    const bad = weights(0);
    bad[0].data = new Float32Array(5);
    assert.throws(() => encodeWeightSnapshots([{ epoch: 0, weights: bad }]), /"dense_1\/kernel" must be a Float32Array of 6 values/);
  });
});
