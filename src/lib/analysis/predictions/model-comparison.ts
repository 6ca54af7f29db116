// Comparing models trained the same way: how fast each reaches a target accuracy, how far train
// and test accuracy drift apart, and summary statistics of per-unit numbers.
import type { EpochMetrics } from "../../models/training-record.js";

/** The first epoch whose test accuracy is at least `target`, or null if none reaches it. */
export function firstEpochReaching(history: readonly EpochMetrics[], target: number): number | null {
  const hit = history.find((h) => h.testAccuracy >= target);
  return hit ? hit.epoch : null;
}

/** Train minus test accuracy per epoch (epoch 0 included): the generalization gap. */
export function generalizationGap(history: readonly EpochMetrics[]): { epoch: number; gap: number }[] {
  return history.map((h) => ({ epoch: h.epoch, gap: h.trainAccuracy - h.testAccuracy }));
}

/** The median of the finite values (NaN when there are none); the mean of the middle two for an even count. */
export function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const middle = finite.length >> 1;
  return finite.length % 2 ? finite[middle] : (finite[middle - 1] + finite[middle]) / 2;
}
