// Report section: class selectivity of the units of one layer (final weights, whole test set),
// with the units that rank highest per class by selectivity, mean activation and logit gradient.
import type { ActivationCache } from "../../lib/network/forward.js";
import type { ClassUnitMatrix } from "../../lib/analysis/types.js";
import { selectivity, topUnitsPerClass, type TopUnits } from "../../lib/analysis/units/selectivity.js";
import { classMeans } from "../../lib/analysis/units/class-means.js";
import { channelUnits, type SpatialReduction } from "../../lib/analysis/units/channels.js";
import { classLogitGradients } from "../../lib/network/gradients.js";
import { checkNumberInput } from "../../lib/validate-input.js";
import { heatmap } from "../heatmap.js";
import { cellError } from "../cell-error.js";
import { table } from "./table.js";
import type { ReportContext } from "./context.js";

export interface LayerSelectivity {
  layer: string;
  /** How a conv channel's map became one number per image (flat layers: as they are). */
  reduction: SpatialReduction;
  /** Whether the layer is a conv map (its units are channels). */
  spatial: boolean;
  /** S per class and unit (see lib/analysis/selectivity.ts). */
  selectivity: ClassUnitMatrix;
  means: ClassUnitMatrix;
  /** Mean d logit_c / d unit over the test images of class c. */
  gradients: ClassUnitMatrix;
}

export async function layerSelectivity(ctx: ReportContext, final: ActivationCache, layer: string, reduction: SpatialReduction = "mean"): Promise<LayerSelectivity> {
  const { testSet, classNames } = ctx;
  const units = channelUnits(final[layer], reduction);
  return {
    layer,
    reduction,
    spatial: (final[layer].shape?.length ?? 1) === 3,
    selectivity: selectivity(units, testSet.labels, classNames.length),
    means: classMeans(units, testSet.labels, classNames.length),
    gradients: await classLogitGradients(ctx.tf, ctx.model.network, testSet.images, testSet.count, testSet.labels, layer, { batchSize: 1000 }),
  };
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
export function topUnitsTable(ctx: ReportContext, result: LayerSelectivity, k: unknown): Element {
  const units = result.selectivity.units;
  const checked = checkNumberInput(k, { label: "Top k", min: 1, max: units, integer: true });
  if (checked.error !== null) return cellError(`${checked.error} (${result.layer} has ${units} units.)`);
  const list = (top: TopUnits) => top.units.map((u, i) => `${u} (${top.values[i].toFixed(2)})`).join(", ");
  const [bySelectivity, byMean, byGradient] = [result.selectivity, result.means, result.gradients].map((m) => topUnitsPerClass(m, checked.value));
  return table(
    ctx.classNames.map((name, c) => ({
      class: name,
      "most selective (S)": list(bySelectivity[c]),
      "highest mean activation": list(byMean[c]),
      "largest mean ∂logit/∂activation": list(byGradient[c]),
    })),
    { testId: "top-units" },
  );
}
