import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { ica, type IcaNonlinearity } from "../../../../../../src/lib/analysis/embeddings/ica.js";
import type { ActivationMatrix } from "../../../../../../src/lib/analysis/types.js";
import { mulberry32 } from "../../../../../../src/lib/random.js";

const ROWS = 2000;
/** Each true source's row of the mixing: unit u = Σ_j MIXING[u][j] · source_j + OFFSET[u]. */
const MIXING = [
  [1, 0.5, 0.3],
  [0.4, 1, 0.6],
  [0.2, 0.7, 1],
];
const OFFSET = [2, -1, 0.5];

/**
 * Three independent non-Gaussian sources with known excess kurtosis: Laplace (+3), sine (-1.5),
 * uniform (-1.2). Returned per source (source-major), each of length ROWS.
 */
function trueSources(seed = 5): Float64Array[] {
  const random = mulberry32(seed);
  const laplace = new Float64Array(ROWS);
  const sine = new Float64Array(ROWS);
  const uniform = new Float64Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    const u = random() - 0.5;
    laplace[r] = -Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
    sine[r] = Math.sin(0.05 * r);
    uniform[r] = random() * 2 - 1;
  }
  return [laplace, sine, uniform];
}

/** The mixed units, plus any constant units appended. */
function mixed(sources: Float64Array[], constants: number[] = []): ActivationMatrix {
  const cols = 3 + constants.length;
  const data = new Float32Array(ROWS * cols);
  for (let r = 0; r < ROWS; r++) {
    for (let u = 0; u < 3; u++) data[r * cols + u] = OFFSET[u] + MIXING[u].reduce((s, a, j) => s + a * sources[j][r], 0);
    constants.forEach((value, i) => (data[r * cols + 3 + i] = value));
  }
  return { rows: ROWS, cols, data };
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

function column(x: Float64Array, k: number, i: number): Float64Array {
  return Float64Array.from({ length: x.length / k }, (_, r) => x[r * k + i]);
}

describe("ica", () => {
  for (const nonlinearity of ["logcosh", "exp", "cube"] as IcaNonlinearity[]) {
    test(`${nonlinearity}: recovers each mixed source with |correlation| > 0.99, in the documented order and sign`, () => {
      const truth = trueSources();
      const result = ica(mixed(truth), { components: 3, nonlinearity, seed: 3 });
      assert.ok(result.converged, `did not converge in ${result.iterations} iterations`);
      // Ordered by |excess kurtosis|: Laplace (3), sine (1.5), uniform (1.2); so found i matches true i.
      for (let i = 0; i < 3; i++) {
        const found = column(result.sources, 3, i);
        const r = correlation(found, truth[i]);
        assert.ok(Math.abs(r) > 0.99, `source ${i}: |correlation| ${Math.abs(r)}`);
        let skew = 0;
        for (const v of found) skew += v ** 3;
        assert.ok(skew >= 0, `source ${i} has negative skewness`);
      }
    });
  }

  test("sources are (x - mean) · componentsᵀ, white, and mixing inverts the unmixing", () => {
    const m = mixed(trueSources());
    const { components, mixing, mean, sources, k } = ica(m, { components: 3 });
    const cols = m.cols;
    for (let r = 0; r < ROWS; r += 97) {
      for (let i = 0; i < k; i++) {
        let s = 0;
        for (let c = 0; c < cols; c++) s += (m.data[r * cols + c] - mean[c]) * components[i * cols + c];
        assert.ok(Math.abs(s - sources[r * k + i]) < 1e-9, `example ${r}, source ${i}`);
      }
      for (let c = 0; c < cols; c++) {
        let x = mean[c];
        for (let i = 0; i < k; i++) x += sources[r * k + i] * mixing[c * k + i];
        assert.ok(Math.abs(x - m.data[r * cols + c]) < 1e-5, `example ${r}, unit ${c}: ${x} vs ${m.data[r * cols + c]}`);
      }
    }
    for (let a = 0; a < k; a++) {
      assert.ok(Math.abs(column(sources, k, a).reduce((s, v) => s + v, 0)) < 1e-9, `source ${a} has a non-zero mean`);
      for (let b = 0; b < k; b++) {
        let unmixMix = 0;
        for (let c = 0; c < cols; c++) unmixMix += components[a * cols + c] * mixing[c * k + b];
        assert.ok(Math.abs(unmixMix - (a === b ? 1 : 0)) < 1e-9, `components · mixing [${a}][${b}] = ${unmixMix}`);
        // Sources have mean 0 (checked above), so the sample covariance is Σ s_a s_b / (rows - 1).
        let covariance = 0;
        for (let r = 0; r < ROWS; r++) covariance += (sources[r * k + a] * sources[r * k + b]) / (ROWS - 1);
        assert.ok(Math.abs(covariance - (a === b ? 1 : 0)) < 1e-6, `covariance [${a}][${b}] = ${covariance}`);
      }
    }
  });

  test("the same seed gives the same result bit for bit", () => {
    const m = mixed(trueSources());
    const first = ica(m, { components: 3, seed: 42 });
    const second = ica(m, { components: 3, seed: 42 });
    assert.deepEqual(second, first);
  });

  test("a constant unit gets no weight and no NaN; asking for its direction fails clearly", () => {
    const truth = trueSources();
    const m = mixed(truth, [4]);
    const result = ica(m, { components: 3 });
    for (const array of [result.components, result.mixing, result.sources, result.mean]) {
      assert.ok(array.every(Number.isFinite), "non-finite output");
    }
    for (let i = 0; i < 3; i++) {
      assert.equal(result.components[i * 4 + 3], 0);
      assert.ok(Math.abs(correlation(column(result.sources, 3, i), truth[i])) > 0.99);
    }
    assert.throws(() => ica(m, { components: 4 }), /^Error: ica components: expected at most 3 components, since only 3 directions/);
  });

  test("stopping at maxIterations reports it and still gives finite output", () => {
    const result = ica(mixed(trueSources()), { components: 3, maxIterations: 1, tolerance: 1e-12 });
    assert.equal(result.iterations, 1);
    assert.equal(result.converged, false);
    assert.ok(result.sources.every(Number.isFinite));
  });

  test("bad inputs are rejected with what was expected and what was found", () => {
    const m = mixed(trueSources());
    assert.throws(() => ica(m, { components: 4 }), /^Error: ica components: expected an integer in \[1, 3\] \(the number of units\), found 4$/);
    assert.throws(() => ica(m, { components: 0 }), /ica components: .*found 0/);
    assert.throws(() => ica(m, { components: 1.5 }), /ica components: .*found 1.5/);
    assert.throws(
      () => ica({ rows: 1, cols: 3, data: new Float32Array(3) }, { components: 1 }),
      /^Error: ica: expected at least 2 examples \(rows\), found 1$/,
    );
    const withNaN = { ...m, data: m.data.slice() };
    withNaN.data[5 * 3 + 1] = NaN;
    assert.throws(() => ica(withNaN, { components: 2 }), /^Error: ica activations: expected finite values, found NaN at example 5, unit 1$/);
    assert.throws(() => ica({ rows: 2, cols: 3, data: new Float32Array(5) }, { components: 1 }), /ica activations: expected data.length = rows × cols/);
    assert.throws(() => ica(m, { components: 2, maxIterations: 0 }), /ica maxIterations: expected a positive integer, found 0/);
    assert.throws(() => ica(m, { components: 2, tolerance: 0 }), /ica tolerance: expected a positive number, found 0/);
    assert.throws(() => ica(m, { components: 2, seed: -1 }), /ica seed: expected a non-negative integer, found -1/);
    assert.throws(
      () => ica(m, { components: 2, nonlinearity: "tanh" as IcaNonlinearity }),
      /ica nonlinearity: expected one of "logcosh", "exp", "cube", found "tanh"/,
    );
  });
});
