import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { decodeBundle, encodeBundle } from "../../../../../src/lib/codecs/tensor-bundle.js";
import { decodeWeightSnapshots, encodeWeightSnapshots } from "../../../../../src/lib/mlp/snapshots.js";
import { randomMlp } from "./mlp-fixtures.js";

const toArrayBuffer = (bytes: Uint8Array) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

describe("weight snapshots", () => {
  const snapshots = [0, 1, 5].map((epoch) => ({ epoch, weights: randomMlp([5, 4, 3, 2], 10 + epoch) }));

  test("round-trips every epoch's kernels and biases through a tensor bundle", () => {
    const { arrays, meta } = encodeWeightSnapshots(snapshots);
    assert.deepEqual(meta, {
      layers: [
        { name: "dense_1", inputSize: 5, units: 4 },
        { name: "dense_2", inputSize: 4, units: 3 },
        { name: "logits", inputSize: 3, units: 2 },
      ],
      epochs: [0, 1, 5],
    });
    assert.ok(arrays.some((array) => array.name === "epoch5/dense_2/kernel" && array.shape.join() === "4,3"));
    const decoded = decodeWeightSnapshots(decodeBundle(toArrayBuffer(encodeBundle(arrays, meta)), "snapshots.bin"), "snapshots.bin");
    assert.deepEqual(decoded, snapshots);
  });

  test("rejects snapshots whose architectures differ", () => {
    const mixed = [snapshots[0], { epoch: 3, weights: randomMlp([5, 6, 3, 2], 1) }];
    assert.throws(() => encodeWeightSnapshots(mixed), /epoch 3 has layers .*"units":6.* but epoch 0 has/);
  });

  test("rejects epochs that are not strictly increasing", () => {
    assert.throws(() => encodeWeightSnapshots([snapshots[1], snapshots[0]]), /epochs must be strictly increasing, found 1 then 0/);
  });

  test("names the missing array and the wrong shape when decoding", () => {
    const { arrays, meta } = encodeWeightSnapshots(snapshots);
    const withoutBias = arrays.filter((array) => array.name !== "epoch1/logits/bias");
    assert.throws(() => decodeWeightSnapshots(decodeBundle(toArrayBuffer(encodeBundle(withoutBias, meta))), "w.bin"), /w.bin: expected an array "epoch1\/logits\/bias"/);
    const reshaped = arrays.map((array) => (array.name === "epoch0/dense_1/kernel" ? { ...array, shape: [4, 5] } : array));
    assert.throws(() => decodeWeightSnapshots(decodeBundle(toArrayBuffer(encodeBundle(reshaped, meta))), "w.bin"), /w.bin: array "epoch0\/dense_1\/kernel" must have shape \[5,4\], found \[4,5\]/);
  });

  test("rejects a bundle without snapshot meta", () => {
    const bundle = decodeBundle(toArrayBuffer(encodeBundle([], { epochs: [0] })));
    assert.throws(() => decodeWeightSnapshots(bundle, "w.bin"), /w.bin: meta.layers must be a non-empty list/);
  });
});
