// Turns the dataset's bytes into model inputs a batch at a time, so that no float copy of a whole
// split ever exists (60k MNIST images as float32 would be 188 MB).
import type { Tensor } from "@tensorflow/tfjs";
import type { TF } from "../../src/lib/tf-types.js";

export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/**
 * The images at `indices` (or at start..start+count-1) as a float32 tensor [count, ...inputShape]
 * with pixels scaled to [0, 1]. The byte-to-float conversion is TypedArray.set (native) and the
 * scaling one division on the backend: several times faster than a per-pixel JS loop.
 */
export function imageBatch(tf: TF, images: Uint8Array, inputShape: readonly number[], indices: ArrayLike<number> | { start: number; count: number }): Tensor {
  const pixels = sizeOfShape(inputShape);
  const count = "start" in indices ? indices.count : indices.length;
  // A fresh array each time: the cpu backend keeps a reference to the array it was given.
  const values = new Float32Array(count * pixels);
  if ("start" in indices) {
    values.set(images.subarray(indices.start * pixels, (indices.start + count) * pixels));
  } else {
    for (let row = 0; row < count; row++) {
      const source = indices[row] * pixels;
      values.set(images.subarray(source, source + pixels), row * pixels);
    }
  }
  return tf.tidy(() => tf.div(tf.tensor(values, [count, ...inputShape], "float32"), 255));
}

/** One-hot float32 targets [count, classes] for the labels at `indices`. */
export function oneHotBatch(tf: TF, labels: Uint8Array, classes: number, indices: ArrayLike<number> | { start: number; count: number }): Tensor {
  const count = "start" in indices ? indices.count : indices.length;
  const values = new Float32Array(count * classes);
  for (let row = 0; row < count; row++) {
    const label = labels["start" in indices ? indices.start + row : indices[row]];
    values[row * classes + label] = 1;
  }
  return tf.tensor(values, [count, classes], "float32");
}

/** How many rows of a [rows, classes] score matrix have their maximum at the true label. */
export function countCorrect(
  scores: Float32Array | Int32Array | Uint8Array,
  classes: number,
  labels: Uint8Array,
  indices: ArrayLike<number> | { start: number; count: number },
): number {
  const count = "start" in indices ? indices.count : indices.length;
  let correct = 0;
  for (let row = 0; row < count; row++) {
    let best = 0;
    let bestScore = scores[row * classes];
    for (let c = 1; c < classes; c++) {
      const score = scores[row * classes + c];
      // NaN never wins, so a diverged row counts as wrong rather than as class 0.
      if (score > bestScore || Number.isNaN(bestScore)) {
        best = c;
        bestScore = score;
      }
    }
    const label = labels["start" in indices ? indices.start + row : indices[row]];
    if (best === label && !Number.isNaN(bestScore)) correct++;
  }
  return correct;
}
