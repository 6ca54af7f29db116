import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { pcaWhitening } from "../../../../../../src/lib/analysis/embeddings/whitening.js";
import { gaussian, mulberry32 } from "../../../../../../src/lib/random.js";

/** Sample covariance (rows - 1) of a row-major rows × cols Float64Array. */
function sampleCovariance(x: Float64Array, rows: number, cols: number): number[][] {
  const mean = Array.from({ length: cols }, (_, c) => {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x[r * cols + c];
    return s / rows;
  });
  return mean.map((_, a) =>
    mean.map((__, b) => {
      let s = 0;
      for (let r = 0; r < rows; r++) s += (x[r * cols + a] - mean[a]) * (x[r * cols + b] - mean[b]);
      return s / (rows - 1);
    }),
  );
}

/** Three correlated Gaussian units and a constant one (unit 3). */
function correlated(rows: number) {
  const random = mulberry32(7);
  const data = new Float32Array(rows * 4);
  for (let r = 0; r < rows; r++) {
    const [a, b, c] = [gaussian(random), gaussian(random), gaussian(random)];
    data.set([3 * a + 1, a + 2 * b - 5, 0.5 * a - b + 0.2 * c, 9], r * 4);
  }
  return { rows, cols: 4, data };
}

describe("pcaWhitening", () => {
  test("the whitened data has identity sample covariance and zero mean", () => {
    const m = correlated(500);
    const { whitened } = pcaWhitening(m, 3);
    const cov = sampleCovariance(whitened, 500, 3);
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) {
        assert.ok(Math.abs(cov[a][b] - (a === b ? 1 : 0)) < 1e-6, `covariance[${a}][${b}] = ${cov[a][b]}`);
      }
    for (let i = 0; i < 3; i++) {
      let s = 0;
      for (let r = 0; r < 500; r++) s += whitened[r * 3 + i];
      assert.ok(Math.abs(s / 500) < 1e-9);
    }
  });

  test("whitening then dewhitening gives back the centred data; the constant unit gets no weight", () => {
    const m = correlated(50);
    const { mean, whitening, dewhitening, whitened } = pcaWhitening(m, 3);
    for (let i = 0; i < 3; i++) assert.equal(whitening[i * 4 + 3], 0);
    for (let r = 0; r < 50; r++) {
      for (let c = 0; c < 4; c++) {
        let x = mean[c];
        for (let i = 0; i < 3; i++) x += whitened[r * 3 + i] * dewhitening[c * 3 + i];
        assert.ok(Math.abs(x - m.data[r * 4 + c]) < 1e-4, `example ${r}, unit ${c}: ${x} vs ${m.data[r * 4 + c]}`);
      }
    }
  });

  test("asking for more directions than have variance fails with a clear message, not NaN", () => {
    assert.throws(() => pcaWhitening(correlated(50), 4, "ica components"), /^Error: ica components: expected at most 3 components, since only 3 directions/);
    // Unit 1 = 2 × unit 0: one direction only.
    const collinear = { rows: 4, cols: 2, data: Float32Array.of(1, 2, 2, 4, -1, -2, 5, 10) };
    assert.throws(() => pcaWhitening(collinear, 2), /expected at most 1 components/);
  });
});
