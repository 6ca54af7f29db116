// Independent component analysis of an activation matrix: FastICA on the PCA-whitened units, then
// a fixed order and sign, so that what a page shows depends on the data and the seed only.
import { Matrix } from "ml-matrix";
import type { ActivationMatrix } from "../types.js";
import { gaussian, mulberry32 } from "../../random.js";
import { NONLINEARITIES, symmetricFastIca, type IcaNonlinearity } from "./fastica.js";
import { assertActivationMatrix, assertFiniteActivations, assertNonNegativeInteger, assertPositiveInteger } from "../validate.js";
import { pcaWhitening } from "./whitening.js";

export type { IcaNonlinearity };

export interface IcaOptions {
  /** k, the number of independent components: at most the number of units that vary independently. */
  components: number;
  /** Fixed-point updates before giving up (default 200). */
  maxIterations?: number;
  /** Converged when no unmixing row turns by more than this (default 1e-4, as in scikit-learn). */
  tolerance?: number;
  /** Seeds the random initial unmixing matrix (default 1). */
  seed?: number;
  /** Derivative of the contrast function (default "logcosh"). */
  nonlinearity?: IcaNonlinearity;
}

export interface IcaResult {
  /** k × cols, row-major unmixing in unit space: sources = (x - mean) · componentsᵀ. */
  components: Float64Array;
  /** cols × k, row-major: x ≈ mean + sources · mixingᵀ, exact inside the top-k PCA subspace. */
  mixing: Float64Array;
  /** Per-unit mean subtracted before unmixing. */
  mean: Float64Array;
  /** rows × k, row-major: each column has mean 0 and sample variance (rows - 1) 1. */
  sources: Float64Array;
  /** Fixed-point updates made. */
  iterations: number;
  /** Whether the tolerance was met within maxIterations. */
  converged: boolean;
  k: number;
}

/**
 * Symmetric FastICA (Hyvärinen & Oja 2000; scikit-learn's default): PCA whitening to k
 * components, then all k unmixing rows updated together and decorrelated by W ← (W Wᵀ)^{-1/2} W.
 * Components come ordered by decreasing |excess kurtosis| of their source (the most non-Gaussian
 * first; stable on ties), and each is signed so that its source's skewness is not negative.
 */
export function ica(m: ActivationMatrix, options: IcaOptions): IcaResult {
  const { components: k, maxIterations = 200, tolerance = 1e-4, seed = 1, nonlinearity = "logcosh" } = options;
  assertActivationMatrix(m, "ica activations");
  const { rows, cols } = m;
  if (rows < 2) throw new Error(`ica: expected at least 2 examples (rows), found ${rows}`);
  if (!Number.isInteger(k) || k < 1 || k > cols) {
    throw new Error(`ica components: expected an integer in [1, ${cols}] (the number of units), found ${k}`);
  }
  assertPositiveInteger(maxIterations, "ica maxIterations");
  if (!(tolerance > 0 && Number.isFinite(tolerance))) {
    throw new Error(`ica tolerance: expected a positive number, found ${tolerance}`);
  }
  assertNonNegativeInteger(seed, "ica seed");
  if (!NONLINEARITIES.includes(nonlinearity)) {
    throw new Error(`ica nonlinearity: expected one of ${NONLINEARITIES.map((n) => `"${n}"`).join(", ")}, found ${JSON.stringify(nonlinearity)}`);
  }
  assertFiniteActivations(m, "ica activations");

  const white = pcaWhitening(m, k, "ica components");
  const z = Matrix.from1DArray(rows, k, white.whitened);
  const random = mulberry32(seed);
  const initial = Matrix.from1DArray(
    k,
    k,
    Float64Array.from({ length: k * k }, () => gaussian(random)),
  );
  const { rotation, iterations, converged } = symmetricFastIca(z, initial, { nonlinearity, maxIterations, tolerance });

  const oriented = orderAndSign(rotation, z);
  // The rotation is orthogonal, so un-whitening then rotating back inverts the unmixing exactly.
  const components = oriented.mmul(Matrix.from1DArray(k, cols, white.whitening));
  const mixing = Matrix.from1DArray(cols, k, white.dewhitening).mmul(oriented.transpose());
  const sources = z.mmul(oriented.transpose());
  return {
    components: Float64Array.from(components.to1DArray()),
    mixing: Float64Array.from(mixing.to1DArray()),
    mean: white.mean,
    sources: Float64Array.from(sources.to1DArray()),
    iterations,
    converged,
    k,
  };
}

/** The rotation's rows reordered and flipped by the convention documented on ica(). */
function orderAndSign(rotation: Matrix, z: Matrix): Matrix {
  const k = rotation.rows;
  const { skewness, excessKurtosis } = columnShapes(z.mmul(rotation.transpose()));
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => Math.abs(excessKurtosis[b]) - Math.abs(excessKurtosis[a]));
  const result = new Matrix(k, k);
  order.forEach((from, to) => {
    const sign = skewness[from] < 0 ? -1 : 1;
    for (let j = 0; j < k; j++) result.set(to, j, sign * rotation.get(from, j));
  });
  return result;
}

/** Skewness and excess kurtosis (population moments) of each column. */
function columnShapes(x: Matrix): { skewness: Float64Array; excessKurtosis: Float64Array } {
  const { rows, columns } = x;
  const skewness = new Float64Array(columns);
  const excessKurtosis = new Float64Array(columns);
  for (let c = 0; c < columns; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += x.get(r, c) / rows;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    for (let r = 0; r < rows; r++) {
      const d = x.get(r, c) - mean;
      const d2 = d * d;
      m2 += d2 / rows;
      m3 += (d2 * d) / rows;
      m4 += (d2 * d2) / rows;
    }
    skewness[c] = m3 / m2 ** 1.5;
    excessKurtosis[c] = m4 / (m2 * m2) - 3;
  }
  return { skewness, excessKurtosis };
}
