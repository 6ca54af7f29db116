// F1 of a binary prediction, and the best F1 that thresholding a score can reach: the rule
// "score > t" for the best t. AUROC says how well a unit orders images; best F1 says how good a
// detector it makes at its best cut, which is what "this unit means X" promises a reader.
// One sort, then one sweep down the sorted scores: O(n log n).
import { argsortAscending } from "./ranks.js";
import { assertFiniteValues, assertLength } from "../analysis/validate.js";

export interface F1Result {
  /** 2·TP / (2·TP + FP + FN); NaN when there are no positives, predicted or actual. */
  f1: number;
  /** TP / (TP + FP); 0 when nothing is predicted positive. */
  precision: number;
  /** TP / (TP + FN); NaN when there are no actual positives. */
  recall: number;
}

export interface BestF1Result extends F1Result {
  /** The best rule is "score > threshold"; −Infinity when it predicts every image positive. */
  threshold: number;
}

/** F1, precision and recall of `predicted` against `positive` (both truthy = positive). */
export function f1Score(predicted: ArrayLike<number | boolean>, positive: ArrayLike<number | boolean>): F1Result {
  assertLength(positive, predicted.length, "f1Score: positive");
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < predicted.length; i++) {
    if (predicted[i]) {
      if (positive[i]) tp++;
      else fp++;
    } else if (positive[i]) fn++;
  }
  return counts(tp, fp, fn);
}

/**
 * The threshold t maximizing the F1 of "score > t" against `positive`, with that F1, precision
 * and recall. Only cuts between distinct scores are tried (tied scores fall on the same side),
 * and t is the largest score left out. When several cuts reach the best F1, the highest t (the
 * fewest images predicted positive) wins. NaN F1 when there are no positives.
 * `order` may pass argsortAscending(scores) when the caller already has it.
 */
export function bestF1(scores: ArrayLike<number>, positive: ArrayLike<number | boolean>, order?: ArrayLike<number>): BestF1Result {
  assertLength(positive, scores.length, "bestF1: positive");
  assertFiniteValues(scores, "bestF1: scores");
  const ascending = order ?? argsortAscending(scores);
  assertLength(ascending, scores.length, "bestF1: order");
  return bestF1Sorted(scores, positive, ascending);
}

/** bestF1 without checks, for callers that already hold a valid ascending order. */
export function bestF1Sorted(scores: ArrayLike<number>, positive: ArrayLike<number | boolean>, ascending: ArrayLike<number>): BestF1Result {
  const n = scores.length;
  let totalPositive = 0;
  for (let i = 0; i < n; i++) if (positive[i]) totalPositive++;
  if (totalPositive === 0) return { f1: NaN, precision: NaN, recall: NaN, threshold: NaN };
  // Predicting nothing positive: F1 0, the floor every cut is compared against.
  let best: BestF1Result = { f1: 0, precision: 0, recall: 0, threshold: n > 0 ? scores[ascending[n - 1]] : Infinity };
  let tp = 0;
  let predicted = 0;
  let k = n - 1;
  while (k >= 0) {
    const value = scores[ascending[k]];
    // Take the whole group of scores equal to `value` into the positive side at once.
    while (k >= 0 && scores[ascending[k]] === value) {
      if (positive[ascending[k]]) tp++;
      predicted++;
      k--;
    }
    const f1 = (2 * tp) / (predicted + totalPositive);
    if (f1 > best.f1) {
      best = { f1, precision: tp / predicted, recall: tp / totalPositive, threshold: k >= 0 ? scores[ascending[k]] : -Infinity };
    }
  }
  return best;
}

function counts(tp: number, fp: number, fn: number): F1Result {
  const denominator = 2 * tp + fp + fn;
  return {
    f1: denominator === 0 ? NaN : (2 * tp) / denominator,
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: tp + fn === 0 ? NaN : tp / (tp + fn),
  };
}
