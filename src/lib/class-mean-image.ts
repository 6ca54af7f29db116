// The mean image of one class and its difference from the mean of all images, on the active
// tfjs backend: a first small computation that runs on the GPU where there is one.
import type { TF, Tensor } from "./tf-types.js";

export interface ClassMeanImage {
  /** Mean pixel value in [0, 1] of the class's images, rows × cols. */
  mean: Float32Array;
  /** mean − (mean over all images): where this class has more (>0) or less (<0) ink. */
  difference: Float32Array;
  count: number;
}

/**
 * `images` is [N, pixels] with values in [0, 1]; `labels` is [N] int32.
 * Returns NaN-free results; a class with no images is an error naming the class.
 */
export async function classMeanImage(tf: TF, images: Tensor, labels: Tensor, classIndex: number): Promise<ClassMeanImage> {
  const [n, pixels] = images.shape;
  if (images.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== n) {
    throw new Error(`classMeanImage: expected images [N, pixels] and labels [N], found [${images.shape}] and [${labels.shape}]`);
  }
  const [meanTensor, diffTensor, countTensor] = tf.tidy(() => {
    const mask = tf.cast(tf.equal(labels, classIndex), "float32"); // [N]
    const count = tf.sum(mask);
    // One matrix-vector product gives the class sum of every pixel.
    const classSum = tf.reshape(tf.matMul(tf.reshape(mask, [1, n]), images), [pixels]);
    const mean = tf.div(classSum, tf.maximum(count, 1));
    // The mean of all images as a product too: a reduction over the first axis makes tfjs-wasm
    // transpose the whole set first (about 300 ms for 10,000 images on a CPU).
    const all = tf.reshape(tf.matMul(tf.fill([1, n], 1 / n), images), [pixels]);
    const difference = tf.sub(mean, all);
    return [mean, difference, count];
  });
  try {
    const [mean, difference, count] = await Promise.all([meanTensor.data(), diffTensor.data(), countTensor.data()]);
    if (count[0] === 0) throw new Error(`class ${classIndex} has no images in this set`);
    return { mean: mean as Float32Array, difference: difference as Float32Array, count: count[0] };
  } finally {
    tf.dispose([meanTensor, diffTensor, countTensor]);
  }
}

/** Uploads a uint8 image set as a float tensor in [0, 1] and its labels as int32. */
export function imagesToTensors(tf: TF, images: Uint8Array, labels: Uint8Array, pixels: number): { images: Tensor; labels: Tensor } {
  const count = labels.length;
  if (images.length !== count * pixels) {
    throw new Error(`imagesToTensors: expected ${count} × ${pixels} = ${count * pixels} bytes, found ${images.length}`);
  }
  return tf.tidy(() => ({
    images: tf.div(tf.tensor2d(images, [count, pixels], "float32"), 255),
    labels: tf.tensor1d(Int32Array.from(labels), "int32"),
  }));
}
