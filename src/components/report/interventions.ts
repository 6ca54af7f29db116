// Report section: ablate or scale units of any hidden layer and see what happens to every test
// image: accuracy per class against the unmodified network, the confusion matrix and its change,
// the largest prediction shifts, and per-class accuracy over a sweep of scales.
import { confusionMatrix, confusionDelta, perClassAccuracy, predictionShifts, accuracy } from "../../lib/analysis/predictions/confusion.js";
import { parseUnitList } from "../../lib/parse-units.js";
import { checkNumberInput } from "../../lib/validate-input.js";
import { perClassAccuracyChart } from "../accuracy-bars.js";
import { sweepChart } from "../sweep-chart.js";
import { heatmap } from "../heatmap.js";
import { cellError } from "../cell-error.js";
import { rangeControl, textControl, type Control } from "../controls.js";
import { layerControl } from "./activations.js";
import { count, pct, unitCount, type CleanPredictions, type ReportContext } from "./context.js";

export const SCALE_RANGE = { min: 0, max: 3 };

export interface InterventionControls {
  layer: Control<string>;
  units: Control<string | number>;
  scale: Control<number | string>;
}

export function interventionControls(ctx: ReportContext, defaults: { layer?: string; units?: string; scale?: number } = {}): InterventionControls {
  const relu = ctx.model.network.layers.filter((l) => l.kind === "relu").map((l) => l.name);
  return {
    layer: layerControl(ctx, { label: "Intervention layer", key: "iv-layer", which: "hidden", value: defaults.layer ?? relu[relu.length - 1] }),
    units: textControl({ label: "Units", value: defaults.units ?? "0", placeholder: "e.g. 3, 7 or 0-3", key: "iv-units" }),
    scale: rangeControl({ label: "Scale", ...SCALE_RANGE, step: 0.05, value: defaults.scale ?? 0, key: "iv-scale" }),
  };
}

export type CheckedUnits = { layer: string; units: number[]; error: null } | { error: string };
export type CheckedIntervention = { layer: string; units: number[]; scale: number; error: null } | { error: string };

/** The units the controls name, or a message about the bad value. */
export function checkUnits(ctx: ReportContext, layer: string, unitsText: unknown): CheckedUnits {
  const units = parseUnitList(String(unitsText), unitCount(ctx, layer), layer);
  return units.error !== null ? { error: units.error } : { layer, units: units.units, error: null };
}

/** The whole intervention, or a message about the first bad value. */
export function checkIntervention(units: CheckedUnits, scale: unknown): CheckedIntervention {
  if (units.error !== null) return units;
  const checked = checkNumberInput(scale, { label: "Scale", ...SCALE_RANGE });
  return checked.error !== null ? { error: checked.error } : { ...units, scale: checked.value };
}

export interface InterventionOutcome {
  predicted: Uint8Array;
  milliseconds: number;
}

export async function runIntervention(clean: CleanPredictions, intervention: CheckedIntervention): Promise<InterventionOutcome | { error: string }> {
  if (intervention.error !== null) return { error: intervention.error };
  const started = performance.now();
  try {
    const predicted = await clean.runner.run(intervention);
    return { predicted, milliseconds: performance.now() - started };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const row = (children: Element[]) => {
  const box = document.createElement("div");
  box.style.cssText = "display:flex;flex-wrap:wrap;gap:1rem";
  box.append(...children);
  return box;
};

/** Summary line, per-class accuracy bars, prediction shifts and both confusion matrices. */
export function interventionResult(
  ctx: ReportContext,
  clean: CleanPredictions,
  intervention: CheckedIntervention,
  outcome: InterventionOutcome | { error: string },
  { width }: { width: number },
): Element {
  if ("error" in outcome) return cellError(outcome.error);
  if (intervention.error !== null) return cellError(intervention.error);
  const { testSet, classNames } = ctx;
  const modified = confusionMatrix(outcome.predicted, testSet.labels, classNames.length);
  const box = document.createElement("div");
  const summary = document.createElement("p");
  summary.dataset.testid = "intervention-summary";
  const plural = intervention.units.length > 1 ? "s" : "";
  summary.innerHTML = `Scaling ${intervention.layer} unit${plural} ${intervention.units.join(", ")} by ${intervention.scale.toFixed(2)}: test accuracy <strong data-testid="intervention-accuracy">${pct(accuracy(outcome.predicted, testSet.labels))}</strong> (unmodified ${pct(clean.accuracy)}); re-ran ${count(testSet.count)} images on ${ctx.tf.getBackend()} in ${outcome.milliseconds.toFixed(1)} ms.`;
  const shifts = predictionShifts(clean.confusion, modified, { minFraction: 0.005 }).slice(0, 6);
  const list = document.createElement("ul");
  list.dataset.testid = "prediction-shifts";
  for (const text of shifts.length
    ? shifts.map(
        (s) =>
          `class ${classNames[s.trueClass]} now predicted as ${classNames[s.predictedClass]} in ${pct(s.fraction, 1)} of cases (was ${pct(s.baselineFraction, 1)})`,
      )
    : ["no prediction moved by 0.5% of a class or more"]) {
    const item = document.createElement("li");
    item.textContent = text;
    list.append(item);
  }
  const delta = confusionDelta(clean.confusion, modified);
  const matrix = (data: ArrayLike<number>, title: string, scheme: "sequential" | "diverging", valueLabel: string) =>
    heatmap({
      rows: classNames.length,
      cols: classNames.length,
      data,
      rowLabels: classNames,
      colLabels: classNames,
      xLabel: "predicted",
      yLabel: "true",
      scheme,
      title,
      valueLabel,
      cellText: true,
      width: Math.min(width, 480),
    });
  box.append(
    summary,
    perClassAccuracyChart({ classNames, baseline: clean.perClass, modified: perClassAccuracy(modified) }, { width }),
    list,
    row([
      matrix(modified.data, "Confusion matrix with the intervention", "sequential", "images"),
      matrix(delta.data, "Change from the unmodified model", "diverging", "Δ images"),
    ]),
  );
  return box;
}

export const SWEEP_SCALES = Array.from({ length: 13 }, (_, i) => i * 0.25);

/** Predictions for every scale of SWEEP_SCALES (recomputed only when the layer or units change). */
export async function sweepPredictions(clean: CleanPredictions, units: CheckedUnits): Promise<Uint8Array[] | { error: string }> {
  if (units.error !== null) return units;
  return clean.runner.sweep(units, SWEEP_SCALES);
}

/** Per-class accuracy over scales 0 to 3 for the chosen units, with the current scale marked. */
export function sweepSection(ctx: ReportContext, sweep: Uint8Array[] | { error: string }, currentScale: unknown, { width }: { width: number }): Element {
  if ("error" in sweep) return cellError(sweep.error);
  const { testSet, classNames } = ctx;
  const perScale = sweep.map((predicted) => perClassAccuracy(confusionMatrix(predicted, testSet.labels, classNames.length)));
  const current = typeof currentScale === "number" && currentScale >= SCALE_RANGE.min && currentScale <= SCALE_RANGE.max ? currentScale : undefined;
  return sweepChart(
    { scales: SWEEP_SCALES, perClassAccuracy: perScale, overall: sweep.map((p) => accuracy(p, testSet.labels)), classNames, current },
    { width },
  );
}
