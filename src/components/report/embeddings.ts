// Report section: the hidden layers as maps. PCA (in the page), t-SNE (computed at build time)
// and UMAP (live, in a Web Worker) of one layer, coloured by class; and whether the units most
// selective for a class separate it from the rest better than random units do (silhouettes).
import type { ActivationMatrix } from "../../lib/analysis/types.js";
import { requireArray } from "../../lib/codecs/tensor-bundle.js";
import { selectRows, randomUnitSubsets } from "../../lib/analysis/embeddings/embedding-subsets.js";
import { selectivity, topUnitsPerClass } from "../../lib/analysis/units/selectivity.js";
import { oneVsRest } from "../../lib/analysis/embeddings/subspace-separation.js";
import { pca } from "../../lib/analysis/embeddings/pca.js";
import { checkUmapParameters } from "../../lib/analysis/embeddings/umap-embedding.js";
import { checkNumberInput } from "../../lib/validate-input.js";
import { mulberry32, sampleIndices } from "../../lib/random.js";
import { workerTask, workerProgress } from "../../runtime/worker-task.js";
import type { EmbeddingWorkerApi, SubspaceResult } from "../../workers/embedding-worker.js";
import { embeddingScatter } from "../embedding-scatter.js";
import { silhouetteChart } from "../silhouette-chart.js";
import { cellError } from "../cell-error.js";
import { rangeControl, selectControl, type Control } from "../controls.js";
import { table } from "./table.js";
import { announce, pendingView, type Pending } from "./pending.js";
import { layerChoices, pct, count, type FinalUnits, type ReportContext } from "./context.js";

/** The layer the maps show: the one t-SNE was computed for, else the last ReLU layer. */
export function embeddingLayer(ctx: ReportContext): string {
  const fromTsne = ctx.model.tsne?.meta.layer;
  if (typeof fromTsne === "string") return fromTsne;
  const relu = layerChoices(ctx, "relu");
  return relu[relu.length - 1];
}

const row = (children: Element[]) => {
  const box = document.createElement("div");
  box.style.cssText = "display:flex;flex-wrap:wrap;gap:1rem";
  box.append(...children);
  return box;
};

export interface StaticMaps {
  layer: string;
  indices: ArrayLike<number>;
  figure: Element;
  /** t-SNE parameters and final KL divergence, for the page to state (null without a t-SNE file). */
  tsne: Record<string, unknown> | null;
}

/** PCA and t-SNE of the same seeded sample of test images, side by side. */
export function pcaAndTsne(ctx: ReportContext, final: FinalUnits, { width }: { width: number }): StaticMaps {
  const layer = embeddingLayer(ctx);
  const { testSet, classNames } = ctx;
  const file = ctx.model.tsne;
  const indices = file ? requireArray(file, "indices", "uint16", "tsne.bin").data : sampleIndices(testSet.count, Math.min(2000, testSet.count), mulberry32(11));
  const labels = Uint8Array.from(indices, (i) => testSet.labels[i]);
  const sample = selectRows(final[layer].mean, indices);
  const projection = pca(sample, 2);
  const size = Math.min(width, 460);
  const charts: Element[] = [
    embeddingScatter(
      {
        points: projection.projection,
        labels,
        classNames,
        title: `PCA of ${layer} (${pct(projection.explainedVarianceRatio[0] + projection.explainedVarianceRatio[1], 1)} of variance)`,
        xLabel: "PC 1",
        yLabel: "PC 2",
      },
      { width: size },
    ),
  ];
  if (file)
    charts.push(
      embeddingScatter(
        { points: requireArray(file, "embedding", "float32", "tsne.bin").data, labels, classNames, title: `t-SNE of ${layer}` },
        { width: size },
      ),
    );
  return { layer, indices, figure: row(charts), tsne: file ? file.meta : null };
}

export interface UmapControls {
  neighbors: Control<number | string>;
  minDist: Control<number | string>;
  size: Control<number>;
}

export function umapControls(): UmapControls {
  return {
    neighbors: rangeControl({ label: "n_neighbors", min: 2, max: 100, step: 1, value: 15, key: "umap-neighbors" }),
    minDist: rangeControl({ label: "min_dist", min: 0, max: 1, step: 0.01, value: 0.1, key: "umap-min-dist" }),
    size: selectControl({ label: "Images", options: [500, 1000, 2000, 5000], value: 1000, key: "umap-images" }),
  };
}

export type UmapStep =
  | { done: false; epoch: number; epochs: number }
  | { done: true; embedding: Float64Array; seconds: number; labels: Uint8Array; key: string }
  | { error: string };

/**
 * A seeded UMAP of `size` test images in the embedding layer, run in a worker: yields progress,
 * then the map; a change of inputs (invalidation) terminates the worker.
 */
export async function* umapRun(
  ctx: ReportContext,
  final: FinalUnits,
  workerUrl: string,
  values: { neighbors: unknown; minDist: unknown; size: number },
  invalidation: Promise<unknown>,
): AsyncGenerator<UmapStep> {
  const neighbors = checkNumberInput(values.neighbors, { label: "n_neighbors", min: 2, max: 100, integer: true });
  const minDist = checkNumberInput(values.minDist, { label: "min_dist", min: 0, max: 1 });
  const problem = neighbors.error ?? minDist.error;
  if (problem !== null) return yield { error: problem };
  const { testSet } = ctx;
  const rows = sampleIndices(testSet.count, Math.min(values.size, testSet.count), mulberry32(17));
  const matrix = selectRows(final[embeddingLayer(ctx)].mean, rows);
  const params = { nNeighbors: neighbors.value!, minDist: minDist.value!, seed: 17 };
  const invalid = checkUmapParameters(params, matrix.rows);
  if (invalid) return yield { error: `UMAP: ${invalid}` };
  const labels = Uint8Array.from(rows, (i) => testSet.labels[i]);
  const key = `${params.nNeighbors}/${params.minDist}/${values.size}`;
  for await (const step of workerProgress<EmbeddingWorkerApi, { epoch: number; epochs: number }, { embedding: Float64Array; seconds: number }>(
    workerUrl,
    (api, onProgress) => api.umap(matrix, params, onProgress),
    invalidation,
  )) {
    if (step.state === "progress") yield { done: false, epoch: step.progress?.epoch ?? 0, epochs: step.progress?.epochs ?? 0 };
    else if (step.state === "done") yield { done: true, ...step.value, labels, key };
    else yield { error: step.error };
  }
}

export function umapFigure(ctx: ReportContext, step: UmapStep, size: number, { width }: { width: number }): Element {
  if ("error" in step) return cellError(step.error);
  if (!step.done) {
    const p = document.createElement("p");
    p.dataset.testid = "umap-progress";
    p.textContent = step.epochs
      ? `UMAP on ${count(size)} images: optimising, epoch ${step.epoch} of ${step.epochs}…`
      : `UMAP on ${count(size)} images: finding neighbours…`;
    return p;
  }
  const [neighbors, minDist] = step.key.split("/");
  const figure = embeddingScatter(
    {
      points: step.embedding,
      labels: step.labels,
      classNames: ctx.classNames,
      title: `UMAP of ${embeddingLayer(ctx)}: n_neighbors ${neighbors}, min_dist ${minDist}, ${count(size)} images (${step.seconds.toFixed(1)} s)`,
    },
    { width: Math.min(width, 640) },
  );
  figure.dataset.umapKey = step.key;
  return figure;
}

/** A seeded sample of the test set and the one-vs-rest labels of one class, for the subspace analyses. */
export interface SubspaceInputs {
  layer: string;
  classIndex: number;
  matrix: ActivationMatrix;
  labels: Uint8Array;
  /** All units, most selective for the class first. */
  ranked: number[];
}

export function subspaceInputs(ctx: ReportContext, final: FinalUnits, layer: string, classIndex: number, sampleSize = 1000): SubspaceInputs {
  const { testSet, classNames } = ctx;
  const rows = sampleIndices(testSet.count, Math.min(sampleSize, testSet.count), mulberry32(23));
  const units = final[layer].mean;
  const ranked = topUnitsPerClass(selectivity(units, testSet.labels, classNames.length), units.cols)[classIndex].units;
  return {
    layer,
    classIndex,
    matrix: selectRows(units, rows),
    labels: oneVsRest(
      Uint8Array.from(rows, (i) => testSet.labels[i]),
      classIndex,
    ),
    ranked,
  };
}

export type SilhouetteRows = Awaited<ReturnType<EmbeddingWorkerApi["silhouetteByK"]>>;

/** Silhouette against k for the top-k selective units and random k-subsets (in a worker, announced). */
export function silhouettesByK(inputs: SubspaceInputs, workerUrl: string, invalidation: Promise<unknown>): AsyncGenerator<Pending<SilhouetteRows>> {
  const subsets = inputs.matrix.cols * 6;
  return announce(
    `Computing silhouettes of about ${subsets} unit subsets of ${inputs.layer} on ${count(inputs.matrix.rows)} images…`,
    workerTask<EmbeddingWorkerApi, SilhouetteRows>(
      workerUrl,
      (api) => api.silhouetteByK(inputs.matrix, inputs.labels, inputs.ranked, { randomCount: 5, seed: 100 }),
      invalidation,
    ),
  );
}

export function silhouettesByKChart(rows: Pending<SilhouetteRows>, { width }: { width: number }): Element {
  return pendingView(rows) ?? silhouetteChart((rows as { value: SilhouetteRows }).value, { width });
}

const SUBSPACE_KINDS = ["top-k selective", "random k"];

/** The top-k selective units and one random k-subset: silhouettes, and UMAP maps of both (in a worker, announced). */
export async function* subspaceComparison(
  inputs: SubspaceInputs,
  k: unknown,
  workerUrl: string,
  invalidation: Promise<unknown>,
): AsyncGenerator<Pending<SubspaceResult[]>> {
  const units = inputs.matrix.cols;
  const checked = checkNumberInput(k, { label: "k", min: 1, max: units, integer: true });
  if (checked.error !== null) return yield { state: "error", error: `${checked.error} (${inputs.layer} has ${units} units.)` };
  const sets = [inputs.ranked.slice(0, checked.value), randomUnitSubsets(units, checked.value, 1, 7 + checked.value)[0]];
  yield* announce(
    `Comparing the ${checked.value} most selective units with ${checked.value} random ones: silhouettes and two UMAP maps of ${count(inputs.matrix.rows)} images…`,
    workerTask<EmbeddingWorkerApi, SubspaceResult[]>(
      workerUrl,
      (api) => api.subspaces(inputs.matrix, inputs.labels, sets, { nNeighbors: 15, minDist: 0.1, seed: 29 }),
      invalidation,
    ),
  );
}

export function subspaceFigure(ctx: ReportContext, inputs: SubspaceInputs, step: Pending<SubspaceResult[]>, { width }: { width: number }): Element {
  const waiting = pendingView(step);
  if (waiting) return waiting;
  const results = (step as { value: SubspaceResult[] }).value;
  const box = document.createElement("div");
  box.dataset.testid = "subspace";
  box.append(
    table(
      results.map((r, i) => ({
        kind: SUBSPACE_KINDS[i],
        units: r.units.join(", "),
        "silhouette (full subspace)": r.full.toFixed(3),
        "silhouette (after UMAP)": r.embedding ? r.umap.toFixed(3) : "needs k ≥ 2",
      })),
    ),
    row(
      results.flatMap((r, i) =>
        r.embedding
          ? [
              embeddingScatter(
                {
                  points: r.embedding,
                  labels: inputs.labels,
                  classNames: ["other classes", `class ${ctx.classNames[inputs.classIndex]}`],
                  title: `UMAP of ${SUBSPACE_KINDS[i]} units (${r.units.join(", ")})`,
                },
                { width: Math.min(width, 420), height: 320 },
              ),
            ]
          : [],
      ),
    ),
  );
  return box;
}
