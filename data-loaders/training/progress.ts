// Human-readable progress lines for training logs (written to stderr by the trainer).
import type { PenaltyReport } from "./penalties.js";

/** 14210.4 -> "14,210" */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** 0.91724 -> "91.72%" */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

/** Seconds as "45s", "1m12s" or "2h05m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const total = Math.round(seconds);
  if (total < 60) return `${total}s`;
  if (total < 3600) return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, "0")}s`;
  return `${Math.floor(total / 3600)}h${String(Math.floor((total % 3600) / 60)).padStart(2, "0")}m`;
}

export interface EpochLine {
  epoch: number;
  epochs: number;
  trainLoss: number;
  /** Only when training has penalties. */
  trainPenalty?: number;
  trainAccuracy: number;
  testAccuracy: number;
  imagesPerSecond: number;
  /** Omitted before any epoch has run (nothing to extrapolate from). */
  etaSeconds?: number;
}

/** "epoch 3/20  loss 0.2841  acc 91.72%  test 92.10%  14,210 img/s  eta 1m12s", "penalty 0.01234" after the loss if any. */
export function formatEpochLine(line: EpochLine): string {
  const parts = [
    `epoch ${line.epoch}/${line.epochs}`,
    `loss ${line.trainLoss.toFixed(4)}`,
    // Penalties can be small next to the loss: significant digits rather than fixed decimals.
    ...(line.trainPenalty === undefined ? [] : [`penalty ${line.trainPenalty.toPrecision(4)}`]),
    `acc ${formatPercent(line.trainAccuracy)}`,
    `test ${formatPercent(line.testAccuracy)}`,
  ];
  // Epoch 0 is the untrained model: there is no throughput to report yet.
  if (line.epoch > 0) parts.push(`${formatCount(line.imagesPerSecond)} img/s`);
  if (line.etaSeconds !== undefined) parts.push(`eta ${formatDuration(line.etaSeconds)}`);
  return parts.join("  ");
}

export interface BatchLine {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  meanLoss: number;
  accuracy: number;
  imagesPerSecond: number;
}

/** "epoch 3/20  batch 400/938  loss 0.3012  acc 90.50%  14,100 img/s" */
export function formatBatchLine(line: BatchLine): string {
  return [
    `epoch ${line.epoch}/${line.epochs}`,
    `batch ${line.batch}/${line.batches}`,
    `loss ${line.meanLoss.toFixed(4)}`,
    `acc ${formatPercent(line.accuracy)}`,
    `${formatCount(line.imagesPerSecond)} img/s`,
  ].join("  ");
}

/**
 * "penalty activation-l1 x 0.001 on relu_1, relu_2" or
 * "penalty weight-l1 x 0.01 on dense_1, rows of 67/784 pixels that are 0 in >= 99% of training images"
 */
export function formatPenaltyLine(report: PenaltyReport): string {
  const head = `penalty ${report.kind} x ${report.coefficient} on`;
  if (report.kind === "activation-l1") return `${head} ${report.layers.join(", ")}`;
  const percent = +(report.blankFraction * 100).toFixed(4);
  return `${head} ${report.layer}, rows of ${report.maskedPixels}/${report.pixels} pixels that are 0 in >= ${percent}% of training images`;
}
