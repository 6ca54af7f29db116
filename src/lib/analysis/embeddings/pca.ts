// Principal component analysis of an activation matrix.
import type { ActivationMatrix } from "../types.js";
import { symmetricEigen } from "./eigen.js";
import { assertActivationMatrix } from "../validate.js";

export interface PcaResult {
  /** k × cols, row-major: row i is the i-th principal direction (unit length). */
  components: Float64Array;
  /** Variance along each component (sample covariance, divided by rows - 1), largest first. */
  explainedVariance: Float64Array;
  /** explainedVariance / total variance of all units (not just the k kept). */
  explainedVarianceRatio: Float64Array;
  /** Per-unit mean that was subtracted before projecting. */
  mean: Float64Array;
  /** rows × k, row-major: each example's coordinates on the components. */
  projection: Float64Array;
  k: number;
}

/**
 * Top-k principal components. Covariance uses rows - 1 (the sample convention, as in
 * scikit-learn). Components are sorted by variance, largest first, and each is signed so its
 * largest-magnitude entry is positive, so the result does not depend on solver details.
 * Constant units get zero weight in every component with non-zero variance; if k exceeds
 * the number of non-constant units, the extra components are those units' axes (variance 0).
 */
export function pca(m: ActivationMatrix, k: number): PcaResult {
  assertActivationMatrix(m);
  const { rows, cols, data } = m;
  if (rows < 2) throw new Error(`pca: expected at least 2 examples (rows), found ${rows}`);
  if (!Number.isInteger(k) || k < 1 || k > cols) {
    throw new Error(`pca k: expected an integer in [1, ${cols}] (the number of units), found ${k}`);
  }
  const mean = new Float64Array(cols);
  for (let r = 0, o = 0; r < rows; r++, o += cols) for (let c = 0; c < cols; c++) mean[c] += data[o + c];
  for (let c = 0; c < cols; c++) mean[c] /= rows;

  // Constant units (dead neurons, always-blank border pixels) have no variance and no
  // covariance: leave them out of the eigen-problem, which is cubic in its size.
  const { varying, constant } = splitConstantUnits(m);
  const q = varying.length;
  const covariance = covarianceOf(data, rows, cols, mean, varying);
  let totalVariance = 0;
  for (let i = 0; i < q; i++) totalVariance += covariance[i * q + i];

  const solved = Math.min(k, q);
  const components = new Float64Array(k * cols);
  const explainedVariance = new Float64Array(k);
  const explainedVarianceRatio = new Float64Array(k);
  if (solved > 0) {
    const { values, vectors } = symmetricEigen(covariance, q, solved);
    for (let i = 0; i < solved; i++) {
      for (let j = 0; j < q; j++) components[i * cols + varying[j]] = vectors[i * q + j];
      // The covariance is positive semi-definite; a tiny negative eigenvalue is rounding.
      explainedVariance[i] = Math.max(0, values[i]);
      explainedVarianceRatio[i] = totalVariance > 0 ? explainedVariance[i] / totalVariance : 0;
    }
  }
  // More components than varying units: the rest are constant units' axes, with variance 0.
  for (let i = solved; i < k; i++) components[i * cols + constant[i - solved]] = 1;

  const projection = new Float64Array(rows * k);
  const centred = new Float64Array(cols);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    for (let c = 0; c < cols; c++) centred[c] = data[o + c] - mean[c];
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let c = 0, v = i * cols; c < cols; c++, v++) s += centred[c] * components[v];
      projection[r * k + i] = s;
    }
  }
  return { components, explainedVariance, explainedVarianceRatio, mean, projection, k };
}

/** Sample covariance matrix (cols × cols, divided by rows - 1) of the units. */
export function covariance(m: ActivationMatrix): Float64Array {
  assertActivationMatrix(m);
  const { rows, cols, data } = m;
  if (rows < 2) throw new Error(`covariance: expected at least 2 examples (rows), found ${rows}`);
  const mean = new Float64Array(cols);
  for (let r = 0, o = 0; r < rows; r++, o += cols) for (let c = 0; c < cols; c++) mean[c] += data[o + c];
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  return covarianceOf(
    data,
    rows,
    cols,
    mean,
    Array.from({ length: cols }, (_, c) => c),
  );
}

/** Units whose activation is the same on every example, and the others. */
function splitConstantUnits(m: ActivationMatrix): { varying: number[]; constant: number[] } {
  const { rows, cols, data } = m;
  const varying: number[] = [];
  const constant: number[] = [];
  for (let c = 0; c < cols; c++) {
    let same = true;
    for (let r = 1, o = cols + c; r < rows; r++, o += cols) {
      if (data[o] !== data[c]) {
        same = false;
        break;
      }
    }
    (same ? constant : varying).push(c);
  }
  return { varying, constant };
}

const ROW_BLOCK = 512;
/** Below this fraction of non-zero entries, the sparse accumulation is faster. */
const SPARSE_DENSITY = 0.3;

/**
 * Sample covariance (units × units) of the given columns. Mostly-zero data (pixels, ReLU or
 * sparse-autoencoder codes) goes through a sparse outer-product sum; dense data through
 * register-tiled dot products of centred columns.
 */
function covarianceOf(data: Float32Array, rows: number, cols: number, mean: Float64Array, units: readonly number[]): Float64Array {
  const q = units.length;
  let nonZero = 0;
  for (let r = 0, o = 0; r < rows; r++, o += cols) for (let i = 0; i < q; i++) if (data[o + units[i]] !== 0) nonZero++;
  return nonZero < SPARSE_DENSITY * rows * q ? sparseCovariance(data, rows, cols, mean, units) : denseCovariance(data, rows, cols, mean, units);
}

/**
 * Σ x xᵀ over the non-zero entries of each row, then C = (Σ x xᵀ - rows · μ μᵀ) / (rows - 1).
 * Uncentred sums lose about log10(mean² / variance) digits of float64 precision: harmless
 * for activations, whose means are not orders of magnitude above their spreads.
 */
function sparseCovariance(data: Float32Array, rows: number, cols: number, mean: Float64Array, units: readonly number[]): Float64Array {
  const q = units.length;
  const sums = new Float64Array(q * q);
  const index = new Int32Array(q);
  const value = new Float64Array(q);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    let nnz = 0;
    for (let i = 0; i < q; i++) {
      const x = data[o + units[i]];
      if (x !== 0) {
        index[nnz] = i;
        value[nnz] = x;
        nnz++;
      }
    }
    for (let a = 0; a < nnz; a++) {
      const base = index[a] * q;
      const xa = value[a];
      for (let b = a; b < nnz; b++) sums[base + index[b]] += xa * value[b];
    }
  }
  const scale = 1 / (rows - 1);
  for (let a = 0; a < q; a++) {
    const ma = mean[units[a]];
    for (let b = a; b < q; b++) {
      const v = (sums[a * q + b] - rows * ma * mean[units[b]]) * scale;
      sums[a * q + b] = v;
      sums[b * q + a] = v;
    }
  }
  return sums;
}

/**
 * The centred data is copied column-major in blocks of rows, and 4 × 4 tiles of column dot
 * products are accumulated in registers: several times faster than the plain outer-product
 * loop at hundreds of columns, which is memory-bound.
 */
function denseCovariance(data: Float32Array, rows: number, cols: number, mean: Float64Array, units: readonly number[]): Float64Array {
  const q = units.length;
  const padded = Math.ceil(q / 4) * 4; // zero columns make every tile full
  const sums = new Float64Array(padded * padded);
  const block = Math.min(ROW_BLOCK, rows);
  const columns = new Float64Array(padded * block);
  for (let r0 = 0; r0 < rows; r0 += block) {
    const len = Math.min(block, rows - r0);
    columns.fill(0, q * len); // padding columns (the layout moves when len shrinks)
    for (let r = 0; r < len; r++) {
      const o = (r0 + r) * cols;
      for (let i = 0; i < q; i++) columns[i * len + r] = data[o + units[i]] - mean[units[i]];
    }
    accumulateTiles(columns, padded, len, sums);
  }
  // Tiles start on the diagonal, so the upper triangle (b >= a) is complete: mirror it.
  const covariance = new Float64Array(q * q);
  const scale = 1 / (rows - 1);
  for (let a = 0; a < q; a++) {
    for (let b = a; b < q; b++) {
      const v = sums[a * padded + b] * scale;
      covariance[a * q + b] = v;
      covariance[b * q + a] = v;
    }
  }
  return covariance;
}

/** sums[a][b] += Σ_r columns[a][r] · columns[b][r] for b >= a, in 4 × 4 tiles (8 loads, 16 MACs). */
function accumulateTiles(columns: Float64Array, padded: number, len: number, sums: Float64Array): void {
  const p = padded;
  for (let a = 0; a < padded; a += 4) {
    const a0 = a * len;
    const a1 = a0 + len;
    const a2 = a1 + len;
    const a3 = a2 + len;
    for (let b = a; b < padded; b += 4) {
      const b0 = b * len;
      const b1 = b0 + len;
      const b2 = b1 + len;
      const b3 = b2 + len;
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0;
      let s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      let s20 = 0,
        s21 = 0,
        s22 = 0,
        s23 = 0;
      let s30 = 0,
        s31 = 0,
        s32 = 0,
        s33 = 0;
      for (let r = 0; r < len; r++) {
        const y0 = columns[b0 + r];
        const y1 = columns[b1 + r];
        const y2 = columns[b2 + r];
        const y3 = columns[b3 + r];
        let x = columns[a0 + r];
        s00 += x * y0;
        s01 += x * y1;
        s02 += x * y2;
        s03 += x * y3;
        x = columns[a1 + r];
        s10 += x * y0;
        s11 += x * y1;
        s12 += x * y2;
        s13 += x * y3;
        x = columns[a2 + r];
        s20 += x * y0;
        s21 += x * y1;
        s22 += x * y2;
        s23 += x * y3;
        x = columns[a3 + r];
        s30 += x * y0;
        s31 += x * y1;
        s32 += x * y2;
        s33 += x * y3;
      }
      const o = a * p + b;
      sums[o] += s00;
      sums[o + 1] += s01;
      sums[o + 2] += s02;
      sums[o + 3] += s03;
      sums[o + p] += s10;
      sums[o + p + 1] += s11;
      sums[o + p + 2] += s12;
      sums[o + p + 3] += s13;
      sums[o + 2 * p] += s20;
      sums[o + 2 * p + 1] += s21;
      sums[o + 2 * p + 2] += s22;
      sums[o + 2 * p + 3] += s23;
      sums[o + 3 * p] += s30;
      sums[o + 3 * p + 1] += s31;
      sums[o + 3 * p + 2] += s32;
      sums[o + 3 * p + 3] += s33;
    }
  }
}
