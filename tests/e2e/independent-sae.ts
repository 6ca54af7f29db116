// What the SAE page states about one SAE, computed a second way: the classifier exported to dist/
// loaded with tf.loadLayersModel (tfjs-layers' own Dense, Conv2D, ... layers run the rest of the
// network), the SAE read from its safetensors bytes by a reader written here, and every number
// computed with plain float64 loops following cfg.json's recipe. Shares nothing with src/lib/sae
// or src/lib/network.
//
// Evaluation rows: a flat layer's are all test images. A spatial layer's are every position of the
// test images the sweep file lists (its "evaluation/images" array, which the caller passes); the
// spliced accuracy replaces every position of every test image.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { LayersModel, SymbolicTensor, Tensor } from "@tensorflow/tfjs";
import { readDataset } from "../../data-loaders/dataset/read-dataset.js";
import { initTrainingBackend } from "../../data-loaders/training/node-backend.js";
import { loadLayersModelFromFiles } from "../../data-loaders/training/export-layers.js";
import { distFile } from "./independent-evaluation.js";

export interface IndependentSaeInput {
  /** The built site. */
  dist: string;
  /** The registry name of the classifier, e.g. "baseline-mlp". */
  model: string;
  safetensors: Uint8Array;
  /** The cfg.json object. */
  cfg: Record<string, any>;
  /** Spatial layers: the test images whose positions are evaluated; null for a flat layer. */
  evaluationImages: ArrayLike<number> | null;
}

export interface IndependentSaeMetrics {
  /** Rows evaluated: test images, or positions of the listed test images. */
  rows: number;
  l0: number;
  fractionVarianceExplained: number;
  /** Latents that never fire on the evaluation rows. */
  dead: number;
  /** On all test images, with every vector of the layer replaced by its reconstruction. */
  accuracy: number;
}

type Tensors = Record<string, Float64Array>;

/** The F32 tensors of a safetensors file: u64 LE header length, JSON header, little-endian data. */
export function readSafetensors(bytes: Uint8Array): Tensors {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, { dtype: string; data_offsets: [number, number] }>;
  const tensors: Tensors = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    if (entry.dtype !== "F32") throw new Error(`independent SAE check: tensor ${name} is ${entry.dtype}, expected F32`);
    const [begin, end] = entry.data_offsets;
    const data = new Float64Array((end - begin) / 4);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(8 + headerLength + begin + 4 * i, true);
    tensors[name] = data;
  }
  return tensors;
}

/** Codes and reconstruction of one vector x (the layer's units), as cfg.json describes them. */
export function saeOf(tensors: Tensors, cfg: Record<string, any>) {
  const { d_in: dIn, d_sae: dSae, input_scale: scale, activation_fn: activation, k } = cfg;
  const dLayer: number = cfg.basis ? cfg.basis.d_layer : dIn;
  const { W_enc, b_enc, W_dec, b_dec, threshold, basis_mean, basis_transform, basis_inverse } = tensors;
  const z = new Float64Array(dIn);
  const pre = new Float64Array(dSae);
  const zHat = new Float64Array(dIn);
  return (x: ArrayLike<number>, offset: number, codes: Float64Array, xHat: Float64Array) => {
    for (let i = 0; i < dIn; i++) {
      if (!cfg.basis) z[i] = x[offset + i];
      else {
        let sum = 0;
        for (let c = 0; c < dLayer; c++) sum += (x[offset + c] - basis_mean[c]) * basis_transform[i * dLayer + c];
        z[i] = sum;
      }
    }
    pre.set(b_enc);
    for (let i = 0; i < dIn; i++) {
      const centred = z[i] * scale - b_dec[i];
      for (let j = 0; j < dSae; j++) pre[j] += centred * W_enc[i * dSae + j];
    }
    if (activation === "relu") for (let j = 0; j < dSae; j++) codes[j] = Math.max(0, pre[j]);
    else if (activation === "sigmoid") for (let j = 0; j < dSae; j++) codes[j] = 1 / (1 + Math.exp(-pre[j]));
    else if (activation === "jumprelu") for (let j = 0; j < dSae; j++) codes[j] = pre[j] > threshold[j] ? pre[j] : 0;
    else if (activation === "topk") {
      const kth = Float64Array.from(pre).sort()[dSae - k];
      for (let j = 0; j < dSae; j++) codes[j] = pre[j] > 0 && pre[j] >= kth ? pre[j] : 0;
    } else throw new Error(`independent SAE check: unknown activation_fn ${activation}`);
    zHat.set(b_dec);
    for (let j = 0; j < dSae; j++) {
      if (codes[j] !== 0) for (let i = 0; i < dIn; i++) zHat[i] += codes[j] * W_dec[j * dIn + i];
    }
    for (let i = 0; i < dIn; i++) zHat[i] /= scale;
    if (!cfg.basis) xHat.set(zHat);
    else {
      xHat.set(basis_mean);
      for (let i = 0; i < dIn; i++) for (let c = 0; c < dLayer; c++) xHat[c] += zHat[i] * basis_inverse[i * dLayer + c];
    }
  };
}

export async function independentSaeMetrics(input: IndependentSaeInput): Promise<IndependentSaeMetrics> {
  const { cfg } = input;
  const layerName: string = cfg.hook_name;
  const dir = join(input.dist, "_file", "data", "models", input.model);
  const { tf } = await initTrainingBackend();
  const model: LayersModel = await loadLayersModelFromFiles(
    tf,
    JSON.parse(readFileSync(distFile(dir, "model", ".json"), "utf8")),
    new Uint8Array(readFileSync(distFile(dir, "weights", ".bin"))),
  );
  try {
    const dataset = await readDataset();
    const { images, labels, count } = dataset.test;
    const pixels = dataset.rows * dataset.cols;
    const classes = dataset.classNames.length;
    const layers = model.layers.slice(1);
    const after = layers.slice(layers.findIndex((l) => l.name === layerName) + 1);
    const shape = (model.getLayer(layerName).outputShape as number[]).slice(1);
    const width = shape[shape.length - 1];
    const positions = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const probe = tf.model({ inputs: model.inputs, outputs: model.getLayer(layerName).output as SymbolicTensor });
    const activationsOf = (rows: ArrayLike<number>) =>
      tf.tidy(() => {
        const x = new Float32Array(rows.length * pixels);
        for (let i = 0; i < rows.length; i++) for (let p = 0; p < pixels; p++) x[i * pixels + p] = images[rows[i] * pixels + p] / 255;
        return (probe.predict(tf.tensor2d(x, [rows.length, pixels])) as Tensor).dataSync() as Float32Array;
      });
    const sae = saeOf(readSafetensors(input.safetensors), cfg);
    const codes = new Float64Array(cfg.d_sae);
    const xHat = new Float64Array(width);

    // Evaluation rows: L0, dead latents, and the variance of x and of x − x̂ per unit (float64 sums).
    const evaluated = input.evaluationImages ?? Array.from({ length: count }, (_, i) => i);
    const x = activationsOf(evaluated);
    const rows = evaluated.length * positions;
    const activeAbove = cfg.activation_fn === "sigmoid" ? 0.5 : 0;
    const fired = new Uint8Array(cfg.d_sae);
    let active = 0;
    const sums = { x: new Float64Array(width), xx: new Float64Array(width), r: new Float64Array(width), rr: new Float64Array(width) };
    for (let row = 0; row < rows; row++) {
      sae(x, row * width, codes, xHat);
      for (let j = 0; j < codes.length; j++) {
        if (codes[j] > activeAbove) {
          active++;
          fired[j] = 1;
        }
      }
      for (let c = 0; c < width; c++) {
        const value = x[row * width + c];
        const residual = value - xHat[c];
        sums.x[c] += value;
        sums.xx[c] += value * value;
        sums.r[c] += residual;
        sums.rr[c] += residual * residual;
      }
    }
    let residualVariance = 0;
    let totalVariance = 0;
    for (let c = 0; c < width; c++) {
      residualVariance += sums.rr[c] - (sums.r[c] * sums.r[c]) / rows;
      totalVariance += sums.xx[c] - (sums.x[c] * sums.x[c]) / rows;
    }

    // Spliced accuracy: every vector of every test image replaced, the rest run by tfjs-layers.
    let correct = 0;
    const chunk = 500;
    for (let start = 0; start < count; start += chunk) {
      const chunkRows = Array.from({ length: Math.min(chunk, count - start) }, (_, i) => start + i);
      const values = activationsOf(chunkRows);
      const replaced = new Float32Array(values.length);
      for (let v = 0; v < values.length / width; v++) {
        sae(values, v * width, codes, xHat);
        replaced.set(xHat, v * width);
      }
      const logits = tf.tidy(() => {
        let t: Tensor = tf.tensor(replaced, [chunkRows.length, ...shape]);
        for (const layer of after) t = layer.apply(t, { training: false }) as Tensor;
        return t.dataSync();
      });
      chunkRows.forEach((image, i) => {
        let best = 0;
        for (let c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
        if (best === labels[image]) correct++;
      });
    }
    return {
      rows,
      l0: active / rows,
      fractionVarianceExplained: 1 - residualVariance / totalVariance,
      dead: fired.reduce((n, f) => n + (f === 0 ? 1 : 0), 0),
      accuracy: correct / count,
    };
  } finally {
    model.dispose();
  }
}
