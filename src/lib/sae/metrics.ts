// The SAE metrics, each defined once here and read by the loaders, the page and the worker alike.
// Pure functions on plain matrices: x = the activations, xHat = the SAE's reconstruction of them
// (both in the activations' units, rows = inputs), codes = the SAE's latent values.
import type { ActivationMatrix } from "../analysis/types.js";
import { assertActivationMatrix } from "../analysis/validate.js";
import { activeFraction } from "../analysis/units/dead-units.js";
import { histogram, unitMeans } from "../analysis/units/stats.js";

/**
 * A latent firing on more than a quarter of the inputs counts as dense. The SAE libraries define
 * no such threshold; the JumpReLU paper calls language-model latents above 10% "high frequency".
 * On MNIST 10% is what a plain detector of one digit reaches (each class is 9–11% of the data), so
 * the line sits above anything one or two classes could supply (the two commonest digits together
 * are 21.7% of either split): a dense latent fires across most classes, not on a few.
 */
export const DENSE_FIRING_RATE = 0.25;

/** Firing rates go on a log10 axis from 10^-5 (below one in 60,000, MNIST's largest split) to 10^0, in 20 bins of 0.25 decades. */
export const DENSITY_HISTOGRAM = { min: -5, max: 0, bins: 20 } as const;

function checkPair(x: ActivationMatrix, xHat: ActivationMatrix, what: string): void {
  assertActivationMatrix(x, `${what}: x`);
  assertActivationMatrix(xHat, `${what}: xHat`);
  if (x.rows !== xHat.rows || x.cols !== xHat.cols) {
    throw new Error(`${what}: x and xHat must have the same shape, found ${x.rows} × ${x.cols} and ${xHat.rows} × ${xHat.cols}`);
  }
  if (x.rows === 0) throw new Error(`${what}: expected at least one input, found 0 rows`);
}

/** Σ over inputs of ||x − x̂||². */
function sumSquaredError(x: ActivationMatrix, xHat: ActivationMatrix): number {
  let sum = 0;
  for (let i = 0; i < x.data.length; i++) {
    const d = x.data[i] - xHat.data[i];
    sum += d * d;
  }
  return sum;
}

/** Σ over dimensions d of Σ over inputs of (v_d − mean_d)²: N × the summed variance, around the mean. */
function summedSquaredDeviation(rows: number, cols: number, value: (index: number) => number): number {
  const means = new Float64Array(cols);
  for (let r = 0, o = 0; r < rows; r++, o += cols) for (let c = 0; c < cols; c++) means[c] += value(o + c);
  for (let c = 0; c < cols; c++) means[c] /= rows;
  let sum = 0;
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    for (let c = 0; c < cols; c++) {
      const d = value(o + c) - means[c];
      sum += d * d;
    }
  }
  return sum;
}

function totalVariance(x: ActivationMatrix, what: string): number {
  const total = summedSquaredDeviation(x.rows, x.cols, (i) => x.data[i]);
  if (total === 0) throw new Error(`${what}: the activations do not vary over the set, so there is no variance to explain`);
  return total;
}

/** Mean over inputs of the squared error summed over dimensions: (1/N) Σ_n ||x_n − x̂_n||². */
export function meanSquaredError(x: ActivationMatrix, xHat: ActivationMatrix): number {
  checkPair(x, xHat, "meanSquaredError");
  return sumSquaredError(x, xHat) / x.rows;
}

/**
 * 1 − Σ_d Var(x_d − x̂_d) / Σ_d Var(x_d) over the whole set, variances around the mean (SAELens
 * once took them around zero, which credits an SAE for merely reproducing the mean).
 */
export function fractionVarianceExplained(x: ActivationMatrix, xHat: ActivationMatrix): number {
  const what = "fractionVarianceExplained";
  checkPair(x, xHat, what);
  const residual = summedSquaredDeviation(x.rows, x.cols, (i) => x.data[i] - xHat.data[i]);
  return 1 - residual / totalVariance(x, what);
}

/**
 * Σ_n ||x_n − x̂_n||² / Σ_n ||x_n − mean(x)||²: the error against that of always predicting the
 * mean (OpenAI's normalized MSE). It equals 1 − fractionVarianceExplained only when the residual
 * averages to zero; a constant offset counts here and not there.
 */
export function normalizedMse(x: ActivationMatrix, xHat: ActivationMatrix): number {
  const what = "normalizedMse";
  checkPair(x, xHat, what);
  return sumSquaredError(x, xHat) / totalVariance(x, what);
}

/** Mean number of codes above `activeAbove` per input (use activeAbove(architecture) from config.ts). */
export function l0(codes: ActivationMatrix, activeAbove = 0): number {
  assertActivationMatrix(codes, "l0: codes");
  if (codes.rows === 0) throw new Error("l0: expected at least one input, found 0 rows");
  let active = 0;
  for (let i = 0; i < codes.data.length; i++) if (codes.data[i] > activeAbove) active++;
  return active / codes.rows;
}

/** Fraction of inputs on which each latent's code is above `activeAbove`. */
export function latentFiringRates(codes: ActivationMatrix, activeAbove = 0): Float64Array {
  return activeFraction(codes, activeAbove);
}

/** Latents that never fire on the set. */
export function deadLatents(firingRates: ArrayLike<number>): number[] {
  return indicesWhere(firingRates, (rate) => rate === 0);
}

/** Latents firing on more than `above` of the inputs (default DENSE_FIRING_RATE). */
export function denseLatents(firingRates: ArrayLike<number>, above: number = DENSE_FIRING_RATE): number[] {
  if (!(above >= 0 && above <= 1)) throw new Error(`denseLatents: the threshold must be a fraction in [0, 1], found ${above}`);
  return indicesWhere(firingRates, (rate) => rate > above);
}

function indicesWhere(values: ArrayLike<number>, keep: (value: number) => boolean): number[] {
  const indices: number[] = [];
  for (let i = 0; i < values.length; i++) if (keep(values[i])) indices.push(i);
  return indices;
}

export interface DensityHistogram {
  /** bins + 1 edges in log10(firing rate). */
  edges: Float64Array;
  /** Latents per bin; rates below the first edge are counted in the first bin. */
  counts: Uint32Array;
  /** Latents with rate 0, which have no logarithm. */
  dead: number;
}

/** Histogram of log10(firing rate) of the latents that fire, over DENSITY_HISTOGRAM's bins. */
export function densityHistogram(firingRates: ArrayLike<number>): DensityHistogram {
  const logs: number[] = [];
  let dead = 0;
  for (let i = 0; i < firingRates.length; i++) {
    const rate = firingRates[i];
    if (!(rate >= 0 && rate <= 1)) throw new Error(`densityHistogram: firing rates must be fractions in [0, 1], found ${rate} at latent ${i}`);
    if (rate === 0) dead++;
    else logs.push(Math.log10(rate));
  }
  return { ...histogram(logs, DENSITY_HISTOGRAM), dead };
}

/**
 * Mean over inputs of ||x̂|| / ||x|| (inputs with ||x|| = 0 are left out): below 1 when the
 * sparsity penalty shrinks the codes.
 */
export function shrinkage(x: ActivationMatrix, xHat: ActivationMatrix): number {
  checkPair(x, xHat, "shrinkage");
  let sum = 0;
  let counted = 0;
  for (let r = 0, o = 0; r < x.rows; r++, o += x.cols) {
    let xx = 0;
    let hh = 0;
    for (let c = 0; c < x.cols; c++) {
      xx += x.data[o + c] ** 2;
      hh += xHat.data[o + c] ** 2;
    }
    if (xx > 0) {
      sum += Math.sqrt(hh / xx);
      counted++;
    }
  }
  if (counted === 0) throw new Error("shrinkage: every input is the zero vector, so no ratio exists");
  return sum / counted;
}

/**
 * E||x̂||² / E⟨x, x̂⟩ (Rajamanoharan et al.): the γ for which x̂ / γ best fits x; 1 means no
 * systematic shrinkage or inflation.
 */
export function relativeReconstructionBias(x: ActivationMatrix, xHat: ActivationMatrix): number {
  checkPair(x, xHat, "relativeReconstructionBias");
  let hh = 0;
  let xh = 0;
  for (let i = 0; i < x.data.length; i++) {
    hh += xHat.data[i] * xHat.data[i];
    xh += x.data[i] * xHat.data[i];
  }
  if (xh === 0) throw new Error("relativeReconstructionBias: E<x, x̂> is 0, so the ratio is undefined");
  return hh / xh;
}

/**
 * (CE_ablated − CE_spliced) / (CE_ablated − CE_original): 1 when splicing the reconstruction in
 * costs nothing, 0 when it is as bad as ablating the layer (zero or mean ablation: compute CE_ablated
 * for each, on ablateActivations' output).
 */
export function lossRecovered(ceOriginal: number, ceSpliced: number, ceAblated: number): number {
  for (const [name, value] of [
    ["ceOriginal", ceOriginal],
    ["ceSpliced", ceSpliced],
    ["ceAblated", ceAblated],
  ] as const) {
    if (!Number.isFinite(value)) throw new Error(`lossRecovered: ${name} must be a finite cross-entropy, found ${value}`);
  }
  if (ceAblated === ceOriginal)
    throw new Error(`lossRecovered: ablating the layer leaves the cross-entropy unchanged (${ceOriginal}), so there is no loss to recover`);
  return (ceAblated - ceSpliced) / (ceAblated - ceOriginal);
}

/** The layer ablated: every value 0 ("zero"), or every input replaced by the set's mean input ("mean"). */
export function ablateActivations(m: ActivationMatrix, kind: "zero" | "mean"): ActivationMatrix {
  assertActivationMatrix(m, "ablateActivations");
  const data = new Float32Array(m.rows * m.cols);
  if (kind === "mean") {
    if (m.rows === 0) throw new Error("ablateActivations: the mean of 0 inputs is undefined");
    const means = Float32Array.from(unitMeans(m));
    for (let r = 0; r < m.rows; r++) data.set(means, r * m.cols);
  } else if (kind !== "zero") {
    throw new Error(`ablateActivations: kind must be "zero" or "mean", found ${JSON.stringify(kind)}`);
  }
  return { rows: m.rows, cols: m.cols, ...(m.shape ? { shape: m.shape } : {}), data };
}
