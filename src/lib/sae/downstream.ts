// Downstream metrics: the classifier's accuracy and mean cross-entropy on a set of images when one
// layer's activations are replaced (by an SAE's reconstruction, by zeros, by a mean) and the rest
// of the network runs on the replacement. In a spatial layer (a conv map) every position's
// channel vector is replaced, as the SAE saw each position as one input. Pass the cross-entropies
// to metrics.lossRecovered for the fraction of loss recovered.
import type { TF, Tensor, Tensor2D } from "../tf-types.js";
import { checkPositiveInteger, checkFiniteNumber } from "../validate-input.js";
import { assertLabels } from "../analysis/validate.js";
import { activationInfo, classCount, inputSize } from "../network/network.js";
import { checkInputs, defaultInputScale, forwardFrom, forwardTo, inputRows, type InputArray, type UploadedNetwork } from "../network/tensor-network.js";
import { decodeTensor, encodeTensor, type UploadedSae } from "./encode.js";
import type { UploadedBasis } from "./basis.js";

export interface Classification {
  /** Fraction of the images whose argmax logit is their label. */
  accuracy: number;
  /** Mean over the images of −log softmax(logits)[label], in nats. */
  crossEntropy: number;
}

/** Channel vectors [n, units] in, their replacements [n, units] out. */
export type Replacement = (x: Tensor2D) => Tensor2D;

export interface SpliceOptions {
  /** Multiplies every input value; defaults to 1/255 for Uint8Array pixels and 1 for floats. */
  scaleInputs?: number;
  /** Images per forward pass (default 1000). */
  batchSize?: number;
  /**
   * The most values the layer's activations of all images may hold to be kept on the backend
   * between runs (default 32 million, 128 MB: a CNN's second conv map of 10,000 test images
   * fits, its first does not and is recomputed from the images at each run).
   */
  cacheBudget?: number;
  /** Awaited between batches so a page can yield to the browser. */
  betweenBatches?: () => Promise<void>;
}

/** The SAE's reconstruction, through its basis when it has one. */
export function saeReplacement(tf: TF, sae: UploadedSae, basis: UploadedBasis | null = null): Replacement {
  return (x) =>
    tf.tidy(() => {
      const reconstruction = decodeTensor(tf, sae, encodeTensor(tf, sae, basis ? basis.toBasis(x) : x));
      return basis ? basis.fromBasis(reconstruction) : reconstruction;
    });
}

/** Every channel vector replaced by `values` (zeros for zero-ablation, the training mean for mean-ablation). */
export function constantReplacement(tf: TF, values: Tensor): Replacement {
  return (x) => tf.tidy(() => tf.broadcastTo(values, x.shape) as Tensor2D);
}

export interface SpliceRunner {
  /** Accuracy and cross-entropy with the layer replaced by `replace`, or as it is when null. */
  classify(replace: Replacement | null): Promise<Classification>;
  /** Frees the cached activations (not the network). */
  dispose(): void;
}

/**
 * Classifies `count` images (count × inputSize) against `labels` with the activation `layer`
 * replaced, as often as asked; each run leaves no tensors behind.
 */
export function createSpliceRunner(
  tf: TF,
  model: UploadedNetwork,
  layer: string,
  images: InputArray,
  labels: ArrayLike<number>,
  count: number,
  options: SpliceOptions = {},
): SpliceRunner {
  const what = "createSpliceRunner";
  checkInputs(model.network, images, count, what);
  const classes = classCount(model.network);
  assertLabels(labels, count, classes, `${what}: labels`);
  const info = activationInfo(model.network, layer);
  const scale = checkFiniteNumber(options.scaleInputs ?? defaultInputScale(images), `${what}: scaleInputs`);
  const batchSize = checkPositiveInteger(options.batchSize ?? 1000, `${what}: batchSize`);
  const cacheBudget = checkPositiveInteger(options.cacheBudget ?? 32_000_000, `${what}: cacheBudget`);
  const size = inputSize(model.network);
  const batches = Array.from({ length: Math.ceil(count / batchSize) }, (_, i) => ({ start: i * batchSize, rows: Math.min(batchSize, count - i * batchSize) }));
  const activationOf = ({ start, rows }: { start: number; rows: number }) => forwardTo(tf, model, inputRows(tf, images, start, rows, size, scale), layer);
  const cache: Tensor[] | null = info.size * count <= cacheBudget ? [] : null;
  const truth = batches.map(({ start, rows }) =>
    tf.tidy(() =>
      tf.oneHot(
        tf.tensor1d(
          Int32Array.from({ length: rows }, (_, i) => labels[start + i]),
          "int32",
        ),
        classes,
      ),
    ),
  );
  return {
    async classify(replace) {
      let correct = 0;
      let crossEntropy = 0;
      for (const [b, batch] of batches.entries()) {
        if (cache && cache[b] === undefined) cache[b] = tf.tidy(() => activationOf(batch));
        const sums = tf.tidy(() => {
          const activation = cache ? cache[b] : activationOf(batch);
          const replaced = replace ? tf.reshape(replace(tf.reshape(activation, [-1, info.units]) as Tensor2D), activation.shape) : activation;
          const logits = forwardFrom(tf, model, layer, replaced);
          const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(truth[b], 1)), "float32"));
          const losses = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), truth[b])));
          return tf.stack([hits, losses]);
        });
        try {
          const [hits, losses] = await sums.data();
          correct += hits;
          crossEntropy += losses;
        } finally {
          sums.dispose();
        }
        if (options.betweenBatches && b + 1 < batches.length) await options.betweenBatches();
      }
      return { accuracy: correct / count, crossEntropy: crossEntropy / count };
    },
    dispose() {
      tf.dispose([...truth, ...(cache ?? [])]);
      cache?.splice(0);
    },
  };
}
