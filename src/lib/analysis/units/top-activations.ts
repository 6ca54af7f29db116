// Where a channel (or neuron) fires most: each example's peak value of one unit and the position
// of that peak (reduced on the backend, see network/units.ts), the examples with the highest peaks, and examples drawn from lower ranges, so a
// page can show the receptive-field crops behind a channel's strongest and weaker responses.
import type { ActivationMatrix } from "../types.js";
import { assertActivationMatrix, assertUnitIndex } from "../validate.js";

export interface UnitPeak {
  /** Row of the example (e.g. test image index when the matrix covers the whole test set). */
  example: number;
  value: number;
  /** [row, column] of the peak in the map; [0, 0] for a flat layer. */
  position: [number, number];
}

/** A layer's per-example maxima (see network/units.ts): rows × units, with the peak positions of a map. */
export interface UnitMaxima {
  max: ActivationMatrix;
  /** Row-major position of each maximum in the map; null for a flat layer. */
  peak: Int32Array | null;
  /** The map's [height, width]; null for a flat layer. */
  map: [number, number] | null;
}

/** Each example's largest value of `unit` over all positions, and where it is. */
export function unitPeaks(layer: UnitMaxima, unit: number): UnitPeak[] {
  const { max, peak, map } = layer;
  assertActivationMatrix(max);
  assertUnitIndex(unit, max.cols, "unitPeaks unit");
  if ((peak === null) !== (map === null)) throw new Error("unitPeaks: a map needs peak positions and peak positions need a map");
  const width = map ? map[1] : 1;
  const peaks: UnitPeak[] = [];
  for (let r = 0; r < max.rows; r++) {
    const at = peak ? peak[r * max.cols + unit] : 0;
    peaks.push({ example: r, value: max.data[r * max.cols + unit], position: [Math.floor(at / width), at % width] });
  }
  return peaks;
}

/** The `k` highest peaks, highest first (ties: lower example first). */
export function topPeaks(peaks: readonly UnitPeak[], k: number): UnitPeak[] {
  return [...peaks].sort((a, b) => b.value - a.value || a.example - b.example).slice(0, k);
}

/**
 * `perBand` examples from each band of peak values between quantiles, e.g. bands [0.5, 0.75] and
 * [0.25, 0.5]: the examples whose peak ranks in that range, evenly spaced through it.
 */
export function peaksInBand(peaks: readonly UnitPeak[], from: number, to: number, perBand: number): UnitPeak[] {
  if (!(from >= 0 && to <= 1 && from < to)) throw new Error(`peaksInBand: expected 0 ≤ from < to ≤ 1, found [${from}, ${to}]`);
  const sorted = [...peaks].sort((a, b) => a.value - b.value || a.example - b.example);
  const lo = Math.floor(from * sorted.length);
  const hi = Math.max(lo + 1, Math.floor(to * sorted.length));
  const band = sorted.slice(lo, hi);
  if (band.length <= perBand) return band.reverse();
  return Array.from({ length: perBand }, (_, i) => band[Math.floor(((i + 0.5) * band.length) / perBand)]).reverse();
}
