// Eigen-decomposition of a real symmetric matrix, for PCA.
//
// Cyclic Jacobi would be simpler but costs ~6n³ flops per sweep, tens of seconds at n = 784 in
// JavaScript. Instead: Householder reduction to tridiagonal form (~4n³/3 flops), eigenvalues
// of the tridiagonal matrix by Sturm-sequence bisection (O(n²), accurate to ~eps·‖A‖), then
// eigenvectors only for the requested eigenvalues by inverse iteration on the tridiagonal matrix
// (O(n) each, Gram-Schmidt inside clusters of close eigenvalues), mapped back through the
// reflectors (O(n²) each). PCA asks for a few components: under a second at n = 784.
// Kept over ml-matrix's EigenvalueDecomposition, which always computes every eigenpair: at
// n = 784 it is over 10× slower than this for PCA's few (tests/bench/linear-algebra.ts).
import { mulberry32, gaussian } from "../../random.js";
import { assertNonNegativeInteger, assertPositiveInteger } from "../validate.js";

const EPS = 2.220446049250313e-16;
const SAFE_MIN = 2.2250738585072014e-308;
/** Eigenvalues closer than this fraction of the block norm are treated as one cluster. */
const CLUSTER_GAP = 1e-3;
const INVERSE_ITERATIONS = 4;

export interface SymmetricEigen {
  /** The `count` largest eigenvalues, largest first. */
  values: Float64Array;
  /**
   * Their unit eigenvectors, row-major count × n: row i belongs to values[i]. Each is signed so
   * that its largest-magnitude entry is positive (the first such entry on near-ties), which
   * makes the output deterministic.
   */
  vectors: Float64Array;
  n: number;
  count: number;
}

/**
 * The `count` largest eigenvalues (default: all n) of the symmetric n × n row-major `matrix`,
 * with their eigenvectors. The input must be symmetric (to 1e-8 relative); it is not modified.
 * Eigenvalues are accurate to about 1e-15 · ‖A‖ in absolute terms.
 */
export function symmetricEigen(matrix: Float64Array | Float32Array, n: number, count = n): SymmetricEigen {
  assertPositiveInteger(n, "symmetricEigen n");
  assertNonNegativeInteger(count, "symmetricEigen count");
  if (count > n) throw new Error(`symmetricEigen count: expected at most n = ${n} eigenpairs, found ${count}`);
  if (matrix.length !== n * n) {
    throw new Error(`symmetricEigen matrix: expected n × n = ${n * n} values, found ${matrix.length}`);
  }
  const a = symmetrizedCopy(matrix, n);
  const { diag, off, reflectors, hasReflector } = tridiagonalize(a, n);
  const tnorm = tridiagonalNorm(diag, off);
  const blocks = splitBlocks(diag, off, tnorm);
  const pivmin = pivotMinimum(off);

  // Per block, its `count` largest eigenvalues, ascending, with the index of the first one.
  const blockNorms: number[] = [];
  const blockValues: { values: Float64Array; lowest: number }[] = blocks.map(([start, end]) => {
    const norm = tridiagonalNorm(diag.subarray(start, end), off.subarray(start, Math.max(start, end - 1)));
    blockNorms.push(norm);
    return topBlockEigenvalues(diag, off, start, end, count, tnorm, pivmin);
  });

  // Global order: largest first; ties keep block order for determinism.
  const entries: { value: number; block: number; index: number }[] = [];
  blockValues.forEach(({ values, lowest }, block) => {
    for (let j = lowest; j < values.length; j++) entries.push({ value: values[j], block, index: j });
  });
  entries.sort((x, y) => y.value - x.value || x.block - y.block || y.index - x.index);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = entries[i].value;

  const vectors = new Float64Array(count * n);
  const rowOf = blocks.map(([start, end]) => new Int32Array(end - start).fill(-1));
  for (let i = 0; i < count; i++) rowOf[entries[i].block][entries[i].index] = i;
  const random = mulberry32(0x5eed);
  const full = new Float64Array(n);
  blocks.forEach(([start, end], block) => {
    const { values: bv, lowest } = blockValues[block];
    const rows = rowOf[block];
    const m = end - start;
    // Wanted eigenvalues closer than the cluster gap are solved together, each new vector
    // orthogonalized against the earlier ones. Unwanted neighbours need no vector: inverse
    // iteration gives a small residual whatever the gaps, and only orthogonality among the
    // returned vectors needs the cluster treatment.
    let c0 = lowest;
    while (c0 < m) {
      let c1 = c0 + 1;
      while (c1 < m && bv[c1] - bv[c1 - 1] <= CLUSTER_GAP * blockNorms[block]) c1++;
      const members: number[] = [];
      for (let j = c0; j < c1; j++) if (rows[j] >= 0) members.push(j);
      if (members.length > 0) {
        const shifts = Float64Array.from(members, (j) => bv[j]);
        const cluster = clusterVectors(diag, off, start, end, shifts, blockNorms[block], random);
        members.forEach((j, index) => {
          full.fill(0);
          full.set(cluster[index], start);
          applyReflectors(full, reflectors, hasReflector, n);
          normalizeSign(full);
          vectors.set(full, rows[j] * n);
        });
      }
      c0 = c1;
    }
  });
  return { values, vectors, n, count };
}

function symmetrizedCopy(matrix: Float64Array | Float32Array, n: number): Float64Array {
  let scale = 0;
  for (let i = 0; i < matrix.length; i++) {
    const v = Math.abs(matrix[i]);
    if (!Number.isFinite(v)) throw new Error(`symmetricEigen matrix: expected finite values, found ${matrix[i]} at index ${i}`);
    if (v > scale) scale = v;
  }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const x = matrix[i * n + j];
      const y = matrix[j * n + i];
      if (Math.abs(x - y) > 1e-8 * scale) {
        throw new Error(`symmetricEigen matrix: expected a symmetric matrix, found [${i}][${j}] = ${x} but [${j}][${i}] = ${y}`);
      }
      a[i * n + j] = a[j * n + i] = (x + y) / 2;
    }
  }
  return a;
}

/**
 * Householder reduction A = Q T Qᵀ, Q = H_0 H_1 … H_{n-3}, H_k = I - 2 v_k v_kᵀ acting on
 * coordinates k+1 … n-1. Reflector k is stored at reflectors[k * n …] (n - k - 1 entries).
 * Works on the lower triangle of `a` (overwritten). The trailing block is memory-bound, so each
 * step makes a single pass over it: the rank-2 update of step k is fused with the
 * matrix-vector product that step k + 1 needs.
 */
function tridiagonalize(a: Float64Array, n: number) {
  const diag = new Float64Array(n);
  const off = new Float64Array(Math.max(0, n - 1));
  const reflectors = new Float64Array(n * n);
  const hasReflector = new Uint8Array(n);
  let p = new Float64Array(n); // B v for the current step, then w
  let pNext = new Float64Array(n);
  let prepared = false; // reflector of step k already made by step k - 1
  let pReady = false; // p already holds B v for step k
  for (let k = 0; k < n - 2; k++) {
    diag[k] = a[k * n + k];
    const first = k + 1;
    const m = n - k - 1;
    if (!prepared) makeReflector(a, n, k, reflectors, hasReflector, off);
    prepared = false;
    if (!hasReflector[k]) {
      pReady = false;
      continue;
    }
    const v = reflectors.subarray(k * n, k * n + m);
    if (!pReady) symmetricMatVec(a, n, first, m, v, p);
    // B ← H B H = B - v wᵀ - w vᵀ with w = 2 B v - 2 (vᵀ B v) v.
    let vp = 0;
    for (let i = 0; i < m; i++) vp += v[i] * p[i];
    const w = p;
    for (let i = 0; i < m; i++) w[i] = 2 * w[i] - 2 * vp * v[i];
    // Column 0 of the block first: it defines the next reflector.
    for (let i = 0, o = first * n + first; i < m; i++, o += n) a[o] -= v[i] * w[0] + w[i] * v[0];
    const fuse = k + 1 < n - 2 && makeReflector(a, n, k + 1, reflectors, hasReflector, off);
    prepared = k + 1 < n - 2;
    if (fuse) {
      const vNext = reflectors.subarray((k + 1) * n, (k + 1) * n + m - 1);
      updateAndMultiply(a, n, first, m, v, w, vNext, pNext);
      const t = p;
      p = pNext;
      pNext = t;
      pReady = true;
    } else {
      updateBlock(a, n, first, m, v, w);
      pReady = false;
    }
  }
  if (n >= 2) {
    diag[n - 2] = a[(n - 2) * n + n - 2];
    off[n - 2] = a[(n - 1) * n + n - 2];
  }
  diag[n - 1] = a[(n - 1) * n + n - 1];
  return { diag, off, reflectors, hasReflector };
}

/**
 * Rows 1 … m-1 of the block's lower triangle: B ← B - v wᵀ - w vᵀ (column 0 is done), and at
 * the same time out = B' vNext for the next, one-smaller block B' = B[1…, 1…]. Rows go in
 * pairs so that each load of w, v, vNext and out serves two rows (about 1.5× faster); the
 * function is kept small, with typed-array parameters, so the engine optimizes it well.
 */
function updateAndMultiply(
  a: Float64Array,
  n: number,
  first: number,
  m: number,
  v: Float64Array,
  w: Float64Array,
  vNext: Float64Array,
  out: Float64Array,
): void {
  out.fill(0, 0, m - 1);
  let i = 1;
  for (; i + 1 < m; i += 2) {
    // Rows A = i and B = i + 1 of the block; out is indexed in the next block (one less).
    const rowA = (first + i) * n + first;
    const rowB = rowA + n;
    const viA = v[i],
      wiA = w[i],
      vniA = vNext[i - 1];
    const viB = v[i + 1],
      wiB = w[i + 1],
      vniB = vNext[i];
    let accA = 0;
    let accB = 0;
    for (let j = 1; j < i; j++) {
      const wj = w[j];
      const vj = v[j];
      const vnj = vNext[j - 1];
      const valueA = a[rowA + j] - (viA * wj + wiA * vj);
      a[rowA + j] = valueA;
      const valueB = a[rowB + j] - (viB * wj + wiB * vj);
      a[rowB + j] = valueB;
      accA += valueA * vnj;
      accB += valueB * vnj;
      out[j - 1] += valueA * vniA + valueB * vniB;
    }
    const diagA = a[rowA + i] - 2 * viA * wiA;
    a[rowA + i] = diagA;
    const belowA = a[rowB + i] - (viB * w[i] + wiB * v[i]);
    a[rowB + i] = belowA;
    const diagB = a[rowB + i + 1] - 2 * viB * wiB;
    a[rowB + i + 1] = diagB;
    out[i - 1] += accA + diagA * vniA + belowA * vniB;
    out[i] += accB + belowA * vNext[i - 1] + diagB * vniB;
  }
  for (; i < m; i++) {
    const row = (first + i) * n + first;
    const vi = v[i];
    const wi = w[i];
    const vni = vNext[i - 1];
    let acc = 0;
    for (let j = 1; j < i; j++) {
      const value = a[row + j] - (vi * w[j] + wi * v[j]);
      a[row + j] = value;
      acc += value * vNext[j - 1];
      out[j - 1] += value * vni;
    }
    const diag = a[row + i] - 2 * vi * wi;
    a[row + i] = diag;
    out[i - 1] += acc + diag * vni;
  }
}

/** Rows 1 … m-1 of the block's lower triangle: B ← B - v wᵀ - w vᵀ. */
function updateBlock(a: Float64Array, n: number, first: number, m: number, v: Float64Array, w: Float64Array): void {
  for (let i = 1; i < m; i++) {
    const row = (first + i) * n + first;
    const vi = v[i];
    const wi = w[i];
    for (let j = 1; j <= i; j++) a[row + j] -= vi * w[j] + wi * v[j];
  }
}

/**
 * Householder vector that zeroes column k below its sub-diagonal (rows k+2 …). Sets off[k] and
 * hasReflector[k]; returns whether a reflection was needed.
 */
function makeReflector(a: Float64Array, n: number, k: number, reflectors: Float64Array, hasReflector: Uint8Array, off: Float64Array): boolean {
  const first = k + 1;
  const m = n - first;
  const x0 = a[first * n + k];
  let sigma = 0;
  for (let i = 1, o = (first + 1) * n + k; i < m; i++, o += n) sigma += a[o] * a[o];
  if (sigma === 0) {
    off[k] = x0;
    hasReflector[k] = 0;
    return false;
  }
  const norm = Math.sqrt(x0 * x0 + sigma);
  const alpha = x0 >= 0 ? -norm : norm;
  off[k] = alpha;
  const base = k * n;
  const v0 = x0 - alpha;
  const vnorm = Math.sqrt(v0 * v0 + sigma);
  reflectors[base] = v0 / vnorm;
  for (let i = 1, o = (first + 1) * n + k; i < m; i++, o += n) reflectors[base + i] = a[o] / vnorm;
  hasReflector[k] = 1;
  return true;
}

/** out = B v for the symmetric block B = a[first…, first…], read from its lower triangle. */
function symmetricMatVec(a: Float64Array, n: number, first: number, m: number, v: Float64Array, out: Float64Array): void {
  out.fill(0, 0, m);
  for (let i = 0; i < m; i++) {
    const row = (first + i) * n + first;
    const vi = v[i];
    let acc = 0;
    for (let j = 0; j < i; j++) {
      const value = a[row + j];
      acc += value * v[j];
      out[j] += value * vi;
    }
    out[i] += acc + a[row + i] * vi;
  }
}

function tridiagonalNorm(diag: Float64Array, off: Float64Array): number {
  let norm = 0;
  for (let i = 0; i < diag.length; i++) {
    const s = Math.abs(diag[i]) + (i > 0 ? Math.abs(off[i - 1]) : 0) + (i < off.length ? Math.abs(off[i]) : 0);
    if (s > norm) norm = s;
  }
  return norm;
}

/** Unreduced blocks [start, end): an off-diagonal below eps·‖T‖ is set to zero. */
function splitBlocks(diag: Float64Array, off: Float64Array, tnorm: number): [number, number][] {
  const blocks: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < off.length; i++) {
    if (Math.abs(off[i]) <= EPS * tnorm) {
      off[i] = 0;
      blocks.push([start, i + 1]);
      start = i + 1;
    }
  }
  blocks.push([start, diag.length]);
  return blocks;
}

function pivotMinimum(off: Float64Array): number {
  let maxSquare = 1;
  for (let i = 0; i < off.length; i++) maxSquare = Math.max(maxSquare, off[i] * off[i]);
  return SAFE_MIN * maxSquare;
}

/** Number of eigenvalues of the block below x (Sturm sequence of LDLᵀ pivots). */
function countBelow(diag: Float64Array, off: Float64Array, start: number, end: number, x: number, pivmin: number): number {
  let count = 0;
  let q = diag[start] - x;
  if (Math.abs(q) < pivmin) q = -pivmin;
  if (q < 0) count++;
  for (let i = start + 1; i < end; i++) {
    const e = off[i - 1];
    q = diag[i] - x - (e * e) / q;
    if (Math.abs(q) < pivmin) q = -pivmin;
    if (q < 0) count++;
  }
  return count;
}

/**
 * The `count` largest eigenvalues of the block [start, end) (all of them if it is smaller), by
 * bisection inside Gershgorin bounds. Returns them ascending in values[lowest …].
 */
function topBlockEigenvalues(
  diag: Float64Array,
  off: Float64Array,
  start: number,
  end: number,
  count: number,
  tnorm: number,
  pivmin: number,
): { values: Float64Array; lowest: number } {
  const m = end - start;
  const values = new Float64Array(m);
  if (count === 0) return { values, lowest: m };
  if (m === 1) {
    values[0] = diag[start];
    return { values, lowest: 0 };
  }
  let lower = Infinity;
  let upper = -Infinity;
  for (let i = start; i < end; i++) {
    const radius = (i > start ? Math.abs(off[i - 1]) : 0) + (i < end - 1 ? Math.abs(off[i]) : 0);
    lower = Math.min(lower, diag[i] - radius);
    upper = Math.max(upper, diag[i] + radius);
  }
  const widen = 2 * EPS * m * Math.max(Math.abs(lower), Math.abs(upper)) + 2 * pivmin;
  lower -= widen;
  upper += widen;
  const absTol = EPS * tnorm;
  const bisect = (j: number): number => {
    // Values above are already known and bound this one from above.
    let lo = lower;
    let hi = j + 1 < m ? Math.min(upper, values[j + 1] + widen) : upper;
    for (let iter = 0; iter < 200; iter++) {
      const mid = 0.5 * (lo + hi);
      if (hi - lo <= absTol + 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi)) || mid === lo || mid === hi) break;
      if (countBelow(diag, off, start, end, mid, pivmin) > j) hi = mid;
      else lo = mid;
    }
    return 0.5 * (lo + hi);
  };
  const lowest = Math.max(0, m - count);
  for (let j = m - 1; j >= lowest; j--) values[j] = bisect(j);
  return { values, lowest };
}

/**
 * Unit eigenvectors (length = block size) of the block for close eigenvalues (ascending), by
 * inverse iteration with Gram-Schmidt against the earlier ones.
 */
function clusterVectors(
  diag: Float64Array,
  off: Float64Array,
  start: number,
  end: number,
  clusterValues: Float64Array,
  blockNorm: number,
  random: () => number,
): Float64Array[] {
  const m = end - start;
  const result: Float64Array[] = [];
  if (m === 1) {
    result.push(Float64Array.of(1));
    return result;
  }
  const separation = 10 * EPS * blockNorm;
  const pivotFloor = EPS * blockNorm || SAFE_MIN;
  const lu = new TridiagonalLU(m);
  let previousShift = -Infinity;
  for (let c = 0; c < clusterValues.length; c++) {
    // Equal shifts would give equal vectors; nudging keeps the solves distinct.
    const shift = Math.max(clusterValues[c], previousShift + separation);
    previousShift = shift;
    lu.factor(diag, off, start, shift, pivotFloor);
    let x = randomUnitVector(m, random);
    for (let iter = 0; iter < INVERSE_ITERATIONS; iter++) {
      lu.solve(x);
      for (const earlier of result) subtractProjection(x, earlier);
      let norm = vectorNorm(x);
      if (!(norm > 0) || !Number.isFinite(norm)) {
        // Start vector had no usable component: draw another one.
        x = randomUnitVector(m, random);
        for (const earlier of result) subtractProjection(x, earlier);
        norm = vectorNorm(x);
      }
      for (let i = 0; i < m; i++) x[i] /= norm;
    }
    result.push(x);
  }
  return result;
}

/** LU with partial pivoting of the tridiagonal T - shift·I (U has two super-diagonals). */
class TridiagonalLU {
  private u0: Float64Array;
  private u1: Float64Array;
  private u2: Float64Array;
  private multiplier: Float64Array;
  private swapped: Uint8Array;
  constructor(private m: number) {
    this.u0 = new Float64Array(m);
    this.u1 = new Float64Array(m);
    this.u2 = new Float64Array(m);
    this.multiplier = new Float64Array(m);
    this.swapped = new Uint8Array(m);
  }

  factor(diag: Float64Array, off: Float64Array, start: number, shift: number, pivotFloor: number): void {
    const { m, u0, u1, u2, multiplier, swapped } = this;
    // (c0, c1, c2): the row being eliminated, at columns i, i+1, i+2.
    let c0 = diag[start] - shift;
    let c1 = off[start];
    let c2 = 0;
    for (let i = 0; i < m - 1; i++) {
      const below = off[start + i]; // row i+1 at column i
      const nextDiag = diag[start + i + 1] - shift;
      const nextOff = i + 2 < m ? off[start + i + 1] : 0;
      if (Math.abs(c0) >= Math.abs(below)) {
        swapped[i] = 0;
        const l = c0 === 0 ? 0 : below / c0;
        u0[i] = c0;
        u1[i] = c1;
        u2[i] = c2;
        multiplier[i] = l;
        c0 = nextDiag - l * c1;
        c1 = nextOff - l * c2;
      } else {
        swapped[i] = 1;
        const l = c0 / below;
        u0[i] = below;
        u1[i] = nextDiag;
        u2[i] = nextOff;
        multiplier[i] = l;
        c0 = c1 - l * nextDiag;
        c1 = c2 - l * nextOff;
      }
      c2 = 0;
      if (Math.abs(u0[i]) < pivotFloor) u0[i] = u0[i] < 0 ? -pivotFloor : pivotFloor;
    }
    u0[m - 1] = Math.abs(c0) < pivotFloor ? (c0 < 0 ? -pivotFloor : pivotFloor) : c0;
  }

  /** Solves in place; rescales on the way to avoid overflow (the caller normalizes anyway). */
  solve(b: Float64Array): void {
    const { m, u0, u1, u2, multiplier, swapped } = this;
    for (let i = 0; i < m - 1; i++) {
      if (swapped[i]) {
        const t = b[i];
        b[i] = b[i + 1];
        b[i + 1] = t;
      }
      b[i + 1] -= multiplier[i] * b[i];
    }
    for (let i = m - 1; i >= 0; i--) {
      let s = b[i];
      if (i + 1 < m) s -= u1[i] * b[i + 1];
      if (i + 2 < m) s -= u2[i] * b[i + 2];
      const xi = s / u0[i];
      b[i] = xi;
      if (Math.abs(xi) > 1e150) for (let j = 0; j < m; j++) b[j] *= 1e-150;
    }
  }
}

function randomUnitVector(m: number, random: () => number): Float64Array {
  const x = new Float64Array(m);
  for (let i = 0; i < m; i++) x[i] = gaussian(random);
  const norm = vectorNorm(x);
  for (let i = 0; i < m; i++) x[i] /= norm;
  return x;
}

function subtractProjection(x: Float64Array, unit: Float64Array): void {
  let dot = 0;
  for (let i = 0; i < x.length; i++) dot += x[i] * unit[i];
  for (let i = 0; i < x.length; i++) x[i] -= dot * unit[i];
}

function vectorNorm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** x ← Q x = H_0 (H_1 (… H_{n-3} x)). */
function applyReflectors(x: Float64Array, reflectors: Float64Array, hasReflector: Uint8Array, n: number): void {
  for (let k = n - 3; k >= 0; k--) {
    if (!hasReflector[k]) continue;
    const m = n - k - 1;
    const base = k * n;
    const first = k + 1;
    let dot = 0;
    for (let i = 0; i < m; i++) dot += reflectors[base + i] * x[first + i];
    dot *= 2;
    for (let i = 0; i < m; i++) x[first + i] -= dot * reflectors[base + i];
  }
}

/** Flip so the largest-magnitude entry (first one within 1e-9 relative of the maximum) is positive. */
export function normalizeSign(x: Float64Array, offset = 0, length = x.length - offset): void {
  let max = 0;
  for (let i = 0; i < length; i++) max = Math.max(max, Math.abs(x[offset + i]));
  if (max === 0) return;
  const cutoff = max * (1 - 1e-9);
  for (let i = 0; i < length; i++) {
    const v = x[offset + i];
    if (Math.abs(v) >= cutoff) {
      if (v < 0) for (let j = 0; j < length; j++) x[offset + j] = -x[offset + j];
      return;
    }
  }
}
