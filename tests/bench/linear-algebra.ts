// The linear algebra behind PCA and ICA: the project's symmetric eigen-solver (eigen.ts) against
// ml-matrix's EigenvalueDecomposition and SVD, on covariance matrices of the sizes the pages use
// (16 and 32 hidden units, 784 pixels), PCA end to end, and FastICA (on ml-matrix) of a hidden
// layer. Each row is the median of several runs after a warm-up. `npx tsx tests/bench/linear-algebra.ts` prints the table;
// `npm run bench` can call benchLinearAlgebra().
import { pathToFileURL } from "node:url";
import { EigenvalueDecomposition, Matrix, SVD } from "ml-matrix";
import { readDataset } from "../../data-loaders/dataset/read-dataset.js";
import { symmetricEigen } from "../../src/lib/analysis/embeddings/eigen.js";
import { ica } from "../../src/lib/analysis/embeddings/ica.js";
import { covariance, pca } from "../../src/lib/analysis/embeddings/pca.js";
import type { ActivationMatrix } from "../../src/lib/analysis/types.js";
import { gaussian, mulberry32 } from "../../src/lib/random.js";

export interface LinearAlgebraTiming {
  name: string;
  milliseconds: number;
}

/** PCA on the pages keeps two components (the embedding scatter). */
const PAGE_COMPONENTS = 2;
const MIN_RUNS = 3;
const MAX_RUNS = 25;
/** Keep timing a fast case until this much time is spent, for a steadier median. */
const MIN_TOTAL_MS = 1000;

function medianMilliseconds(run: () => unknown): number {
  run(); // warm-up: compile the hot loops first
  const times: number[] = [];
  let total = 0;
  while (times.length < MAX_RUNS && (times.length < MIN_RUNS || total < MIN_TOTAL_MS)) {
    const started = performance.now();
    run();
    const elapsed = performance.now() - started;
    times.push(elapsed);
    total += elapsed;
  }
  times.sort((a, b) => a - b);
  const middle = times.length >> 1;
  return times.length % 2 ? times[middle] : (times[middle - 1] + times[middle]) / 2;
}

/** The first `rows` test images, pixels scaled to [0, 1]. */
function pixels(images: Uint8Array, rows: number): ActivationMatrix {
  const data = new Float32Array(rows * 784);
  for (let i = 0; i < data.length; i++) data[i] = images[i] / 255;
  return { rows, cols: 784, data };
}

/**
 * Stand-in for a hidden layer: ReLU of a seeded random projection of the pixels. Training a
 * network here would only slow the benchmark; the solver sees the same sizes and sparsity.
 */
function hiddenLayer(input: ActivationMatrix, units: number, seed: number): ActivationMatrix {
  const random = mulberry32(seed);
  const weights = Float64Array.from({ length: input.cols * units }, () => gaussian(random) / Math.sqrt(input.cols));
  const data = new Float32Array(input.rows * units);
  for (let r = 0; r < input.rows; r++) {
    for (let u = 0; u < units; u++) {
      let s = 0;
      for (let c = 0; c < input.cols; c++) s += input.data[r * input.cols + c] * weights[c * units + u];
      data[r * units + u] = Math.max(0, s);
    }
  }
  return { rows: input.rows, cols: units, data };
}

function toMatrix(flat: Float64Array, n: number): Matrix {
  return Matrix.from1DArray(n, n, flat);
}

/**
 * PCA as pca() does it, with ml-matrix's solver in place of eigen.ts: constant units left out,
 * sample covariance, top k eigenpairs, projection of the centred data.
 */
function pcaWithMlMatrix(m: ActivationMatrix, k: number): Matrix {
  const varying: number[] = [];
  for (let c = 0; c < m.cols; c++) {
    for (let r = 1; r < m.rows; r++) {
      if (m.data[r * m.cols + c] !== m.data[c]) {
        varying.push(c);
        break;
      }
    }
  }
  const q = varying.length;
  const sub = new Float32Array(m.rows * q);
  for (let r = 0; r < m.rows; r++) for (let i = 0; i < q; i++) sub[r * q + i] = m.data[r * m.cols + varying[i]];
  const { eigenvectorMatrix } = new EigenvalueDecomposition(toMatrix(covariance({ rows: m.rows, cols: q, data: sub }), q), {
    assumeSymmetric: true,
  });
  // Eigenvalues come ascending: the last k columns are the top components.
  const top = eigenvectorMatrix.subMatrix(0, q - 1, q - k, q - 1);
  const x = Matrix.from1DArray(m.rows, q, sub);
  return x.subRowVector(x.mean("column")).mmul(top);
}

function checkAgreement(name: string, flat: Float64Array, n: number): void {
  const ours = symmetricEigen(flat, n, 1).values[0];
  const theirs = Math.max(...new EigenvalueDecomposition(toMatrix(flat, n), { assumeSymmetric: true }).realEigenvalues);
  if (Math.abs(ours - theirs) > 1e-9 * Math.abs(ours)) {
    throw new Error(`${name}: the solvers disagree on the top eigenvalue (${ours} vs ${theirs}); the timings would compare different work`);
  }
}

export async function benchLinearAlgebra(): Promise<LinearAlgebraTiming[]> {
  const dataset = await readDataset();
  const images = pixels(dataset.test.images, 1000);
  const allImages = pixels(dataset.test.images, dataset.test.count);
  const cases: { label: string; data: ActivationMatrix }[] = [
    { label: "16 hidden units", data: hiddenLayer(images, 16, 16) },
    { label: "32 hidden units", data: hiddenLayer(images, 32, 32) },
    { label: "784 pixels", data: pixels(dataset.test.images, 2000) },
  ];
  const rows: LinearAlgebraTiming[] = [];
  const record = (name: string, run: () => unknown) => {
    const milliseconds = medianMilliseconds(run);
    rows.push({ name, milliseconds });
    process.stderr.write(`linear-algebra: ${name}: ${milliseconds.toFixed(2)} ms\n`);
  };

  for (const { label, data } of cases) {
    const n = data.cols;
    const flat = covariance(data);
    checkAgreement(label, flat, n);
    const size = `${n} × ${n} covariance (${label}, ${data.rows} examples)`;
    record(`eigen.ts, top ${PAGE_COMPONENTS} eigenpairs, ${size}`, () => symmetricEigen(flat, n, PAGE_COMPONENTS));
    record(`eigen.ts, all eigenpairs, ${size}`, () => symmetricEigen(flat, n));
    record(`ml-matrix EigenvalueDecomposition (assumeSymmetric), ${size}`, () => new EigenvalueDecomposition(toMatrix(flat, n), { assumeSymmetric: true }));
    record(`ml-matrix SVD, ${size}`, () => new SVD(toMatrix(flat, n)));
  }

  for (const data of [cases[1].data, cases[2].data]) {
    const size = `${data.rows} × ${data.cols}, k = ${PAGE_COMPONENTS}`;
    record(`PCA end to end, pca() on eigen.ts, ${size}`, () => pca(data, PAGE_COMPONENTS));
    record(`PCA end to end, on ml-matrix EigenvalueDecomposition, ${size}`, () => pcaWithMlMatrix(data, PAGE_COMPONENTS));
  }

  // The SAE page compares ICA components of a hidden layer with its neurons: all units kept.
  for (const data of [cases[1].data, hiddenLayer(allImages, 32, 32)]) {
    const { iterations, converged } = ica(data, { components: data.cols });
    const outcome = converged ? `converged in ${iterations} iterations` : `stopped at ${iterations} iterations`;
    record(`FastICA (logcosh) end to end, ${data.rows} × ${data.cols}, k = ${data.cols}, ${outcome}`, () => ica(data, { components: data.cols }));
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const rows = await benchLinearAlgebra();
  const width = Math.max(...rows.map((r) => r.name.length));
  process.stdout.write(`${"case".padEnd(width)}  ${"ms (median)".padStart(12)}\n`);
  for (const { name, milliseconds } of rows) {
    process.stdout.write(`${name.padEnd(width)}  ${milliseconds.toFixed(2).padStart(12)}\n`);
  }
}
