// PCA whitening: decorrelated, unit-variance coordinates of the top-k principal subspace. The
// first step of ICA; built on pca(), so it shares its component order and sign convention.
import type { ActivationMatrix } from "../types.js";
import { pca } from "./pca.js";

/** A direction whose variance is below this fraction of the largest has none (rounding only). */
const RANK_TOLERANCE = 1e-10;

/** How many principal directions have variance, given their variances largest first (pca's explainedVariance). */
export function directionsWithVariance(explainedVariance: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < explainedVariance.length; i++) if (explainedVariance[i] > RANK_TOLERANCE * explainedVariance[0]) count++;
  return count;
}

export interface PcaWhitening {
  /** Per-unit mean subtracted first. */
  mean: Float64Array;
  /** k × cols, row-major: z = (x - mean) · whiteningᵀ. Row i is principal direction i / √variance_i. */
  whitening: Float64Array;
  /** cols × k, row-major: x - mean ≈ z · dewhiteningᵀ (exact inside the k-dimensional subspace). */
  dewhitening: Float64Array;
  /** rows × k, row-major: the whitened examples; their sample covariance (rows - 1) is the identity. */
  whitened: Float64Array;
  k: number;
}

/**
 * Whitens onto the top k principal directions. Throws when fewer than k directions have variance
 * (constant or collinear units), since dividing by a zero variance would give Infinity or NaN;
 * `name` prefixes that message so callers can report it as their own.
 */
export function pcaWhitening(m: ActivationMatrix, k: number, name = "pcaWhitening"): PcaWhitening {
  const { components, explainedVariance, mean, projection } = pca(m, k);
  const { rows, cols } = m;
  const varying = directionsWithVariance(explainedVariance);
  if (varying < k) {
    throw new Error(
      `${name}: expected at most ${varying} components, since only ${varying} directions of the ` +
        `activations have variance (the other units are constant or linear combinations), found ${k}`,
    );
  }
  const scale = explainedVariance.map(Math.sqrt);
  const whitening = new Float64Array(k * cols);
  const dewhitening = new Float64Array(cols * k);
  for (let i = 0; i < k; i++) {
    for (let c = 0; c < cols; c++) {
      whitening[i * cols + c] = components[i * cols + c] / scale[i];
      dewhitening[c * k + i] = components[i * cols + c] * scale[i];
    }
  }
  const whitened = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) for (let i = 0; i < k; i++) whitened[r * k + i] = projection[r * k + i] / scale[i];
  return { mean, whitening, dewhitening, whitened, k };
}
