// Mean cross-entropy and accuracy of a classifier over the first `count` examples of a split,
// run in chunks so memory stays bounded whatever the split size.
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import type { TF } from "../../src/lib/tf-types.js";
import { countCorrect, imageBatch, oneHotBatch } from "./batches.js";

export interface ClassifierScore {
  /** Mean softmax cross-entropy over the examples (nats). */
  loss: number;
  /** Fraction of examples whose largest logit is the true class, in [0, 1]. */
  accuracy: number;
}

export function evaluateClassifier(
  tf: TF,
  model: LayersModel,
  images: Uint8Array,
  labels: Uint8Array,
  count: number,
  inputShape: readonly number[],
  classes: number,
  chunkSize = 1000,
): ClassifierScore {
  if (count <= 0) return { loss: Number.NaN, accuracy: Number.NaN };
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < count; start += chunkSize) {
    const rows = { start, count: Math.min(chunkSize, count - start) };
    tf.tidy(() => {
      const x = imageBatch(tf, images, inputShape, rows);
      const logits = model.apply(x, { training: false }) as Tensor;
      const target = oneHotBatch(tf, labels, classes, rows);
      const summed = tf.losses.softmaxCrossEntropy(target, logits, undefined, 0, tf.Reduction.SUM);
      lossSum += summed.dataSync()[0];
      correct += countCorrect(logits.dataSync(), classes, labels, rows);
    });
  }
  return { loss: lossSum / count, accuracy: correct / count };
}
