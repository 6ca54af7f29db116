// What the baseline page must show, computed a second way: the exported model.json + weights.bin
// from dist/ loaded with tf.loadLayersModel in Node, evaluated with plain loops over the test set.
// Shares nothing with the page's code path (weight snapshots, intervention runner, analysis libs).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readDataset } from "../../data-loaders/dataset/read-dataset.js";
import { initTrainingBackend } from "../../data-loaders/training/node-backend.js";
import { loadLayersModelFromFiles } from "../../data-loaders/training/export-layers.js";
import { root } from "./harness.js";
import type { LayersModel, SymbolicTensor, Tensor } from "@tensorflow/tfjs";
import type { TF } from "../../src/lib/tf-types.js";

export interface IndependentEvaluation {
  count: number;
  labels: Uint8Array;
  predicted: Uint8Array;
  accuracy: number;
  /** confusion[t][p] */
  confusion: number[][];
  dead: Record<string, number[]>;
  /** selectivity[layer][class][unit] */
  selectivity: Record<string, number[][]>;
  /** Accuracy with relu_2's unit `unit` multiplied by `scale`. */
  scaledAccuracy(layer: "relu_2", unit: number, scale: number): number;
}

function distFile(dir: string, stem: string, ext: string): string {
  const name = readdirSync(dir).find((f) => f.startsWith(`${stem}.`) && f.endsWith(ext));
  if (!name) throw new Error(`no ${stem}.*${ext} in ${dir}: build the site first`);
  return join(dir, name);
}

/** Named layers' outputs through tfjs-layers' own model (a probe model sharing its layers). */
function layerOutputs(tf: TF, model: LayersModel, images: Uint8Array, count: number, names: string[]): Record<string, { cols: number; data: Float32Array }> {
  const probe = tf.model({ inputs: model.inputs, outputs: names.map((name) => model.getLayer(name).output as SymbolicTensor) });
  const pixels = images.length / count;
  return tf.tidy(() => {
    const outputs = probe.predict(tf.div(tf.tensor2d(Float32Array.from(images), [count, pixels]), 255)) as Tensor[];
    return Object.fromEntries(names.map((name, i) => [name, { cols: outputs[i].size / count, data: outputs[i].dataSync() as Float32Array }]));
  });
}

const argmax = (values: Float32Array | number[], offset: number, n: number) => {
  let best = 0;
  for (let j = 1; j < n; j++) if (values[offset + j] > values[offset + best]) best = j;
  return best;
};

export async function evaluateExportedBaseline(): Promise<IndependentEvaluation> {
  const dir = join(root, "dist", "_file", "data", "baseline-mlp");
  const modelJson = JSON.parse(readFileSync(distFile(dir, "model", ".json"), "utf8"));
  const weightsBin = new Uint8Array(readFileSync(distFile(dir, "weights", ".bin")));
  const dataset = await readDataset();
  const { tf } = await initTrainingBackend();
  const model = await loadLayersModelFromFiles(tf, modelJson, weightsBin);
  const { count, images, labels } = dataset.test;
  const classes = dataset.classNames.length;
  const acts = layerOutputs(tf, model, images, count, ["relu_1", "relu_2", "logits"]);
  const [kernel, bias] = model.getLayer("logits").getWeights().map((w) => w.dataSync() as Float32Array);
  model.dispose();

  const predicted = new Uint8Array(count);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let i = 0; i < count; i++) {
    predicted[i] = argmax(acts.logits.data, i * classes, classes);
    confusion[labels[i]][predicted[i]]++;
    if (predicted[i] === labels[i]) correct++;
  }

  const dead: Record<string, number[]> = {};
  const selectivity: Record<string, number[][]> = {};
  for (const layer of ["relu_1", "relu_2"]) {
    const { cols, data } = acts[layer];
    dead[layer] = [];
    selectivity[layer] = [];
    for (let u = 0; u < cols; u++) {
      let active = 0;
      for (let i = 0; i < count; i++) if (data[i * cols + u] > 0) active++;
      if (active === 0) dead[layer].push(u);
    }
    for (let c = 0; c < classes; c++) {
      const row: number[] = [];
      for (let u = 0; u < cols; u++) {
        let inSum = 0, inN = 0, outSum = 0, outN = 0;
        for (let i = 0; i < count; i++) {
          if (labels[i] === c) (inSum += data[i * cols + u]), inN++;
          else (outSum += data[i * cols + u]), outN++;
        }
        const muC = inSum / inN;
        const muRest = outSum / outN;
        row.push((muC - muRest) / (muC + muRest + 1e-8));
      }
      selectivity[layer].push(row);
    }
  }

  const scaledAccuracy = (_layer: "relu_2", unit: number, scale: number) => {
    const { cols, data } = acts.relu_2;
    let hits = 0;
    const logits = new Float64Array(classes);
    for (let i = 0; i < count; i++) {
      for (let c = 0; c < classes; c++) {
        let z = bias[c];
        for (let u = 0; u < cols; u++) z += (u === unit ? scale : 1) * data[i * cols + u] * kernel[u * classes + c];
        logits[c] = z;
      }
      if (argmax(Array.from(logits), 0, classes) === labels[i]) hits++;
    }
    return hits / count;
  };

  return { count, labels, predicted, accuracy: correct / count, confusion, dead, selectivity, scaledAccuracy };
}
