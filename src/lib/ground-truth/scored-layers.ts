// Which layers the build scores against the ground truth: the baseline MLP's two hidden layers
// and the CNN's dense layer, the ones whose neurons the SAE page compares with features. Each
// scored layer's neurons, PCA and ICA components and every SAE of its 4x grid are scored.
import { REDUCED_MULTIPLE } from "../sae/sweep.js";
import type { SweepFileSae } from "../sae/sweep-file.js";

export const SCORED_LAYERS: Readonly<Record<string, readonly string[]>> = {
  "baseline-mlp": ["relu_1", "relu_2"],
  cnn: ["relu_3"],
};

/** The SAEs of a layer that are scored: the dictionaries of 4x the layer's width. */
export function scoredSaes<S extends Pick<SweepFileSae, "config">>(saes: readonly S[], dLayer: number): S[] {
  return saes.filter((sae) => sae.config.dSae === REDUCED_MULTIPLE * dLayer);
}
