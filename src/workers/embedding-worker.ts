// A Web Worker for the embedding and separation analyses that take seconds (UMAP, silhouettes of
// many unit subsets), so the page stays responsive while they run. Pages start it through
// src/runtime/worker-task.ts, one worker per run, and terminate it when the inputs change.
import * as Comlink from "comlink";
import { UMAP } from "../vendor/umap.js";
import { umapEmbedding, type UmapParameters } from "../lib/analysis/embeddings/umap-embedding.js";
import { silhouetteByK } from "../lib/analysis/embeddings/subspace-separation.js";
import { selectColumns } from "../lib/analysis/embeddings/embedding-subsets.js";
import { silhouetteScore } from "../lib/analysis/embeddings/silhouette.js";
import type { ActivationMatrix } from "../lib/analysis/types.js";

export interface SubspaceResult {
  units: number[];
  /** Silhouette of the two labels in the units' own subspace. */
  full: number;
  /** The UMAP map of the subspace (rows × 2), or null for a single unit. */
  embedding: Float64Array | null;
  /** Silhouette in the UMAP map (NaN without one). */
  umap: number;
}

const api = {
  async umap(
    m: ActivationMatrix,
    params: UmapParameters,
    onProgress?: (progress: { epoch: number; epochs: number }) => void,
  ): Promise<{ embedding: Float64Array; seconds: number }> {
    for await (const step of umapEmbedding(UMAP, m, params, 10)) {
      if (step.done) return { embedding: step.embedding, seconds: step.seconds };
      onProgress?.({ epoch: step.epoch, epochs: step.epochs });
    }
    throw new Error("UMAP finished without an embedding");
  },

  silhouetteByK(m: ActivationMatrix, binaryLabels: Uint8Array, ranked: number[], options: { randomCount: number; seed: number }) {
    return silhouetteByK(m, binaryLabels, ranked, options);
  },

  /** For each unit set: the silhouette of the labels in its subspace, and after a UMAP of it. */
  async subspaces(m: ActivationMatrix, binaryLabels: Uint8Array, unitSets: number[][], params: UmapParameters): Promise<SubspaceResult[]> {
    const results: SubspaceResult[] = [];
    for (const units of unitSets) {
      const sub = selectColumns(m, units);
      const full = silhouetteScore(sub.data, sub.rows, sub.cols, binaryLabels);
      // UMAP of a one-dimensional subspace is not meaningful; it needs at least two units.
      const embedding = sub.cols >= 2 ? (await api.umap(sub, params)).embedding : null;
      results.push({ units, full, embedding, umap: embedding ? silhouetteScore(embedding, sub.rows, 2, binaryLabels) : NaN });
    }
    return results;
  },
};

export type EmbeddingWorkerApi = typeof api;

Comlink.expose(api);
