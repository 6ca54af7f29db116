// How a network's units change over training: the per-epoch summaries behind the drift,
// dead-unit and unit × epoch charts, from one unit record (see network/units.ts) per epoch and
// layer, on the same evaluation set every epoch.
import type { LayerUnits } from "../../network/units.js";
import { unitMeans } from "./stats.js";
import { classifyUnits } from "./dead-units.js";

/** Every recorded layer's units at one epoch. */
export interface EpochUnits {
  epoch: number;
  layers: Record<string, LayerUnits>;
}

function layerAt(epoch: EpochUnits, layer: string): LayerUnits {
  const m = epoch.layers[layer];
  if (!m) throw new Error(`epoch ${epoch.epoch}: no activations for layer "${layer}"; found ${Object.keys(epoch.layers).join(", ")}`);
  return m;
}

/** Mean and standard deviation over all values of each layer (every unit, position and example), per epoch. */
export function driftRows(epochs: readonly EpochUnits[], layers: readonly string[]): { epoch: number; layer: string; mean: number; std: number }[] {
  return epochs.flatMap((e) =>
    layers.map((layer) => {
      const { mean, std } = layerAt(e, layer).stats;
      return { epoch: e.epoch, layer, mean, std };
    }),
  );
}

/**
 * Dead and nearly dead unit counts per epoch and layer (definitions in dead-units.ts). A conv
 * channel is active on an example when any position is: its maximum over positions is > 0.
 */
export function deadUnitRows(
  epochs: readonly EpochUnits[],
  layers: readonly string[],
  nearlyDeadBelow = 0.01,
): { epoch: number; layer: string; dead: number; nearlyDead: number; units: number }[] {
  return epochs.flatMap((e) =>
    layers.map((layer) => {
      const m = layerAt(e, layer).max;
      const { dead, nearlyDead } = classifyUnits(m, { nearlyDeadBelow });
      return { epoch: e.epoch, layer, dead, nearlyDead, units: m.cols };
    }),
  );
}

/** A units × epochs matrix of each unit's mean (a channel's spatial mean) (row-major: data[unit * epochs + e]). */
export function unitMeanByEpoch(epochs: readonly EpochUnits[], layer: string): { units: number; epochs: number; data: Float64Array } {
  if (epochs.length === 0) throw new Error("unitMeanByEpoch: expected at least one epoch, found none");
  const units = layerAt(epochs[0], layer).mean.cols;
  const data = new Float64Array(units * epochs.length);
  epochs.forEach((e, j) => {
    const means = unitMeans(layerAt(e, layer).mean);
    if (means.length !== units) throw new Error(`unitMeanByEpoch: layer "${layer}" has ${means.length} units at epoch ${e.epoch}, expected ${units}`);
    for (let u = 0; u < units; u++) data[u * epochs.length + j] = means[u];
  });
  return { units, epochs: epochs.length, data };
}

/** The smallest and largest value of a layer over all epochs: one histogram range for the slider. */
export function valueRange(epochs: readonly EpochUnits[], layer: string): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const e of epochs) {
    const { stats } = layerAt(e, layer);
    min = Math.min(min, stats.min);
    max = Math.max(max, stats.max);
  }
  if (!(min <= max)) throw new Error(`valueRange: layer "${layer}" has no values`);
  return min === max ? [min - 0.5, max + 0.5] : [min, max];
}
