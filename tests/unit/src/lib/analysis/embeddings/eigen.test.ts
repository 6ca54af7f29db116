import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { symmetricEigen } from "../../../../../../src/lib/analysis/embeddings/eigen.js";
import { gaussian, mulberry32 } from "../../../../../../src/lib/random.js";

const close = (actual: number, expected: number, tol = 1e-12) => assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, found ${actual}`);

function randomSymmetric(n: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = gaussian(random);
  }
  return a;
}

/** max |A v - λ v| over the returned pairs and max |VᵀV - I|. */
function checkDecomposition(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array) {
  let residual = 0;
  let orthogonality = 0;
  for (let k = 0; k < values.length; k++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * vectors[k * n + j];
      residual = Math.max(residual, Math.abs(s - values[k] * vectors[k * n + i]));
    }
    for (let l = k; l < values.length; l++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += vectors[k * n + j] * vectors[l * n + j];
      orthogonality = Math.max(orthogonality, Math.abs(dot - (k === l ? 1 : 0)));
    }
  }
  return { residual, orthogonality };
}

describe("symmetricEigen", () => {
  test("2 × 2 closed form", () => {
    // [[a, b], [b, c]]: λ = (a + c)/2 ± sqrt(((a - c)/2)² + b²); eigenvector (b, λ - a).
    const [a, b, c] = [2, 1, 3];
    const { values, vectors } = symmetricEigen(Float64Array.of(a, b, b, c), 2);
    const root = Math.sqrt(((a - c) / 2) ** 2 + b * b);
    close(values[0], (a + c) / 2 + root);
    close(values[1], (a + c) / 2 - root);
    const v0 = [b, values[0] - a];
    const norm = Math.hypot(v0[0], v0[1]);
    close(vectors[0], v0[0] / norm);
    close(vectors[1], v0[1] / norm);
    // Second vector: orthogonal, largest-magnitude entry positive.
    close(vectors[2], v0[1] / norm);
    close(vectors[3], -v0[0] / norm);
  });

  test("3 × 3 second-difference matrix: λ = 2 - √2 cos(kπ/4) with known vectors", () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, -1, 0, -1, 2, -1, 0, -1, 2), 3);
    const r = Math.SQRT2;
    close(values[0], 2 + r);
    close(values[1], 2);
    close(values[2], 2 - r);
    const expected = [
      [-1 / 2, r / 2, -1 / 2], // (1, -√2, 1)/2, flipped so that the largest |entry| is positive
      [1 / r, 0, -1 / r], // tie between ±1/√2: the first one is made positive
      [1 / 2, r / 2, 1 / 2],
    ];
    for (let k = 0; k < 3; k++) for (let i = 0; i < 3; i++) close(vectors[k * 3 + i], expected[k][i], 1e-12);
  });

  test("a repeated eigenvalue (J + 2I: 5, 2, 2) gets an orthonormal eigenbasis", () => {
    const a = Float64Array.of(3, 1, 1, 1, 3, 1, 1, 1, 3);
    const { values, vectors } = symmetricEigen(a, 3);
    close(values[0], 5);
    close(values[1], 2);
    close(values[2], 2);
    for (let i = 0; i < 3; i++) close(vectors[i], 1 / Math.sqrt(3));
    const { residual, orthogonality } = checkDecomposition(a, 3, values, vectors);
    assert.ok(residual < 1e-12, `residual ${residual}`);
    assert.ok(orthogonality < 1e-12, `orthogonality ${orthogonality}`);
  });

  test("random 40 × 40: A v = λ v, orthonormal, eigenvalues sum to the trace", () => {
    const n = 40;
    const a = randomSymmetric(n, 11);
    const { values, vectors } = symmetricEigen(a, n);
    const { residual, orthogonality } = checkDecomposition(a, n, values, vectors);
    assert.ok(residual < 1e-11, `residual ${residual}`);
    assert.ok(orthogonality < 1e-12, `orthogonality ${orthogonality}`);
    let trace = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      trace += a[i * n + i];
      sum += values[i];
      if (i > 0) assert.ok(values[i] <= values[i - 1], "values must be sorted descending");
    }
    close(sum, trace, 1e-10);
  });

  test("count returns only the largest eigenpairs, the same as the full solve", () => {
    const n = 25;
    const a = randomSymmetric(n, 5);
    const all = symmetricEigen(a, n);
    const top = symmetricEigen(a, n, 3);
    assert.equal(top.values.length, 3);
    assert.equal(top.vectors.length, 3 * n);
    for (let i = 0; i < 3; i++) close(top.values[i], all.values[i]);
    for (let i = 0; i < 3 * n; i++) close(top.vectors[i], all.vectors[i], 1e-10);
  });

  test("rank one u uᵀ: one eigenvalue |u|², the rest zero (a large cluster)", () => {
    const n = 30;
    const u = Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = u[i] * u[j];
    const squared = u.reduce((s, x) => s + x * x, 0);
    const { values, vectors } = symmetricEigen(a, n);
    close(values[0], squared, 1e-12);
    for (let i = 1; i < n; i++) close(values[i], 0, 1e-13);
    const sign = Math.sign(u[u.map(Math.abs).indexOf(Math.max(...u.map(Math.abs)))]);
    for (let i = 0; i < n; i++) close(vectors[i], (sign * u[i]) / Math.sqrt(squared), 1e-12);
    const { residual, orthogonality } = checkDecomposition(a, n, values, vectors);
    assert.ok(residual < 1e-12 && orthogonality < 1e-12, `residual ${residual}, orthogonality ${orthogonality}`);
  });

  test("top eigenpairs taken from inside a tight cluster stay accurate and orthogonal", () => {
    // A = Q diag(λ) Qᵀ with a random orthogonal Q; λ has a cluster 1 ± 1e-9 cut by count = 3.
    const n = 12;
    const q = symmetricEigen(randomSymmetric(n, 17), n).vectors;
    const lambda = [10, 1 + 1e-9, 1, 1 - 1e-9, 1 - 2e-9, 0.5, 0.4, 0.3, 0.2, 0.1, 0, -1];
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += q[k * n + i] * lambda[k] * q[k * n + j];
        a[i * n + j] = s;
      }
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[j * n + i] = a[i * n + j];
    const { values, vectors } = symmetricEigen(a, n, 3);
    for (let k = 0; k < 3; k++) close(values[k], lambda[k], 1e-13);
    const { residual, orthogonality } = checkDecomposition(a, n, values, vectors);
    assert.ok(residual < 1e-12, `residual ${residual}`);
    assert.ok(orthogonality < 1e-12, `orthogonality ${orthogonality}`);
  });

  test("diagonal input with repeats comes back sorted with unit vectors", () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(1, 0, 0, 0, 5, 0, 0, 0, 1), 3);
    assert.deepEqual(Array.from(values), [5, 1, 1]);
    assert.deepEqual(Array.from(vectors.subarray(0, 3)), [0, 1, 0]);
  });

  test("bad input is rejected", () => {
    assert.throws(() => symmetricEigen(Float64Array.of(1, 2, 3, 4), 2), /expected a symmetric matrix, found \[0\]\[1\] = 2 but \[1\]\[0\] = 3/);
    assert.throws(() => symmetricEigen(new Float64Array(5), 2), /expected n × n = 4 values, found 5/);
    assert.throws(() => symmetricEigen(new Float64Array(4), 2, 3), /at most n = 2/);
  });
});
