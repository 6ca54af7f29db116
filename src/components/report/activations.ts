// Report sections about activations over training: histograms per epoch, mean/std drift, dead
// units per epoch and on the final model, and the class × unit and unit × epoch heatmaps.
import type { ActivationCache } from "../../lib/network/forward.js";
import type { EpochActivations } from "../../lib/analysis/units/training-drift.js";
import { driftRows, deadUnitRows, unitMeanByEpoch, valueRange, rowsOfClass } from "../../lib/analysis/units/training-drift.js";
import { histogram } from "../../lib/analysis/units/stats.js";
import { classifyUnits } from "../../lib/analysis/units/dead-units.js";
import { classMeans } from "../../lib/analysis/units/class-means.js";
import { LOGITS } from "../../lib/network/network.js";
import { channelUnits } from "../../lib/analysis/units/channels.js";
import { histogramChart } from "../histogram-chart.js";
import { driftChart } from "../drift-chart.js";
import { deadUnitsChart } from "../dead-units-chart.js";
import { heatmap } from "../heatmap.js";
import { table } from "./table.js";
import { selectControl, rangeControl, type Control } from "../controls.js";
import { count, layerChoices, type EvaluationSample, type ReportContext } from "./context.js";

export interface Sized {
  width: number;
}

/** The epoch slider shared by the histogram and heatmap sections. */
export function epochControl(ctx: ReportContext): Control<number | string> {
  const last = ctx.model.epochs.length - 1;
  return rangeControl({ label: "Epoch", min: 0, max: ctx.model.epochs[last].epoch, step: 1, value: ctx.model.epochs[last].epoch, key: "epoch" });
}

/** The recorded epoch a control value names, or an error message about that value. */
export function resolveEpoch(epochs: readonly EpochActivations[], value: unknown): EpochActivations | string {
  const found = epochs.find((e) => e.epoch === value);
  if (found) return found;
  return `Epoch must be one of the recorded epochs, ${epochs[0].epoch} to ${epochs[epochs.length - 1].epoch}; found ${JSON.stringify(value)}.`;
}

export function classControl(ctx: ReportContext, options: { label: string; key: string; value?: number }): Control<number> {
  const choices = ctx.classNames.map((_, i) => i);
  return selectControl({ label: options.label, options: choices, value: Math.min(options.value ?? 0, choices.length - 1), key: options.key, format: (i) => ctx.classNames[i] });
}

export function layerControl(ctx: ReportContext, options: { label: string; key: string; which: "relu" | "hidden" | "all"; value?: string }): Control<string> {
  const choices = layerChoices(ctx, options.which);
  return selectControl({ label: options.label, options: choices, value: options.value && choices.includes(options.value) ? options.value : choices[0], key: options.key });
}

/** All values of one layer at one epoch, against those of one class, on one range for all epochs. */
export function activationHistogram(ctx: ReportContext, epochs: EpochActivations[], sample: EvaluationSample, epoch: EpochActivations, layer: string, classIndex: number, { width }: Sized): Element {
  const [min, max] = valueRange(epochs, layer);
  const values = epoch.layers[layer];
  const ofClass = rowsOfClass(values, sample.labels, classIndex);
  return histogramChart(
    [
      { label: `all ${count(values.rows)} images`, ...histogram(values.data, { bins: 40, min, max }) },
      { label: `class ${ctx.classNames[classIndex]} (${ofClass.rows})`, ...histogram(ofClass.data, { bins: 40, min, max }) },
    ],
    { width, normalize: true, xLabel: `${layer} activation (all units), epoch ${epoch.epoch}`, yLabel: "values" },
  );
}

/** Mean and standard deviation of every hidden layer per epoch. */
export function driftSection(ctx: ReportContext, epochs: EpochActivations[], { width }: Sized): Element {
  return driftChart(driftRows(epochs, layerChoices(ctx, "hidden")), { width });
}

/** A conv channel counts as active on an image when any of its positions is: its spatial max. */
const asUnits = (m: ActivationCache[string]) => channelUnits(m, "max");

/** Dead and nearly dead ReLU units (conv channels) per epoch. */
export function deadUnitsOverTraining(ctx: ReportContext, epochs: EpochActivations[], { width }: Sized): Element {
  const relu = layerChoices(ctx, "relu");
  const asChannels = epochs.map((e) => ({ epoch: e.epoch, layers: Object.fromEntries(relu.map((l) => [l, asUnits(e.layers[l])])) }));
  return deadUnitsChart(deadUnitRows(asChannels, relu), { width });
}

/** Dead units (conv channels) of the final model on the whole test set, per ReLU layer. */
export function deadUnitsTable(ctx: ReportContext, final: ActivationCache): Element {
  return table(
    layerChoices(ctx, "relu").map((layer) => {
      const c = classifyUnits(asUnits(final[layer]));
      const dead = c.status.flatMap((s, i) => (s === "dead" ? [i] : []));
      return { layer, units: c.status.length, dead: c.dead, "nearly dead": c.nearlyDead, alive: c.alive, "dead units": dead.join(", ") || "none" };
    }),
  );
}

const unitLabels = (n: number) => Array.from({ length: n }, (_, i) => String(i));

/** Mean activation per class and unit at one epoch, and each unit's mean over all epochs. */
export function classUnitHeatmaps(ctx: ReportContext, epochs: EpochActivations[], sample: EvaluationSample, epoch: EpochActivations, layer: string, { width }: Sized): Element {
  if (layer === LOGITS) throw new Error("classUnitHeatmaps: choose a hidden layer");
  const means = classMeans(channelUnits(epoch.layers[layer]), sample.labels, ctx.classNames.length);
  const drift = unitMeanByEpoch(
    epochs.map((e) => ({ epoch: e.epoch, layers: { [layer]: channelUnits(e.layers[layer]) } })),
    layer,
  );
  const box = document.createElement("div");
  box.append(
    heatmap({
      rows: means.classes,
      cols: means.units,
      data: means.data,
      rowLabels: ctx.classNames,
      colLabels: unitLabels(means.units),
      xLabel: `${layer} unit`,
      yLabel: "class",
      scheme: "sequential",
      title: `Class × unit mean activation, epoch ${epoch.epoch}`,
      valueLabel: "mean activation",
      width,
    }),
    heatmap({
      rows: drift.units,
      cols: drift.epochs,
      data: drift.data,
      rowLabels: unitLabels(drift.units),
      colLabels: epochs.map((e) => String(e.epoch)),
      xLabel: "epoch",
      yLabel: `${layer} unit`,
      scheme: "sequential",
      title: "Unit × epoch mean activation",
      valueLabel: "mean activation",
      width,
    }),
  );
  return box;
}
