// What every model-report section works from: a loaded model, the test set, the class names and
// the active tfjs, plus the computations several sections share (the final activations on the
// whole test set, activations over training on an evaluation sample, the clean predictions).
// Each is computed once per model by the page and passed to the sections that need it.
import type { TF } from "../../lib/tf-types.js";
import type { ImageSet } from "../../lib/dataset-files.js";
import type { EpochUnits } from "../../lib/analysis/units/training-drift.js";
import type { LoadedModel } from "../../runtime/load-model.js";
import { networkUnits, type LayerUnits } from "../../lib/network/units.js";
import { activationNames, hiddenActivationNames, reluActivationNames, activationInfo, forwardCost, LOGITS } from "../../lib/network/network.js";
import { createInterventionRunner, type InterventionRunner } from "../../lib/network/intervention.js";
import { argmaxRows, confusionMatrix, perClassAccuracy, accuracy, type ConfusionMatrix } from "../../lib/analysis/predictions/confusion.js";
import { mulberry32, sampleIndices } from "../../lib/random.js";
import { pacedPause } from "../../lib/next-task.js";

export interface ReportContext {
  tf: TF;
  model: LoadedModel;
  testSet: ImageSet;
  classNames: string[];
  /** Awaited between chunks of work so the page never freezes. */
  pause: () => Promise<void>;
  /** Images per forward pass: about the same work for every model, so no chunk runs long. */
  batchSize: number;
}

/** Multiply-adds per forward chunk: tens of milliseconds on a CPU backend. */
const WORK_PER_BATCH = 15_000_000;

export function reportContext(tf: TF, model: LoadedModel, testSet: ImageSet, classNames: string[]): ReportContext {
  const batchSize = Math.max(50, Math.min(2000, Math.round(WORK_PER_BATCH / forwardCost(model.network))));
  return { tf, model, testSet, classNames, pause: pacedPause(), batchSize };
}

/** The layers a section offers: ReLU outputs (dead units, selectivity), all hidden, or every activation. */
export function layerChoices(ctx: ReportContext, which: "relu" | "hidden" | "all"): string[] {
  const network = ctx.model.network;
  const names = which === "relu" ? reluActivationNames(network) : which === "hidden" ? hiddenActivationNames(network) : activationNames(network);
  if (names.length === 0) throw new Error(`${ctx.model.name} has no ${which === "relu" ? "ReLU" : "hidden"} layer`);
  return names;
}

export function unitCount(ctx: ReportContext, layer: string): number {
  return activationInfo(ctx.model.network, layer).units;
}

/** A seeded sample of test images, the same for every epoch and every model. */
export interface EvaluationSample {
  rows: Uint32Array;
  images: Uint8Array;
  labels: Uint8Array;
}

export function evaluationSample(ctx: ReportContext, size = 2000, seed = 5): EvaluationSample {
  const { testSet } = ctx;
  const rows = sampleIndices(testSet.count, Math.min(size, testSet.count), mulberry32(seed));
  const pixels = testSet.rows * testSet.cols;
  const images = new Uint8Array(rows.length * pixels);
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, i) => {
    images.set(testSet.images.subarray(row * pixels, (row + 1) * pixels), i * pixels);
    labels[i] = testSet.labels[row];
  });
  return { rows: Uint32Array.from(rows), images, labels };
}

/** Every activation's units (see network/units.ts) at every recorded epoch on the evaluation sample. */
export async function activationsOverTraining(ctx: ReportContext, sample: EvaluationSample): Promise<EpochUnits[]> {
  const result: EpochUnits[] = [];
  for (const { epoch, network } of ctx.model.epochs) {
    result.push({
      epoch,
      layers: await networkUnits(ctx.tf, network, sample.images, sample.labels.length, { betweenBatches: ctx.pause, batchSize: ctx.batchSize }),
    });
    await ctx.pause();
  }
  return result;
}

/** The units of every activation of the final network on the whole test set. */
export type FinalUnits = Record<string, LayerUnits>;

/** The ReLU layers, the last hidden layer (for the maps) and the logits (for the predictions). */
export function finalActivations(ctx: ReportContext): Promise<FinalUnits> {
  const hidden = hiddenActivationNames(ctx.model.network);
  const names = [...new Set([...reluActivationNames(ctx.model.network), hidden[hidden.length - 1], LOGITS])];
  return networkUnits(ctx.tf, ctx.model.network, ctx.testSet.images, ctx.testSet.count, { names, betweenBatches: ctx.pause, batchSize: ctx.batchSize });
}

export interface CleanPredictions {
  runner: InterventionRunner;
  predicted: Uint8Array;
  confusion: ConfusionMatrix;
  perClass: Float64Array;
  accuracy: number;
}

/**
 * The unmodified network's predictions on the whole test set (from the logits already recorded in
 * `final`, so the network is not run twice) and the intervention runner, whose tensors are freed
 * when `invalidation` resolves, i.e. when the page cell re-runs.
 */
export function cleanPredictions(ctx: ReportContext, final: FinalUnits, invalidation: Promise<unknown>): CleanPredictions {
  const { testSet, classNames } = ctx;
  const runner = createInterventionRunner(ctx.tf, ctx.model.network, testSet.images, testSet.count, { batchSize: ctx.batchSize, betweenBatches: ctx.pause });
  void invalidation.then(() => runner.dispose());
  const predicted = Uint8Array.from(argmaxRows(final[LOGITS].mean.data, testSet.count, classNames.length));
  const confusion = confusionMatrix(predicted, testSet.labels, classNames.length);
  return { runner, predicted, confusion, perClass: perClassAccuracy(confusion), accuracy: accuracy(predicted, testSet.labels) };
}

export const pct = (x: number, digits = 2) => `${(100 * x).toFixed(digits)}%`;
export const count = (n: number) => n.toLocaleString("en-US");
