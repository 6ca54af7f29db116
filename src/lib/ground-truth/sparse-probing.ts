// k-sparse probing in the manner of SAEBench's sparse-probing eval (Karvonen et al. 2025): how
// well can a handful of a basis's columns (neurons, PCA/ICA components, SAE codes) predict a
// binary target ("label = c", or a binary concept such as "holes ≥ 1")?
//
// The procedure, per target:
//   1. Balance (SAEBench subsamples the negatives to as many as the positives, on the training
//      and on the test set; here the larger class is subsampled to the size of the smaller one,
//      seeded, so that chance is 0.5 whichever class is rarer). `balance` can keep all test rows
//      ("train") or all rows ("none").
//   2. Select: rank the columns by |mean over positives − mean over negatives| on the (balanced)
//      training rows and keep the top k. This is SAEBench's rule; it works in the columns' own
//      units, so a column of large scale (a leading principal component) is favoured over a
//      rescaled copy of itself. `selection: "positive"` ranks by the signed difference instead
//      (only columns that rise with the target), as SAEBench's absorption eval wants its main
//      latents to "directly predict the label".
//   3. Fit the project's logistic regression (probes/logistic.ts: standardized columns, L-BFGS,
//      PROBE_SETUP's L2 1e-3, close to sklearn's C = 1 that SAEBench uses on ~1,000 rows) on
//      those k columns of the training rows, two classes.
//   4. Score on the test rows: accuracy and F1 of "logit > 0" (f1Score, best-f1.ts), and the
//      AUROC of the logit (auroc.ts).
// The ranking is computed once and each k keeps its prefix, so the k-column sets are nested.
import type { TF } from "../tf-types.js";
import type { ActivationMatrix } from "../analysis/types.js";
import { assertActivationMatrix, assertFiniteActivations } from "../analysis/validate.js";
import { linearScores, trainLogisticProbe } from "../probes/logistic.js";
import { selectColumns } from "../probes/feature-ranking.js";
import { PROBE_SETUP } from "../probes/setup.js";
import { mulberry32, permutation, shuffleInPlace } from "../random.js";
import { auroc } from "./auroc.js";
import { f1Score } from "./best-f1.js";
import type { BinaryConcept } from "./types.js";

/** The defaults, written beside any result so a reader can redo it. */
export const SPARSE_PROBE_SETUP = {
  ks: [1, 2, 4, 8],
  selection: "absolute",
  balance: "both",
  /** Seed of the balancing subsample. */
  seed: 1,
  /** splitRows' default: half of the images train, stratified by the target. */
  trainFraction: 0.5,
} as const;

/** Rows of one split: the basis's values and the target (1 = positive, 0 = negative). */
export interface ProbeSet {
  x: ActivationMatrix;
  positive: Uint8Array;
}

export interface SparseProbeOptions {
  /** "absolute" (SAEBench's sparse probing, the default): |mean⁺ − mean⁻|; "positive": mean⁺ − mean⁻. */
  selection?: "absolute" | "positive";
  /** Which splits are subsampled to equal classes: "both" (SAEBench, the default), "train" or "none". */
  balance?: "both" | "train" | "none";
  /** Seed of the balancing subsample (the test split uses a stream derived from it). */
  seed?: number;
  /** The logistic probe's L2 strength on standardized columns (PROBE_SETUP.logistic.l2). */
  l2?: number;
  maxIterations?: number;
  tolerance?: number;
  /** The compiled training kernels (fused WebAssembly objective); much faster than tfjs' CPU backend. */
  kernels?: WebAssembly.Module;
  pause?: () => Promise<void>;
}

export interface SparseProbeResult {
  /** The k asked for; `columns` has min(k, columns of the basis) entries. */
  k: number;
  /** The chosen columns, best ranked first. */
  columns: number[];
  /** On the (balanced, unless balance says otherwise) test rows: "logit > 0" against the target. */
  testAccuracy: number;
  /** F1 of the positive class; NaN when the test rows have no positives. */
  testF1: number;
  /** AUROC of the probe's logit. */
  testAuroc: number;
  trainAccuracy: number;
  /** Rows the probe was trained and scored on (after balancing). */
  trainRows: number;
  testRows: number;
}

/** A train/test split of row indices, each ascending. */
export interface RowSplit {
  train: Uint32Array;
  test: Uint32Array;
}

/**
 * A seeded split of 0..rows−1: round(trainFraction · n) rows of each stratum go to train, the rest
 * to test. With `strata` (one value per row: a class, a 0/1 target, or any integer grouping) the
 * split is stratified, each stratum shuffled on its own; without, the rows are one stratum (a plain
 * seeded shuffle). The same arguments give the same split in Node and in the browser.
 */
export function splitRows(rows: number, trainFraction: number, seed: number, strata?: ArrayLike<number>): RowSplit {
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`splitRows: rows must be a non-negative integer, found ${rows}`);
  if (!(trainFraction > 0 && trainFraction < 1)) throw new Error(`splitRows: trainFraction must be in (0, 1), found ${trainFraction}`);
  if (strata !== undefined && strata.length !== rows) throw new Error(`splitRows: expected one stratum per row (${rows}), found ${strata.length}`);
  const random = mulberry32(seed);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < rows; i++) {
    const key = strata === undefined ? 0 : strata[i];
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(i);
  }
  const train: number[] = [];
  const test: number[] = [];
  // Strata in ascending order of their value, so the random stream does not depend on row order.
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const members = shuffleInPlace(groups.get(key) as number[], random);
    const cut = Math.round(trainFraction * members.length);
    for (let i = 0; i < members.length; i++) (i < cut ? train : test).push(members[i]);
  }
  return { train: Uint32Array.from(train).sort(), test: Uint32Array.from(test).sort() };
}

/** The chosen rows of a matrix, in the given order. */
export function takeRows(m: ActivationMatrix, rows: ArrayLike<number>): ActivationMatrix {
  const { cols, data } = m;
  const out = new Float32Array(rows.length * cols);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!(r >= 0 && r < m.rows)) throw new Error(`takeRows: row ${r} is not one of the ${m.rows}`);
    out.set(data.subarray(r * cols, (r + 1) * cols), i * cols);
  }
  return { rows: rows.length, cols, data: out };
}

/** A ProbeSet of the chosen rows. */
export function takeProbeSet(x: ActivationMatrix, positive: Uint8Array, rows: ArrayLike<number>): ProbeSet {
  return { x: takeRows(x, rows), positive: Uint8Array.from(rows as ArrayLike<number>, (r) => positive[r]) };
}

/** The train and test ProbeSets of one split. */
export function splitProbeSet(x: ActivationMatrix, positive: Uint8Array, split: RowSplit): { train: ProbeSet; test: ProbeSet } {
  return { train: takeProbeSet(x, positive, split.train), test: takeProbeSet(x, positive, split.test) };
}

/** One 0/1 target per class: "label = c". */
export function classTargets(labels: ArrayLike<number>, classes: number): BinaryConcept[] {
  return Array.from({ length: classes }, (_, c) => ({
    name: `label = ${c}`,
    positive: Uint8Array.from(labels as ArrayLike<number>, (l) => (l === c ? 1 : 0)),
  }));
}

/**
 * Every row of the smaller class and as many rows of the larger one, drawn without replacement;
 * ascending. All rows when a class is empty (there is nothing to balance against).
 */
export function balancedRows(positive: Uint8Array, seed: number): Uint32Array {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < positive.length; i++) (positive[i] ? pos : neg).push(i);
  if (pos.length === 0 || neg.length === 0 || pos.length === neg.length) return Uint32Array.from(positive.keys());
  const [small, large] = pos.length < neg.length ? [pos, neg] : [neg, pos];
  const order = permutation(large.length, mulberry32(seed));
  const kept = small.slice();
  for (let i = 0; i < small.length; i++) kept.push(large[order[i]]);
  return Uint32Array.from(kept).sort();
}

/** mean over positives − mean over negatives of every column, in float64 (NaN where a class is empty). */
export function meanDifferences(x: ActivationMatrix, positive: Uint8Array): Float64Array {
  const { rows, cols, data } = x;
  const sumPos = new Float64Array(cols);
  const sumNeg = new Float64Array(cols);
  let nPos = 0;
  for (let r = 0; r < rows; r++) {
    const sum = positive[r] ? sumPos : sumNeg;
    if (positive[r]) nPos++;
    const base = r * cols;
    for (let c = 0; c < cols; c++) sum[c] += data[base + c];
  }
  const nNeg = rows - nPos;
  const out = new Float64Array(cols);
  for (let c = 0; c < cols; c++) out[c] = sumPos[c] / nPos - sumNeg[c] / nNeg;
  return out;
}

/** Column indices by mean difference (absolute or signed), largest first, the lower index on a tie. */
export function rankByMeanDifference(x: ActivationMatrix, positive: Uint8Array, selection: "absolute" | "positive" = "absolute"): Int32Array {
  const d = meanDifferences(x, positive);
  const key = selection === "absolute" ? d.map(Math.abs) : d;
  return Int32Array.from(key.keys()).sort((a, b) => key[b] - key[a] || a - b);
}

function checkProbeSet(set: ProbeSet, what: string): void {
  assertActivationMatrix(set.x, `${what}.x`);
  assertFiniteActivations(set.x, `${what}.x`);
  if (!(set.positive instanceof Uint8Array)) throw new Error(`${what}.positive: expected a Uint8Array`);
  if (set.positive.length !== set.x.rows) throw new Error(`${what}: expected one target value per row (${set.x.rows}), found ${set.positive.length}`);
  let n1 = 0;
  for (let i = 0; i < set.positive.length; i++) {
    const v = set.positive[i];
    if (v !== 0 && v !== 1) throw new Error(`${what}.positive[${i}]: expected 0 or 1, found ${v}`);
    n1 += v;
  }
  if (what === "train" && (n1 === 0 || n1 === set.positive.length)) {
    throw new Error(`kSparseProbe: the training rows need both classes, found ${n1} positives among ${set.positive.length}`);
  }
}

/** The binary logit (class 1 − class 0) of each row, from linearScores' two columns. */
function logits(scores: Float32Array, rows: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = scores[2 * r + 1] - scores[2 * r];
  return out;
}

function accuracyOf(predicted: Uint8Array, positive: Uint8Array): number {
  let right = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === positive[i]) right++;
  return predicted.length > 0 ? right / predicted.length : NaN;
}

/**
 * The k-sparse probes of one target on one basis, one result per k (in the order given). Throws
 * when the training rows lack a class or k is not a positive integer.
 */
export async function kSparseProbe(
  tf: TF,
  train: ProbeSet,
  test: ProbeSet,
  ks: readonly number[] = SPARSE_PROBE_SETUP.ks,
  options: SparseProbeOptions = {},
): Promise<SparseProbeResult[]> {
  checkProbeSet(train, "train");
  checkProbeSet(test, "test");
  if (test.x.cols !== train.x.cols) throw new Error(`kSparseProbe: train has ${train.x.cols} columns, test ${test.x.cols}`);
  for (const k of ks) if (!Number.isInteger(k) || k < 1) throw new Error(`kSparseProbe: every k must be a positive integer, found ${k}`);
  const balance = options.balance ?? SPARSE_PROBE_SETUP.balance;
  const seed = options.seed ?? SPARSE_PROBE_SETUP.seed;
  const trainSet = balance === "none" ? train : takeProbeSet(train.x, train.positive, balancedRows(train.positive, seed));
  const testSet = balance === "both" ? takeProbeSet(test.x, test.positive, balancedRows(test.positive, seed ^ 0x5bd1e995)) : test;
  const ranking = rankByMeanDifference(trainSet.x, trainSet.positive, options.selection ?? SPARSE_PROBE_SETUP.selection);
  const { l2, maxIterations, tolerance } = {
    ...PROBE_SETUP.logistic,
    ...definedOnly({ l2: options.l2, maxIterations: options.maxIterations, tolerance: options.tolerance }),
  };
  const results: SparseProbeResult[] = [];
  for (const k of ks) {
    const columns = Array.from(ranking.subarray(0, Math.min(k, ranking.length)));
    const xTrain = selectColumns(trainSet.x, columns);
    const probe = await trainLogisticProbe(tf, xTrain, trainSet.positive, 2, { l2, maxIterations, tolerance, kernels: options.kernels, pause: options.pause });
    const trainLogits = logits(linearScores(probe, xTrain), xTrain.rows);
    const testLogits = logits(linearScores(probe, selectColumns(testSet.x, columns)), testSet.x.rows);
    const predicted = Uint8Array.from(testLogits, (z) => (z > 0 ? 1 : 0));
    results.push({
      k,
      columns,
      testAccuracy: accuracyOf(predicted, testSet.positive),
      testF1: f1Score(predicted, testSet.positive).f1,
      testAuroc: auroc(testLogits, testSet.positive),
      trainAccuracy: accuracyOf(
        Uint8Array.from(trainLogits, (z) => (z > 0 ? 1 : 0)),
        trainSet.positive,
      ),
      trainRows: trainSet.x.rows,
      testRows: testSet.x.rows,
    });
  }
  return results;
}

function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface SparseProbeSummary {
  k: number;
  /** Targets with a finite test F1 at this k (the means are over these). */
  targets: number;
  meanTestF1: number;
  meanTestAccuracy: number;
  meanTestAuroc: number;
}

/**
 * Per k, the mean over targets of the test F1 (and accuracy, AUROC): `perTarget` holds one
 * kSparseProbe result list per target. Ks are listed in the order they first appear; a target
 * whose F1 is NaN at some k (no test positives) is left out of that k's means.
 */
export function summarizeSparseProbes(perTarget: readonly (readonly SparseProbeResult[])[]): SparseProbeSummary[] {
  const byK = new Map<number, { n: number; f1: number; accuracy: number; auroc: number }>();
  for (const results of perTarget) {
    for (const r of results) {
      let entry = byK.get(r.k);
      if (!entry) byK.set(r.k, (entry = { n: 0, f1: 0, accuracy: 0, auroc: 0 }));
      if (!Number.isFinite(r.testF1)) continue;
      entry.n++;
      entry.f1 += r.testF1;
      entry.accuracy += r.testAccuracy;
      entry.auroc += r.testAuroc;
    }
  }
  return [...byK].map(([k, e]) => ({
    k,
    targets: e.n,
    meanTestF1: e.n ? e.f1 / e.n : NaN,
    meanTestAccuracy: e.n ? e.accuracy / e.n : NaN,
    meanTestAuroc: e.n ? e.auroc / e.n : NaN,
  }));
}
