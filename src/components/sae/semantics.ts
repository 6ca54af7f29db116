// Neurons against features: the monosemanticity score (lib/analysis/units/monosemanticity.ts) of
// every neuron, principal component, independent component and SAE feature of a layer, side by
// side; and how an SAE's codes group by class (mean code per class, silhouette of the classes).
import type { TF } from "../../lib/tf-types.js";
import type { ActivationMatrix } from "../../lib/analysis/types.js";
import type { SweepFile } from "../../lib/sae/sweep-file.js";
import { toBasis } from "../../lib/sae/basis.js";
import { encodeActivations } from "../../lib/sae/encode.js";
import { monosemanticity } from "../../lib/analysis/units/monosemanticity.js";
import { classMeans } from "../../lib/analysis/units/class-means.js";
import { silhouetteScore } from "../../lib/analysis/embeddings/silhouette.js";
import { selectRows } from "../../lib/analysis/embeddings/embedding-subsets.js";
import { median } from "../../lib/analysis/predictions/model-comparison.js";
import { mulberry32, sampleIndices } from "../../lib/random.js";
import { distributionChart, type DistributionGroup } from "../distribution-chart.js";
import { heatmap } from "../heatmap.js";
import { perImage, type LayerData } from "./layer-data.js";
import { announce, pendingView, type Pending } from "../report/pending.js";
import { table } from "../report/table.js";
import type { FeatureCodes } from "./dashboard.js";

export interface ScoredGroup extends DistributionGroup {
  median: number;
}

/** The labels of the evaluation images, in order. */
export function evaluationLabels(data: LayerData, labels: Uint8Array): Uint8Array {
  return Uint8Array.from(data.evaluationImages, (i) => labels[i]);
}

/**
 * Scores of the layer's neurons, its principal and independent components (the sweep's bases),
 * and the features of every sweep SAE at `multiple` × the layer's width. `pause` lets the page breathe.
 */
export async function scoredGroups(
  tf: TF,
  data: LayerData,
  sweep: SweepFile,
  labels: Uint8Array,
  classes: number,
  multiple: number,
  pause: () => Promise<void>,
): Promise<ScoredGroup[]> {
  const score = (label: string, m: ActivationMatrix): ScoredGroup => {
    const values = monosemanticity(perImage(m, data.positions), labels, classes);
    return { label, values, median: median(Array.from(values)) };
  };
  const groups: ScoredGroup[] = [score("neurons", data.evaluation)];
  for (const name of ["pca", "ica"] as const) {
    const basis = sweep.saes.find((s) => s.fittedBasis?.name === name)?.fittedBasis;
    if (basis) groups.push(score(name === "pca" ? "PCA components" : "ICA components", toBasis(basis, data.evaluation)));
  }
  for (const sae of sweep.saes.filter((s) => s.config.dSae === multiple * sweep.dLayer)) {
    await pause();
    const input = sae.fittedBasis ? toBasis(sae.fittedBasis, data.evaluation) : data.evaluation;
    groups.push(score(`SAE ${sae.id}`, encodeActivations(tf, sae.weights, input)));
  }
  return groups;
}

export function monosemanticityChart(groups: readonly ScoredGroup[], options: { width?: number } = {}): Element {
  return distributionChart(groups, {
    width: options.width,
    xLabel: "monosemanticity: 1 − normalized entropy of the activation over classes",
    domain: [0, 1],
    testId: "monosemanticity",
  });
}

/** Mean code of each feature for the images of each class. */
export function codesByClass(codes: FeatureCodes, labels: Uint8Array, classNames: string[], options: { width?: number } = {}): Element {
  const means = classMeans(codes.images, labels, classNames.length);
  return heatmap({
    rows: means.classes,
    cols: means.units,
    data: means.data,
    rowLabels: classNames,
    colLabels: Array.from({ length: means.units }, (_, i) => String(i)),
    xLabel: "feature",
    yLabel: "class",
    scheme: "sequential",
    title: "Mean code per class",
    valueLabel: "mean code",
    width: options.width,
  });
}

/** Silhouette of the true classes in the space of the codes and in that of the neurons, on the same seeded images. */
export function codeSilhouettes(codes: FeatureCodes, data: LayerData, labels: Uint8Array, sample = 1000): { codes: number; neurons: number; images: number } {
  const rows = sampleIndices(codes.images.rows, Math.min(sample, codes.images.rows), mulberry32(41));
  const picked = Uint8Array.from(rows, (r) => labels[r]);
  const silhouette = (m: ActivationMatrix) => {
    const s = selectRows(m, rows);
    return silhouetteScore(s.data, s.rows, s.cols, picked);
  };
  return { codes: silhouette(codes.images), neurons: silhouette(perImage(data.evaluation, data.positions)), images: rows.length };
}

export function announceGroups(work: Promise<ScoredGroup[]>): AsyncGenerator<Pending<ScoredGroup[]>> {
  return announce("Scoring every neuron, component and SAE feature of the layer…", work);
}

export function groupsView(step: Pending<ScoredGroup[]>, options: { width?: number } = {}): Element {
  const waiting = pendingView(step);
  if (waiting) return waiting;
  const groups = (step as { value: ScoredGroup[] }).value;
  const box = document.createElement("div");
  box.append(
    monosemanticityChart(groups, options),
    table(
      groups.map((g) => ({ group: g.label, units: g.values.length, "median score": g.median.toFixed(3) })),
      { testId: "monosemanticity-medians" },
    ),
  );
  return box;
}
