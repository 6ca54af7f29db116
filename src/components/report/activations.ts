// Report sections about activations over training: histograms per epoch, mean/std drift, dead
// units per epoch and on the final model, and the class × unit and unit × epoch heatmaps.
import type { EpochUnits } from "../../lib/analysis/units/training-drift.js";
import { driftRows, deadUnitRows, unitMeanByEpoch, valueRange } from "../../lib/analysis/units/training-drift.js";
import { valueHistogram } from "../../lib/network/value-histogram.js";
import { classifyUnits } from "../../lib/analysis/units/dead-units.js";
import { classMeans } from "../../lib/analysis/units/class-means.js";
import { LOGITS } from "../../lib/network/network.js";
import { histogramChart } from "../histogram-chart.js";
import type { Histogram } from "../../lib/analysis/units/stats.js";
import { driftChart } from "../drift-chart.js";
import { deadUnitsChart } from "../dead-units-chart.js";
import { heatmap } from "../heatmap.js";
import { table } from "./table.js";
import { selectControl, rangeControl, type Control } from "../controls.js";
import { count, layerChoices, type EvaluationSample, type FinalUnits, type ReportContext } from "./context.js";

export interface Sized {
  width: number;
}

/** The epoch slider shared by the histogram and heatmap sections. */
export function epochControl(ctx: ReportContext): Control<number | string> {
  const last = ctx.model.epochs.length - 1;
  return rangeControl({ label: "Epoch", min: 0, max: ctx.model.epochs[last].epoch, step: 1, value: ctx.model.epochs[last].epoch, key: "epoch" });
}

/** The recorded epoch a control value names, or an error message about that value. */
export function resolveEpoch(epochs: readonly EpochUnits[], value: unknown): EpochUnits | string {
  const found = epochs.find((e) => e.epoch === value);
  if (found) return found;
  return `Epoch must be one of the recorded epochs, ${epochs[0].epoch} to ${epochs[epochs.length - 1].epoch}; found ${JSON.stringify(value)}.`;
}

export function classControl(ctx: ReportContext, options: { label: string; key: string; value?: number }): Control<number> {
  const choices = ctx.classNames.map((_, i) => i);
  return selectControl({
    label: options.label,
    options: choices,
    value: Math.min(options.value ?? 0, choices.length - 1),
    key: options.key,
    format: (i) => ctx.classNames[i],
  });
}

export function layerControl(ctx: ReportContext, options: { label: string; key: string; which: "relu" | "hidden" | "all"; value?: string }): Control<string> {
  const choices = layerChoices(ctx, options.which);
  return selectControl({
    label: options.label,
    options: choices,
    value: options.value && choices.includes(options.value) ? options.value : choices[0],
    key: options.key,
  });
}

export interface LayerHistograms {
  layer: string;
  epoch: number;
  classIndex: number;
  images: number;
  classImages: number;
  all: Histogram;
  ofClass: Histogram;
}

/**
 * Every value of one layer (all units and positions) at one epoch on the evaluation sample, and
 * on its images of one class, binned on one range for all epochs so the slider compares like with like.
 */
export async function activationHistograms(
  ctx: ReportContext,
  epochs: EpochUnits[],
  sample: EvaluationSample,
  epoch: EpochUnits,
  layer: string,
  classIndex: number,
): Promise<LayerHistograms> {
  const [min, max] = valueRange(epochs, layer);
  const network = ctx.model.epochs.find((e) => e.epoch === epoch.epoch)!.network;
  const bins = { bins: 40, min, max };
  const pixels = sample.images.length / sample.labels.length;
  const rows = sample.labels.reduce<number[]>((list, label, i) => (label === classIndex ? (list.push(i), list) : list), []);
  const classImages = new Uint8Array(rows.length * pixels);
  rows.forEach((row, i) => classImages.set(sample.images.subarray(row * pixels, (row + 1) * pixels), i * pixels));
  const options = { betweenBatches: ctx.pause, batchSize: ctx.batchSize };
  const all = await valueHistogram(ctx.tf, network, sample.images, sample.labels.length, layer, bins, options);
  const ofClass =
    rows.length > 0 ? await valueHistogram(ctx.tf, network, classImages, rows.length, layer, bins, options) : { edges: all.edges, counts: new Uint32Array(40) };
  return { layer, epoch: epoch.epoch, classIndex, images: sample.labels.length, classImages: rows.length, all, ofClass };
}

export function activationHistogram(ctx: ReportContext, h: LayerHistograms, { width }: Sized): Element {
  return histogramChart(
    [
      { label: `all ${count(h.images)} images`, ...h.all },
      { label: `class ${ctx.classNames[h.classIndex]} (${h.classImages})`, ...h.ofClass },
    ],
    { width, normalize: true, xLabel: `${h.layer} activation (all units and positions), epoch ${h.epoch}`, yLabel: "values" },
  );
}

/** Mean and standard deviation of every hidden layer per epoch. */
export function driftSection(ctx: ReportContext, epochs: EpochUnits[], { width }: Sized): Element {
  return driftChart(driftRows(epochs, layerChoices(ctx, "hidden")), { width });
}

/** Dead and nearly dead ReLU units (conv channels) per epoch. */
export function deadUnitsOverTraining(ctx: ReportContext, epochs: EpochUnits[], { width }: Sized): Element {
  return deadUnitsChart(deadUnitRows(epochs, layerChoices(ctx, "relu")), { width });
}

/** Dead units (conv channels: never active at any position) of the final model on the whole test set, per ReLU layer. */
export function deadUnitsTable(ctx: ReportContext, final: FinalUnits): Element {
  return table(
    layerChoices(ctx, "relu").map((layer) => {
      const c = classifyUnits(final[layer].max);
      const dead = c.status.flatMap((s, i) => (s === "dead" ? [i] : []));
      return { layer, units: c.status.length, dead: c.dead, "nearly dead": c.nearlyDead, alive: c.alive, "dead units": dead.join(", ") || "none" };
    }),
  );
}

const unitLabels = (n: number) => Array.from({ length: n }, (_, i) => String(i));

/** Mean activation per class and unit at one epoch, and each unit's mean over all epochs. */
export function classUnitHeatmaps(
  ctx: ReportContext,
  epochs: EpochUnits[],
  sample: EvaluationSample,
  epoch: EpochUnits,
  layer: string,
  { width }: Sized,
): Element {
  if (layer === LOGITS) throw new Error("classUnitHeatmaps: choose a hidden layer");
  const means = classMeans(epoch.layers[layer].mean, sample.labels, ctx.classNames.length);
  const drift = unitMeanByEpoch(epochs, layer);
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
