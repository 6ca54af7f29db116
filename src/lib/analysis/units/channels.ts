// A conv layer's channels as units: each example's map reduced over positions, so the unit
// analyses (dead units, selectivity, class means) run on channels as they do on neurons.
import type { ActivationMatrix } from "../types.js";
import { assertActivationMatrix } from "../validate.js";

export type SpatialReduction = "mean" | "max";

/**
 * rows × channels: the mean (or max) of each channel over all positions of each example's
 * [height, width, channels] map. A flat layer (no shape, or one axis) is returned unchanged.
 */
export function channelUnits(m: ActivationMatrix, reduction: SpatialReduction = "mean"): ActivationMatrix {
  assertActivationMatrix(m);
  if (!m.shape || m.shape.length < 2) return m;
  const channels = m.shape[m.shape.length - 1];
  const positions = m.cols / channels;
  if (!Number.isInteger(positions)) throw new Error(`channelUnits: ${m.cols} values per example do not split into ${channels} channels`);
  const data = new Float32Array(m.rows * channels);
  for (let r = 0; r < m.rows; r++) {
    const out = r * channels;
    for (let c = 0; c < channels; c++) {
      let acc = reduction === "max" ? -Infinity : 0;
      for (let p = 0, i = r * m.cols + c; p < positions; p++, i += channels) {
        const v = m.data[i];
        if (reduction === "max") acc = v > acc ? v : acc;
        else acc += v;
      }
      data[out + c] = reduction === "max" ? acc : acc / positions;
    }
  }
  return { rows: m.rows, cols: channels, data };
}
