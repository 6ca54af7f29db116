// Every probe of one input (a layer in one basis, or an SAE's codes): the logistic probe with its
// per-class accuracy and weights, the linear SVM, the same logistic probe on the control task
// (selectivity = task − control accuracy) and the sparse probes on the best k columns. The build
// runs all of it for every input; the page re-runs the logistic probe live.
import type { TF } from "../tf-types.js";
import type { ActivationMatrix } from "../analysis/types.js";
import { accuracy, confusionMatrix, perClassAccuracy } from "../analysis/predictions/confusion.js";
import { predictLogistic, trainLogisticProbe, type LogisticProbe } from "./logistic.js";
import { predictSvm, trainLinearSvm } from "./svm.js";
import { rankFeatures, selectColumns, sparseSizes } from "./feature-ranking.js";
import { PROBE_SETUP } from "./setup.js";

export interface ProbeSplit {
  /** One row per image. */
  x: ActivationMatrix;
  /** The digits. */
  labels: Uint8Array;
  /** The control task's labels (setup.ts); null where no control is run. */
  control: Uint8Array | null;
}

export interface LogisticScores {
  trainAccuracy: number;
  testAccuracy: number;
  /** Test accuracy of each digit. */
  perClass: number[];
  iterations: number;
  /** Why L-BFGS stopped: "tolerance", "no progress" (float32 precision reached) or "iterations" (the limit). */
  stop: LogisticProbe["stop"];
  seconds: number;
}

export interface ProbeScores {
  features: number;
  logistic: LogisticScores;
  /** [classes × features] on standardized inputs, 4 significant digits. */
  weights: number[];
  svm: { trainAccuracy: number; testAccuracy: number; seconds: number } | null;
  control: { trainAccuracy: number; testAccuracy: number } | null;
  /** Task minus control test accuracy. */
  selectivity: number | null;
  /** Logistic probes on the k columns with the largest F statistic, k = 1, 2, 4, ..., all. */
  sparse: { k: number; columns: number[]; testAccuracy: number }[] | null;
}

export interface ProbeRunOptions {
  classes: number;
  l2?: number;
  svm?: boolean;
  sparse?: boolean;
  pause?: () => Promise<void>;
  /** The compiled training kernels: logistic probes then train on the fused WebAssembly objective (fused-logistic.ts). */
  kernels?: WebAssembly.Module;
}

const seconds = (since: number) => (performance.now() - since) / 1000;
const rounded = (values: ArrayLike<number>) => Array.from(values, (v) => Number(v.toPrecision(4)));

/** Trains the logistic probe and scores it on both splits. */
export async function logisticScores(
  tf: TF,
  train: ProbeSplit,
  test: ProbeSplit,
  options: ProbeRunOptions,
): Promise<{ probe: LogisticProbe; scores: LogisticScores }> {
  const started = performance.now();
  const { l2, maxIterations, tolerance } = { ...PROBE_SETUP.logistic, ...(options.l2 === undefined ? {} : { l2: options.l2 }) };
  const probe = await trainLogisticProbe(tf, train.x, train.labels, options.classes, {
    l2,
    maxIterations,
    tolerance,
    pause: options.pause,
    kernels: options.kernels,
  });
  const predicted = predictLogistic(probe, test.x);
  const scores = {
    trainAccuracy: accuracy(predictLogistic(probe, train.x), train.labels),
    testAccuracy: accuracy(predicted, test.labels),
    perClass: Array.from(perClassAccuracy(confusionMatrix(predicted, test.labels, options.classes))),
    iterations: probe.iterations,
    stop: probe.stop,
    seconds: seconds(started),
  };
  return { probe, scores };
}

export async function probeInput(tf: TF, train: ProbeSplit, test: ProbeSplit, options: ProbeRunOptions): Promise<ProbeScores> {
  const { probe, scores } = await logisticScores(tf, train, test, options);
  let svm: ProbeScores["svm"] = null;
  if (options.svm) {
    const started = performance.now();
    const machine = await trainLinearSvm(train.x, train.labels, options.classes, { ...PROBE_SETUP.svm, pause: options.pause, kernels: options.kernels });
    svm = {
      trainAccuracy: accuracy(predictSvm(machine, train.x), train.labels),
      testAccuracy: accuracy(predictSvm(machine, test.x), test.labels),
      seconds: seconds(started),
    };
  }
  let control: ProbeScores["control"] = null;
  if (train.control && test.control) {
    const controlTrain = { ...train, labels: train.control };
    const controlTest = { ...test, labels: test.control };
    const { scores: onControl } = await logisticScores(tf, controlTrain, controlTest, options);
    control = { trainAccuracy: onControl.trainAccuracy, testAccuracy: onControl.testAccuracy };
  }
  let sparse: ProbeScores["sparse"] = null;
  if (options.sparse) {
    const ranking = rankFeatures(train.x, train.labels, options.classes);
    sparse = [];
    for (const k of sparseSizes(train.x.cols)) {
      const columns = Array.from(ranking.subarray(0, k));
      const testAccuracy =
        k === train.x.cols
          ? scores.testAccuracy
          : (await logisticScores(tf, { ...train, x: selectColumns(train.x, columns) }, { ...test, x: selectColumns(test.x, columns) }, options)).scores
              .testAccuracy;
      sparse.push({ k, columns, testAccuracy });
    }
  }
  return {
    features: train.x.cols,
    logistic: scores,
    weights: rounded(probe.weights),
    svm,
    control,
    selectivity: control ? scores.testAccuracy - control.testAccuracy : null,
    sparse,
  };
}
