// A probe accuracy the probes page states, computed a second way: the classifier exported to dist/
// loaded with tf.loadLayersModel, an SAE's codes from its safetensors and cfg.json by the
// independent reader of independent-sae.ts, and a reference multinomial logistic regression written
// here (float64, Nesterov's accelerated gradient with step 1/L, not L-BFGS) with the same L2
// strength on the same standardized inputs. Shares nothing with src/lib/probes or src/lib/network.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { LayersModel, SymbolicTensor, Tensor } from "@tensorflow/tfjs";
import { readDataset } from "../../data-loaders/dataset/read-dataset.js";
import { trainSample } from "../../data-loaders/site-data/dataset-files.js";
import { initTrainingBackend } from "../../data-loaders/training/node-backend.js";
import { loadLayersModelFromFiles } from "../../data-loaders/training/export-layers.js";
import { distFile } from "./independent-evaluation.js";
import { readSafetensors, saeOf } from "./independent-sae.js";

export interface ReferenceProbeInput {
  dist: string;
  model: string;
  layer: string;
  /** An SAE to read the layer through (its cfg.json says whether it reads a basis), or none. */
  sae: { safetensors: Uint8Array; cfg: Record<string, any> } | null;
  l2: number;
  iterations: number;
}

interface Rows {
  x: Float64Array;
  rows: number;
  cols: number;
}

/** (x − mean) / std per column, with the training rows' statistics (a constant column becomes 0). */
function standardized(train: Rows, test: Rows): [Rows, Rows] {
  const { rows, cols } = train;
  const mean = new Float64Array(cols);
  const std = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += train.x[r * cols + c] / rows;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) std[c] += (train.x[r * cols + c] - mean[c]) ** 2 / rows;
  for (let c = 0; c < cols; c++) std[c] = std[c] < 1e-16 ? 1 : Math.sqrt(std[c]);
  const apply = (m: Rows): Rows => ({ ...m, x: m.x.map((v, i) => (v - mean[i % cols]) / std[i % cols]) });
  return [apply(train), apply(test)];
}

/** Mean cross-entropy + (l2/2)·‖W‖² and its gradient; W is [cols + 1] × classes, the last row the bias. */
function gradientOf(m: Rows, labels: ArrayLike<number>, classes: number, l2: number, w: Float64Array, gradient: Float64Array): void {
  const { rows, cols } = m;
  gradient.fill(0);
  const p = new Float64Array(classes);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < classes; k++) {
      let z = w[cols * classes + k];
      for (let c = 0; c < cols; c++) z += m.x[r * cols + c] * w[c * classes + k];
      p[k] = z;
    }
    const top = Math.max(...p);
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += p[k] = Math.exp(p[k] - top);
    for (let k = 0; k < classes; k++) {
      const residual = p[k] / sum - (labels[r] === k ? 1 : 0);
      for (let c = 0; c < cols; c++) gradient[c * classes + k] += (residual * m.x[r * cols + c]) / rows;
      gradient[cols * classes + k] += residual / rows;
    }
  }
  for (let i = 0; i < cols * classes; i++) gradient[i] += l2 * w[i];
}

/** The largest eigenvalue of XᵀX / n (with the bias column), by power iteration. */
function curvature(m: Rows): number {
  const { rows, cols } = m;
  let v = new Float64Array(cols + 1).fill(1 / Math.sqrt(cols + 1));
  let value = 0;
  for (let step = 0; step < 50; step++) {
    const next = new Float64Array(cols + 1);
    for (let r = 0; r < rows; r++) {
      let dot = v[cols];
      for (let c = 0; c < cols; c++) dot += m.x[r * cols + c] * v[c];
      for (let c = 0; c < cols; c++) next[c] += (dot * m.x[r * cols + c]) / rows;
      next[cols] += dot / rows;
    }
    value = Math.hypot(...next);
    v = next.map((x) => x / value);
  }
  return value;
}

/** Test accuracy of the reference probe. */
function referenceAccuracy(
  train: Rows,
  trainLabels: ArrayLike<number>,
  test: Rows,
  testLabels: ArrayLike<number>,
  classes: number,
  l2: number,
  iterations: number,
): number {
  const [a, b] = standardized(train, test);
  const size = (a.cols + 1) * classes;
  // The softmax cross-entropy's Hessian is at most ½ XᵀX/n (per class block), plus l2.
  const step = 1 / (0.5 * curvature(a) + l2);
  let w = new Float64Array(size);
  let previous = new Float64Array(size);
  const y = new Float64Array(size);
  const gradient = new Float64Array(size);
  for (let t = 1; t <= iterations; t++) {
    const momentum = (t - 1) / (t + 2);
    for (let i = 0; i < size; i++) y[i] = w[i] + momentum * (w[i] - previous[i]);
    gradientOf(a, trainLabels, classes, l2, y, gradient);
    previous = w;
    w = y.map((v, i) => v - step * gradient[i]);
  }
  let correct = 0;
  for (let r = 0; r < b.rows; r++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let k = 0; k < classes; k++) {
      let z = w[b.cols * classes + k];
      for (let c = 0; c < b.cols; c++) z += b.x[r * b.cols + c] * w[c * classes + k];
      if (z > bestScore) [best, bestScore] = [k, z];
    }
    if (best === testLabels[r]) correct++;
  }
  return correct / b.rows;
}

export async function referenceProbeAccuracy(input: ReferenceProbeInput): Promise<number> {
  const dir = join(input.dist, "_file", "data", "models", input.model);
  const { tf } = await initTrainingBackend();
  const model: LayersModel = await loadLayersModelFromFiles(
    tf,
    JSON.parse(readFileSync(distFile(dir, "model", ".json"), "utf8")),
    new Uint8Array(readFileSync(distFile(dir, "weights", ".bin"))),
  );
  try {
    const dataset = await readDataset();
    const pixels = dataset.rows * dataset.cols;
    const shape = (model.getLayer(input.layer).outputShape as number[]).slice(1);
    const width = shape[shape.length - 1];
    const positions = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const truncated = tf.model({ inputs: model.inputs, outputs: model.getLayer(input.layer).output as SymbolicTensor });
    const sae = input.sae ? saeOf(readSafetensors(input.sae.safetensors), input.sae.cfg) : null;
    const cols = input.sae ? (input.sae.cfg.d_sae as number) : width;
    const features = (images: Uint8Array, count: number): Rows => {
      const x = new Float64Array(count * cols);
      const codes = new Float64Array(cols);
      const xHat = new Float64Array(width);
      for (let start = 0; start < count; start += 500) {
        const n = Math.min(500, count - start);
        const values = tf.tidy(() => {
          const batch = Float32Array.from(images.subarray(start * pixels, (start + n) * pixels), (v) => v / 255);
          return (truncated.predict(tf.tensor2d(batch, [n, pixels])) as Tensor).dataSync();
        });
        for (let i = 0; i < n; i++) {
          // Each position's vector, then the mean over positions.
          for (let p = 0; p < positions; p++) {
            const offset = (i * positions + p) * width;
            if (sae) sae(values, offset, codes, xHat);
            for (let c = 0; c < cols; c++) x[(start + i) * cols + c] += (sae ? codes[c] : values[offset + c]) / positions;
          }
        }
      }
      return { x, rows: count, cols };
    };
    const sample = trainSample(dataset);
    const train = features(sample.images, sample.labels.length);
    const test = features(dataset.test.images, dataset.test.count);
    return referenceAccuracy(train, sample.labels, test, dataset.test.labels, dataset.classNames.length, input.l2, input.iterations);
  } finally {
    model.dispose();
  }
}
