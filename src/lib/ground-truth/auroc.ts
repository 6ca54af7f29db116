// AUROC of a score against binary labels: the probability that a random positive image scores
// above a random negative one, ties counting half (the Mann–Whitney U statistic over n1·n0).
// Rank-based, so it does not care about a unit's scale, only its order: the right measure for
// "does this unit's activation single out the images that have property X".
import { averageRanks } from "./ranks.js";
import { assertFiniteValues, assertLength } from "../analysis/validate.js";

/** AUROC of `scores` against `positive` (truthy = positive); NaN when either class is empty. */
export function auroc(scores: ArrayLike<number>, positive: ArrayLike<number | boolean>): number {
  assertLength(positive, scores.length, "auroc: positive");
  assertFiniteValues(scores, "auroc: scores");
  return aurocFromRanks(averageRanks(scores), positive);
}

/**
 * AUROC from average ranks (averageRanks of the scores): U = Σ ranks of positives − n1(n1+1)/2,
 * AUROC = U / (n1·n0). O(n), so one ranking of a unit serves every label it is compared with.
 */
export function aurocFromRanks(ranks: ArrayLike<number>, positive: ArrayLike<number | boolean>): number {
  let n1 = 0;
  let rankSum = 0;
  for (let i = 0; i < ranks.length; i++) {
    if (positive[i]) {
      n1++;
      rankSum += ranks[i];
    }
  }
  return aurocFromRankSum(rankSum, n1, ranks.length - n1);
}

/** AUROC from the sum of the positives' ranks among n1 + n0 items; NaN when n1 or n0 is 0. */
export function aurocFromRankSum(rankSum: number, n1: number, n0: number): number {
  if (n1 === 0 || n0 === 0) return NaN;
  return (rankSum - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}
