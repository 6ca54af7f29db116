// Masks that keep the largest codes, shared by the TopK family's training and inference.
import type { TF, Tensor } from "../../tf-types.js";

/** The smallest normal float32: "above this" means "positive" without letting an exact 0 tie with a k-th value of 0. */
export const SMALLEST_POSITIVE = 1.1754943508222875e-38;

/**
 * 1 where `values` >= `threshold` (broadcast), else 0, as 1 − step(threshold − values): on a
 * 256 × 256 batch tfjs-wasm's broadcast greaterEqual took 8 ms, the broadcast subtraction 0.03 ms.
 */
export function atLeast(tf: TF, values: Tensor, threshold: Tensor | number): Tensor {
  return tf.tidy(() => tf.sub(1, tf.step(tf.sub(threshold, values))));
}

/**
 * 1 where a non-negative code is among the k largest of its row and positive, else 0. Ties with
 * the k-th value keep every tied code (they have probability zero for real-valued inputs).
 */
export function topKMask(tf: TF, codes: Tensor, k: number): Tensor {
  // A mask is piecewise constant: its gradient is 0. Said explicitly, since tfjs has no gradient
  // for TopK and autodiff through an encoder (a feature's saliency, feature inversion) needs one.
  const mask = tf.customGrad(((x: Tensor) => {
    const value = tf.tidy(() => {
      const { values } = tf.topk(x, k);
      const kth = values.slice([0, k - 1], [x.shape[0], 1]);
      return atLeast(tf, x, tf.maximum(kth, SMALLEST_POSITIVE));
    });
    return { value, gradFunc: (dy: Tensor) => tf.zerosLike(dy) };
  }) as Parameters<TF["customGrad"]>[0]);
  return mask(codes);
}

/**
 * BatchTopK's training mask: the k·B largest positive codes of the whole batch (Bussmann et al.),
 * and the smallest positive code kept, which SAELens' threshold estimate follows.
 */
export function batchTopKMask(tf: TF, positive: Tensor, k: number): { mask: Tensor; minKept: Tensor } {
  const batch = positive.shape[0];
  const { values } = tf.topk(tf.reshape(positive, [-1]), k * batch);
  const kth = tf.slice(values, k * batch - 1, 1);
  const mask = atLeast(tf, positive, tf.maximum(kth, SMALLEST_POSITIVE));
  const minKept = tf.min(tf.where(tf.greater(values, 0), values, tf.fill(values.shape, Infinity)));
  return { mask, minKept };
}
