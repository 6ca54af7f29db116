// How a network's units change over training: the per-epoch summaries behind the drift,
// dead-unit and neuron × epoch charts, computed from one activation matrix per epoch and layer.
import type { ActivationMatrix } from "../types.js";
import { layerMeanStd, unitMeans } from "./stats.js";
import { classifyUnits } from "./dead-units.js";
import { selectRows } from "../embeddings/embedding-subsets.js";

/** Activations of every recorded layer at one epoch, on the same evaluation set each epoch. */
export interface EpochActivations {
  epoch: number;
  layers: Record<string, ActivationMatrix>;
}

function layerAt(epoch: EpochActivations, layer: string): ActivationMatrix {
  const m = epoch.layers[layer];
  if (!m) throw new Error(`epoch ${epoch.epoch}: no activations for layer "${layer}"; found ${Object.keys(epoch.layers).join(", ")}`);
  return m;
}

/** Mean and standard deviation over all units and examples, per epoch and layer. */
export function driftRows(epochs: readonly EpochActivations[], layers: readonly string[]): { epoch: number; layer: string; mean: number; std: number }[] {
  return epochs.flatMap((e) => layers.map((layer) => ({ epoch: e.epoch, layer, ...layerMeanStd(layerAt(e, layer)) })));
}

/** Dead and nearly dead unit counts per epoch and layer (definitions in dead-units.ts). */
export function deadUnitRows(
  epochs: readonly EpochActivations[],
  layers: readonly string[],
  nearlyDeadBelow = 0.01,
): { epoch: number; layer: string; dead: number; nearlyDead: number; units: number }[] {
  return epochs.flatMap((e) =>
    layers.map((layer) => {
      const m = layerAt(e, layer);
      const { dead, nearlyDead } = classifyUnits(m, { nearlyDeadBelow });
      return { epoch: e.epoch, layer, dead, nearlyDead, units: m.cols };
    }),
  );
}

/** A units × epochs matrix of each unit's mean activation (row-major: data[unit * epochs + e]). */
export function unitMeanByEpoch(epochs: readonly EpochActivations[], layer: string): { units: number; epochs: number; data: Float64Array } {
  if (epochs.length === 0) throw new Error("unitMeanByEpoch: expected at least one epoch, found none");
  const units = layerAt(epochs[0], layer).cols;
  const data = new Float64Array(units * epochs.length);
  epochs.forEach((e, j) => {
    const means = unitMeans(layerAt(e, layer));
    if (means.length !== units) throw new Error(`unitMeanByEpoch: layer "${layer}" has ${means.length} units at epoch ${e.epoch}, expected ${units}`);
    for (let u = 0; u < units; u++) data[u * epochs.length + j] = means[u];
  });
  return { units, epochs: epochs.length, data };
}

/** The smallest and largest value of a layer over all epochs: one histogram range for the slider. */
export function valueRange(epochs: readonly EpochActivations[], layer: string): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const e of epochs) {
    const { data } = layerAt(e, layer);
    for (let i = 0; i < data.length; i++) {
      if (data[i] < min) min = data[i];
      if (data[i] > max) max = data[i];
    }
  }
  if (!(min <= max)) throw new Error(`valueRange: layer "${layer}" has no values`);
  return min === max ? [min - 0.5, max + 0.5] : [min, max];
}

/** The rows of `m` whose label equals `classIndex`, as a matrix (for class-conditional histograms). */
export function rowsOfClass(m: ActivationMatrix, labels: ArrayLike<number>, classIndex: number): ActivationMatrix {
  if (labels.length !== m.rows) throw new Error(`rowsOfClass: expected ${m.rows} labels, found ${labels.length}`);
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === classIndex) rows.push(i);
  return selectRows(m, rows);
}
