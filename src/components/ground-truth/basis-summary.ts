// A scored layer's bases side by side: the median best-explanation score and share of units
// explained of the neurons, PCA, ICA and every SAE, each SAE against its two sparsity-matched
// controls (a random dictionary, the neurons thresholded to its firing rate), as a table, a chart
// and a reading whose every claim is a margin beyond the controls' noise.
import * as Plot from "@observablehq/plot";
import type { BasisReport, ControlReport } from "../../lib/ground-truth/basis-report.js";
import type { GroundTruthFile, GroundTruthLayer } from "../../lib/ground-truth/report-file.js";
import { marginPhrase, widenNoise, type ControlComparison } from "../../lib/ground-truth/margin.js";
import { seedSpread } from "../../lib/ground-truth/seed-spread.js";
import { CATEGORICAL_SCHEME, resolveWidth, setTestId } from "../chart-helpers.js";

const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "n/a");
const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(0)}%` : "n/a");

export function basisLabel(b: BasisReport): string {
  return b.kind === "sae" ? b.id : b.kind === "neurons" ? "neurons" : b.kind.toUpperCase();
}

/**
 * Twice the sd of the SAE's median score over its seeds, where the seed study trained it again
 * (NaN otherwise): a margin over a control counts only beyond this too.
 */
export function seedNoise(layer: GroundTruthLayer, id: string): number {
  const study = layer.seeds.find((s) => s.id === id);
  if (!study) return NaN;
  return 2 * seedSpread(study.runs.filter((r) => !r.failure).map((r) => r.medianScore)).sd;
}

/** The SAE's comparison with a control, its noise widened by the seed spread where there is one. */
export function comparisonOf(layer: GroundTruthLayer, b: BasisReport, control: "randomDictionary" | "thresholdedNeurons"): ControlComparison | null {
  const c = b.controls?.[control];
  return c ? widenNoise(c.comparison, seedNoise(layer, b.id)) : null;
}

function controlCell(c: ControlReport | undefined, comparison: ControlComparison | null): string {
  if (!c || !comparison) return "";
  const spread = comparison.controlMedians.length > 1 ? ` (${f2(comparison.controlSpread.min)}–${f2(comparison.controlSpread.max)})` : "";
  return `${f2(comparison.controlMedian)}${spread}: ${comparison.beyondNoise ? `${comparison.margin > 0 ? "+" : "−"}${Math.abs(comparison.margin).toFixed(2)}` : "within noise"}`;
}

/** One row per basis, for report.table. */
export function basisRows(layer: GroundTruthLayer, threshold: number): Record<string, unknown>[] {
  return layer.bases.map((b) => ({
    Basis: basisLabel(b),
    Units: b.units,
    Dead: b.summary.dead,
    "Firing rate": b.kind === "pca" || b.kind === "ica" ? "signed" : pct(b.firingRate),
    "Median score": f2(b.summary.medianScore),
    [`Explained (≥ ${threshold})`]: pct(b.summary.shareExplained),
    "Class / concept / in class": `${b.summary.kinds.class} / ${b.summary.kinds.concept} / ${b.summary.kinds["concept-in-class"]}`,
    "Random dictionary": controlCell(b.controls?.randomDictionary, comparisonOf(layer, b, "randomDictionary")),
    "Thresholded neurons": controlCell(b.controls?.thresholdedNeurons, comparisonOf(layer, b, "thresholdedNeurons")),
    Note: b.failure ? `training failed: ${b.failure}` : "",
  }));
}

/** Each basis's median score (dots), each SAE's controls' medians (ticks; the random dictionary's seeds as a bar). */
export function basisChart(layer: GroundTruthLayer, options: { width?: number } = {}): SVGSVGElement | HTMLElement {
  const width = resolveWidth(options.width, "basisChart");
  const rows = layer.bases.map((b) => ({
    basis: basisLabel(b),
    median: b.summary.medianScore,
    status: b.failure ? "failed training" : b.kind === "sae" ? "SAE" : "layer basis",
  }));
  const controls = layer.bases.flatMap((b) =>
    b.controls
      ? [
          {
            basis: basisLabel(b),
            control: "random dictionary",
            median: b.controls.randomDictionary.comparison.controlMedian,
            min: b.controls.randomDictionary.comparison.controlSpread.min,
            max: b.controls.randomDictionary.comparison.controlSpread.max,
          },
          { basis: basisLabel(b), control: "thresholded neurons", median: b.controls.thresholdedNeurons.comparison.controlMedian, min: NaN, max: NaN },
        ]
      : [],
  );
  const order = rows.map((r) => r.basis);
  const plot = Plot.plot({
    width,
    height: 40 + 18 * rows.length,
    marginLeft: Math.min(220, 8 + 7 * Math.max(...order.map((s) => s.length))),
    grid: true,
    x: { label: "median best-explanation score →", domain: [0, 1] },
    y: { label: null, domain: order },
    color: { legend: true, scheme: CATEGORICAL_SCHEME, domain: ["layer basis", "SAE", "failed training", "random dictionary", "thresholded neurons"] },
    marks: [
      Plot.ruleY(
        controls.filter((c) => Number.isFinite(c.min)),
        { y: "basis", x1: "min", x2: "max", stroke: "control", strokeWidth: 3, strokeOpacity: 0.5 },
      ),
      Plot.tickX(controls, { y: "basis", x: "median", stroke: "control", strokeWidth: 2 }),
      Plot.dot(rows, { y: "basis", x: "median", fill: "status", r: 4, tip: true }),
    ],
  });
  return setTestId(plot as SVGSVGElement, "ground-truth-chart");
}

const list = (items: readonly string[]) => (items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);

/** The layer's reading: which SAEs beat both controls, by how much, and which failed. */
export function groundTruthReading(file: GroundTruthFile, layer: GroundTruthLayer, layerName: string): HTMLElement {
  const p = setTestId(document.createElement("p"), "ground-truth-reading");
  const neurons = layer.bases.find((b) => b.kind === "neurons");
  const saes = layer.bases.filter((b) => b.kind === "sae");
  const failed = saes.filter((b) => b.failure);
  const trained = saes.filter((b) => !b.failure);
  const random = (b: BasisReport) => comparisonOf(layer, b, "randomDictionary");
  const thresholded = (b: BasisReport) => comparisonOf(layer, b, "thresholdedNeurons");
  const above = (c: ControlComparison | null) => c !== null && c.beyondNoise && c.margin > 0;
  const winners = trained.filter((b) => above(random(b)) && above(thresholded(b)));
  const belowRandom = trained.filter((b) => {
    const c = random(b);
    return c !== null && c.beyondNoise && c.margin < 0;
  });
  const withinRandom = trained.filter((b) => {
    const c = random(b);
    return c !== null && !c.beyondNoise;
  });
  const best = [...trained].sort((a, b) => (random(b)?.margin ?? -Infinity) - (random(a)?.margin ?? -Infinity))[0];
  const parts: string[] = [];
  if (neurons)
    parts.push(
      `On ${layerName}, the ${neurons.units} neurons have a median best-explanation score of ${f2(neurons.summary.medianScore)}, and ${pct(neurons.summary.shareExplained)} of them reach ${file.setup.threshold}.`,
    );
  parts.push(
    `Of the ${trained.length} SAEs that trained, ${winners.length === 0 ? "none scores above both of its" : `${winners.length} ${winners.length === 1 ? "scores" : "score"} above both of ${winners.length === 1 ? "its" : "their"}`} sparsity-matched controls by more than the noise (the controls' spread, and the seeds' where the SAE was trained again)` +
      (winners.length > 0 ? ` (${list(winners.map((b) => b.id))})` : "") +
      `; ${withinRandom.length} ${withinRandom.length === 1 ? "is" : "are"} within noise of a random dictionary firing as often, and ${belowRandom.length} below it.`,
  );
  const bestRandom = best ? random(best) : null;
  const bestThresholded = best ? thresholded(best) : null;
  if (best && bestRandom && bestThresholded)
    parts.push(
      `The largest margin over the random dictionary is ${best.id}'s: ${marginPhrase(bestRandom, { control: "random dictionary" })}, and ${marginPhrase(bestThresholded, { control: "thresholded neurons" })}.`,
    );
  if (failed.length > 0)
    parts.push(`${list(failed.map((b) => `${b.id} (${b.failure})`))} failed to train and ${failed.length === 1 ? "is" : "are"} left out of this reading.`);
  p.textContent = parts.join(" ");
  return p;
}
