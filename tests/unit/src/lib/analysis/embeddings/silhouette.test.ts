import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { silhouetteScore } from "../../../../../../src/lib/analysis/embeddings/silhouette.js";
import { mulberry32 } from "../../../../../../src/lib/random.js";

const close = (actual: number, expected: number, tol = 1e-12) => assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, found ${actual}`);

/** Straight from the definition, one point at a time. */
function reference(points: Float64Array, rows: number, dims: number, labels: number[]): number {
  const dist = (i: number, j: number) => {
    let s = 0;
    for (let d = 0; d < dims; d++) s += (points[i * dims + d] - points[j * dims + d]) ** 2;
    return Math.sqrt(s);
  };
  const clusters = [...new Set(labels)];
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const mean = (c: number) => {
      const members = labels.map((l, j) => (l === c && j !== i ? j : -1)).filter((j) => j >= 0);
      return members.reduce((s, j) => s + dist(i, j), 0) / members.length;
    };
    if (labels.filter((l) => l === labels[i]).length === 1) continue;
    const a = mean(labels[i]);
    const b = Math.min(...clusters.filter((c) => c !== labels[i]).map(mean));
    total += (b - a) / Math.max(a, b);
  }
  return total / rows;
}

describe("silhouetteScore", () => {
  test("four points on a line, two clusters (hand-computed: 94/126)", () => {
    // 0, 1 | 4, 5: s = 3.5/4.5, 2.5/3.5, 2.5/3.5, 3.5/4.5
    close(silhouetteScore(Float64Array.of(0, 1, 4, 5), 4, 1, [7, 7, 3, 3]), 94 / 126);
  });

  test("three clusters with a singleton (which counts as s = 0)", () => {
    // A = {0, 2}, B = {10}, C = {11, 13}: s = 0.8, 0.75, 0, -0.5, 1/3
    const score = silhouetteScore(Float32Array.of(0, 2, 10, 11, 13), 5, 1, [0, 0, 1, 2, 2]);
    close(score, (0.8 + 0.75 + 0 - 0.5 + 1 / 3) / 5, 1e-12);
  });

  test("agrees with a direct implementation on random 3-D points", () => {
    const random = mulberry32(5);
    const rows = 30;
    const points = new Float64Array(rows * 3).map(() => random());
    const labels = Array.from({ length: rows }, (_, i) => i % 4);
    close(silhouetteScore(points, rows, 3, labels), reference(points, rows, 3, labels), 1e-12);
  });

  test("bad input is rejected", () => {
    assert.throws(() => silhouetteScore(new Float64Array(4), 2, 2, [1, 1]), /at least 2 distinct clusters, found 1/);
    assert.throws(() => silhouetteScore(new Float64Array(3), 2, 2, [0, 1]), /expected rows × dims = 2 × 2 = 4 values, found 3/);
    assert.throws(() => silhouetteScore(new Float64Array(4), 2, 2, [0]), /one label per point \(2\), found 1/);
  });
});
