// Silhouette score: how well a labelling separates points (e.g. digit classes in a t-SNE map).

/**
 * Mean silhouette over all points, with Euclidean distances. For point i in cluster A:
 * a = mean distance to the other points of A, b = the smallest mean distance to the points of
 * another cluster, s = (b - a) / max(a, b) (0 when both are 0). A point alone in its cluster
 * gets s = 0 (the usual convention, as in scikit-learn). Labels may be any integers; at least
 * two distinct clusters are required. `points` is rows × dims, row-major.
 */
export function silhouetteScore(points: Float64Array | Float32Array, rows: number, dims: number, labels: ArrayLike<number>): number {
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`silhouetteScore rows: expected a positive integer, found ${rows}`);
  if (!Number.isInteger(dims) || dims < 1) throw new Error(`silhouetteScore dims: expected a positive integer, found ${dims}`);
  if (points.length !== rows * dims) {
    throw new Error(`silhouetteScore points: expected rows × dims = ${rows} × ${dims} = ${rows * dims} values, found ${points.length}`);
  }
  if (labels.length !== rows) {
    throw new Error(`silhouetteScore labels: expected one label per point (${rows}), found ${labels.length}`);
  }
  // Compact cluster ids 0..k-1 so per-point sums fit a rows × k table.
  const ids = new Map<number, number>();
  const cluster = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) {
    const label = labels[i];
    if (!Number.isInteger(label)) throw new Error(`silhouetteScore labels[${i}]: expected an integer, found ${label}`);
    let id = ids.get(label);
    if (id === undefined) {
      id = ids.size;
      ids.set(label, id);
    }
    cluster[i] = id;
  }
  const k = ids.size;
  if (k < 2) throw new Error(`silhouetteScore labels: expected at least 2 distinct clusters, found ${k}`);
  const sizes = new Uint32Array(k);
  for (let i = 0; i < rows; i++) sizes[cluster[i]]++;

  // distanceSums[i * k + c] = Σ distance from point i to the points of cluster c.
  const distanceSums = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const oi = i * dims;
    const ci = cluster[i];
    for (let j = i + 1; j < rows; j++) {
      const oj = j * dims;
      let s = 0;
      for (let d = 0; d < dims; d++) {
        const diff = points[oi + d] - points[oj + d];
        s += diff * diff;
      }
      const dist = Math.sqrt(s);
      distanceSums[i * k + cluster[j]] += dist;
      distanceSums[j * k + ci] += dist;
    }
  }

  let total = 0;
  for (let i = 0; i < rows; i++) {
    const own = cluster[i];
    if (sizes[own] === 1) continue; // s = 0
    const a = distanceSums[i * k + own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) {
      if (c === own) continue;
      const mean = distanceSums[i * k + c] / sizes[c];
      if (mean < b) b = mean;
    }
    const denominator = Math.max(a, b);
    total += denominator > 0 ? (b - a) / denominator : 0;
  }
  return total / rows;
}
