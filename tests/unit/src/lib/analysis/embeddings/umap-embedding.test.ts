import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { UMAP } from "umap-js";
import { checkUmapParameters, umapToEnd } from "../../../../../../src/lib/analysis/embeddings/umap-embedding.js";
import { silhouetteScore } from "../../../../../../src/lib/analysis/embeddings/silhouette.js";
import { gaussian, mulberry32 } from "../../../../../../src/lib/random.js";

// Two tight clusters in 5-D, far apart.
function clusters(n: number) {
  const random = mulberry32(3);
  const data = new Float32Array(n * 5);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    for (let d = 0; d < 5; d++) data[i * 5 + d] = labels[i] * 10 + 0.3 * gaussian(random);
  }
  return { m: { rows: n, cols: 5, data }, labels };
}

describe("umapEmbedding", () => {
  test("is deterministic for a seed and keeps separated clusters apart", async () => {
    const { m, labels } = clusters(120);
    const a = await umapToEnd(UMAP, m, { nNeighbors: 10, minDist: 0.1, seed: 4 });
    const b = await umapToEnd(UMAP, m, { nNeighbors: 10, minDist: 0.1, seed: 4 });
    assert.equal(a.embedding.length, 240);
    assert.deepEqual(a.embedding, b.embedding);
    assert.ok(silhouetteScore(a.embedding, 120, 2, labels) > 0.7);
  });

  test("rejects parameters that make no sense with a message", async () => {
    assert.match(checkUmapParameters({ nNeighbors: 1, minDist: 0.1, seed: 1 }, 100) ?? "", /n_neighbors must be an integer of at least 2/);
    assert.match(checkUmapParameters({ nNeighbors: 200, minDist: 0.1, seed: 1 }, 100) ?? "", /smaller than the number of points/);
    assert.match(checkUmapParameters({ nNeighbors: 5, minDist: 2, seed: 1 }, 100) ?? "", /min_dist must be between 0 and 1/);
    const { m } = clusters(10);
    await assert.rejects(umapToEnd(UMAP, m, { nNeighbors: 50, minDist: 0.1, seed: 1 }), /UMAP: n_neighbors \(50\)/);
  });
});
