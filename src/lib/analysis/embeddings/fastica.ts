// Symmetric (parallel) FastICA on whitened data: the fixed-point iteration of Hyvärinen & Oja
// (2000), every row of W updated at once and then decorrelated together, as scikit-learn's
// default ("parallel") does.
import { EigenvalueDecomposition, Matrix } from "ml-matrix";

export type IcaNonlinearity = "logcosh" | "exp" | "cube";

/** g and its derivative g', applied entrywise: the derivative of the contrast function G. */
type Contrast = (y: number) => { g: number; gPrime: number };

const CONTRASTS: Record<IcaNonlinearity, Contrast> = {
  // G(y) = log cosh y: robust, the general-purpose choice.
  logcosh: (y) => {
    const t = Math.tanh(y);
    return { g: t, gPrime: 1 - t * t };
  },
  // G(y) = -exp(-y²/2): for very super-Gaussian sources or when robustness matters most.
  exp: (y) => {
    const e = Math.exp((-y * y) / 2);
    return { g: y * e, gPrime: (1 - y * y) * e };
  },
  // G(y) = y⁴/4: kurtosis itself; fast, but sensitive to outliers.
  cube: (y) => ({ g: y * y * y, gPrime: 3 * y * y }),
};

export const NONLINEARITIES = Object.keys(CONTRASTS) as IcaNonlinearity[];

/** Smallest normal double: eigenvalues are clipped to it, as in scikit-learn, so 1/√λ stays finite. */
const TINY = 2.2250738585072014e-308;

export interface FastIcaIteration {
  /** k × k orthogonal unmixing of the whitened data: sources = z · rotationᵀ. */
  rotation: Matrix;
  iterations: number;
  converged: boolean;
}

/**
 * Runs from `initial` (k × k) on whitened data z (rows × k) until every row of W moves by less
 * than `tolerance` (max over rows of | |⟨w_new, w_old⟩| - 1 |), or for `maxIterations` updates.
 */
export function symmetricFastIca(
  z: Matrix,
  initial: Matrix,
  { nonlinearity, maxIterations, tolerance }: { nonlinearity: IcaNonlinearity; maxIterations: number; tolerance: number },
): FastIcaIteration {
  const contrast = CONTRASTS[nonlinearity];
  const { rows, columns: k } = z;
  let w = symmetricDecorrelation(initial);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    // w_i ← E[z g(w_iᵀz)] - E[g'(w_iᵀz)] w_i, for all rows at once.
    const y = z.mmul(w.transpose());
    const meanGPrime = new Float64Array(k);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < k; i++) {
        const { g, gPrime } = contrast(y.get(r, i));
        y.set(r, i, g);
        meanGPrime[i] += gPrime / rows;
      }
    }
    const next = y.transposeMultiply(z).div(rows);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) next.set(i, j, next.get(i, j) - meanGPrime[i] * w.get(i, j));
    const decorrelated = symmetricDecorrelation(next);
    const change = largestChange(decorrelated, w);
    w = decorrelated;
    if (change < tolerance) return { rotation: w, iterations: iteration, converged: true };
  }
  return { rotation: w, iterations: maxIterations, converged: false };
}

/** W ← (W Wᵀ)^{-1/2} W: the nearest orthogonal matrix, treating every row alike. */
function symmetricDecorrelation(w: Matrix): Matrix {
  const { realEigenvalues, eigenvectorMatrix: u } = new EigenvalueDecomposition(w.mmulByTranspose(), { assumeSymmetric: true });
  const inverseRoot = realEigenvalues.map((s) => 1 / Math.sqrt(Math.max(s, TINY)));
  return u.mmul(Matrix.diag(inverseRoot)).mmul(u.transpose()).mmul(w);
}

/** max over rows of | |⟨a_i, b_i⟩| - 1 |: how far any unit row turned (sign flips do not count). */
function largestChange(a: Matrix, b: Matrix): number {
  let largest = 0;
  for (let i = 0; i < a.rows; i++) {
    let dot = 0;
    for (let j = 0; j < a.columns; j++) dot += a.get(i, j) * b.get(i, j);
    largest = Math.max(largest, Math.abs(Math.abs(dot) - 1));
  }
  return largest;
}
