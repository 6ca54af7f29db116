// The training loop shared by every classifier the site trains at build time. A hand-written loop
// (optimizer.minimize over model.apply) rather than model.fit: it gives us the exact batch order
// and dropout masks (seeded, so runs are bit-reproducible on one backend), extra loss terms
// (penalties.ts), a NaN check per batch, and a hook per epoch where callers record snapshots.
import type { LayersModel, Optimizer, Scalar, Tensor, Variable } from "@tensorflow/tfjs";
import { mulberry32, permutation } from "../../src/lib/random.js";
import type { TF } from "../../src/lib/tf-types.js";
import { countCorrect, imageBatch, oneHotBatch, sizeOfShape } from "./batches.js";
import { dropoutSeeder } from "./dropout-seeds.js";
import { evaluateClassifier } from "./evaluate.js";
import { meanPenalty, penaltyProblems, trainingObjective, type PenaltyReport, type PenaltySpec, type TrainingObjective } from "./penalties.js";
import { formatBatchLine, formatCount, formatEpochLine, formatPenaltyLine } from "./progress.js";
import type { TrainConfig } from "../../src/lib/models/training-config.js";
import type { EpochMetrics } from "../../src/lib/models/training-record.js";
import { isPositiveInteger } from "../../src/lib/validate-input.js";
import { FusedStack, fusedStackProblem } from "./fused-stack.js";

export interface ClassifierData {
  /** N*prod(inputShape) bytes, 0..255, image after image. */
  trainImages: Uint8Array;
  /** N class indices in 0..classes-1. */
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
  classes: number;
  /**
   * Shape of one example as the model takes it: [784] for every model buildModel makes (a CNN
   * reshapes inside); a model whose input layer is [28, 28, 1] would take [28, 28, 1].
   */
  inputShape: number[];
}

export type { TrainConfig, EpochMetrics };

export interface TrainHooks {
  /** Called after epoch 0 (untrained) and after each epoch, before the next one starts. */
  onEpochEnd?(epoch: number, metrics: EpochMetrics, model: LayersModel): void | Promise<void>;
  /** Where progress lines go; default stderr (stdout is reserved for a loader's output). */
  log?(line: string): void;
}

export interface TrainOptions {
  /**
   * The compiled training kernels: with them, a model the fused step supports (fused-stack.ts:
   * dense stacks) trains on it, the same math as the tfjs path to float32 rounding; other models
   * (the CNN) train on tfjs as before.
   */
  kernels?: WebAssembly.Module;
}

export interface TrainingResult {
  history: EpochMetrics[];
  /** "the fused wasm step", or "tfjs <backend>" with why the fused step did not run when kernels were given. */
  trainedBy: string;
  /** Only with config.penalties: each one as configured plus what training measured (how many pixels a mask covers). */
  penalties?: PenaltyReport[];
}

/** Epoch-0 train metrics use this many leading training images (all of them if fewer). */
export const INITIAL_TRAIN_EVAL_SIZE = 10_000;

const PROGRESS_INTERVAL_MS = 5_000;
/** How often the loop lets timers and I/O run (lock heartbeats, stderr) during an epoch. */
const YIELD_INTERVAL_MS = 250;

export class TrainingDivergedError extends Error {
  constructor(
    readonly epoch: number,
    /** 1-based index of the batch within the epoch. */
    readonly batch: number,
    readonly loss: number,
    readonly learningRate: number,
  ) {
    super(`training diverged: loss is ${String(loss)} at epoch ${epoch}, batch ${batch} (learning rate ${learningRate})`);
    this.name = "TrainingDivergedError";
  }
}

function checkConfig(config: TrainConfig): void {
  const problems: string[] = [];
  if (!(Number.isInteger(config.epochs) && config.epochs >= 0)) problems.push(`epochs must be an integer >= 0, got ${config.epochs}`);
  if (!isPositiveInteger(config.batchSize)) problems.push(`batchSize must be a positive integer, got ${config.batchSize}`);
  if (!(Number.isFinite(config.learningRate) && config.learningRate > 0)) {
    problems.push(`learningRate must be a positive finite number, got ${config.learningRate}`);
  }
  if (config.optimizer !== "sgd" && config.optimizer !== "adam") problems.push(`optimizer must be "sgd" or "adam", got ${JSON.stringify(config.optimizer)}`);
  if (!Number.isInteger(config.seed)) problems.push(`seed must be an integer, got ${config.seed}`);
  problems.push(...penaltyProblems(config.penalties));
  if (problems.length > 0) throw new Error(`trainClassifier: bad config: ${problems.join("; ")}`);
}

function checkSplit(name: string, images: Uint8Array, labels: Uint8Array, pixels: number, classes: number): void {
  if (!(images instanceof Uint8Array) || !(labels instanceof Uint8Array)) {
    throw new Error(`trainClassifier: data.${name}Images and data.${name}Labels must be Uint8Arrays`);
  }
  if (images.length !== labels.length * pixels) {
    throw new Error(
      `trainClassifier: data.${name}Images has ${images.length} bytes, expected ${labels.length} labels x ${pixels} values = ${labels.length * pixels}`,
    );
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) throw new Error(`trainClassifier: data.${name}Labels[${i}] is ${labels[i]}, expected a class in 0..${classes - 1}`);
  }
}

function checkData(data: ClassifierData, model: LayersModel): void {
  if (!isPositiveInteger(data.classes) || data.classes < 2) throw new Error(`trainClassifier: data.classes must be an integer >= 2, got ${data.classes}`);
  if (!Array.isArray(data.inputShape) || data.inputShape.length === 0 || !data.inputShape.every(isPositiveInteger)) {
    throw new Error(`trainClassifier: data.inputShape must be a non-empty list of positive integers, got ${JSON.stringify(data.inputShape)}`);
  }
  const pixels = sizeOfShape(data.inputShape);
  checkSplit("train", data.trainImages, data.trainLabels, pixels, data.classes);
  checkSplit("test", data.testImages, data.testLabels, pixels, data.classes);
  if (data.trainLabels.length === 0) throw new Error("trainClassifier: data.trainLabels is empty; nothing to train on");
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error(`trainClassifier: the model must have one input and one output, got ${model.inputs.length} and ${model.outputs.length}`);
  }
  const modelInput = model.inputs[0].shape.slice(1);
  if (modelInput.length !== data.inputShape.length || modelInput.some((dim, i) => dim !== data.inputShape[i])) {
    throw new Error(`trainClassifier: the model takes inputs of shape [${modelInput.join(", ")}] but data.inputShape is [${data.inputShape.join(", ")}]`);
  }
  const outputShape = model.outputs[0].shape;
  if (outputShape.length !== 2 || outputShape[1] !== data.classes) {
    throw new Error(`trainClassifier: the model outputs shape [${outputShape.join(", ")}], expected [null, ${data.classes}] logits`);
  }
}

function makeOptimizer(tf: TF, config: TrainConfig): Optimizer {
  return config.optimizer === "adam" ? tf.train.adam(config.learningRate) : tf.train.sgd(config.learningRate);
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

interface StepResult {
  /** The loss minimized: cross-entropy + penalty. */
  total: number;
  /** The batch's mean cross-entropy, what trainLoss reports. */
  crossEntropy: number;
  /** The batch's summed penalty (0 without penalties). */
  penalty: number;
  logits: Float32Array;
}

/** One optimizer step on the batch (x, y) minimizing cross-entropy + penalty. */
function trainStep(tf: TF, optimizer: Optimizer, objective: TrainingObjective, variables: Variable[], x: Tensor, y: Tensor): StepResult {
  let logits: Tensor | undefined;
  let crossEntropy: Scalar | undefined;
  let penalty: Scalar | undefined;
  let total: Scalar | null = null;
  try {
    total = optimizer.minimize(
      () => {
        const output = objective.forward(x, true);
        logits = tf.keep(output.logits);
        const loss = tf.losses.softmaxCrossEntropy(y, output.logits) as Scalar;
        if (output.penalty === null) return loss;
        crossEntropy = tf.keep(loss);
        penalty = tf.keep(output.penalty);
        return tf.add(loss, output.penalty) as Scalar;
      },
      true,
      variables,
    );
    const totalValue = total === null ? Number.NaN : total.dataSync()[0];
    return {
      total: totalValue,
      crossEntropy: crossEntropy === undefined ? totalValue : crossEntropy.dataSync()[0],
      penalty: penalty === undefined ? 0 : penalty.dataSync()[0],
      logits: (logits as Tensor).dataSync() as Float32Array,
    };
  } finally {
    for (const tensor of [logits, crossEntropy, penalty, total]) tensor?.dispose();
  }
}

/** Trains `model` in place on `data`; see EpochMetrics for what the history holds. */
export async function trainClassifier(
  tf: TF,
  model: LayersModel,
  data: ClassifierData,
  config: TrainConfig,
  hooks: TrainHooks = {},
  options: TrainOptions = {},
): Promise<TrainingResult> {
  checkConfig(config);
  checkData(data, model);
  const log = hooks.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const { trainImages, trainLabels, testImages, testLabels, classes, inputShape } = data;
  const trainCount = trainLabels.length;
  const testCount = testLabels.length;
  const batchCount = Math.ceil(trainCount / config.batchSize);
  const variables = model.trainableWeights.map((weight) => weight.read() as Variable);
  const history: EpochMetrics[] = [];
  const evaluateTest = () => evaluateClassifier(tf, model, testImages, testLabels, testCount, inputShape, classes);
  const objective = trainingObjective(tf, model, config.penalties, { images: trainImages, count: trainCount, pixels: sizeOfShape(inputShape) });
  const penalized = objective.reports.length > 0;
  const optimizer = makeOptimizer(tf, config);
  const dropout = dropoutSeeder(model, config.seed);
  const fusedProblem = options.kernels ? fusedStackProblem(model, config.penalties) : "no kernels given";
  const fused =
    options.kernels && fusedProblem === null
      ? new FusedStack(tf, options.kernels, model, config, config.batchSize, {
          images: trainImages,
          labels: trainLabels,
          count: trainCount,
          pixels: sizeOfShape(inputShape),
        })
      : null;
  /** One optimizer step on the training rows `rows`. */
  const path = fused !== null ? "the fused wasm step" : `tfjs ${tf.getBackend()}${options.kernels ? ` (not fused: ${fusedProblem})` : ""}`;
  const runBatch = (epoch: number, batch: number, rows: Uint32Array): { total: number; crossEntropy: number; penalty: number; correct: number } => {
    if (fused !== null) {
      const step = fused.train(rows, epoch, batch);
      return { ...step, total: step.crossEntropy + step.penalty };
    }
    const x = imageBatch(tf, trainImages, inputShape, rows);
    const y = oneHotBatch(tf, trainLabels, classes, rows);
    dropout.forStep(epoch, batch);
    try {
      const step = trainStep(tf, optimizer, objective, variables, x, y);
      return { ...step, correct: countCorrect(step.logits, classes, trainLabels, rows) };
    } finally {
      x.dispose();
      y.dispose();
    }
  };

  try {
    log(
      `training ${model.name} on ${path}: ${formatCount(trainCount)} train / ${formatCount(testCount)} test images, ` +
        `${config.epochs} epochs, batch ${config.batchSize}, ${config.optimizer} lr ${config.learningRate}, seed ${config.seed}`,
    );
    objective.reports.forEach((report) => log(formatPenaltyLine(report)));

    const initialCount = Math.min(trainCount, INITIAL_TRAIN_EVAL_SIZE);
    const initialTrain = evaluateClassifier(tf, model, trainImages, trainLabels, initialCount, inputShape, classes);
    const initialTest = evaluateTest();
    const initial: EpochMetrics = {
      epoch: 0,
      trainLoss: initialTrain.loss,
      ...(penalized ? { trainPenalty: meanPenalty(tf, objective, trainImages, initialCount, inputShape) } : {}),
      trainAccuracy: initialTrain.accuracy,
      testLoss: initialTest.loss,
      testAccuracy: initialTest.accuracy,
      imagesPerSecond: 0,
      seconds: 0,
    };
    history.push(initial);
    log(formatEpochLine({ ...initial, epochs: config.epochs }));
    await hooks.onEpochEnd?.(0, initial, model);

    let trainingSeconds = 0;
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const epochStart = performance.now();
      const order = permutation(trainCount, mulberry32(config.seed + epoch));
      let lossSum = 0;
      let penaltySum = 0;
      let correct = 0;
      let seen = 0;
      let lastProgress = epochStart;
      let lastYield = epochStart;
      for (let batch = 0; batch < batchCount; batch++) {
        const rows = order.subarray(batch * config.batchSize, Math.min(trainCount, (batch + 1) * config.batchSize));
        const step = runBatch(epoch, batch, rows);
        if (!Number.isFinite(step.total)) throw new TrainingDivergedError(epoch, batch + 1, step.total, config.learningRate);
        lossSum += step.crossEntropy;
        penaltySum += step.penalty;
        correct += step.correct;
        seen += rows.length;
        const now = performance.now();
        if (now - lastProgress >= PROGRESS_INTERVAL_MS && batch + 1 < batchCount) {
          lastProgress = now;
          log(
            formatBatchLine({
              epoch,
              epochs: config.epochs,
              batch: batch + 1,
              batches: batchCount,
              meanLoss: lossSum / (batch + 1),
              accuracy: correct / seen,
              imagesPerSecond: seen / ((now - epochStart) / 1000),
            }),
          );
        }
        if (now - lastYield >= YIELD_INTERVAL_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      const loopSeconds = (performance.now() - epochStart) / 1000;
      fused?.writeBack();
      const test = evaluateTest();
      const seconds = (performance.now() - epochStart) / 1000;
      trainingSeconds += seconds;
      const metrics: EpochMetrics = {
        epoch,
        trainLoss: lossSum / batchCount,
        ...(penalized ? { trainPenalty: penaltySum / batchCount } : {}),
        trainAccuracy: correct / seen,
        testLoss: test.loss,
        testAccuracy: test.accuracy,
        imagesPerSecond: seen / loopSeconds,
        seconds,
      };
      history.push(metrics);
      log(formatEpochLine({ ...metrics, epochs: config.epochs, etaSeconds: (trainingSeconds / epoch) * (config.epochs - epoch) }));
      await hooks.onEpochEnd?.(epoch, metrics, model);
    }
  } finally {
    optimizer.dispose();
    dropout.restore();
    objective.dispose();
  }
  return penalized ? { history, trainedBy: path, penalties: objective.reports } : { history, trainedBy: path };
}
