import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { controlLabels, kMeans, nearestCentroid } from "../../../../../src/lib/probes/kmeans.js";

describe("k-means and the control labels", () => {
  test("two obvious clusters are found exactly; nearestCentroid agrees on the training rows", () => {
    const data = Float32Array.of(0, 0, 0.1, 0, 0, 0.1, 10, 10, 10.1, 10, 10, 10.1);
    const x = { rows: 6, cols: 2, data };
    const { assignments, centroids, inertia } = kMeans(x, 2, { seed: 1, maxIterations: 20 });
    assert.equal(new Set(assignments.slice(0, 3)).size, 1);
    assert.equal(new Set(assignments.slice(3)).size, 1);
    assert.notEqual(assignments[0], assignments[3]);
    const low = assignments[0];
    assert.ok(Math.abs(centroids[low * 2] - 0.1 / 3) < 1e-6 && Math.abs(centroids[low * 2 + 1] - 0.1 / 3) < 1e-6);
    // Each cluster's squared distances to its centroid (1/30, 1/30): 2/900 + 5/900 + 5/900 = 12/900.
    assert.ok(Math.abs(inertia - 2 * (12 / 900)) < 1e-6, `inertia ${inertia}`);
    assert.deepEqual(nearestCentroid(centroids, 2, x), assignments);
    assert.throws(() => kMeans(x, 7, { seed: 1, maxIterations: 5 }), /k must be a whole number from 1 to the number of rows \(6\), found 7/);
  });

  test("control labels: one label per cluster, in range, the same for the same seed", () => {
    const assignments = Int32Array.from({ length: 200 }, (_, i) => i % 20);
    const labels = controlLabels(assignments, 20, 10, 5);
    assert.deepEqual(controlLabels(assignments, 20, 10, 5), labels);
    for (let i = 0; i < 200; i++) {
      assert.ok(labels[i] < 10);
      assert.equal(labels[i], labels[i % 20]);
    }
    assert.ok(new Set(labels).size > 3, "20 clusters draw more than 3 different digits");
  });
});
