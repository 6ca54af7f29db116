// Every metric of metrics.ts for one SAE on one evaluation set, from a single encoding pass, so
// that the loaders, the page and the worker report the same numbers. An SAE trained in a PCA or
// ICA basis is measured in the layer's own units: its reconstruction is mapped back first.
// Downstream accuracy and loss recovered need the classifier: see downstream.ts.
import type { TF } from "../tf-types.js";
import type { ActivationMatrix } from "../analysis/types.js";
import { activeAbove } from "./config.js";
import { encodeAndReconstruct, type BatchOptions } from "./encode.js";
import { fromBasis, toBasis, type FittedBasis } from "./basis.js";
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
  /** The reconstruction of every input [rows, m.cols], in the activations' units (the layer's, with a basis). */
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

export interface EvaluateOptions extends BatchOptions {
  /** The basis the SAE reads: `m` is in the layer's units and is mapped into it first. */
  basis?: FittedBasis | null;
}

/** Encodes and reconstructs `m` in batches (no tensors left behind) and computes every metric on it. */
export function evaluateSae(tf: TF, weights: SaeWeights, m: ActivationMatrix, options: EvaluateOptions = {}): SaeEvaluation {
  const { basis = null, ...batch } = options;
  if (basis !== null && basis.dIn !== weights.dIn)
    throw new Error(`evaluateSae: the SAE reads ${weights.dIn} values, the ${basis.name} basis gives ${basis.dIn}`);
  const encoded = encodeAndReconstruct(tf, weights, basis ? toBasis(basis, m) : m, batch);
  const { codes } = encoded;
  const reconstruction = basis ? fromBasis(basis, encoded.reconstruction) : encoded.reconstruction;
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
