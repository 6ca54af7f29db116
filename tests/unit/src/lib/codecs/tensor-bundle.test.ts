import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { decodeBundle, encodeBundle, requireArray } from "../../../../../src/lib/codecs/tensor-bundle.js";

const toArrayBuffer = (bytes: Uint8Array) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

describe("tensor bundle", () => {
  test("round-trips arrays of every dtype with their shapes and meta", () => {
    const images = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    const weights = Float32Array.from([0.5, -1.25, 3]);
    const ids = Int32Array.from([-7]);
    const small = Uint16Array.from([65535, 2]);
    const bytes = encodeBundle(
      [
        { name: "images", shape: [2, 3], data: images },
        { name: "weights", shape: [3], data: weights },
        { name: "ids", shape: [1], data: ids },
        { name: "small", shape: [2], data: small },
      ],
      { dataset: "MNIST" },
    );
    const decoded = decodeBundle(toArrayBuffer(bytes));
    assert.deepEqual(decoded.meta, { dataset: "MNIST" });
    assert.deepEqual(requireArray(decoded, "images", "uint8").shape, [2, 3]);
    assert.deepEqual([...requireArray(decoded, "images", "uint8").data], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual([...requireArray(decoded, "weights", "float32").data], [0.5, -1.25, 3]);
    assert.deepEqual([...requireArray(decoded, "ids", "int32").data], [-7]);
    assert.deepEqual([...requireArray(decoded, "small", "uint16").data], [65535, 2]);
  });

  test("rejects a shape that does not match the data", () => {
    assert.throws(() => encodeBundle([{ name: "x", shape: [2, 2], data: new Float32Array(3) }]), /shape \[2,2\] \(4 values\) but 3 values/);
  });

  test("names the file when the magic is wrong or the data is truncated", () => {
    assert.throws(() => decodeBundle(toArrayBuffer(new TextEncoder().encode("NOPE0000")), "test-set.bin"), /test-set.bin: expected magic "TBN1", found "NOPE"/);
    const bytes = encodeBundle([{ name: "x", shape: [4], data: new Float32Array(4) }]);
    assert.throws(() => decodeBundle(toArrayBuffer(bytes.subarray(0, bytes.length - 4)), "a.bin"), /a.bin: array "x" needs bytes .* \(truncated\?\)/);
  });

  test("requireArray says what the file holds when a name or dtype is wrong", () => {
    const decoded = decodeBundle(toArrayBuffer(encodeBundle([{ name: "x", shape: [1], data: new Uint8Array(1) }])));
    assert.throws(() => requireArray(decoded, "y", "uint8", "f.bin"), /f.bin: expected an array "y", found only \[x\]/);
    assert.throws(() => requireArray(decoded, "x", "float32", "f.bin"), /expected "x" as float32, found uint8/);
  });
});
