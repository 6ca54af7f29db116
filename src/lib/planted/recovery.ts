// How well a learned dictionary recovers planted features, SynthSAEBench's scores: directions are
// compared by |cosine| (a feature and its negative are the same feature, and an SAE's decoder row
// may carry either sign), one-to-one by optimal (Hungarian) matching for the MCC, and firing by
// treating each matched latent as a detector of its feature. truth = n × d true directions, learned =
// m × d decoder rows (any m); codes are samples × n and samples × m. A zero decoder row (a dead or
// pruned latent) has cosine 0 with everything; a zero true direction is an error.
import type { ActivationMatrix } from "../analysis/types.js";
import { assertActivationMatrix, assertFiniteActivations } from "../analysis/validate.js";
import { solveAssignment } from "./hungarian.js";

function checkDictionary(m: ActivationMatrix, name: string): void {
  assertActivationMatrix(m, name);
  if (m.rows === 0 || m.cols === 0) throw new Error(`${name}: expected at least one row of at least one value, found ${m.rows} × ${m.cols}`);
  assertFiniteActivations(m, name);
}

function checkPair(a: ActivationMatrix, b: ActivationMatrix, what: string, names: [string, string]): void {
  checkDictionary(a, `${what}: ${names[0]}`);
  checkDictionary(b, `${what}: ${names[1]}`);
  if (a.cols !== b.cols) {
    throw new Error(`${what}: ${names[0]} and ${names[1]} must have the same dimension d, found ${a.cols} and ${b.cols}`);
  }
}

/** 1 / ‖row‖ for each row; 0 for a zero row, or an error if zero rows are not allowed. */
function inverseNorms(m: ActivationMatrix, name: string, allowZero: boolean): Float64Array {
  const inverse = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let sum = 0;
    for (let k = 0; k < m.cols; k++) sum += m.data[r * m.cols + k] ** 2;
    if (sum === 0 && !allowZero) throw new Error(`${name}: row ${r} is all zeros, so it has no direction`);
    inverse[r] = sum === 0 ? 0 : 1 / Math.sqrt(sum);
  }
  return inverse;
}

/**
 * |cos| between every row of a and every row of b: an a.rows × b.rows matrix, row-major. Rows of b
 * may be zero (cosine 0); rows of a only if allowZeroInA. `names` label the error messages.
 */
export function absCosineMatrix(a: ActivationMatrix, b: ActivationMatrix, allowZeroInA = false, names: [string, string] = ["a", "b"]): Float64Array {
  if (a.cols !== b.cols) throw new Error(`absCosineMatrix: ${names[0]} and ${names[1]} must have the same dimension d, found ${a.cols} and ${b.cols}`);
  const d = a.cols;
  const ia = inverseNorms(a, names[0], allowZeroInA);
  const ib = inverseNorms(b, names[1], true);
  const out = new Float64Array(a.rows * b.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.rows; j++) {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += a.data[i * d + k] * b.data[j * d + k];
      out[i * b.rows + j] = Math.min(1, Math.abs(dot) * ia[i] * ib[j]);
    }
  }
  return out;
}

export interface MeanMaxCosine {
  /** Mean over true features of perFeature. */
  mean: number;
  /** perFeature[i] = max over learned rows of |cos(truth_i, learned_j)|. */
  perFeature: Float64Array;
  /** best[i] = the learned row attaining it (several true features may share one). */
  best: Int32Array;
}

/** For each true feature its best |cosine| with any learned row, averaged: no one-to-one constraint. */
export function meanMaxCosine(truth: ActivationMatrix, learned: ActivationMatrix): MeanMaxCosine {
  checkPair(truth, learned, "meanMaxCosine", ["truth", "learned"]);
  const cos = absCosineMatrix(truth, learned, false, ["meanMaxCosine: truth", "meanMaxCosine: learned"]);
  const n = truth.rows;
  const m = learned.rows;
  const perFeature = new Float64Array(n);
  const best = new Int32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let top = -1;
    for (let j = 0; j < m; j++) {
      if (cos[i * m + j] > top) {
        top = cos[i * m + j];
        best[i] = j;
      }
    }
    perFeature[i] = top;
    sum += top;
  }
  return { mean: sum / n, perFeature, best };
}

export interface HungarianMcc {
  /**
   * Mean |cos| over the matched pairs, min(n, m) of them, as SAELens' mean_correlation_coefficient
   * computes it: with m < n the unmatched true features do not count (see coverage).
   */
  mcc: number;
  /** matching[i] = the learned row matched to true feature i, or −1 when m < n left it out. */
  matching: Int32Array;
  /** cosines[i] = |cos| of feature i's matched pair, 0 if unmatched. */
  cosines: Float64Array;
  /** Σ cosines / n: the same total spread over every true feature (equals mcc when m ≥ n). */
  coverage: number;
}

function matchedMean(a: ActivationMatrix, b: ActivationMatrix, allowZeroInA: boolean, names: [string, string]): HungarianMcc {
  const cos = absCosineMatrix(a, b, allowZeroInA, names);
  const { rowToCol, total } = solveAssignment(cos, a.rows, b.rows, "max");
  const cosines = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) if (rowToCol[i] >= 0) cosines[i] = cos[i * b.rows + rowToCol[i]];
  return { mcc: total / Math.min(a.rows, b.rows), matching: rowToCol, cosines, coverage: total / a.rows };
}

/** The one-to-one matching of true features to learned rows with the largest total |cos|, and its mean (SynthSAEBench's MCC). */
export function hungarianMcc(truth: ActivationMatrix, learned: ActivationMatrix): HungarianMcc {
  checkPair(truth, learned, "hungarianMcc", ["truth", "learned"]);
  return matchedMean(truth, learned, false, ["hungarianMcc: truth", "hungarianMcc: learned"]);
}

export interface DetectionScores {
  precision: number;
  recall: number;
  f1: number;
}

export interface FiringScores {
  /** Per true feature (NaN where it has no matched latent). */
  precision: Float64Array;
  recall: Float64Array;
  f1: Float64Array;
  /** Means over the matched true features (NaN if none is matched). */
  mean: DetectionScores;
  /** How many true features had a matched latent. */
  matched: number;
}

/**
 * For each true feature i with a matched latent j = matching[i] (as hungarianMcc returns it): the
 * latent as a detector of the feature, "learned code > 0" against "true code > 0" over the samples.
 * precision = TP / (TP + FP), recall = TP / (TP + FN), F1 their harmonic mean; each is 0 where its
 * denominator is 0 (a latent that never fires, a feature that never fires), as in SAELens.
 * trueCodes is samples × n and learnedCodes samples × m, both row-major.
 */
export function firingScores(trueCodes: ArrayLike<number>, learnedCodes: ArrayLike<number>, matching: Int32Array, samples: number): FiringScores {
  if (!Number.isInteger(samples) || samples <= 0) throw new Error(`firingScores: samples must be a positive whole number, found ${samples}`);
  const n = trueCodes.length / samples;
  const m = learnedCodes.length / samples;
  if (!Number.isInteger(n) || n === 0) throw new Error(`firingScores: trueCodes must be samples × n = ${samples} × n values, found ${trueCodes.length}`);
  if (!Number.isInteger(m) || m === 0) throw new Error(`firingScores: learnedCodes must be samples × m = ${samples} × m values, found ${learnedCodes.length}`);
  if (matching.length !== n) throw new Error(`firingScores: matching must have one entry per true feature (n = ${n}), found ${matching.length}`);
  for (let i = 0; i < n; i++) {
    const j = matching[i];
    if (!Number.isInteger(j) || j < -1 || j >= m) throw new Error(`firingScores: matching[${i}] must be −1 or a latent in 0..${m - 1}, found ${j}`);
  }
  for (const [codes, name] of [
    [trueCodes, "trueCodes"],
    [learnedCodes, "learnedCodes"],
  ] as const) {
    for (let k = 0; k < codes.length; k++) {
      if (Number.isNaN(codes[k]))
        throw new Error(`firingScores: ${name} must not contain NaN, found one at sample ${Math.floor(k / (name === "trueCodes" ? n : m))}`);
    }
  }
  const tp = new Float64Array(n);
  const fp = new Float64Array(n);
  const fn = new Float64Array(n);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < n; i++) {
      const j = matching[i];
      if (j < 0) continue;
      const truth = trueCodes[s * n + i] > 0;
      const learned = learnedCodes[s * m + j] > 0;
      if (truth && learned) tp[i]++;
      else if (learned) fp[i]++;
      else if (truth) fn[i]++;
    }
  }
  const precision = new Float64Array(n).fill(NaN);
  const recall = new Float64Array(n).fill(NaN);
  const f1 = new Float64Array(n).fill(NaN);
  const mean = { precision: 0, recall: 0, f1: 0 };
  let matched = 0;
  for (let i = 0; i < n; i++) {
    if (matching[i] < 0) continue;
    precision[i] = tp[i] + fp[i] > 0 ? tp[i] / (tp[i] + fp[i]) : 0;
    recall[i] = tp[i] + fn[i] > 0 ? tp[i] / (tp[i] + fn[i]) : 0;
    f1[i] = precision[i] + recall[i] > 0 ? (2 * precision[i] * recall[i]) / (precision[i] + recall[i]) : 0;
    mean.precision += precision[i];
    mean.recall += recall[i];
    mean.f1 += f1[i];
    matched++;
  }
  mean.precision /= matched;
  mean.recall /= matched;
  mean.f1 /= matched;
  return { precision, recall, f1, mean, matched };
}

/**
 * PW-MCC between two learned decoders (two seeds of one SAE): the Hungarian-matched mean |cos| of
 * their rows, over min(rows) pairs. Zero rows are allowed on both sides (they match with cosine 0).
 */
export function decoderStability(a: ActivationMatrix, b: ActivationMatrix): { pwMcc: number; matching: Int32Array; cosines: Float64Array } {
  checkPair(a, b, "decoderStability", ["a", "b"]);
  const { mcc, matching, cosines } = matchedMean(a, b, true, ["decoderStability: a", "decoderStability: b"]);
  return { pwMcc: mcc, matching, cosines };
}
