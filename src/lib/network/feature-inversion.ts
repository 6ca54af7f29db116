// Feature inversion: the input image that maximizes a unit or feature, found by gradient ascent on
// the pixels with the usual regularizers so the result looks like an image rather than noise: an
// L2 penalty on the pixels, total variation (differences between neighbouring pixels), and jitter
// (the image is shifted by a random few pixels at each step, so the feature must hold up under
// small translations). Pixels stay in [0, 1], the range the models were trained on.
import type { TF, Tensor } from "../tf-types.js";
import { checkFiniteNumber, checkPositiveInteger } from "../validate-input.js";
import { mulberry32 } from "../random.js";
import { inputSize, type Network } from "./network.js";
import { forwardTo, uploadNetwork } from "./tensor-network.js";
import { imageSide } from "./attribution.js";

type Tensor2D = import("@tensorflow/tfjs").Tensor2D;

export interface InversionOptions {
  /** Gradient steps (default 200). */
  steps?: number;
  /** Adam's learning rate on pixel values (default 0.05). */
  learningRate?: number;
  /** Weight of Σ x² (default 0.001). */
  l2?: number;
  /** Weight of the total variation Σ |x(r,c) − x(r,c+1)| + |x(r,c) − x(r+1,c)| (default 0.01). */
  tv?: number;
  /** Largest shift in pixels, in each direction, drawn at every step (default 1; 0 = none). */
  jitter?: number;
  seed?: number;
}

export interface InversionResult {
  image: Float32Array;
  /** The objective (without penalties) on the final, unshifted image. */
  objective: number;
  history: { step: number; objective: number }[];
}

/** Shifts a [1, side, side, 1] image by (dy, dx) pixels, filling with 0. */
function shift(tf: TF, image: Tensor, side: number, dy: number, dx: number): Tensor {
  if (dy === 0 && dx === 0) return image;
  const padded = tf.pad(image, [
    [0, 0],
    [Math.max(dy, 0), Math.max(-dy, 0)],
    [Math.max(dx, 0), Math.max(-dx, 0)],
    [0, 0],
  ]);
  return tf.slice(padded, [0, Math.max(-dy, 0), Math.max(-dx, 0), 0], [1, side, side, 1]);
}

/**
 * Maximizes `objective(activation)` (a scalar tensor from the activation `layer` of one image)
 * over the input pixels. `onStep` sees progress; `betweenSteps` is awaited every 10 steps.
 */
export async function invertFeature(
  tf: TF,
  network: Network,
  layer: string,
  objective: (activation: Tensor) => Tensor,
  options: InversionOptions = {},
  hooks: { onStep?: (step: number, objective: number) => void; betweenSteps?: () => Promise<void>; signal?: AbortSignal } = {},
): Promise<InversionResult> {
  const steps = checkPositiveInteger(options.steps ?? 200, "feature inversion: steps");
  const learningRate = checkFiniteNumber(options.learningRate ?? 0.05, "feature inversion: learning rate");
  const l2 = checkFiniteNumber(options.l2 ?? 0.001, "feature inversion: L2 weight");
  const tv = checkFiniteNumber(options.tv ?? 0.01, "feature inversion: TV weight");
  const jitter = options.jitter ?? 1;
  if (!Number.isInteger(jitter) || jitter < 0) throw new Error(`feature inversion: jitter must be a whole number of pixels ≥ 0, found ${jitter}`);
  if (l2 < 0 || tv < 0) throw new Error(`feature inversion: the L2 and TV weights must be ≥ 0, found ${l2} and ${tv}`);
  const side = imageSide(network);
  const random = mulberry32(options.seed ?? 0);
  const model = uploadNetwork(tf, network);
  // A faint, seeded start: a blank image has no gradient through the first ReLU layer.
  const start = Float32Array.from({ length: inputSize(network) }, () => 0.05 + 0.05 * random());
  const pixels = tf.tidy(() => tf.variable(tf.tensor4d(start, [1, side, side, 1])));
  const optimizer = tf.train.adam(learningRate);
  const score = (image: Tensor) => tf.sum(objective(forwardTo(tf, model, tf.reshape(image, [1, side * side]) as Tensor2D, layer)));
  const history: { step: number; objective: number }[] = [];
  try {
    const initial = tf.tidy(() => score(pixels));
    history.push({ step: 0, objective: (await initial.data())[0] });
    initial.dispose();
    for (let step = 1; step <= steps; step++) {
      hooks.signal?.throwIfAborted();
      const dy = Math.floor(random() * (2 * jitter + 1)) - jitter;
      const dx = Math.floor(random() * (2 * jitter + 1)) - jitter;
      const value = optimizer.minimize(() => {
        const seen = shift(tf, pixels, side, dy, dx);
        const target = score(seen);
        const smoothness = tf.add(
          tf.sum(tf.abs(tf.sub(tf.slice(pixels, [0, 0, 1, 0], [1, side, side - 1, 1]), tf.slice(pixels, [0, 0, 0, 0], [1, side, side - 1, 1])))),
          tf.sum(tf.abs(tf.sub(tf.slice(pixels, [0, 1, 0, 0], [1, side - 1, side, 1]), tf.slice(pixels, [0, 0, 0, 0], [1, side - 1, side, 1])))),
        );
        const penalty = tf.add(tf.mul(l2, tf.sum(tf.square(pixels))), tf.mul(tv, smoothness));
        return tf.sub(penalty, target) as import("@tensorflow/tfjs").Scalar;
      }, true);
      tf.tidy(() => pixels.assign(tf.clipByValue(pixels, 0, 1)));
      const loss = value ? (await value.data())[0] : NaN;
      value?.dispose();
      if (step % 10 === 0 || step === steps) {
        const current = tf.tidy(() => score(pixels));
        const objectiveValue = (await current.data())[0];
        current.dispose();
        history.push({ step, objective: objectiveValue });
        hooks.onStep?.(step, objectiveValue);
        if (!Number.isFinite(loss)) throw new Error(`feature inversion diverged at step ${step} (loss ${loss}); lower the learning rate`);
        await hooks.betweenSteps?.();
      }
    }
    const final = tf.tidy(() => score(pixels));
    const objectiveValue = (await final.data())[0];
    final.dispose();
    return { image: Float32Array.from(await pixels.data()), objective: objectiveValue, history };
  } finally {
    pixels.dispose();
    optimizer.dispose();
    model.dispose();
  }
}
