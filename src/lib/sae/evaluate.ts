// Every metric of metrics.ts for one SAE on one evaluation set, from a single encoding pass, so
// that the loaders, the page and the worker report the same numbers. Downstream accuracy and
// loss recovered need the classifier: splice `reconstruction` into the network and pass the
// cross-entropies to metrics.lossRecovered.
import type { TF } from "../tf-types.js";
import type { ActivationMatrix } from "../analysis/types.js";
import { activeAbove } from "./config.js";
import { encodeAndReconstruct, type BatchOptions } from "./encode.js";
import {
  deadLatents,
  denseLatents,
  densityHistogram,
  fractionVarianceExplained,
  l0,
  latentFiringRates,
  meanSquaredError,
  normalizedMse,
  relativeReconstructionBias,
  shrinkage,
  type DensityHistogram,
} from "./metrics.js";
import type { SaeWeights } from "./weights.js";

export interface SaeEvaluation {
  /** The codes of every input [rows, dSae]. */
  codes: ActivationMatrix;
  /** The reconstruction of every input [rows, dIn], in the activations' units. */
  reconstruction: ActivationMatrix;
  meanSquaredError: number;
  fractionVarianceExplained: number;
  normalizedMse: number;
  l0: number;
  firingRates: Float64Array;
  dead: number[];
  /** Latents above metrics.DENSE_FIRING_RATE. */
  dense: number[];
  densityHistogram: DensityHistogram;
  shrinkage: number;
  relativeReconstructionBias: number;
}

/** Encodes and reconstructs `m` in batches (no tensors left behind) and computes every metric on it. */
export function evaluateSae(tf: TF, weights: SaeWeights, m: ActivationMatrix, options: BatchOptions = {}): SaeEvaluation {
  const { codes, reconstruction } = encodeAndReconstruct(tf, weights, m, options);
  const firingRates = latentFiringRates(codes, activeAbove(weights.architecture));
  return {
    codes,
    reconstruction,
    meanSquaredError: meanSquaredError(m, reconstruction),
    fractionVarianceExplained: fractionVarianceExplained(m, reconstruction),
    normalizedMse: normalizedMse(m, reconstruction),
    l0: l0(codes, activeAbove(weights.architecture)),
    firingRates,
    dead: deadLatents(firingRates),
    dense: denseLatents(firingRates),
    densityHistogram: densityHistogram(firingRates),
    shrinkage: shrinkage(m, reconstruction),
    relativeReconstructionBias: relativeReconstructionBias(m, reconstruction),
  };
}
