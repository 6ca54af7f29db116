// Fits the bases SAEs can read (basis.ts) to a layer's activations: every principal component
// (pca.ts), or FastICA's independent components (ica.ts) of the directions whose variance is at
// least ICA_MIN_RELATIVE_VARIANCE of the largest.
import type { ActivationMatrix } from "../analysis/types.js";
import { pca } from "../analysis/embeddings/pca.js";
import { ica } from "../analysis/embeddings/ica.js";
import type { FittedBasis } from "./basis.js";

/**
 * ICA whitens before it unmixes: each principal direction is divided by its standard deviation,
 * so a direction with almost no variance gets an enormous gain, and FastICA's rotation spreads it
 * over every component. Such directions are units that fire on a handful of the rows ICA is fitted
 * on (dead or nearly dead ReLUs); where they fire a little more on other inputs, the coordinates
 * explode. With every direction above rounding kept, the CNN's relu_3 had principal variances of
 * 2e-4 and 1.5e-5 against 62 for the largest: its ICA coordinates, unit variance on the fitting
 * sample, had variance 214 on the training set and reached |z| = 3,110 (kurtosis 35,000); ten of
 * the 10,000 evaluation inputs had ||z|| over 20 (up to 1,860) for ||x − mean|| of 12 to 18, and
 * those ten made 98% of the TopK SAE's error mapped back to the layer (variance explained −8.8).
 * The SAE's loss in ICA coordinates was about those outliers, not the layer. Directions below this
 * fraction of the largest variance (a whitening gain over 100 times the largest direction's) are
 * left out; on the three layers the sweep fits ICA to they carry under 1e-5 of the variance, and
 * the next direction up sits at 2e-3 of the largest or more.
 */
export const ICA_MIN_RELATIVE_VARIANCE = 1e-4;

/** How many principal directions ICA keeps, given their variances largest first (pca's explainedVariance). */
export function icaDirections(explainedVariance: ArrayLike<number>): number {
  const largest = explainedVariance[0];
  if (!(largest > 0)) return 0;
  let count = 0;
  while (count < explainedVariance.length && explainedVariance[count] >= ICA_MIN_RELATIVE_VARIANCE * largest) count++;
  return count;
}

export interface IcaFit {
  basis: FittedBasis;
  iterations: number;
  converged: boolean;
}

/** Every principal component of `m`, largest variance first (pca.ts' order and signs). */
export function pcaBasis(m: ActivationMatrix): FittedBasis {
  const { components, mean } = pca(m, m.cols);
  const rotation = Float32Array.from(components);
  return { name: "pca", dLayer: m.cols, dIn: m.cols, mean: Float32Array.from(mean), transform: rotation, inverse: rotation.slice() };
}

/** FastICA (ica.ts) on the principal directions of `m` that icaDirections keeps, as many components as directions. */
export function icaBasis(m: ActivationMatrix, seed: number): IcaFit {
  const k = icaDirections(pca(m, m.cols).explainedVariance);
  if (k === 0) throw new Error("icaBasis: the activations do not vary, so there is nothing to unmix");
  const { components, mixing, mean, iterations, converged } = ica(m, { components: k, seed });
  // mixing is [dLayer, k]; x̂ = ẑ · mixingᵀ + mean.
  const inverse = new Float32Array(k * m.cols);
  for (let c = 0; c < m.cols; c++) for (let i = 0; i < k; i++) inverse[i * m.cols + c] = mixing[c * k + i];
  return {
    basis: { name: "ica", dLayer: m.cols, dIn: k, mean: Float32Array.from(mean), transform: Float32Array.from(components), inverse },
    iterations,
    converged,
  };
}
