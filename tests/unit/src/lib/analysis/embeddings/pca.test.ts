import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { covariance, pca } from "../../../../../../src/lib/analysis/embeddings/pca.js";
import { gaussian, mulberry32 } from "../../../../../../src/lib/random.js";

const close = (actual: number, expected: number, tol = 1e-5) => assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, found ${actual}`);

describe("pca", () => {
  test("points on a line: one component along the line, all the variance, projection = t - mean(t)", () => {
    const direction = [1 / 3, 2 / 3, 2 / 3];
    const offset = [5, -1, 2];
    const ts = [-2, -1, 0, 0.5, 1, 3.5];
    const rows = ts.length;
    const data = new Float32Array(rows * 3);
    ts.forEach((t, r) => direction.forEach((d, c) => (data[r * 3 + c] = offset[c] + t * d)));
    const result = pca({ rows, cols: 3, data }, 2);
    // Largest-magnitude entries tie (2/3, 2/3): the first is positive, so the direction keeps its sign.
    for (let c = 0; c < 3; c++) close(result.components[c], direction[c]);
    const tMean = ts.reduce((s, t) => s + t, 0) / rows;
    const tVariance = ts.reduce((s, t) => s + (t - tMean) ** 2, 0) / (rows - 1);
    close(result.explainedVariance[0], tVariance);
    close(result.explainedVarianceRatio[0], 1);
    close(result.explainedVariance[1], 0);
    for (let c = 0; c < 3; c++) close(result.mean[c], offset[c] + tMean * direction[c]);
    ts.forEach((t, r) => close(result.projection[r * 2], t - tMean));
  });

  test("2-D cross rotated by 30°: closed-form covariance R diag(6, 2/3) Rᵀ and eigenvectors R", () => {
    // (±3, 0) and (0, ±1) rotated by θ, shifted to (4, -2): Σ p pᵀ = R diag(18, 2) Rᵀ, over rows - 1 = 3.
    const [cos, sin] = [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)];
    const points = [
      [3, 0],
      [-3, 0],
      [0, 1],
      [0, -1],
    ].map(([a, b]) => [4 + a * cos - b * sin, -2 + a * sin + b * cos]);
    const result = pca({ rows: 4, cols: 2, data: Float32Array.from(points.flat()) }, 2);
    close(result.explainedVariance[0], 6);
    close(result.explainedVariance[1], 2 / 3);
    close(result.explainedVarianceRatio[0], 0.9);
    close(result.explainedVarianceRatio[1], 0.1);
    // Columns of R; the second, (-sin, cos), already has its largest entry positive.
    [cos, sin, -sin, cos].forEach((expected, i) => close(result.components[i], expected));
    [4, -2].forEach((expected, c) => close(result.mean[c], expected));
    [3, 0, -3, 0, 0, 1, 0, -1].forEach((expected, i) => close(result.projection[i], expected));
  });

  test("points on a plane in 4-D: two components spanning it, ordered by variance", () => {
    const u = [0.5, 0.5, 0.5, 0.5];
    const v = [0.5, -0.5, 0.5, -0.5];
    const random = mulberry32(3);
    const rows = 200;
    const data = new Float32Array(rows * 4);
    for (let r = 0; r < rows; r++) {
      const a = 3 * gaussian(random); // wider along u
      const b = gaussian(random);
      for (let c = 0; c < 4; c++) data[r * 4 + c] = 1 + a * u[c] + b * v[c];
    }
    const result = pca({ rows, cols: 4, data }, 3);
    assert.ok(result.explainedVariance[0] > result.explainedVariance[1]);
    close(result.explainedVarianceRatio[0] + result.explainedVarianceRatio[1], 1);
    close(result.explainedVariance[2], 0, 1e-5);
    // Each of the first two components lies in span(u, v); the first is ±u up to sampling.
    for (let k = 0; k < 2; k++) {
      const comp = Array.from(result.components.subarray(k * 4, k * 4 + 4));
      const cu = comp.reduce((s, x, i) => s + x * u[i], 0);
      const cv = comp.reduce((s, x, i) => s + x * v[i], 0);
      close(cu * cu + cv * cv, 1);
    }
    const first = Array.from(result.components.subarray(0, 4));
    assert.ok(Math.abs(first.reduce((s, x, i) => s + x * u[i], 0)) > 0.99);
    // Projections reproduce the centred data exactly from the two components.
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < 4; c++) {
        const rebuilt = result.mean[c] + result.projection[r * 3] * result.components[c] + result.projection[r * 3 + 1] * result.components[4 + c];
        close(rebuilt, data[r * 4 + c], 1e-4);
      }
    }
  });

  test("constant units are left out: zero weight, and only filler components beyond the varying ones", () => {
    // Unit 0 varies (1, 3, 5), unit 1 is stuck at 2, unit 2 at 0 (dead).
    const m = { rows: 3, cols: 3, data: Float32Array.of(1, 2, 0, 3, 2, 0, 5, 2, 0) };
    const result = pca(m, 3);
    assert.deepEqual(Array.from(result.components), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    assert.deepEqual(Array.from(result.explainedVariance), [4, 0, 0]);
    assert.deepEqual(Array.from(result.explainedVarianceRatio), [1, 0, 0]);
    assert.deepEqual(Array.from(result.projection), [-2, 0, 0, 0, 0, 0, 2, 0, 0]);
  });

  test("bad k or too few rows are rejected", () => {
    const m = { rows: 3, cols: 2, data: new Float32Array(6) };
    assert.throws(() => pca(m, 3), /k: expected an integer in \[1, 2\].*found 3/);
    assert.throws(() => pca(m, 0), /found 0/);
    assert.throws(() => pca({ rows: 1, cols: 2, data: new Float32Array(2) }, 1), /at least 2 examples/);
  });
});

describe("covariance", () => {
  /** Two-pass definition, one entry at a time. */
  function naive(data: Float32Array, rows: number, cols: number): Float64Array {
    const mean = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += data[r * cols + c] / rows;
    const out = new Float64Array(cols * cols);
    for (let a = 0; a < cols; a++)
      for (let b = 0; b < cols; b++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += (data[r * cols + a] - mean[a]) * (data[r * cols + b] - mean[b]);
        out[a * cols + b] = s / (rows - 1);
      }
    return out;
  }

  // Dense data takes the tiled path, mostly-zero data the sparse path; 7 columns exercise the
  // padding of the 4 × 4 tiles and 600 rows the row blocks.
  for (const [name, density] of [
    ["dense", 1],
    ["sparse", 0.1],
  ] as const) {
    test(`${name} data matches the two-pass definition`, () => {
      const random = mulberry32(21);
      const rows = 600;
      const cols = 7;
      const data = new Float32Array(rows * cols).map(() => (random() < density ? 2 + gaussian(random) : 0));
      const expected = naive(data, rows, cols);
      const actual = covariance({ rows, cols, data });
      for (let i = 0; i < expected.length; i++) close(actual[i], expected[i], 1e-12);
    });
  }

  test("a hand-computed 2 × 2 case", () => {
    // x = 1, 2, 3; y = 2, 4, 7: var x = 1, var y = 6.333…, cov = 2.5
    const c = covariance({ rows: 3, cols: 2, data: Float32Array.of(1, 2, 2, 4, 3, 7) });
    assert.deepEqual(
      Array.from(c).map((v) => Math.round(v * 1e9) / 1e9),
      [1, 2.5, 2.5, 6.333333333],
    );
  });
});
