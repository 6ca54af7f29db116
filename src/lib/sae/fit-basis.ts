// Fits the bases SAEs can read (basis.ts) to a layer's activations: every principal component
// (pca.ts), or FastICA's independent components (ica.ts) of the directions that have variance.
import type { ActivationMatrix } from "../analysis/types.js";
import { pca } from "../analysis/embeddings/pca.js";
import { ica } from "../analysis/embeddings/ica.js";
import { directionsWithVariance } from "../analysis/embeddings/whitening.js";
import type { FittedBasis } from "./basis.js";

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

/** FastICA (ica.ts) with as many components as `m` has directions with variance. */
export function icaBasis(m: ActivationMatrix, seed: number): IcaFit {
  const k = directionsWithVariance(pca(m, m.cols).explainedVariance);
  if (k === 0) throw new Error("icaBasis: the activations do not vary, so there is nothing to unmix");
  const { components, mixing, mean, iterations, converged } = ica(m, { components: k, seed });
  // mixing is [dLayer, k]; x̂ = ẑ · mixingᵀ + mean.
  const inverse = new Float32Array(k * m.cols);
  for (let c = 0; c < m.cols; c++) for (let i = 0; i < k; i++) inverse[i * m.cols + c] = mixing[c * k + i];
  return { basis: { name: "ica", dLayer: m.cols, dIn: k, mean: Float32Array.from(mean), transform: Float32Array.from(components), inverse }, iterations, converged };
}

