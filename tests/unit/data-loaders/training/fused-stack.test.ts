// The fused training step of dense stacks (fused-stack.ts) against the tfjs path of trainClassifier
// (the reference): the same seed, batch order, dropout masks and initial weights must give the
// same weights and epoch metrics to float32 rounding, for every layer type, optimizer and penalty
// the registry's MLPs use, over 320 steps (10 epochs of 32 batches of 16). Adam is the exception
// that proves the rule: a gradient entry that cancels to exactly 0 in one summation order and to
// 1e-9 in another becomes an update of lr·g/(|g| + ε) ≈ 1e-4 (ε = 1e-7), so its runs part by
// about 1e-5 within 8 steps and 1e-4 within 320 (measured); its metrics still agree.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { kernelModule } from "../../../../data-loaders/training/kernels/build-kernels.js";
import { initTrainingBackend } from "../../../../data-loaders/training/node-backend.js";
import { trainClassifier, type EpochMetrics, type TrainConfig } from "../../../../data-loaders/training/train.js";
import { fusedStackProblem } from "../../../../data-loaders/training/fused-stack.js";
import { buildModel, type LayerSpec } from "../../../../src/lib/models/architecture.js";
import type { TF } from "../../../../src/lib/tf-types.js";
import { syntheticData } from "./synthetic-data.js";

const PIXELS = 100;
const data = { ...syntheticData(512, 128, 5, PIXELS), inputShape: [PIXELS] };
// The synthetic images have almost no exact zeros (noise 0..59): blank every 4th pixel in 70% of them,
// so that a blank-pixel mask at 0.5 covers 25 pixels and the weight L1 has something to act on.
const blanked = { ...data, trainImages: data.trainImages.map((v, i) => (i % 4 === 3 && Math.floor(i / PIXELS) % 10 < 7 ? 0 : v)) };
const base: TrainConfig = { epochs: 10, batchSize: 16, learningRate: 0.05, optimizer: "sgd", seed: 9 };
const dense = (units: number): LayerSpec => ({ type: "dense", units });
const relu: LayerSpec = { type: "relu" };
const layernorm: LayerSpec = { type: "layernorm" };

/** tolerance: on max |Δw|; metricTolerance: relative, on the epoch losses. */
const cases: { label: string; layers: LayerSpec[]; config?: Partial<TrainConfig>; tolerance?: number; metricTolerance?: number; images?: typeof data }[] = [
  { label: "dense and ReLU, SGD", layers: [dense(12), relu, dense(8), relu] },
  { label: "Adam", layers: [dense(12), relu, dense(8), relu], config: { optimizer: "adam", learningRate: 0.01 }, tolerance: 5e-4, metricTolerance: 1e-4 },
  { label: "standardize", layers: [{ type: "standardize" }, dense(12), relu] },
  { label: "LayerNorm after ReLU", layers: [dense(12), relu, layernorm, dense(8), relu, layernorm] },
  { label: "LayerNorm before ReLU", layers: [dense(12), layernorm, relu, dense(8), layernorm, relu] },
  { label: "dropout", layers: [dense(12), relu, { type: "dropout", rate: 0.2 }, dense(8), relu, { type: "dropout", rate: 0.5 }] },
  {
    label: "activation L1",
    layers: [dense(12), relu, dense(8), relu],
    config: { penalties: [{ kind: "activation-l1", layers: ["relu_1", "relu_2"], coefficient: 0.01 }] },
  },
  {
    label: "blank-pixel weight L1",
    layers: [dense(12), relu],
    config: { penalties: [{ kind: "weight-l1", layer: "dense_1", coefficient: 0.01, inputs: "blank-pixels", blankFraction: 0.5 }] },
    images: blanked,
  },
];

async function train(
  tf: TF,
  layers: LayerSpec[],
  config: TrainConfig,
  kernels?: WebAssembly.Module,
  images = data,
): Promise<{ weights: Float32Array[]; history: EpochMetrics[]; lines: string[] }> {
  const model = buildModel(tf, { layers, seed: 4 }, { inputSize: PIXELS, classes: 10, inputStats: { mean: 0.3, std: 0.25 } });
  const lines: string[] = [];
  const { history } = await trainClassifier(tf, model, images, config, { log: (line) => void lines.push(line) }, kernels ? { kernels } : {});
  const weights = model.getWeights().map((w) => (w.dataSync() as Float32Array).slice());
  model.dispose();
  return { weights, history, lines };
}

describe("the fused dense-stack step against the tfjs path", () => {
  let tf: TF;
  let kernels: WebAssembly.Module;
  before(async () => {
    tf = (await initTrainingBackend({ backend: "wasm" })).tf;
    kernels = await kernelModule();
  });

  for (const { label, layers, config, tolerance = 2e-6, metricTolerance = 1e-5, images } of cases) {
    test(`${label}: the same weights and epoch metrics after 320 steps`, async () => {
      const trainConfig = { ...base, ...config };
      const reference = await train(tf, layers, trainConfig, undefined, images);
      const tensorsBefore = tf.memory().numTensors;
      const fused = await train(tf, layers, trainConfig, kernels, images);
      assert.equal(tf.memory().numTensors, tensorsBefore, "the fused path leaves no tensors behind");
      assert.match(fused.lines[0], /on the fused wasm step/);
      if (images === blanked) assert.ok((reference.history[1].trainPenalty ?? 0) > 0, "the weight L1 is in play");
      let largest = 0;
      reference.weights.forEach((w, i) => w.forEach((v, j) => (largest = Math.max(largest, Math.abs(v - fused.weights[i][j])))));
      // Measured: at most 4.8e-7 in the SGD cases; 9.6e-5 with Adam.
      assert.ok(largest <= tolerance, `max |Δw| = ${largest.toExponential(2)}`);
      reference.history.forEach((epoch, i) => {
        const other = fused.history[i];
        for (const key of ["trainLoss", "testLoss", "trainPenalty"] as const) {
          if (epoch[key] === undefined) continue;
          assert.ok(
            Math.abs((epoch[key] as number) - (other[key] as number)) <= metricTolerance * Math.abs(epoch[key] as number) + 1e-7,
            `epoch ${i} ${key}: ${epoch[key]} vs ${other[key]}`,
          );
        }
        assert.equal(other.trainAccuracy, epoch.trainAccuracy, `epoch ${i} train accuracy`);
        assert.equal(other.testAccuracy, epoch.testAccuracy, `epoch ${i} test accuracy`);
      });
    });
  }

  test("a diverging run stops with TrainingDivergedError, as on the tfjs path", async () => {
    await assert.rejects(
      train(tf, [dense(12), relu], { ...base, learningRate: 1e30 }, kernels),
      (error: Error) => error.name === "TrainingDivergedError" && /training diverged: loss is NaN at epoch 1, batch \d+/.test(error.message),
    );
  });

  test("a model the fused step cannot run trains on tfjs, and the log says why", async () => {
    const layers: LayerSpec[] = [{ type: "reshape", shape: [10, 10, 1] }, { type: "conv2d", filters: 2, kernelSize: 3 }, relu, { type: "flatten" }];
    const { lines } = await train(tf, layers, { ...base, epochs: 1 }, kernels);
    assert.match(lines[0], /on tfjs wasm \(not fused: layer reshape is a Reshape; the fused step runs dense stacks only\)/);
    const model = buildModel(tf, { layers: [dense(4), relu], seed: 1 }, { inputSize: PIXELS, classes: 10 });
    assert.match(
      fusedStackProblem(model, [{ kind: "activation-l1", layers: ["dense_1"], coefficient: 1 }]) ?? "",
      /activation-l1 on dense_1: the fused step puts it on a ReLU layer of that name/,
    );
    model.dispose();
  });
});
