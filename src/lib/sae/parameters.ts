// In training the four weight arrays live in one flat vector, so that Adam updates them all with
// one handful of kernels instead of one handful per array. This file owns that layout.
import type { SaeConfig } from "./config.js";
import { architecture } from "./architectures/index.js";
import { inferenceParameters } from "./architectures/inference.js";
import type { SaeWeights } from "./weights.js";

/** Offsets into the flat parameter vector: [W_enc (dIn·dSae) | b_enc (dSae) | b_dec (dIn) | W_dec (dSae·dIn)]. */
export interface ParameterLayout {
  dIn: number;
  dSae: number;
  bEnc: number;
  bDec: number;
  /** W_dec comes last, so that renormalizing its rows is one slice and one concat. */
  wDec: number;
  size: number;
}

export function parameterLayout(dIn: number, dSae: number): ParameterLayout {
  const bEnc = dIn * dSae;
  const bDec = bEnc + dSae;
  const wDec = bDec + dIn;
  return { dIn, dSae, bEnc, bDec, wDec, size: wDec + dSae * dIn };
}

/** The flat vector's entries that belong to latent j: its encoder column, encoder bias and decoder row. */
export function latentEntries(layout: ParameterLayout, j: number): number[] {
  const { dIn, dSae, bEnc, wDec } = layout;
  const entries: number[] = [];
  for (let i = 0; i < dIn; i++) entries.push(i * dSae + j);
  entries.push(bEnc + j);
  for (let i = 0; i < dIn; i++) entries.push(wDec + j * dIn + i);
  return entries;
}

/** SaeWeights (copies) from the flat vector; `threshold` is the JumpReLU threshold's current estimate. */
export function weightsFromParameters(theta: Float32Array, layout: ParameterLayout, config: SaeConfig, inputScale: number, threshold: number): SaeWeights {
  const { dIn, dSae, bEnc, bDec, wDec } = layout;
  return {
    architecture: config.architecture,
    dIn,
    dSae,
    ...inferenceParameters(architecture(config.architecture).inference, {
      k: (config as { k?: number }).k,
      threshold: () => new Float32Array(dSae).fill(threshold),
    }),
    W_enc: theta.slice(0, bEnc),
    b_enc: theta.slice(bEnc, bDec),
    W_dec: theta.slice(wDec, wDec + dSae * dIn),
    b_dec: theta.slice(bDec, wDec),
    inputScale,
  };
}
