// Comparing several models side by side from their build-time summaries and training histories:
// a table of the headline numbers, the generalization gap over training, and the distribution of
// each unit's best class selectivity.
import * as Plot from "@observablehq/plot";
import type { ModelSummary } from "../../lib/analysis/predictions/model-summary.js";
import type { EpochMetrics, TrainingRecord } from "../../lib/models/training-record.js";
import type { ModelEntry } from "../../lib/models/registry.js";
import { firstEpochReaching, generalizationGap, median } from "../../lib/analysis/predictions/model-comparison.js";
import type { ModelAttachments } from "../../runtime/load-model.js";
import { CATEGORICAL_SCHEME, labelWidth, resolveWidth, setTestId } from "../chart-helpers.js";
import { table } from "./table.js";
import { pct } from "./context.js";

export interface ComparedModel {
  entry: ModelEntry;
  summary: ModelSummary;
  record: TrainingRecord;
  history: EpochMetrics[];
}

export async function loadComparison(files: Record<string, ModelAttachments>, entries: readonly ModelEntry[]): Promise<ComparedModel[]> {
  return Promise.all(
    entries.map(async (entry) => {
      const [summary, record] = await Promise.all([
        files[entry.name].summary.json() as Promise<ModelSummary>,
        files[entry.name].history.json() as Promise<TrainingRecord>,
      ]);
      return { entry, summary, record, history: record.history };
    }),
  );
}

/** The median over a layer's live units of each unit's best selectivity. */
export function medianBestSelectivity(layer: { bestSelectivity: number[] }): number {
  return median(layer.bestSelectivity);
}

export interface ComparisonRow {
  model: string;
  testAccuracy: number;
  /** First epoch at or above the baseline's final test accuracy (null: never). */
  epochsToBaseline: number | null;
  finalGap: number;
  layers: { layer: string; dead: number; nearlyDead: number; units: number; medianBestS: number }[];
  silhouette: number;
  backgroundMass: number;
  garbageMass: number;
}

/** The numbers of the comparison table, one row per model, against `baseline`'s final accuracy. */
export function comparisonRows(models: readonly ComparedModel[], baseline: ComparedModel): ComparisonRow[] {
  const target = baseline.history[baseline.history.length - 1].testAccuracy;
  return models.map(({ entry, summary, history }) => ({
    model: entry.title,
    testAccuracy: summary.testAccuracy,
    epochsToBaseline: firstEpochReaching(history, target),
    finalGap: generalizationGap(history).at(-1)!.gap,
    layers: summary.layers.map((l) => ({ layer: l.layer, dead: l.dead, nearlyDead: l.nearlyDead, units: l.units, medianBestS: medianBestSelectivity(l) })),
    silhouette: summary.silhouette.value,
    backgroundMass: summary.saliency.backgroundMass,
    garbageMass: summary.saliency.garbageMass,
  }));
}

export function comparisonTable(rows: readonly ComparisonRow[]): Element {
  return table(
    rows.map((r) => ({
      model: r.model,
      "test accuracy": pct(r.testAccuracy),
      "epochs to baseline": r.epochsToBaseline ?? "never",
      "train − test (last epoch)": pct(r.finalGap),
      "dead / nearly dead": r.layers.map((l) => `${l.layer}: ${l.dead} / ${l.nearlyDead}`).join("; "),
      "median best S": r.layers.map((l) => `${l.layer}: ${l.medianBestS.toFixed(2)}`).join("; "),
      silhouette: r.silhouette.toFixed(3),
      "saliency on background": pct(r.backgroundMass, 1),
      "saliency on garbage pixels": pct(r.garbageMass, 1),
    })),
    { testId: "comparison-table" },
  );
}

/** Train minus test accuracy per epoch, one line per model. */
export function gapChart(models: readonly ComparedModel[], options: { width?: number } = {}): Element {
  const data = models.flatMap(({ entry, history }) => generalizationGap(history).map((g) => ({ model: entry.title, epoch: g.epoch, gap: g.gap })));
  const chart = Plot.plot({
    width: resolveWidth(options.width, "gapChart"),
    height: 300,
    marginLeft: 55,
    x: { label: "epoch", tickFormat: "d" },
    y: { label: "train − test accuracy (percentage points)", grid: true, transform: (v: number) => 100 * v },
    color: { legend: true, scheme: CATEGORICAL_SCHEME },
    marks: [
      Plot.ruleY([0]),
      Plot.line(data, { x: "epoch", y: "gap", stroke: "model", strokeWidth: 1.5 }),
      Plot.tip(
        data,
        Plot.pointer({
          x: "epoch",
          y: "gap",
          stroke: "model",
          title: (d: { model: string; epoch: number; gap: number }) => `${d.model}, epoch ${d.epoch}: ${pct(d.gap)}`,
        }),
      ),
    ],
  });
  return setTestId(chart, "gap-chart");
}

/** Each live unit's best selectivity, per model and ReLU layer, with the median marked. */
export function selectivityDistributionChart(models: readonly ComparedModel[], options: { width?: number } = {}): Element {
  const data = models.flatMap(({ entry, summary }) =>
    summary.layers.flatMap((l) => l.bestSelectivity.flatMap((s, unit) => (Number.isFinite(s) ? [{ model: entry.title, layer: l.layer, unit, s }] : []))),
  );
  const width = resolveWidth(options.width, "selectivityDistributionChart");
  const titles = models.map((m) => m.entry.title);
  // Room for the longest model name, but at most 40% of a narrow chart, where longer names end in
  // an ellipsis (tick labels: 10 px text after a 6 px tick and 3 px of padding; Plot's estimate of
  // text width runs short for wide fonts and arrows, hence 15% to spare).
  const needed = Math.max(...titles.map(labelWidth)) + 12;
  const marginLeft = Math.min(needed, Math.round(0.4 * width));
  const lineWidth = marginLeft < needed ? (0.85 * (marginLeft - 9)) / 10 : Infinity;
  const chart = Plot.plot({
    width,
    height: 60 + 34 * models.length,
    marginLeft,
    x: { label: "best selectivity S of each live unit (max over classes)", domain: [-1, 1], grid: true },
    y: { label: null, domain: titles },
    fy: { label: null },
    facet: { data, y: "layer" },
    marks: [
      Plot.axisY({ textOverflow: "ellipsis", lineWidth }),
      Plot.dot(data, {
        x: "s",
        y: "model",
        r: 2.5,
        fill: "model",
        fillOpacity: 0.6,
        title: (d: { model: string; layer: string; unit: number; s: number }) => `${d.model}, ${d.layer} unit ${d.unit}: S = ${d.s.toFixed(2)}`,
      }),
      Plot.tickX(data, Plot.groupY({ x: "median" }, { x: "s", y: "model", stroke: "black", strokeWidth: 2 })),
    ],
  });
  return setTestId(chart, "selectivity-distribution");
}
