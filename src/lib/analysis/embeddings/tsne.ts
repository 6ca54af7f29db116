// Exact t-SNE (van der Maaten & Hinton, 2008) for embedding a few thousand examples in 2-D.
// O(n²) time per iteration and O(n²) memory for P: fine up to n ≈ 3000.
import type { ActivationMatrix } from "../types.js";
import { gaussian, mulberry32 } from "../../random.js";
import { assertActivationMatrix } from "../validate.js";
import { KernelWorkspace } from "../../wasm/workspace.js";

export interface TsneProgress {
  iteration: number;
  iterations: number;
  /** The current embedding (rows × 2); read it, do not keep it: it keeps changing. */
  embedding: Float64Array;
}

export interface TsneOptions {
  perplexity?: number;
  iterations?: number;
  learningRate?: number;
  seed?: number;
  /** P is multiplied by this for the first `exaggerationIterations` iterations. */
  exaggeration?: number;
  exaggerationIterations?: number;
  initialMomentum?: number;
  finalMomentum?: number;
  /** Iteration at which momentum switches from initial to final. */
  momentumSwitchIteration?: number;
  minGain?: number;
  /** Standard deviation of the initial N(0, σ²) positions; 1e-2 gives the paper's variance 1e-4. */
  initialStd?: number;
  onProgress?: (progress: TsneProgress) => void;
  /** Call onProgress every this many iterations (and after the last). */
  progressEvery?: number;
  /**
   * The compiled training kernels: with them each gradient is one SIMD kernel call (tsneGradient),
   * the same sums two pairs at a time, so the map agrees with the JavaScript one to float64
   * rounding (grown over the iterations, as any change of summation order would).
   */
  kernels?: WebAssembly.Module;
}

export interface TsneResult {
  /** rows × 2, row-major. */
  embedding: Float64Array;
  /** KL(P ‖ Q) of the final embedding, with the un-exaggerated P. */
  kl: number;
}

const PERPLEXITY_TOLERANCE = 1e-5;
const MAX_BETA_STEPS = 200;
const P_FLOOR = 1e-12;

/**
 * Embeds the rows of `m` in 2-D. Gradient descent with momentum and per-coordinate gains
 * (+0.2 where the gradient's sign differs from the previous step's, ×0.8 where it agrees,
 * floored at minGain), early exaggeration, and the embedding re-centred after every step.
 */
export function tsne(m: ActivationMatrix, options: TsneOptions = {}): TsneResult {
  const {
    perplexity = 30,
    iterations = 1000,
    learningRate = 200,
    seed = 1,
    exaggeration = 12,
    exaggerationIterations = 100,
    initialMomentum = 0.5,
    finalMomentum = 0.8,
    momentumSwitchIteration = 250,
    minGain = 0.01,
    initialStd = 1e-2,
    onProgress,
    progressEvery = 50,
    kernels,
  } = options;
  assertActivationMatrix(m);
  if (!Number.isInteger(iterations) || iterations < 0) {
    throw new Error(`tsne iterations: expected a non-negative integer, found ${iterations}`);
  }
  if (!Number.isInteger(progressEvery) || progressEvery < 1) {
    throw new Error(`tsne progressEvery: expected a positive integer, found ${progressEvery}`);
  }
  if (!(learningRate > 0)) throw new Error(`tsne learningRate: expected a positive number, found ${learningRate}`);
  const n = m.rows;
  const p = jointProbabilities(m, perplexity);

  const random = mulberry32(seed);
  // Internally x coordinates then y coordinates (structure of arrays: faster inner loops);
  // the result is interleaved rows × 2.
  const gradientOf = kernels ? kernelGradient(kernels, p, n) : javascriptGradient(p, n);
  const y = gradientOf.y;
  for (let i = 0; i < n; i++) {
    y[i] = initialStd * gaussian(random);
    y[n + i] = initialStd * gaussian(random);
  }
  const embedding = new Float64Array(n * 2);
  const update = new Float64Array(n * 2);
  const gains = new Float64Array(n * 2).fill(1);

  for (let iter = 0; iter < iterations; iter++) {
    const lying = iter < exaggerationIterations ? exaggeration : 1;
    const gradient = gradientOf.at(lying);
    const momentum = iter < momentumSwitchIteration ? initialMomentum : finalMomentum;
    for (let i = 0; i < 2 * n; i++) {
      const g = gradient[i];
      const u = update[i];
      let gain = g > 0 !== u > 0 ? gains[i] + 0.2 : gains[i] * 0.8;
      if (gain < minGain) gain = minGain;
      gains[i] = gain;
      const next = momentum * u - learningRate * gain * g;
      update[i] = next;
      y[i] += next;
    }
    centre(y, n);
    if (onProgress && ((iter + 1) % progressEvery === 0 || iter + 1 === iterations)) {
      interleave(y, n, embedding);
      onProgress({ iteration: iter + 1, iterations, embedding });
    }
  }
  interleave(y, n, embedding);
  return { embedding, kl: klDivergence(p, embedding, n) };
}

interface GradientSource {
  /** The embedding the gradient is taken at (x coordinates, then y), updated in place by the caller. */
  y: Float64Array;
  at(lying: number): Float64Array;
}

function javascriptGradient(p: Float64Array, n: number): GradientSource {
  const [y, gradient, repulsion] = [new Float64Array(2 * n), new Float64Array(2 * n), new Float64Array(2 * n)];
  return {
    y,
    at(lying) {
      computeGradient(p, y, n, lying, gradient, repulsion);
      return gradient;
    },
  };
}

/** P, the embedding and the gradient in a WebAssembly memory; nothing is allocated after the views are made. */
function kernelGradient(kernels: WebAssembly.Module, p: Float64Array, n: number): GradientSource {
  const ws = new KernelWorkspace(kernels);
  const [pBuffer, yBuffer, gradientBuffer, repulsion] = [ws.buffer(2 * n * n), ws.buffer(4 * n), ws.buffer(4 * n), ws.buffer(4 * n)];
  pBuffer.float64().set(p);
  const [y, gradient] = [yBuffer.float64(), gradientBuffer.float64()];
  return {
    y,
    at(lying) {
      ws.kernels.tsneGradient(pBuffer.offset, yBuffer.offset, n, lying, gradientBuffer.offset, repulsion.offset);
      return gradient;
    },
  };
}

/** Squared Euclidean distances between rows, n × n. */
export function squaredDistances(m: ActivationMatrix): Float64Array {
  assertActivationMatrix(m);
  const { rows: n, cols, data } = m;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const oi = i * cols;
    for (let j = i + 1; j < n; j++) {
      const oj = j * cols;
      let s = 0;
      for (let c = 0; c < cols; c++) {
        const diff = data[oi + c] - data[oj + c];
        s += diff * diff;
      }
      d[i * n + j] = s;
      d[j * n + i] = s;
    }
  }
  return d;
}

/**
 * Row-conditional P(j | i) = exp(-beta_i d_ij) / Σ_k exp(-beta_i d_ik) (P(i | i) = 0), with
 * beta_i found by bisection so that the row's entropy (natural log) is log(perplexity).
 */
export function conditionalProbabilities(m: ActivationMatrix, perplexity: number): { p: Float64Array; beta: Float64Array } {
  assertActivationMatrix(m);
  const n = m.rows;
  if (n < 2) throw new Error(`tsne: expected at least 2 examples, found ${n}`);
  if (!(perplexity >= 1 && perplexity < n)) {
    throw new Error(`tsne perplexity: expected a number in [1, ${n}) (below the number of examples), found ${perplexity}`);
  }
  // P overwrites the distance matrix row by row (O(n²) memory once, not twice).
  const p = squaredDistances(m);
  const distances = new Float64Array(n);
  const betas = new Float64Array(n);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    const o = i * n;
    distances.set(p.subarray(o, o + n));
    // Shifting by the nearest distance leaves P unchanged but keeps exp() from underflowing.
    let nearest = Infinity;
    for (let j = 0; j < n; j++) if (j !== i && distances[j] < nearest) nearest = distances[j];
    let beta = 1;
    let lo = 0;
    let hi = Infinity;
    for (let step = 0; step < MAX_BETA_STEPS; step++) {
      const entropy = rowWithBeta(distances, p, o, i, n, beta, nearest);
      const diff = entropy - target;
      if (Math.abs(diff) < PERPLEXITY_TOLERANCE) break;
      if (diff > 0) {
        // Too flat: sharpen.
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = (beta + lo) / 2;
      }
    }
    rowWithBeta(distances, p, o, i, n, beta, nearest);
    betas[i] = beta;
  }
  return { p, beta: betas };
}

/** Fills row i of p (at offset o) with normalized exp(-beta (d - shift)); returns its entropy. */
function rowWithBeta(d: Float64Array, p: Float64Array, o: number, i: number, n: number, beta: number, shift: number): number {
  let sum = 0;
  let weighted = 0;
  for (let j = 0; j < n; j++) {
    if (j === i) {
      p[o + j] = 0;
      continue;
    }
    const dj = d[j] - shift;
    const v = Math.exp(-beta * dj);
    p[o + j] = v;
    sum += v;
    weighted += dj * v;
  }
  for (let j = 0; j < n; j++) p[o + j] /= sum;
  // H = log Σ exp(-beta d') + beta Σ d' P(j|i)
  return Math.log(sum) + (beta * weighted) / sum;
}

/** Entropy (natural log) of row i of a row-stochastic n × n matrix. */
export function rowEntropy(p: Float64Array, n: number, i: number): number {
  let h = 0;
  for (let j = 0, o = i * n; j < n; j++) {
    const v = p[o + j];
    if (v > 0) h -= v * Math.log(v);
  }
  return h;
}

/** Symmetrized joint P = (P(j|i) + P(i|j)) / 2n, floored at 1e-12 (off the diagonal). */
export function jointProbabilities(m: ActivationMatrix, perplexity: number): Float64Array {
  const n = m.rows;
  const { p } = conditionalProbabilities(m, perplexity);
  const scale = 1 / (2 * n);
  for (let i = 0; i < n; i++) {
    p[i * n + i] = 0;
    for (let j = i + 1; j < n; j++) {
      let v = (p[i * n + j] + p[j * n + i]) * scale;
      if (v < P_FLOOR) v = P_FLOOR;
      p[i * n + j] = v;
      p[j * n + i] = v;
    }
  }
  return p;
}

/**
 * Gradient of KL(P ‖ Q): 4 Σ_j (lying·p_ij - q_ij) w_ij (y_i - y_j) with w_ij = 1 / (1 + |y_i - y_j|²)
 * and q_ij = w_ij / Z. Split as 4 (lying·Σ p w Δ - (1/Z) Σ w² Δ), so one pass over the pairs
 * suffices and no n × n Q is stored.
 */
function computeGradient(p: Float64Array, y: Float64Array, n: number, lying: number, out: Float64Array, repulse: Float64Array): void {
  out.fill(0);
  repulse.fill(0);
  let z = 0;
  for (let i = 0; i < n; i++) {
    const xi = y[i];
    const yi = y[n + i];
    const row = i * n;
    let ax = 0,
      ay = 0,
      rx = 0,
      ry = 0;
    for (let j = i + 1; j < n; j++) {
      const dx = xi - y[j];
      const dy = yi - y[n + j];
      const w = 1 / (1 + dx * dx + dy * dy);
      z += w;
      const pw = p[row + j] * w;
      const ww = w * w;
      ax += pw * dx;
      ay += pw * dy;
      rx += ww * dx;
      ry += ww * dy;
      out[j] -= pw * dx;
      out[n + j] -= pw * dy;
      repulse[j] -= ww * dx;
      repulse[n + j] -= ww * dy;
    }
    out[i] += ax;
    out[n + i] += ay;
    repulse[i] += rx;
    repulse[n + i] += ry;
  }
  z *= 2; // each pair counted once above, but Z sums over ordered pairs
  const inverseZ = 1 / z;
  for (let k = 0; k < 2 * n; k++) out[k] = 4 * (lying * out[k] - repulse[k] * inverseZ);
}

/** Gradient of KL(P ‖ Q) at an interleaved rows × 2 embedding (exposed for checking). */
export function klGradient(p: Float64Array, embedding: Float64Array, n: number): Float64Array {
  const soa = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    soa[i] = embedding[2 * i];
    soa[n + i] = embedding[2 * i + 1];
  }
  const gradient = new Float64Array(2 * n);
  computeGradient(p, soa, n, 1, gradient, new Float64Array(2 * n));
  const out = new Float64Array(2 * n);
  interleave(gradient, n, out);
  return out;
}

function interleave(soa: Float64Array, n: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    out[2 * i] = soa[i];
    out[2 * i + 1] = soa[n + i];
  }
}

/** KL(P ‖ Q) = Σ_{i≠j} p_ij log(p_ij / q_ij) for the embedding y. */
export function klDivergence(p: Float64Array, y: Float64Array, n: number): number {
  let z = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = y[2 * i] - y[2 * j];
      const dy = y[2 * i + 1] - y[2 * j + 1];
      z += 2 / (1 + dx * dx + dy * dy);
    }
  }
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const pij = p[i * n + j];
      if (pij <= 0) continue;
      const dx = y[2 * i] - y[2 * j];
      const dy = y[2 * i + 1] - y[2 * j + 1];
      const q = 1 / (1 + dx * dx + dy * dy) / z;
      kl += 2 * pij * Math.log(pij / q);
    }
  }
  return kl;
}

/** Subtracts the mean position (positions stored as all x then all y). */
function centre(y: Float64Array, n: number): void {
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += y[i];
    my += y[n + i];
  }
  mx /= n;
  my /= n;
  for (let i = 0; i < n; i++) {
    y[i] -= mx;
    y[n + i] -= my;
  }
}
