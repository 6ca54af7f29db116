// UMAP of an activation matrix with umap-js, stepped by hand so a page can show progress and
// stay responsive. The UMAP class is passed in (the browser gets it from the vendor bundle,
// Node from node_modules), and its randomness is seeded.
import type { UMAP } from "umap-js";
import type { ActivationMatrix } from "../types.js";
import { mulberry32 } from "../../random.js";
import { assertActivationMatrix } from "../validate.js";

export interface UmapParameters {
  nNeighbors: number;
  minDist: number;
  seed: number;
}

export type UmapProgress = { done: false; epoch: number; epochs: number } | { done: true; embedding: Float64Array /* rows × 2 */; seconds: number };

export function checkUmapParameters(p: UmapParameters, rows: number): string | null {
  if (!Number.isInteger(p.nNeighbors) || p.nNeighbors < 2) return `n_neighbors must be an integer of at least 2, found ${p.nNeighbors}`;
  if (p.nNeighbors >= rows) return `n_neighbors (${p.nNeighbors}) must be smaller than the number of points (${rows})`;
  if (!(p.minDist >= 0 && p.minDist <= 1)) return `min_dist must be between 0 and 1, found ${p.minDist}`;
  return null;
}

/** Yields progress (and lets the page handle input) every `every` optimisation epochs, then the embedding. */
export async function* umapEmbedding(UMAPClass: typeof UMAP, m: ActivationMatrix, params: UmapParameters, every = 10): AsyncGenerator<UmapProgress> {
  assertActivationMatrix(m);
  const problem = checkUmapParameters(params, m.rows);
  if (problem) throw new Error(`UMAP: ${problem}`);
  const started = performance.now();
  const data: number[][] = [];
  for (let r = 0; r < m.rows; r++) data.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  const umap = new UMAPClass({ nComponents: 2, nNeighbors: params.nNeighbors, minDist: params.minDist, random: mulberry32(params.seed) });
  const epochs = umap.initializeFit(data);
  for (let epoch = 0; epoch < epochs; epoch++) {
    umap.step();
    if (epoch % every === 0) {
      yield { done: false, epoch, epochs };
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  const embedding = Float64Array.from(umap.getEmbedding().flat());
  yield { done: true, embedding, seconds: (performance.now() - started) / 1000 };
}

/** Runs the generator to the end and returns the embedding (for Node and tests). */
export async function umapToEnd(UMAPClass: typeof UMAP, m: ActivationMatrix, params: UmapParameters): Promise<{ embedding: Float64Array; seconds: number }> {
  for await (const progress of umapEmbedding(UMAPClass, m, params)) if (progress.done) return progress;
  throw new Error("UMAP: finished without an embedding");
}
