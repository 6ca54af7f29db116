// k-means (Lloyd's iterations from a seeded k-means++ start), for the probes' control task: each
// cluster of the training images gets a fixed random digit (Hewitt and Liang's control tasks give
// each word type a random label; here a cluster of similar images plays the word type).
import type { ActivationMatrix } from "../analysis/types.js";
import { mulberry32, type Random } from "../random.js";
import { describeValue } from "../validate-input.js";

export interface KMeansResult {
  /** [k × cols] */
  centroids: Float64Array;
  assignments: Int32Array;
  iterations: number;
  /** Σ of squared distances to the assigned centroids. */
  inertia: number;
}

function squaredNorms(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += data[r * cols + c] ** 2;
    norms[r] = sum;
  }
  return norms;
}

/** The nearest centroid of each row (the lowest index on a tie) and the squared distance to it. */
function nearest(centroids: Float64Array, k: number, x: ActivationMatrix, rowNorms: Float64Array): { assignments: Int32Array; distances: Float64Array } {
  const { rows, cols, data } = x;
  const centroidNorms = squaredNorms(centroids, k, cols);
  const assignments = new Int32Array(rows);
  const distances = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestDistance = Infinity;
    for (let j = 0; j < k; j++) {
      let product = 0;
      for (let c = 0; c < cols; c++) product += data[r * cols + c] * centroids[j * cols + c];
      // ‖x − c‖² = ‖x‖² − 2x·c + ‖c‖²: one dot product per pair.
      const distance = rowNorms[r] - 2 * product + centroidNorms[j];
      if (distance < bestDistance) [best, bestDistance] = [j, distance];
    }
    assignments[r] = best;
    distances[r] = Math.max(0, bestDistance);
  }
  return { assignments, distances };
}

/** k-means++: each next centroid is a row drawn with probability proportional to its squared distance to the nearest one so far. */
function seedCentroids(x: ActivationMatrix, k: number, random: Random, rowNorms: Float64Array): Float64Array {
  const { rows, cols, data } = x;
  const centroids = new Float64Array(k * cols);
  const distances = new Float64Array(rows).fill(Infinity);
  let pick = Math.floor(random() * rows);
  for (let j = 0; j < k; j++) {
    centroids.set(data.subarray(pick * cols, (pick + 1) * cols), j * cols);
    // Only the new centroid's distances are computed: the nearest-so-far is kept per row.
    const latest = centroids.subarray(j * cols, (j + 1) * cols);
    const latestNorm = latest.reduce((sum, v) => sum + v * v, 0);
    let total = 0;
    for (let r = 0; r < rows; r++) {
      let product = 0;
      for (let c = 0; c < cols; c++) product += data[r * cols + c] * latest[c];
      distances[r] = Math.min(distances[r], Math.max(0, rowNorms[r] - 2 * product + latestNorm));
      total += distances[r];
    }
    if (total > 0) {
      let target = random() * total;
      pick = rows - 1;
      for (let r = 0; r < rows; r++) {
        target -= distances[r];
        if (target < 0) {
          pick = r;
          break;
        }
      }
    } else pick = Math.floor(random() * rows);
  }
  return centroids;
}

export function kMeans(x: ActivationMatrix, k: number, options: { seed: number; maxIterations: number }): KMeansResult {
  const { rows, cols, data } = x;
  if (!Number.isInteger(k) || k < 1 || k > rows)
    throw new Error(`k-means: k must be a whole number from 1 to the number of rows (${rows}), found ${describeValue(k)}`);
  const rowNorms = squaredNorms(data, rows, cols);
  const centroids = seedCentroids(x, k, mulberry32(options.seed), rowNorms);
  let { assignments, distances } = nearest(centroids, k, x, rowNorms);
  let iterations = 0;
  while (iterations < options.maxIterations) {
    iterations++;
    const sums = new Float64Array(k * cols);
    const counts = new Int32Array(k);
    for (let r = 0; r < rows; r++) {
      const j = assignments[r];
      counts[j]++;
      for (let c = 0; c < cols; c++) sums[j * cols + c] += data[r * cols + c];
    }
    // An empty cluster keeps its centroid.
    for (let j = 0; j < k; j++) if (counts[j] > 0) for (let c = 0; c < cols; c++) centroids[j * cols + c] = sums[j * cols + c] / counts[j];
    const next = nearest(centroids, k, x, rowNorms);
    const changed = next.assignments.some((a, r) => a !== assignments[r]);
    ({ assignments, distances } = next);
    if (!changed) break;
  }
  return { centroids, assignments, iterations, inertia: distances.reduce((a, b) => a + b, 0) };
}

export function nearestCentroid(centroids: Float64Array, k: number, x: ActivationMatrix): Int32Array {
  if (centroids.length !== k * x.cols)
    throw new Error(`nearestCentroid: expected ${k} centroids of ${x.cols} values (${k * x.cols}), found ${centroids.length} values`);
  return nearest(centroids, k, x, squaredNorms(x.data, x.rows, x.cols)).assignments;
}

/** Each cluster a seeded uniform label in [0, classes); each row its cluster's label. */
export function controlLabels(assignments: Int32Array, k: number, classes: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  const clusterLabels = Array.from({ length: k }, () => Math.floor(random() * classes));
  return Uint8Array.from(assignments, (cluster) => {
    if (cluster < 0 || cluster >= k) throw new Error(`controlLabels: cluster ${cluster} is not one of the ${k} clusters`);
    return clusterLabels[cluster];
  });
}
