import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  conditionalProbabilities,
  jointProbabilities,
  klDivergence,
  klGradient,
  rowEntropy,
  tsne,
} from "../../../../../../src/lib/analysis/embeddings/tsne.js";
import { silhouetteScore } from "../../../../../../src/lib/analysis/embeddings/silhouette.js";
import { gaussian, mulberry32 } from "../../../../../../src/lib/random.js";
import type { ActivationMatrix } from "../../../../../../src/lib/analysis/types.js";

function randomMatrix(rows: number, cols: number, seed: number): ActivationMatrix {
  const random = mulberry32(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = gaussian(random);
  return { rows, cols, data };
}

/** Two Gaussian blobs (std 1) whose centres are 20 apart in 10-D; labels 0 then 1. */
function twoClusters(perCluster: number, seed: number): { m: ActivationMatrix; labels: number[] } {
  const cols = 10;
  const m = randomMatrix(2 * perCluster, cols, seed);
  const labels: number[] = [];
  for (let r = 0; r < 2 * perCluster; r++) {
    const label = r < perCluster ? 0 : 1;
    labels.push(label);
    if (label === 1) for (let c = 0; c < cols; c++) m.data[r * cols + c] += 20 / Math.sqrt(cols);
  }
  return { m, labels };
}

describe("perplexity calibration", () => {
  test("every conditional row has entropy log(perplexity) and sums to 1", () => {
    const m = randomMatrix(60, 5, 4);
    const n = m.rows;
    for (const perplexity of [5, 20]) {
      const { p } = conditionalProbabilities(m, perplexity);
      for (let i = 0; i < n; i++) {
        const h = rowEntropy(p, n, i);
        assert.ok(Math.abs(h - Math.log(perplexity)) < 1e-3, `row ${i}: entropy ${h}, expected ${Math.log(perplexity)}`);
        let sum = 0;
        for (let j = 0; j < n; j++) sum += p[i * n + j];
        assert.ok(Math.abs(sum - 1) < 1e-12);
        assert.equal(p[i * n + i], 0);
      }
    }
  });

  test("the joint P is symmetric and sums to 1", () => {
    const m = randomMatrix(30, 3, 9);
    const n = m.rows;
    const p = jointProbabilities(m, 8);
    let sum = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        assert.equal(p[i * n + j], p[j * n + i]);
        sum += p[i * n + j];
      }
    assert.ok(Math.abs(sum - 1) < 1e-9, `sum ${sum}`);
  });

  test("a perplexity not below the number of examples is rejected", () => {
    assert.throws(() => conditionalProbabilities(randomMatrix(10, 2, 1), 10), /perplexity: expected a number in \[1, 10\).*found 10/);
  });
});

describe("tsne", () => {
  test("the analytic gradient matches finite differences of KL", () => {
    const m = randomMatrix(12, 3, 2);
    const n = m.rows;
    const p = jointProbabilities(m, 4);
    const random = mulberry32(8);
    const y = new Float64Array(2 * n);
    for (let i = 0; i < y.length; i++) y[i] = gaussian(random);
    const gradient = klGradient(p, y, n);
    const h = 1e-6;
    for (let k = 0; k < 2 * n; k++) {
      const plus = Float64Array.from(y);
      const minus = Float64Array.from(y);
      plus[k] += h;
      minus[k] -= h;
      const numeric = (klDivergence(p, plus, n) - klDivergence(p, minus, n)) / (2 * h);
      assert.ok(Math.abs(numeric - gradient[k]) < 1e-6, `coordinate ${k}: numeric ${numeric}, analytic ${gradient[k]}`);
    }
  });

  test("same seed gives identical output; another seed does not", () => {
    const m = randomMatrix(40, 4, 6);
    const options = { perplexity: 8, iterations: 120 };
    const a = tsne(m, { ...options, seed: 3 });
    const b = tsne(m, { ...options, seed: 3 });
    const c = tsne(m, { ...options, seed: 4 });
    assert.deepEqual(a.embedding, b.embedding);
    assert.equal(a.kl, b.kl);
    assert.notDeepEqual(a.embedding, c.embedding);
  });

  test("two well-separated clusters end up separated (silhouette > 0.8) and KL drops", () => {
    const { m, labels } = twoClusters(40, 12);
    const progress: number[] = [];
    // Default schedule (1000 iterations, learning rate 200).
    const result = tsne(m, { perplexity: 10, progressEvery: 200, onProgress: ({ iteration }) => progress.push(iteration) });
    assert.equal(result.embedding.length, 2 * m.rows);
    const score = silhouetteScore(result.embedding, m.rows, 2, labels);
    assert.ok(score > 0.8, `silhouette ${score}`);
    const start = tsne(m, { perplexity: 10, iterations: 0 });
    assert.ok(result.kl < start.kl / 2, `KL ${result.kl} vs ${start.kl} at the start`);
    assert.deepEqual(progress, [200, 400, 600, 800, 1000]);
  });

  // Early exaggeration makes t-SNE chaotic: a float64 rounding difference grows about tenfold every
  // two iterations (measured: 4e-16 after 1, 5e-11 after 10, order 1 after 30), so the two paths
  // are held together over the first iterations and, after that, to the same quality.
  test("on the SIMD kernel (tsneGradient): the same map to float64 rounding for 10 iterations, then an equally good one", async () => {
    const { kernelModule } = await import("../../../../../../data-loaders/training/kernels/build-kernels.js");
    const kernels = await kernelModule();
    // 51 rows: odd, so the kernel's scalar tail runs for every other row.
    const { m, labels } = twoClusters(25, 3);
    const odd = { ...m, rows: 51, data: Float32Array.from([...m.data, ...m.data.subarray(0, 10)]) };
    for (const iterations of [1, 10]) {
      const [plain, fused] = [tsne(odd, { perplexity: 10, iterations }), tsne(odd, { perplexity: 10, iterations, kernels })];
      const scale = Math.max(...plain.embedding.map(Math.abs));
      plain.embedding.forEach((v, i) =>
        assert.ok(Math.abs(v - fused.embedding[i]) <= 1e-8 * scale, `after ${iterations}: coordinate ${i}: ${v} vs ${fused.embedding[i]}`),
      );
    }
    const result = tsne(odd, { perplexity: 10, iterations: 1000, kernels });
    const start = tsne(odd, { perplexity: 10, iterations: 0 });
    assert.ok(result.kl < start.kl / 2, `KL ${result.kl} vs ${start.kl} at the start`);
    const silhouette = silhouetteScore(result.embedding, 51, 2, [...labels, labels[0]]);
    assert.ok(silhouette > 0.8, `silhouette ${silhouette}`);
  });
});
