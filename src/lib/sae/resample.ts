// Resampling of dead latents, as "Towards Monosemanticity" describes it: score a sample of inputs
// by the SAE's squared reconstruction error, and point each dead latent at an input drawn with
// probability proportional to that error, so the revived latent covers what the SAE misses.
import type { TF } from "../tf-types.js";
import type { ActivationMatrix } from "../analysis/types.js";
import { sampleIndices, type Random } from "../random.js";
import type { SaeConfig } from "./config.js";
import { reconstructActivations } from "./encode.js";
import { scaledRows } from "./init.js";
import { latentEntries, weightsFromParameters, type ParameterLayout } from "./parameters.js";

/** Anthropic's scale for a revived latent's encoder row, relative to the mean encoder norm of the living ones. */
export const REVIVED_ENCODER_NORM = 0.2;

/** The flat parameters and Adam's moments as JS arrays, changed in place. */
export interface HostParameters {
  theta: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

export interface ResampleContext {
  layout: ParameterLayout;
  config: SaeConfig;
  /** The training inputs, in the activations' units. */
  data: ActivationMatrix;
  inputScale: number;
  /** BatchTopK's current threshold estimate (encodes the sample). */
  threshold: number;
  /** Inputs scored (config.resample.sampleSize; clamped to the data). */
  sampleSize: number;
  random: Random;
}

/**
 * For each dead latent in turn: draw an input (without replacement) with probability ∝ its
 * squared error ||x − x̂||², take its centred, normalized form u = (x·s − b_dec) / ||x·s − b_dec||
 * (the part the latent would have to add to b_dec), set the decoder row to u, the encoder column
 * to u × 0.2 × the living latents' mean encoder norm (1 when none live), the encoder bias to 0,
 * and Adam's moments of all three to 0. Returns the latents resampled: none when the sample is
 * reconstructed perfectly, fewer than `dead` when fewer inputs have any error.
 */
export function resampleDeadLatents(tf: TF, parameters: HostParameters, dead: readonly number[], context: ResampleContext): number[] {
  if (dead.length === 0) return [];
  const { layout, config, data, inputScale, threshold, random } = context;
  const { dIn, dSae, bEnc, bDec, wDec } = layout;
  const { theta, m, v } = parameters;
  const sample = scaledRows(data, sampleIndices(data.rows, context.sampleSize, random), 1);
  const reconstruction = reconstructActivations(tf, weightsFromParameters(theta, layout, config, inputScale, threshold), sample);
  const errors = new Float64Array(sample.rows);
  let remaining = 0;
  for (let r = 0; r < sample.rows; r++) {
    for (let i = 0; i < dIn; i++) errors[r] += (sample.data[r * dIn + i] - reconstruction.data[r * dIn + i]) ** 2;
    remaining += errors[r];
  }

  const isDead = new Set(dead);
  let aliveNormSum = 0;
  for (let j = 0; j < dSae; j++) {
    if (isDead.has(j)) continue;
    let squares = 0;
    for (let i = 0; i < dIn; i++) squares += theta[i * dSae + j] ** 2;
    aliveNormSum += Math.sqrt(squares);
  }
  const encoderNorm = REVIVED_ENCODER_NORM * (dSae > dead.length ? aliveNormSum / (dSae - dead.length) : 1);

  const resampled: number[] = [];
  const direction = new Float64Array(dIn);
  for (const j of dead) {
    if (!(remaining > 0)) break;
    const r = drawProportional(errors, remaining, random);
    if (r < 0) break;
    remaining -= errors[r];
    errors[r] = 0;
    let norm = 0;
    for (let i = 0; i < dIn; i++) {
      direction[i] = sample.data[r * dIn + i] * inputScale - theta[bDec + i];
      norm += direction[i] ** 2;
    }
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    for (const entry of latentEntries(layout, j)) {
      m[entry] = 0;
      v[entry] = 0;
    }
    for (let i = 0; i < dIn; i++) {
      theta[wDec + j * dIn + i] = direction[i] / norm;
      theta[i * dSae + j] = (direction[i] / norm) * encoderNorm;
    }
    theta[bEnc + j] = 0;
    resampled.push(j);
  }
  return resampled;
}

/** An index drawn with probability weights[i] / total (total = Σ weights), or -1 when every weight is 0. */
function drawProportional(weights: Float64Array, total: number, random: Random): number {
  let target = random() * total;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] <= 0) continue;
    last = i;
    target -= weights[i];
    if (target < 0) return i;
  }
  // Rounding left a sliver of `total` unspent: the last candidate takes it.
  return last;
}
