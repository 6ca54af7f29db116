// What a model page must show, computed a second way: the exported model.json + weights.bin from
// dist/ loaded with tf.loadLayersModel in Node (tfjs-layers' own Dense, LayerNormalization,
// Rescaling, ...), intermediate outputs read from a probe model sharing its layers, and every
// statistic computed with plain loops. Shares nothing with the pages' code path (the network
// runtime, weight snapshots, intervention runner, analysis modules).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { LayersModel, SymbolicTensor, Tensor } from "@tensorflow/tfjs";
import { readDataset } from "../../data-loaders/dataset/read-dataset.js";
import { initTrainingBackend } from "../../data-loaders/training/node-backend.js";
import { loadLayersModelFromFiles } from "../../data-loaders/training/export-layers.js";
import type { TF } from "../../src/lib/tf-types.js";
import { root } from "./harness.js";

export interface IndependentEvaluation {
  count: number;
  labels: Uint8Array;
  predicted: Uint8Array;
  accuracy: number;
  /** confusion[t][p] */
  confusion: number[][];
  /** The ReLU layers (tfjs Activation layers named relu_i), in order. */
  reluLayers: string[];
  dead: Record<string, number[]>;
  /** Units active (> 0) on fewer than 1% of the test images, but on at least one. */
  nearlyDead: Record<string, number[]>;
  /** selectivity[layer][class][unit] */
  selectivity: Record<string, number[][]>;
  /** Accuracy with `unit` of `layer` multiplied by `scale`, the rest of the model run by tfjs-layers. */
  scaledAccuracy(layer: string, unit: number, scale: number): number;
  /** A recorded layer's values on every test image, one row per image (a ReLU layer, the last hidden layer, the logits). */
  activations(layer: string): { cols: number; data: Float32Array };
  /** Silhouette of the true classes in the layer before the logits, on `rows`. */
  silhouette(rows: ArrayLike<number>): number;
  /** Mean share of |d logit_predicted / d pixel| on pixels blank in the image / in `mask`, over `rows`. */
  saliencyMasses(rows: ArrayLike<number>, mask: Uint8Array): { background: number; garbage: number };
  dispose(): void;
}

/** The one built file `<stem>.<hash><ext>` in `dir`. */
export function distFile(dir: string, stem: string, ext: string): string {
  const name = readdirSync(dir).find((f) => f.startsWith(`${stem}.`) && f.endsWith(ext));
  if (!name) throw new Error(`no ${stem}.*${ext} in ${dir}: build the site first`);
  return join(dir, name);
}

const argmax = (values: ArrayLike<number>, offset: number, n: number) => {
  let best = 0;
  for (let j = 1; j < n; j++) if (values[offset + j] > values[offset + best]) best = j;
  return best;
};

function pixelsOf(tf: TF, images: Uint8Array, rows: ArrayLike<number>, pixels: number): Tensor {
  const values = new Float32Array(rows.length * pixels);
  for (let i = 0; i < rows.length; i++) for (let p = 0; p < pixels; p++) values[i * pixels + p] = images[rows[i] * pixels + p] / 255;
  return tf.tensor2d(values, [rows.length, pixels]);
}

export async function evaluateExportedModel(name: string): Promise<IndependentEvaluation> {
  const dir = join(root, "dist", "_file", "data", "models", name);
  const modelJson = JSON.parse(readFileSync(distFile(dir, "model", ".json"), "utf8"));
  const weightsBin = new Uint8Array(readFileSync(distFile(dir, "weights", ".bin")));
  const dataset = await readDataset();
  const { tf } = await initTrainingBackend();
  const model: LayersModel = await loadLayersModelFromFiles(tf, modelJson, weightsBin);
  const { count, images, labels } = dataset.test;
  const classes = dataset.classNames.length;
  const pixels = dataset.rows * dataset.cols;
  const everyRow = Array.from({ length: count }, (_, i) => i);
  const layers = model.layers.slice(1);
  const reluLayers = layers.filter((l) => l.getClassName() === "Activation" && /^relu_\d+$/.test(l.name)).map((l) => l.name);
  const lastHidden = layers[layers.length - 2].getClassName() === "Dropout" ? layers[layers.length - 3].name : layers[layers.length - 2].name;
  const names = [...new Set([...reluLayers, lastHidden, "logits"])];
  const probe = tf.model({ inputs: model.inputs, outputs: names.map((n) => model.getLayer(n).output as SymbolicTensor) });
  const acts: Record<string, { cols: number; data: Float32Array }> = tf.tidy(() => {
    const outputs = probe.predict(pixelsOf(tf, images, everyRow, pixels)) as Tensor[];
    return Object.fromEntries(names.map((n, i) => [n, { cols: outputs[i].size / count, data: outputs[i].dataSync() as Float32Array }]));
  });

  const predicted = new Uint8Array(count);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let i = 0; i < count; i++) {
    predicted[i] = argmax(acts.logits.data, i * classes, classes);
    confusion[labels[i]][predicted[i]]++;
    if (predicted[i] === labels[i]) correct++;
  }

  // A conv layer's unit is a channel: active on an image when any position is > 0, and its value
  // for selectivity is its mean over positions.
  const channelsOf = (layer: string) => {
    const shape = (model.getLayer(layer).outputShape as number[]).slice(1);
    const channels = shape[shape.length - 1];
    const positions = acts[layer].cols / channels;
    return { channels, positions };
  };
  const dead: Record<string, number[]> = {};
  const nearlyDead: Record<string, number[]> = {};
  const selectivity: Record<string, number[][]> = {};
  for (const layer of reluLayers) {
    const { cols, data } = acts[layer];
    const { channels, positions } = channelsOf(layer);
    const mean = new Float64Array(count * channels);
    const active = new Uint8Array(count * channels);
    for (let i = 0; i < count; i++) {
      for (let p = 0; p < positions; p++) {
        for (let u = 0; u < channels; u++) {
          const v = data[i * cols + p * channels + u];
          mean[i * channels + u] += v / positions;
          if (v > 0) active[i * channels + u] = 1;
        }
      }
    }
    dead[layer] = [];
    nearlyDead[layer] = [];
    selectivity[layer] = [];
    for (let u = 0; u < channels; u++) {
      let on = 0;
      for (let i = 0; i < count; i++) on += active[i * channels + u];
      if (on === 0) dead[layer].push(u);
      else if (on < 0.01 * count) nearlyDead[layer].push(u);
    }
    for (let c = 0; c < classes; c++) {
      const row: number[] = [];
      for (let u = 0; u < channels; u++) {
        let inSum = 0,
          inN = 0,
          outSum = 0,
          outN = 0;
        for (let i = 0; i < count; i++) {
          if (labels[i] === c) ((inSum += mean[i * channels + u]), inN++);
          else ((outSum += mean[i * channels + u]), outN++);
        }
        const muC = inSum / inN;
        const muRest = outSum / outN;
        row.push((muC - muRest) / (muC + muRest + 1e-8));
      }
      selectivity[layer].push(row);
    }
  }

  const scaledAccuracy = (layer: string, unit: number, scale: number) => {
    const start = layers.findIndex((l) => l.name === layer);
    if (!acts[layer]) throw new Error(`independent evaluation: ${layer} was not recorded`);
    const { data } = acts[layer];
    const { channels } = channelsOf(layer);
    const scaled = Float32Array.from(data, (v, i) => (i % channels === unit ? v * scale : v));
    const logits = tf.tidy(() => {
      let x: Tensor = tf.tensor(scaled, [count, ...(model.getLayer(layer).outputShape as number[]).slice(1)]);
      for (const next of layers.slice(start + 1)) x = next.apply(x, { training: false }) as Tensor;
      return x.dataSync();
    });
    let hits = 0;
    for (let i = 0; i < count; i++) if (argmax(logits, i * classes, classes) === labels[i]) hits++;
    return hits / count;
  };

  const silhouette = (rows: ArrayLike<number>) => {
    const { cols, data } = acts[lastHidden];
    const n = rows.length;
    const distance = (a: number, b: number) => {
      let sum = 0;
      for (let u = 0; u < cols; u++) sum += (data[rows[a] * cols + u] - data[rows[b] * cols + u]) ** 2;
      return Math.sqrt(sum);
    };
    let total = 0;
    for (let a = 0; a < n; a++) {
      const sums = new Array<number>(classes).fill(0);
      const sizes = new Array<number>(classes).fill(0);
      for (let b = 0; b < n; b++) {
        if (a === b) continue;
        sums[labels[rows[b]]] += distance(a, b);
        sizes[labels[rows[b]]]++;
      }
      const own = labels[rows[a]];
      if (sizes[own] === 0) continue; // a singleton's silhouette is 0
      const within = sums[own] / sizes[own];
      let nearest = Infinity;
      for (let c = 0; c < classes; c++) if (c !== own && sizes[c] > 0) nearest = Math.min(nearest, sums[c] / sizes[c]);
      const scale = Math.max(within, nearest);
      total += scale > 0 ? (nearest - within) / scale : 0;
    }
    return total / n;
  };

  const saliencyMasses = (rows: ArrayLike<number>, mask: Uint8Array) => {
    const gradients = tf.tidy(() => {
      const oneHot = tf.oneHot(
        tf.tensor1d(
          Int32Array.from(rows, (r) => predicted[r]),
          "int32",
        ),
        classes,
      );
      return tf
        .grad((x: Tensor) => tf.sum(tf.mul(model.apply(x) as Tensor, oneHot)))(pixelsOf(tf, images, rows, pixels))
        .dataSync();
    });
    let background = 0,
      garbage = 0,
      counted = 0;
    for (let i = 0; i < rows.length; i++) {
      let total = 0,
        onBlank = 0,
        onMask = 0;
      for (let p = 0; p < pixels; p++) {
        const g = Math.abs(gradients[i * pixels + p]);
        total += g;
        if (images[rows[i] * pixels + p] === 0) onBlank += g;
        if (mask[p] === 1) onMask += g;
      }
      if (total > 0) ((background += onBlank / total), (garbage += onMask / total), counted++);
    }
    return { background: background / counted, garbage: garbage / counted };
  };

  return {
    count,
    labels,
    predicted,
    accuracy: correct / count,
    confusion,
    reluLayers,
    dead,
    nearlyDead,
    selectivity,
    scaledAccuracy,
    activations: (layer: string) => {
      if (!acts[layer]) throw new Error(`independent evaluation: ${layer} was not recorded`);
      return acts[layer];
    },
    silhouette,
    saliencyMasses,
    dispose: () => model.dispose(),
  };
}
