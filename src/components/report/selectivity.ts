// Report section: class selectivity of the units of one layer (final weights, whole test set),
// with the units that rank highest per class by selectivity, mean activation and logit gradient.
import type { ClassUnitMatrix } from "../../lib/analysis/types.js";
import { selectivity, topUnitsPerClass, type TopUnits } from "../../lib/analysis/units/selectivity.js";
import { classMeans } from "../../lib/analysis/units/class-means.js";
import type { SpatialReduction } from "../../lib/analysis/units/channels.js";
import { classLogitGradients } from "../../lib/network/gradients.js";
import { checkNumberInput } from "../../lib/validate-input.js";
import { heatmap } from "../heatmap.js";
import { cellError } from "../cell-error.js";
import { table } from "./table.js";
import { announce, type Pending } from "./pending.js";
import type { FinalUnits, ReportContext } from "./context.js";

export interface LayerSelectivity {
  layer: string;
  /** How a conv channel's map became one number per image (flat layers: as they are). */
  reduction: SpatialReduction;
  /** Whether the layer is a conv map (its units are channels). */
  spatial: boolean;
  /** S per class and unit (see lib/analysis/selectivity.ts). */
  selectivity: ClassUnitMatrix;
  means: ClassUnitMatrix;
}

export function layerSelectivity(ctx: ReportContext, final: FinalUnits, layer: string, reduction: SpatialReduction = "mean"): LayerSelectivity {
  const { testSet, classNames } = ctx;
  const units = reduction === "max" ? final[layer].max : final[layer].mean;
  return {
    layer,
    reduction,
    spatial: final[layer].map !== null,
    selectivity: selectivity(units, testSet.labels, classNames.length),
    means: classMeans(units, testSet.labels, classNames.length),
  };
}

/**
 * The mean over the test images of class c of d logit_c / d unit (a channel: summed over its
 * positions), for every class and unit: a backward pass over all test images, announced since it
 * takes seconds on a CNN.
 */
export function logitGradients(ctx: ReportContext, layer: string): AsyncGenerator<Pending<ClassUnitMatrix>> {
  const { testSet } = ctx;
  return announce(
    `Computing ∂logit/∂activation of ${layer} on ${testSet.count.toLocaleString("en-US")} test images…`,
    // A backward pass costs about three forward ones.
    classLogitGradients(ctx.tf, ctx.model.network, testSet.images, testSet.count, testSet.labels, layer, {
      batchSize: Math.max(20, Math.round(ctx.batchSize / 3)),
      betweenBatches: ctx.pause,
    }),
  );
}

export function selectivityHeatmap(ctx: ReportContext, result: LayerSelectivity, { width }: { width: number }): Element {
  const s = result.selectivity;
  return heatmap({
    rows: s.classes,
    cols: s.units,
    data: s.data,
    rowLabels: ctx.classNames,
    colLabels: Array.from({ length: s.units }, (_, i) => String(i)),
    xLabel: `${result.layer} unit`,
    yLabel: "class",
    scheme: "diverging",
    domain: [-1, 1],
    title: result.spatial ? `Selectivity S of each channel's spatial ${result.reduction}` : "Selectivity S",
    valueLabel: "S",
    width,
  });
}

/** The top k units per class by each ranking; a message in place of the table for a bad k. */
export function topUnitsTable(ctx: ReportContext, result: LayerSelectivity, gradients: Pending<ClassUnitMatrix>, k: unknown): Element {
  const units = result.selectivity.units;
  const checked = checkNumberInput(k, { label: "Top k", min: 1, max: units, integer: true });
  if (checked.error !== null) return cellError(`${checked.error} (${result.layer} has ${units} units.)`);
  const list = (top: TopUnits) => top.units.map((u, i) => `${u} (${top.values[i].toFixed(2)})`).join(", ");
  const [bySelectivity, byMean] = [result.selectivity, result.means].map((m) => topUnitsPerClass(m, checked.value));
  const byGradient = gradients.state === "done" ? topUnitsPerClass(gradients.value, checked.value) : null;
  const gradientNote = gradients.state === "error" ? `failed: ${gradients.error}` : "computing…";
  return table(
    ctx.classNames.map((name, c) => ({
      class: name,
      "most selective (S)": list(bySelectivity[c]),
      "highest mean activation": list(byMean[c]),
      "largest mean ∂logit/∂activation": byGradient ? list(byGradient[c]) : gradientNote,
    })),
    { testId: "top-units" },
  );
}
