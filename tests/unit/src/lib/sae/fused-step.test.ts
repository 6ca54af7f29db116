// The fused WebAssembly SAE step against the tfjs step (train-step.ts, the reference).
// Step by step: along a reference trajectory of 300 steps, the fused gradient and statistics at
// the reference's parameters equal the tfjs ones to float32 rounding (their sums run in different
// orders). Whole runs cannot be compared weight for weight over hundreds of steps: Adam turns a
// rounding-sized difference in a near-zero gradient into a full-sized step (m̂/√v̂ is ±1 whatever
// the gradient's size), and a ReLU gate or top-k member within rounding of its threshold can flip;
// after that the two runs are different but equally good runs, which the last tests check.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { kernelModule } from "../../../../../data-loaders/training/kernels/build-kernels.js";
import { saeConfig, type SaeConfigInput } from "../../../../../src/lib/sae/config.js";
import { FusedSaeStep, fusedStepSupports } from "../../../../../src/lib/sae/fused-step.js";
import { initialParameters } from "../../../../../src/lib/sae/init.js";
import { parameterLayout } from "../../../../../src/lib/sae/parameters.js";
import { inputScaleFor, trainSae, type TrainSaeResult } from "../../../../../src/lib/sae/train.js";
import {
  lossGradient,
  STAT_AUX,
  STAT_FIRES,
  STAT_PENALTY,
  STAT_SQUARED_ERROR,
  trainingStep,
  type TrainingState,
} from "../../../../../src/lib/sae/train-step.js";
import { sparseDictionaryData } from "./fixtures.js";

const truth = sparseDictionaryData(11, { dIn: 16, atomCount: 32, rows: 2048 });
// deadAfterInputs 640 (10 batches) turns AuxK on early for the TopK variants.
const common = { dIn: 16, dSae: 64, batchSize: 64, learningRate: 0.01, warmupSteps: 20, l1WarmupSteps: 50, deadAfterInputs: 640, seed: 3 } as const;

const configs: Record<string, SaeConfigInput> = {
  l1: { architecture: "l1", ...common, steps: 300, l1Coefficient: 2 },
  kl: { architecture: "kl", ...common, steps: 300, rho: 0.05, beta: 3 },
  "topk with AuxK": { architecture: "topk", ...common, steps: 300, k: 3 },
  "batchtopk with AuxK": { architecture: "batchtopk", ...common, steps: 300, k: 3 },
};

const maxAbs = (values: ArrayLike<number>) => Array.from(values).reduce((a, v) => Math.max(a, Math.abs(v)), 0);
const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

function largestDifference(a: TrainSaeResult, b: TrainSaeResult): number {
  return Math.max(...(["W_enc", "b_enc", "W_dec", "b_dec"] as const).map((key) => maxDifference(a.weights[key], b.weights[key])));
}

/** Runs the reference for config.steps steps (rows in order, AuxK's dead latents tracked as train.ts does) and compares each step's gradient. */
function compareAlongTrajectory(kernels: WebAssembly.Module, input: SaeConfigInput) {
  const config = saeConfig(input);
  const layout = parameterLayout(config.dIn, config.dSae);
  const inputScale = inputScaleFor(truth.data, config.inputNormalization);
  const totalVariance = 10;
  const fused = new FusedSaeStep(kernels, config, layout);
  let state: TrainingState = {
    theta: tf.tensor1d(initialParameters(truth.data, config, inputScale, layout)),
    m: tf.zeros([layout.size]),
    v: tf.zeros([layout.size]),
  };
  const sinceFired = new Float64Array(config.dSae);
  const worst = { gradient: 0, squaredError: 0, sparsity: 0, aux: 0, fireFlips: 0, auxSteps: 0 };
  const rows = config.batchSize * config.dIn;
  for (let step = 1; step <= config.steps; step++) {
    const start = ((step - 1) * rows) % (truth.data.data.length - rows);
    const x = truth.data.data.slice(start, start + rows).map((v) => v * inputScale);
    const xT = new Float32Array(rows);
    for (let b = 0; b < config.batchSize; b++) for (let c = 0; c < config.dIn; c++) xT[c * config.batchSize + b] = x[b * config.dIn + c];
    const topK = config.architecture === "topk" || config.architecture === "batchtopk";
    const dead = topK ? Array.from(sinceFired.keys()).filter((j) => sinceFired[j] >= config.deadAfterInputs) : [];
    const kAux = topK ? Math.min(config.kAux, dead.length) : 0;
    const common = {
      step,
      learningRate: config.learningRate,
      sparsityCoefficient: config.architecture === "l1" ? config.l1Coefficient : config.architecture === "kl" ? config.beta : 0,
      kAux,
      totalVariance,
    };
    if (dead.length > 0) worst.auxSteps++;

    const [xTensor, xTTensor] = [tf.tensor2d(x, [config.batchSize, config.dIn]), tf.tensor2d(xT, [config.dIn, config.batchSize])];
    const deadBias = dead.length > 0 ? tf.tensor1d(Float32Array.from({ length: config.dSae }, (_, j) => (dead.includes(j) ? 0 : -Infinity))) : null;
    const stepInput = { ...common, x: xTensor, xT: xTTensor, deadBias };
    const reference = tf.tidy(() => lossGradient(tf, config, layout, state.theta, stepInput));
    const [gradient, stats] = [reference.gradient.dataSync(), reference.stats.dataSync()];
    fused.upload({ theta: state.theta.dataSync() as Float32Array, m: state.m.dataSync() as Float32Array, v: state.v.dataSync() as Float32Array });
    const ours = fused.gradientAt({ ...common, x, dead });

    worst.gradient = Math.max(worst.gradient, maxDifference(ours.gradient, gradient) / maxAbs(gradient));
    worst.squaredError = Math.max(worst.squaredError, Math.abs(ours.stats[STAT_SQUARED_ERROR] - stats[STAT_SQUARED_ERROR]) / stats[STAT_SQUARED_ERROR]);
    worst.sparsity = Math.max(worst.sparsity, Math.abs(ours.stats[STAT_PENALTY] - stats[STAT_PENALTY]) / Math.max(1e-12, Math.abs(stats[STAT_PENALTY])));
    worst.aux = Math.max(worst.aux, Math.abs(ours.stats[STAT_AUX] - stats[STAT_AUX]) / Math.max(1e-12, Math.abs(stats[STAT_AUX])));
    let flips = 0;
    for (let j = 0; j < config.dSae; j++) flips += Math.abs(ours.stats[STAT_FIRES + j] - stats[STAT_FIRES + j]);
    worst.fireFlips = Math.max(worst.fireFlips, flips);

    for (let j = 0; j < config.dSae; j++) sinceFired[j] = stats[STAT_FIRES + j] > 0 ? 0 : sinceFired[j] + config.batchSize;
    const next = trainingStep(tf, config, layout, state, stepInput);
    tf.dispose([state.theta, state.m, state.v, next.stats, reference.gradient, reference.stats, xTensor, xTTensor, ...(deadBias ? [deadBias] : [])]);
    state = next.state;
  }
  tf.dispose([state.theta, state.m, state.v]);
  return worst;
}

describe("the fused SAE step against the tfjs step", () => {
  let kernels: WebAssembly.Module;
  before(async () => {
    await tf.setBackend("cpu");
    kernels = await kernelModule();
  });

  for (const [label, input] of Object.entries(configs)) {
    test(`${label}: each step's gradient and statistics equal the tfjs step's to float32 rounding`, () => {
      const worst = compareAlongTrajectory(kernels, input);
      if (process.env.SHOW_WORST) console.error(label, JSON.stringify(worst));
      // Measured (SHOW_WORST=1): gradients within 1.4e-6 of their largest component, squared error
      // within 1.2e-7, the KL term within 2.5e-6, AuxK within 2e-7, no code firing on one path only.
      assert.ok(worst.gradient <= 1e-5, `gradient differs by ${worst.gradient.toExponential(2)} of its largest component`);
      assert.ok(worst.squaredError <= 1e-6, `squared error differs by ${worst.squaredError.toExponential(2)}`);
      assert.ok(worst.sparsity <= 2e-5, `sparsity term differs by ${worst.sparsity.toExponential(2)}`);
      assert.ok(worst.aux <= 2e-6, `AuxK term differs by ${worst.aux.toExponential(2)}`);
      // A code within rounding of its threshold may flip; none did here.
      assert.ok(worst.fireFlips <= 1, `${worst.fireFlips} codes fired on one path only in one step`);
      if (input.architecture === "topk" || input.architecture === "batchtopk") assert.ok(worst.auxSteps > 100, `AuxK ran in ${worst.auxSteps} steps only`);
    });
  }

  for (const [label, input] of Object.entries({
    ...configs,
    "l1 with resampling": { ...configs.l1, l1Coefficient: 4, resample: { every: 60, sampleSize: 512 } },
  })) {
    test(`${label}: a whole fused run trains as well as the tfjs run`, async () => {
      const config = saeConfig(input);
      const reference = await trainSae(tf, truth.data, config);
      const tensorsBefore = tf.memory().numTensors;
      const fused = await trainSae(tf, truth.data, config, {}, { kernels });
      assert.equal(tf.memory().numTensors, tensorsBefore, "the fused path leaves no tensors behind");
      const meanLoss = (result: TrainSaeResult) => result.history.slice(-20).reduce((sum, point) => sum + point.loss, 0) / 20;
      const [a, b] = [meanLoss(reference), meanLoss(fused)];
      assert.ok(Math.abs(a - b) <= 0.05 * a, `mean loss of the last 20 points: tfjs ${a}, fused ${b}`);
      assert.equal(fused.history.length, reference.history.length);
      assert.ok(largestDifference(reference, fused) < 0.5, "the runs stay close");
    });
  }

  test("a dictionary size that is not a multiple of 4 trains on the tfjs path, unchanged", async () => {
    const config = saeConfig({ architecture: "topk", ...common, dSae: 30, k: 3, steps: 20 });
    assert.equal(fusedStepSupports(config), false);
    const [a, b] = [await trainSae(tf, truth.data, config), await trainSae(tf, truth.data, config, {}, { kernels })];
    assert.deepEqual(b.weights.W_dec, a.weights.W_dec);
  });
});
