import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DatasetError, parseIdx } from "../../../../data-loaders/dataset/idx.js";
import { encodeIdx, encodeImages, encodeLabels, makeImages } from "./idx-fixtures.js";

function catchDatasetError(run: () => unknown): DatasetError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof DatasetError, `expected a DatasetError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected a DatasetError, nothing was thrown");
}

describe("parseIdx", () => {
  test("reads dims and data of a 3-dimensional image file", () => {
    const parsed = parseIdx(encodeImages(5), "train-images-idx3-ubyte", 3);
    assert.deepEqual(parsed.dims, [5, 28, 28]);
    assert.equal(parsed.data.length, 5 * 28 * 28);
    assert.deepEqual(parsed.data, makeImages(5));
    // Image 2, pixel 30: (2 * 7 + 30) mod 256 = 44.
    assert.equal(parsed.data[2 * 784 + 30], 44);
  });

  test("reads big-endian sizes above 255", () => {
    const data = new Uint8Array(300).map((_, i) => i % 251);
    const parsed = parseIdx(encodeIdx([300], data), "labels");
    assert.deepEqual(parsed.dims, [300]);
    assert.equal(parsed.data[299], 299 % 251);
  });

  test("returns a plain Uint8Array view of the data, not a copy", () => {
    const bytes = encodeLabels([3, 1, 4]);
    const parsed = parseIdx(bytes, "labels", 1);
    assert.equal(Object.getPrototypeOf(parsed.data), Uint8Array.prototype);
    bytes[bytes.length - 1] = 9;
    assert.deepEqual([...parsed.data], [3, 1, 9]);
  });

  test("works on a view that does not start at the buffer's beginning", () => {
    const file = encodeLabels([8, 6]);
    const padded = new Uint8Array(file.length + 3);
    padded.set(file, 3);
    assert.deepEqual([...parseIdx(padded.subarray(3), "labels", 1).data], [8, 6]);
  });

  test("rejects a file too short for the first 4 header bytes", () => {
    const error = catchDatasetError(() => parseIdx(new Uint8Array([0, 0, 8]), "train-labels-idx1-ubyte", 1));
    assert.equal(error.file, "train-labels-idx1-ubyte");
    assert.equal(error.found, "a file of 3 bytes");
  });

  test("rejects a file too short for its dimension sizes", () => {
    const bytes = encodeImages(1).subarray(0, 10);
    const error = catchDatasetError(() => parseIdx(bytes, "images", 3));
    assert.equal(error.expected, "an IDX header of 16 bytes (3 dimensions)");
    assert.equal(error.found, "a file of 10 bytes");
  });

  test("rejects a dimension count other than the expected one, naming both magic numbers", () => {
    const error = catchDatasetError(() => parseIdx(encodeLabels([1, 2]), "train-images-idx3-ubyte", 3));
    assert.equal(error.file, "train-images-idx3-ubyte");
    assert.equal(error.expected, "magic 0x00000803 (unsigned byte, 3 dimensions)");
    assert.equal(error.found, "0x00000801 (unsigned byte, 1 dimension)");
    assert.equal(
      error.message,
      "train-images-idx3-ubyte: expected magic 0x00000803 (unsigned byte, 3 dimensions), found 0x00000801 (unsigned byte, 1 dimension)",
    );
  });

  test("rejects a type byte other than unsigned byte", () => {
    const floats = encodeIdx([1], new Uint8Array(1), { typeByte: 0x0d });
    const error = catchDatasetError(() => parseIdx(floats, "labels", 1));
    assert.equal(error.found, "0x00000d01 (float, 1 dimension)");
  });

  test("rejects non-zero leading bytes even without an expected dimension count", () => {
    const bytes = encodeIdx([2], new Uint8Array(2), { firstBytes: [0x1f, 0x8b] });
    const error = catchDatasetError(() => parseIdx(bytes, "labels"));
    assert.equal(error.expected, "magic 0x000008nn (unsigned byte, nn dimensions)");
    assert.equal(error.found, "0x1f8b0801");
  });

  test("rejects truncated data", () => {
    const bytes = encodeImages(2);
    const error = catchDatasetError(() => parseIdx(bytes.subarray(0, bytes.length - 1), "images", 3));
    assert.equal(error.expected, "1568 data bytes (2x28x28)");
    assert.equal(error.found, "1567 data bytes (truncated)");
  });

  test("rejects trailing bytes", () => {
    const file = encodeLabels([1, 2, 3]);
    const longer = new Uint8Array(file.length + 2);
    longer.set(file);
    const error = catchDatasetError(() => parseIdx(longer, "labels", 1));
    assert.equal(error.expected, "3 data bytes (3)");
    assert.equal(error.found, "5 data bytes (2 trailing bytes)");
  });

  test("DatasetError carries file, expected and found and is an Error", () => {
    const error = new DatasetError("f", "x", "y");
    assert.ok(error instanceof Error);
    assert.equal(error.name, "DatasetError");
    assert.equal(error.message, "f: expected x, found y");
  });
});
