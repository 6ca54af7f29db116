// Codes and reconstructions of a trained SAE: batched on tfjs (tf passed in) for the loaders,
// the page and the worker, and a plain float64 version for single inputs and as the tests'
// reference. Inputs and reconstructions are in the activations' own units.
//
// Codes come from the pre-activation p = (x · inputScale − b_dec) · W_enc + b_enc through the
// architecture's inference function (architectures/inference.ts).
import type { TF, Tensor, Tensor2D } from "../tf-types.js";
import type { ActivationMatrix } from "../analysis/types.js";
import { assertActivationMatrix } from "../analysis/validate.js";
import { checkPositiveInteger } from "../validate-input.js";
import { checkSaeWeights, type SaeWeights } from "./weights.js";
import { architecture } from "./architectures/index.js";

/** The weights on the backend, folded for speed (see uploadSae). */
export interface UploadedSae {
  readonly weights: SaeWeights;
  /** inputScale · W_enc, so raw inputs need no scaling op. */
  readonly encoder: Tensor2D;
  /** b_enc − b_dec · W_enc, so the centring op disappears too. */
  readonly encoderBias: Tensor;
  /** W_dec / inputScale */
  readonly decoder: Tensor2D;
  /** b_dec / inputScale */
  readonly decoderBias: Tensor;
  /** The jumprelu inference function's thresholds, else null. */
  readonly threshold: Tensor | null;
  dispose(): void;
}

/**
 * Uploads the weights with the input scale and b_dec folded in: (x·s − b_dec)·W_enc + b_enc =
 * x·(s·W_enc) + (b_enc − b_dec·W_enc), and (f·W_dec + b_dec)/s = f·(W_dec/s) + b_dec/s, so that
 * encoding and decoding are one fused matMul each. Call dispose() when done.
 */
export function uploadSae(tf: TF, weights: SaeWeights): UploadedSae {
  checkSaeWeights(weights);
  const { dIn, dSae, inputScale: s } = weights;
  const encoder = new Float32Array(dIn * dSae);
  const encoderBias = Float64Array.from(weights.b_enc);
  for (let i = 0; i < dIn; i++) {
    for (let j = 0; j < dSae; j++) {
      const w = weights.W_enc[i * dSae + j];
      encoder[i * dSae + j] = s * w;
      encoderBias[j] -= weights.b_dec[i] * w;
    }
  }
  const tensors = {
    encoder: tf.tensor2d(encoder, [dIn, dSae]),
    encoderBias: tf.tensor1d(Float32Array.from(encoderBias)),
    decoder: tf.tensor2d(
      weights.W_dec.map((w) => w / s),
      [dSae, dIn],
    ),
    decoderBias: tf.tensor1d(weights.b_dec.map((b) => b / s)),
    threshold: weights.threshold ? tf.tensor1d(weights.threshold) : null,
  };
  return { weights, ...tensors, dispose: () => tf.dispose(Object.values(tensors).filter((t) => t !== null)) };
}

/** The encoder's pre-activations [rows, dSae] (each latent's input to its nonlinearity) of x [rows, dIn]. */
export function preActivations(tf: TF, sae: UploadedSae, x: Tensor2D): Tensor2D {
  return tf.fused.matMul({ a: x, b: sae.encoder, bias: sae.encoderBias }) as Tensor2D;
}

/** Codes [rows, dSae] of inputs x [rows, dIn] in the activations' units. */
export function encodeTensor(tf: TF, sae: UploadedSae, x: Tensor2D): Tensor2D {
  const { weights, threshold } = sae;
  return tf.tidy(() => architecture(weights.architecture).inference.encode(tf, preActivations(tf, sae, x), { k: weights.k, threshold })) as Tensor2D;
}

/** Reconstructions [rows, dIn], in the activations' units, of codes [rows, dSae]. */
export function decodeTensor(tf: TF, sae: UploadedSae, codes: Tensor2D): Tensor2D {
  const { decoder, decoderBias } = sae;
  return tf.fused.matMul({ a: codes, b: decoder, bias: decoderBias }) as Tensor2D;
}

export interface BatchOptions {
  /** Inputs per batch on the backend (default 4096). */
  batchSize?: number;
}

/** Codes of every row of `m`, batched; leaves no tensors behind. */
export function encodeActivations(tf: TF, weights: SaeWeights, m: ActivationMatrix, options: BatchOptions = {}): ActivationMatrix {
  const [codes] = mapRows(tf, weights, m, [weights.dSae], options, "encodeActivations", (sae, x) => [encodeTensor(tf, sae, x)]);
  return codes;
}

/**
 * The SAE's reconstruction of every row of `m`, in the activations' units, batched; leaves no
 * tensors behind. Splice it in place of the layer's activations for downstream metrics.
 */
export function reconstructActivations(tf: TF, weights: SaeWeights, m: ActivationMatrix, options: BatchOptions = {}): ActivationMatrix {
  const [reconstruction] = mapRows(tf, weights, m, [weights.dIn], options, "reconstructActivations", (sae, x) => [
    decodeTensor(tf, sae, encodeTensor(tf, sae, x)),
  ]);
  return reconstruction;
}

/** Both at once, from one encoding pass. */
export function encodeAndReconstruct(
  tf: TF,
  weights: SaeWeights,
  m: ActivationMatrix,
  options: BatchOptions = {},
): { codes: ActivationMatrix; reconstruction: ActivationMatrix } {
  const [codes, reconstruction] = mapRows(tf, weights, m, [weights.dSae, weights.dIn], options, "encodeAndReconstruct", (sae, x) => {
    const f = encodeTensor(tf, sae, x);
    return [f, decodeTensor(tf, sae, f)];
  });
  return { codes, reconstruction };
}

/** Runs `run` on batches of rows of `m` and gathers its outputs, of widths `outCols`, into matrices. */
function mapRows(
  tf: TF,
  weights: SaeWeights,
  m: ActivationMatrix,
  outCols: number[],
  options: BatchOptions,
  what: string,
  run: (sae: UploadedSae, x: Tensor2D) => Tensor2D[],
): ActivationMatrix[] {
  assertActivationMatrix(m, `${what}: activations`);
  if (m.cols !== weights.dIn) throw new Error(`${what}: the SAE reads ${weights.dIn} values per input, the activations have ${m.cols}`);
  const batchSize = checkPositiveInteger(options.batchSize ?? 4096, `${what}: batchSize`);
  const outputs = outCols.map((cols) => ({ rows: m.rows, cols, data: new Float32Array(m.rows * cols) }));
  const sae = uploadSae(tf, weights);
  try {
    for (let start = 0; start < m.rows; start += batchSize) {
      const rows = Math.min(batchSize, m.rows - start);
      const results = tf.tidy(() => run(sae, tf.tensor2d(m.data.subarray(start * m.cols, (start + rows) * m.cols), [rows, m.cols])));
      try {
        results.forEach((result, i) => outputs[i].data.set(result.dataSync(), start * outputs[i].cols));
      } finally {
        tf.dispose(results);
      }
    }
  } finally {
    sae.dispose();
  }
  return outputs;
}

/** Codes of one input (activations' units), in float64, unfolded: the definition the tfjs path must match. */
export function encodeReference(weights: SaeWeights, x: ArrayLike<number>): Float64Array {
  const { dIn, dSae, inputScale } = weights;
  if (x.length !== dIn) throw new Error(`encodeReference: the SAE reads ${dIn} values, found ${x.length}`);
  const pre = Float64Array.from(weights.b_enc);
  for (let i = 0; i < dIn; i++) {
    const centred = x[i] * inputScale - weights.b_dec[i];
    for (let j = 0; j < dSae; j++) pre[j] += centred * weights.W_enc[i * dSae + j];
  }
  return architecture(weights.architecture).inference.encodeReference(pre, weights);
}

/** The reconstruction (activations' units), in float64, of one input's codes. */
export function decodeReference(weights: SaeWeights, codes: ArrayLike<number>): Float64Array {
  const { dIn, dSae, inputScale } = weights;
  if (codes.length !== dSae) throw new Error(`decodeReference: the SAE has ${dSae} latents, found ${codes.length} codes`);
  const out = Float64Array.from(weights.b_dec);
  for (let j = 0; j < dSae; j++) {
    const f = codes[j];
    if (f !== 0) for (let i = 0; i < dIn; i++) out[i] += f * weights.W_dec[j * dIn + i];
  }
  return out.map((v) => v / inputScale);
}
